"""The start page: what needs the signed-in coordinator's attention today: their overdue
referrals, referrals waiting for a partner's answer, barriers no open referral works on, and
emails that could not be delivered, and the reminders of the coordinator's cases due by the
end of today (the Berlin day), and the handovers between the legal circles waiting for an
answer: coming in (name, birth date, reason: what is needed to decide) and going out."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from litestar import Request, Response, get

from network.accounts import audit
from network.accounts.access import SIGNED_IN, Role, allow
from network.api_types import ActorDep, ClockDep
from network.cases import actions as case_actions
from network.cases import data_requests
from network.referrals import appointment_data
from network.referrals import service as referrals
from network.referrals.lifecycle import Status
from network.referrals.service import ReferralFilter
from network.transactions import transaction
from network.web import queries
from network.web.render import BERLIN, page, redirect

SHOWN = 10


def end_of_berlin_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(BERLIN).date() + timedelta(days=1), time(0), BERLIN)


@get("/", opt=allow(*SIGNED_IN), include_in_schema=False)
async def dashboard(request: Request, actor: ActorDep, clock: ClockDep) -> Response:
    user = request.user
    if user.role is Role.ADMIN:
        return redirect("/admin/users")  # administrators manage accounts, not cases
    if user.role is not Role.COORDINATOR:
        return redirect("/reports")  # the viewer role sees the reports and nothing else
    now = clock.now()
    # One transaction, one connection from the pool (each checkout costs a reset round trip).
    async with transaction():
        my_cases = await queries.open_cases_of(actor, user.id, SHOWN)
        overdue = await referrals.list_referrals(
            actor, ReferralFilter(coordinator_id=user.id, overdue=True), limit=SHOWN, now=now)
        waiting = await referrals.list_referrals(
            actor, ReferralFilter(status=(Status.SENT,), coordinator_id=user.id,
                                  overdue=False), limit=SHOWN, now=now)
        await audit.record(actor, "referral.list", "referral", None, {
            "filters": ["coordinator_id", "overdue"],
            "count": len(overdue.items) + len(waiting.items)}, at=now)
        pending = await case_actions.pending_handovers(actor, clock)
        unreferred = await referrals.barriers_without_open_referral(
            actor, coordinator_id=user.id, limit=SHOWN)
        answers = await queries.partner_answers(user.id, user.legal_circle,
                                                now - timedelta(days=7), SHOWN)
        upcoming = await appointment_data.upcoming(actor, user.id, now, SHOWN)
        client_ids = {b.client_id for b in unreferred.items} | {a["client_id"] for a in answers}
        client_ids |= {a["client_id"] for a in upcoming}
        client_ids |= {r.client_id for r in overdue.items + waiting.items}
        names = await queries.client_names(actor, sorted(client_ids))
        failed_emails = await queries.failed_email_count()
        reminders_today = await queries.reminders_due_for(
            user.id, user.legal_circle, end_of_berlin_day(now), SHOWN)
        requests = await data_requests.requests_for_dashboard(
            user.id, user.legal_circle, now - timedelta(days=7))
    return page(request, "dashboard.html", title="Übersicht", my_cases=my_cases,
                overdue=overdue, waiting=waiting, unreferred=unreferred, now=now,
                names=names, failed_emails=failed_emails, answers=answers,
                appointments=upcoming,
                incoming=[h for h in pending if h.to_circle == user.legal_circle],
                outgoing=[h for h in pending if h.from_circle == user.legal_circle],
                reminders_today=reminders_today, data_requests=requests)

ROUTE_HANDLERS = [dashboard]
