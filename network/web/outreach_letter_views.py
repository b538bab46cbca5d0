"""The letter of invitation to a prospect (issue 19): a printable page in the prospect's
language (`network.outreach.letters`, the slip's languages, right to left where the language
is), with the appointment of the latest invitation, the Integration Point's address and the
coordinator who prints it as the contact. Each print is audited by the letters module."""

from __future__ import annotations

from litestar import Request, Response, Router, get
from litestar.params import FromPath

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.outreach import letters
from network.web import referral_queries
from network.web.render import page


@get("/outreach/prospects/{prospect_id:int}/letter", include_in_schema=False)
async def prospect_letter(request: Request, prospect_id: FromPath[int], actor: ActorDep,
                          clock: ClockDep) -> Response:
    letter = await letters.print_letter(actor, clock, prospect_id,
                                        request.query_params.get("sprache"))
    settings = request.app.state.settings
    sender = [line.strip() for line in settings.integration_point_address.split(";")
              if line.strip()]
    contact = None if actor.user_id is None else await referral_queries.user_contact(
        actor.user_id)
    return page(request, "outreach/letter.html", letter=letter, texts=letter.texts,
                languages=letters.languages(), integration_point=settings.integration_point,
                sender_lines=sender, sender_phone=settings.integration_point_phone,
                contact=contact)


ROUTER = Router("/", opt=allow(Role.COORDINATOR), route_handlers=[prospect_letter])
