"""The reports over HTTP: list, a month's figures as JSON, PDF and CSV downloads, the HTML
page, building a new version; viewers read reports, only staff build them."""

from __future__ import annotations

import csv
import io

from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.reports import actions, service
from network.reports.period import ReportMonth
from tests.support.report_world import build_october

OCTOBER = ReportMonth(2026, 10)
COMMAND = Actor.system("cli.report.build")
SCHEDULER = Actor.system("reports.monthly")


async def built_twice(settings) -> None:
    await build_october(settings.database_url)
    await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    await actions.issue(SCHEDULER, SYSTEM_CLOCK, settings, OCTOBER)


async def test_a_viewer_lists_reports_page_by_page(client, settings, make_user):
    await built_twice(settings)
    viewer = await make_user(role="viewer")
    response = await client.get("/api/v1/reports?limit=1", headers=viewer.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 2 and page["limit"] == 1 and page["offset"] == 0
    [newest] = page["items"]
    assert (newest["month"], newest["version"], newest["issued"]) == ("2026-10", 2, True)
    assert newest["generated_by"] == "scheduler"
    second = (await client.get("/api/v1/reports?limit=1&offset=1",
                               headers=viewer.headers)).json()
    assert second["items"][0]["version"] == 1


async def test_a_viewer_reads_figures_and_downloads_pdf_and_csv(client, settings, make_user):
    await built_twice(settings)
    viewer = await make_user(role="viewer")
    figures = (await client.get("/api/v1/reports/2026-10?version=1",
                                headers=viewer.headers)).json()
    assert figures["report"]["version"] == 1
    assert figures["figures"]["month_label"] == "Oktober 2026"
    [caseload] = [s for s in figures["figures"]["sections"] if s["key"] == "fallzahlen"]
    assert caseload["tables"][0]["column_totals"] == ["5", "< 3", "11"]
    pdf = await client.get("/api/v1/reports/2026-10/pdf", headers=viewer.headers)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "monatsbericht_2026-10_v2.pdf" in pdf.headers["content-disposition"]
    stored = await service.pdf_bytes(await service.find(OCTOBER, 2))
    assert pdf.content == stored
    archive = await client.get("/api/v1/reports/2026-10/csv", headers=viewer.headers)
    assert archive.headers["content-type"] == "application/zip"
    table = await client.get("/api/v1/reports/2026-10/csv/faelle_nach_art",
                             headers=viewer.headers)
    assert table.status_code == 200
    lines = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[-1] == ["Gesamt", "5", "< 3", "11"]
    page = await client.get("/reports/2026-10", headers=viewer.headers)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Monatsbericht Oktober 2026" in page.text and "data:image/png;base64," in page.text
    assert "Zeichenerklärung" in page.text


async def test_the_viewer_sees_reports_and_nothing_else(client, make_user):
    viewer = await make_user(role="viewer")
    assert (await client.get("/api/v1/users", headers=viewer.headers)).status_code == 403
    response = await client.post("/api/v1/reports", json={"month": "2026-10"},
                                 headers=viewer.headers)
    assert response.status_code == 403


async def test_a_coordinator_builds_a_new_version(client, settings, make_user):
    await built_twice(settings)
    coordinator = await make_user(role="coordinator")
    response = await client.post("/api/v1/reports", json={"month": "2026-10"},
                                 headers=coordinator.headers)
    assert response.status_code == 201, response.text
    built = response.json()
    assert (built["version"], built["issued"], built["generated_by"]) == (3, False, "user")
    assert built["generated_by_user_id"] == coordinator.user.id


async def test_it_refuses_a_malformed_month_naming_the_field(client, make_user):
    viewer = await make_user(role="viewer")
    for bad in ("2026-13", "Oktober", "2026-1"):
        response = await client.get(f"/api/v1/reports/{bad}", headers=viewer.headers)
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == "month"
        assert response.json()["errors"][0]["code"] == "month_format"
    missing = await client.get("/api/v1/reports/2026-09", headers=viewer.headers)
    assert missing.status_code == 404
    unknown = await client.get("/api/v1/reports/2026-09/csv/nope", headers=viewer.headers)
    assert unknown.status_code == 404
