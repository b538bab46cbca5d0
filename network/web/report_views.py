"""The monthly reports on the web: every stored version with links to its page, PDF and CSV,
whether the month's issued version was sent, a report inside the site's page (navigation and
a way back), and (for administrators and coordinators) building a new version of a month.
The viewer role sees these pages and nothing else; the overview sends a viewer here."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, Router, get, post
from litestar.params import FromPath, QueryParameter
from markupsafe import Markup

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.clock import Clock
from network.errors import RuleViolation
from network.reports import actions, service
from network.reports.html import downloads, render_body
from network.reports.period import ReportMonth
from network.web import forms, queries
from network.web.render import BERLIN, Form, page, pager, read_form, redirect, with_total

READERS = allow(Role.ADMIN, Role.COORDINATOR, Role.VIEWER)
BUILDERS = allow(Role.ADMIN, Role.COORDINATOR)
Version = Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)]


def last_month(clock: Clock) -> str:
    return str(ReportMonth.of_date(clock.now().astimezone(BERLIN).date()).previous())


async def _list_page(request: Request, clock: Clock, form: Form | None = None,
                     status: int = 200) -> Response:
    paging = pager(request)
    reports, total = await service.list_reports(paging.size, paging.offset)
    deliveries = await service.deliveries(sorted({report.month for report in reports}))
    return page(request, "reports/list.html", status, title="Berichte", reports=reports,
                deliveries=deliveries, pager=with_total(paging, total),
                names=await queries.user_names(),
                may_build=request.user.role in (Role.ADMIN, Role.COORDINATOR),
                form=form or Form({"month": last_month(clock)}))


@get("/reports", opt=READERS, include_in_schema=False)
async def report_list(request: Request, clock: ClockDep) -> Response:
    return await _list_page(request, clock)


@post("/reports", opt=BUILDERS, include_in_schema=False)
async def report_build(request: Request, clock: ClockDep,
                       actor: ActorDep) -> Response:
    values, _ = await read_form(request)
    form = Form(values)
    text = forms.text(form, "month", required=True)
    if text is None:
        return await _list_page(request, clock, form, 422)
    try:
        month = ReportMonth.parse(text, "month")
        report = await actions.build_version(actor, clock, request.app.state.settings, month)
    except RuleViolation as error:
        form.fail("month", error.german)
        return await _list_page(request, clock, form, 422)
    return redirect(f"/reports?monat={month}#bericht-{report.id}", "bericht-erstellt")


@get("/reports/{month:str}", opt=READERS, include_in_schema=False)
async def report_page(request: Request, month: FromPath[str],
                      version: Version = None) -> Response:
    report = await service.find(ReportMonth.parse(month, "month"), version)
    body = await service.page_html(report)  # drawn when the version was built
    if body is None:  # a version built before pages were stored
        body = render_body(await service.figures(report), report.version, report.generated_at,
                           downloads(report.month, report.version))
    return page(request, "reports/page.html", title=f"Monatsbericht {report.month.label}",
                report=report, body=Markup(body))  # rendered autoescaped by the report's Jinja


ROUTER = Router("/", route_handlers=[report_list, report_build, report_page])
