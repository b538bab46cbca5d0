"""The coordinator records a referral's appointment (day, time, place) on the referral page;
the partner does so on its link page when accepting (network.links.service)."""

from __future__ import annotations

from litestar import Request, Response, Router, post
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.errors import RuleViolation
from network.referrals import actions
from network.web import referral_views
from network.web.render import Form, read_form, redirect


@post("/referrals/{referral_id:int}/termin", include_in_schema=False)
async def appointment_submit(request: Request, actor: ActorDep, clock: ClockDep,
                             referral_id: FromPath[int]) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    try:
        await actions.record_appointment(
            actor, clock, referral_id, day=values.get("appointment_day", ""),
            at=values.get("appointment_time", ""), place=values.get("appointment_place", ""))
    except RuleViolation as violation:
        not_now = violation.code == "referral.appointment_not_now"  # no field to put it by
        return await referral_views.refused_page(request, referral_id, "appointment", form,
                                                 violation, {"appointment_day": "_"} if not_now
                                                 else {})
    return redirect(f"/referrals/{referral_id}#termin", "termin")


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[appointment_submit])
