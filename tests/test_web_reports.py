"""The reports on the web pages (in process): the "Berichte" entry for every role that reads
reports, the list of stored versions with links to page, PDF and CSV, building a new version
(administrators and coordinators), and the viewer who sees reports and nothing else."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest

from network.accounts import audit
from network.actors import Actor
from network.clock import SYSTEM_CLOCK, FixedClock
from network.reports import actions, service
from network.reports.period import ReportMonth
from network.settings import Settings
from network.web.report_views import last_month
from tests.support.app import MakeUser
from tests.support.pages import field_error, signed_in

OCTOBER = ReportMonth(2026, 10)
COMMAND = Actor.system("cli.report.build")


async def test_a_viewer_is_sent_to_the_reports_and_sees_only_them(
        client: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    viewer = await make_user(role="viewer")
    signed = await client.post("/login", data={"email": viewer.email,
                                               "password": viewer.password, "weiter": "/"})
    assert signed.status_code == 303
    overview = await client.get(signed.headers["location"])
    assert overview.headers["location"] == "/reports"
    html = (await client.get("/reports")).text
    nav = html[html.index("Hauptnavigation"):html.index("</nav>")]
    assert 'href="/reports"' in nav and 'aria-current="page"' in nav
    for hidden in ("/clients", "/referrals", "/partners", "/admin"):
        assert f'href="{hidden}"' not in nav
    assert "Bericht 2026-10 (Fassung 1) ansehen" in html
    assert 'href="/api/v1/reports/2026-10/pdf?version=1"' in html
    assert 'href="/api/v1/reports/2026-10/csv?version=1"' in html
    assert "Bericht erstellen" not in html  # viewers read, they do not build
    assert (await client.get("/reports/2026-10?version=1")).status_code == 200
    pdf = await client.get("/api/v1/reports/2026-10/pdf?version=1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    for path in ("/clients", "/referrals", "/partners", "/clients/new"):
        assert (await client.get(path)).status_code == 403, path
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    refused = await client.post("/reports", data={"csrf_token": csrf, "month": "2026-10"})
    assert refused.status_code == 403
    assert (await service.list_reports(10, 0))[1] == 1


async def test_staff_see_the_reports_entry_and_an_empty_list_says_so(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    for role in ("coordinator", "admin"):
        await signed_in(client, make_user, role=role)
        html = (await client.get("/reports")).text
        nav = html[html.index("Hauptnavigation"):html.index("</nav>")]
        assert 'href="/reports"' in nav
        assert ('href="/clients"' in nav) is (role == "coordinator")  # admins: no cases
        assert "Noch kein Monatsbericht" in html and "Bericht erstellen" in html


async def test_a_coordinator_builds_a_new_version_and_bad_months_are_refused(
        client: httpx.AsyncClient, make_user: MakeUser, settings) -> None:
    await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    made, csrf = await signed_in(client, make_user)
    refused = await client.post("/reports", data={"csrf_token": csrf, "month": "Oktober"})
    assert refused.status_code == 422
    assert field_error(refused.text, "month") == "Bitte einen Monat wie 2026-10 angeben."
    assert 'value="Oktober"' in refused.text  # nothing typed is lost
    empty = await client.post("/reports", data={"csrf_token": csrf, "month": ""})
    assert field_error(empty.text, "month") == "Bitte ausfüllen."
    built = await client.post("/reports", data={"csrf_token": csrf, "month": "2026-10"})
    assert built.status_code == 303
    reports, total = await service.list_reports(10, 0)
    assert total == 2 and reports[0].version == 2
    assert reports[0].generated_by_user_id == made.user.id
    html = (await client.get(built.headers["location"])).text
    assert "Eine neue Fassung des Monatsberichts ist erstellt." in html
    assert "Bericht 2026-10 (Fassung 2) ansehen" in html and made.user.display_name in html
    by_user = audit.AuditFilter(action="report.built", actor_id=made.user.id)
    entries, _ = await audit.entries(by_user, 10, 0)
    assert len(entries) == 1


def test_the_month_offered_for_building_is_last_month_by_the_clock_in_berlin() -> None:
    assert last_month(FixedClock(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))) == "2026-10"
    # 00:30 on 1 December in Berlin: November is last month there already.
    assert last_month(FixedClock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))) == "2026-11"


async def test_the_report_page_is_the_version_stored_at_build_time(
        client: httpx.AsyncClient, make_user: MakeUser, settings: Settings, db: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Showing a report reads the page drawn when the version was built, with the same chart
    pictures as its PDF: no chart is drawn per view."""
    import asyncpg

    from network.reports import charts

    clock = FixedClock(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    stored = await actions.build_version(Actor.system("tests"), clock, settings,
                                         ReportMonth.parse("2026-10"))
    connection = await asyncpg.connect(db)
    try:
        body = await connection.fetchval("SELECT page_html FROM reports WHERE id = $1",
                                         stored.id)
    finally:
        await connection.close()
    assert body.count("data:image/png;base64,") == 5
    assert "/api/v1/reports/2026-10/pdf?version=1" in body

    def no_drawing(*args: object) -> None:
        raise AssertionError("a chart drawn while showing the page")

    monkeypatch.setattr(charts, "chart_images", no_drawing)
    monkeypatch.setattr(charts, "render_png", no_drawing)
    await signed_in(client, make_user, role="viewer")
    shown = await client.get("/reports/2026-10")
    assert shown.status_code == 200
    assert body in shown.text
