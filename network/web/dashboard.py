"""The start page: what needs the signed-in coordinator's attention today. It shows only what
the domain already records (open cases, unfinished barriers, failed emails); referrals and
reminders join it when those areas exist."""

from __future__ import annotations

from litestar import Request, Response, get

from network.accounts.access import SIGNED_IN, Role, allow
from network.cases import barriers
from network.cases import service as cases
from network.web import queries
from network.web.render import page


@get("/", opt=allow(*SIGNED_IN), include_in_schema=False)
async def dashboard(request: Request) -> Response:
    user = request.user
    if user.role not in (Role.ADMIN, Role.COORDINATOR):
        return page(request, "dashboard.html", title="Übersicht", staff=False)
    my_cases = await cases.list_clients(status="open", coordinator_id=user.id, limit=10)
    my_barriers = await barriers.list_unfinished_barriers(coordinator_id=user.id, limit=10)
    names = await queries.client_names(sorted({b.client_id for b in my_barriers.items}))
    return page(request, "dashboard.html", title="Übersicht", staff=True, my_cases=my_cases,
                my_barriers=my_barriers, names=names,
                failed_emails=await queries.failed_email_count())


ROUTE_HANDLERS = [dashboard]
