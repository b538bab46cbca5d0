"""Which months a report covers, and what "issued" and "sent" mean: a future month is refused
(API, page, CLI); the current month's report is provisional and never issued; an issued report
is "sent" only once its email reached the mail server (no recipients: not sent); the report's
page sits in the site with its navigation and a way back; a chart is never empty while its
table has figures."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from network.actors import Actor
from network.clock import SYSTEM_CLOCK, FixedClock
from network.composition import build_mailer
from network.errors import RuleViolation
from network.mail.dispatcher import send_all_due
from network.reports import actions, service
from network.reports.charts import drawn, render_png
from network.reports.document import Chart, count_table
from network.reports.period import ReportMonth, current_month
from tests.support.app import MakeUser, make_settings, serving
from tests.support.cli_process import environment, run
from tests.support.pages import field_error, signed_in
from tests.support.smtp_server import SmtpServer

COMMAND = Actor.system("cli.report.build")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # a Wednesday in November
CLOCK = FixedClock(NOW)
NOVEMBER, DECEMBER, OCTOBER = ReportMonth(2026, 11), ReportMonth(2026, 12), ReportMonth(2026, 10)


@pytest.fixture
async def web(settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(settings, CLOCK) as client:
        yield client


async def test_a_future_month_is_refused_and_nothing_is_stored(
        web: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    with pytest.raises(RuleViolation) as refused:
        await actions.build_version(COMMAND, CLOCK, settings, DECEMBER)
    assert (refused.value.field, refused.value.code) == ("month", "month_in_future")
    coordinator, csrf = await signed_in(web, make_user)
    api = await web.post("/api/v1/reports", json={"month": "2026-12"},
                         headers=coordinator.headers)
    assert api.status_code == 422, api.text
    assert "has not begun" in api.text and '"month"' in api.text
    page = await web.post("/reports", data={"csrf_token": csrf, "month": "2026-12"})
    assert page.status_code == 422
    assert field_error(page.text, "month").startswith("2026-12 hat noch nicht begonnen.")
    assert 'value="2026-12"' in page.text
    assert (await service.list_reports(10, 0))[1] == 0


async def test_the_current_month_is_provisional_and_never_issued(
        web: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    stored = await actions.build_version(COMMAND, CLOCK, settings, NOVEMBER)
    assert stored.provisional and not stored.issued
    with pytest.raises(RuleViolation) as refused:
        await actions.issue_monthly(COMMAND, CLOCK, settings, NOVEMBER)
    assert refused.value.code == "month_not_over"
    october = await actions.build_version(COMMAND, CLOCK, settings, OCTOBER)
    assert not october.provisional  # built after October ended
    viewer = await make_user(role="viewer")
    listed = (await web.get("/api/v1/reports", headers=viewer.headers)).json()["items"]
    assert {item["month"]: item["provisional"] for item in listed} == {
        "2026-11": True, "2026-10": False}
    await signed_in(web, make_user)
    html = (await web.get("/reports")).text
    row = html[html.index(f'id="bericht-{stored.id}"'):html.index(f'id="bericht-{october.id}"')]
    assert "vorläufig" in row
    assert "Vorläufig: erstellt, bevor der Monat zu Ende war" in (
        await web.get("/reports/2026-11")).text
    assert "Vorläufig" not in (await web.get("/reports/2026-10")).text
    pdf = (await web.get("/api/v1/reports/2026-11/pdf")).content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Vorläufig: erstellt, bevor der Monat zu Ende war" in " ".join(text.split())


async def test_issued_without_recipients_is_not_sent(
        web: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    report, queued = await actions.issue_monthly(COMMAND, CLOCK, settings, OCTOBER)
    assert report.issued and queued is None
    await signed_in(web, make_user)
    html = (await web.get("/reports")).text
    row = html[html.index(f'id="bericht-{report.id}"'):html.index("</tr>",
                                                                   html.index("bericht-"))]
    assert "ausgegeben" in row and "nicht versandt" in row and "keine Empfänger" in row
    assert ">versandt<" not in row
    assert "ging an den Beirat" not in html
    [info] = (await web.get("/api/v1/reports")).json()["items"]
    assert info["issued"] and not info["sent"] and info["sent_at"] is None


async def test_issued_with_recipients_is_sent_once_the_server_took_it(
        web: httpx.AsyncClient, make_user: MakeUser, tmp_path: Path, db: str,
        smtp: SmtpServer) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url,
                             REPORT_RECIPIENTS="a@kreis.example, b@kreis.example")
    report, queued = await actions.issue_monthly(COMMAND, CLOCK, settings, OCTOBER)
    assert queued is not None
    await signed_in(web, make_user)
    waiting = (await web.get("/reports")).text
    assert "wird versandt" in waiting and ">versandt<" not in waiting
    await send_all_due(build_mailer(settings), NOW)
    assert len(smtp.messages) == 1
    html = (await web.get("/reports")).text
    row = html[html.index(f'id="bericht-{report.id}"'):]
    assert ">versandt<" in row and "an 2 Empfänger" in row
    [info] = (await web.get("/api/v1/reports")).json()["items"]
    assert info["sent"] and info["sent_at"] is not None


async def test_the_report_page_has_the_sites_navigation_and_a_way_back(
        web: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    await actions.build_version(COMMAND, CLOCK, settings, OCTOBER)
    await signed_in(web, make_user, role="viewer")
    html = (await web.get("/reports/2026-10")).text
    nav = html[html.index("Hauptnavigation"):html.index("</nav>")]
    assert 'href="/reports"' in nav and 'aria-current="page"' in nav
    assert '<a href="/reports">← Alle Berichte</a>' in html
    assert "Monatsbericht Oktober 2026" in html and "Abmelden" in html
    assert (await web.get("/reports/2026-09")).status_code == 404


def test_the_cli_refuses_a_future_month_and_sending_the_current_one_it_builds(
        tmp_path: Path, db: str) -> None:
    env = environment(tmp_path, DATABASE_URL=db, REPORT_RECIPIENTS="a@kreis.example")
    future = str(current_month(SYSTEM_CLOCK.now()).following())
    built = run("report", "build", "--month", future, env=env)
    assert built.returncode != 0 and "has not begun" in built.stderr, built.stderr
    current = str(current_month(SYSTEM_CLOCK.now()))
    sent = run("report", "send", "--month", current, env=env)
    assert sent.returncode != 0 and "is not over" in sent.stderr, sent.stderr
    provisional = run("report", "build", "--month", current, env=env)
    assert provisional.returncode == 0, provisional.stderr
    assert "stored (provisional: the month is not over)" in provisional.stdout


def test_a_chart_whose_cells_are_all_hidden_draws_the_shown_totals() -> None:
    # Each kind of partner got one or two referrals: every cell is "< 3", the totals show.
    table = count_table("vermittlungen", "Vermittlungen", "Art", ["Schule", "Verein", "BAMF"],
                        ["Gesendet", "Angenommen"], [[1, 1], [2, 1], [1, 2]], 3,
                        row_totals=False)
    assert all(cell in ("< 3", ".") for row in table.rows for cell in row.cells)
    chart = Chart("c", "Vermittlungen nach Art", "barh", "vermittlungen",
                  ["Gesendet", "Angenommen"])
    drawn_chart, drawn_table = drawn(chart, table)
    assert [(row.label, row.cells) for row in drawn_table.rows] == [("Gesamt", ["4", "4"])]
    assert drawn_chart.kind == "bar"
    assert render_png(chart, table).startswith(b"\x89PNG")
    shown = count_table("v", "V", "Art", ["Schule", "Verein"], ["Gesendet", "Angenommen"],
                        [[5, 4], [6, 3]], 3, row_totals=False)
    assert drawn(chart, shown) == (chart, shown)  # cells that show are drawn as they are
