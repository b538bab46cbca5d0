"""The report's outreach section on a hand-built May 2026 (NRW holidays on 1, 14 and 25 May):
prospects added, first contacted, converted and parked in the month by legal circle, small
counts protected as everywhere ("< 3", and "." where a small count could be worked out),
and the median working days from being added to the first contact; in HTML, PDF and CSV.

Every prospect below and its working days to the first contact:
  SGB II  p1 added Mon 4.5., contact Thu 7.5.  -> 5, 6, 7         = 3
          p2 added Tue 12.5., contact Mon 18.5. -> 13, 15, 18      = 3 (14.5. Ascension)
          p3 added Thu 30.4., contact Mon 4.5.  -> 4               = 1 (1.5. a holiday)
          p4 added Fri 22.5., contact Fri 29.5. -> 26, 27, 28, 29  = 4 (25.5. Whit Monday)
          p6 added Wed 6.5., contact Fri 8.5.   -> 7, 8            = 2, converted 26.5.
  SGB III q1 added Tue 5.5., contact Wed 6.5.   -> 6               = 1
          q2 added Tue 5.5., contact Mon 11.5.  -> 6, 7, 8, 11     = 4
          q7 added Mon 4.5., contact Tue 5.5.   -> 5               = 1 (erased since)
Medians: SGB II 3; SGB III 1; all eight 2.5 (1 1 1 2 | 3 3 4 4)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from pypdf import PdfReader

from network.actors import Actor
from network.clock import BERLIN, SYSTEM_CLOCK
from network.reports import actions, service
from network.reports.document import ReportDocument
from network.reports.html import render_html
from network.reports.period import ReportMonth
from tests.support.app import make_settings
from tests.support.outreach_rows import prospect

MAY = ReportMonth(2026, 5)
COMMAND = Actor.system("cli.report.build")
SGB2, SGB3 = "SGB II (Jobcenter)", "SGB III (Agentur für Arbeit)"


def berlin(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def day(month: int, day: int) -> datetime:
    """A first contact as the outreach actions keep it: the Berlin midnight of its day."""
    return berlin(month, day, 0)


async def build_may() -> None:
    sgb2 = {"legal_circle": "sgb2"}
    sgb3 = {"legal_circle": "sgb3"}
    # SGB II: six added in May (p1, p2, p4, p5, p6, x2), five first contacted, one
    # converted, four parked (p5 and three from April).
    await prospect(berlin(5, 4), first_contact_at=day(5, 7), **sgb2)  # p1
    await prospect(berlin(5, 12), first_contact_at=day(5, 18), **sgb2)  # p2
    await prospect(berlin(4, 30), first_contact_at=day(5, 4), **sgb2)  # p3
    await prospect(berlin(5, 22), first_contact_at=day(5, 29), **sgb2)  # p4
    await prospect(berlin(5, 20), status="parked", parked_at=berlin(5, 28),
                   park_reason="no_contact", **sgb2)  # p5
    await prospect(berlin(5, 6), first_contact_at=day(5, 8), status="converted",
                   converted_at=berlin(5, 26), **sgb2)  # p6
    for added in (berlin(4, 2), berlin(4, 9), berlin(4, 16)):
        await prospect(added, status="parked", parked_at=berlin(5, 15, 14),
                       park_reason="no_contact", **sgb2)
    await prospect(berlin(6, 1, 0, 30), first_contact_at=day(6, 1), **sgb2)  # x1: June
    await prospect(berlin(5, 1, 0, 30), **sgb2)  # x2: May, half past midnight
    await prospect(berlin(3, 2), first_contact_at=day(4, 30), **sgb2)  # contacted in April
    # SGB III: six added (q1, q2, q3, q4, q5, q7), three first contacted, four converted
    # (three walk-ins and q8 from April), one parked (q6, added in March).
    await prospect(berlin(5, 5), first_contact_at=day(5, 6), **sgb3)  # q1
    await prospect(berlin(5, 5), first_contact_at=day(5, 11), **sgb3)  # q2
    for added in (berlin(5, 7), berlin(5, 8), berlin(5, 11)):  # q3, q4, q5
        await prospect(added, source="walk_in", status="converted",
                       converted_at=added, **sgb3)
    await prospect(berlin(3, 1), status="parked", parked_at=berlin(5, 15),
                   park_reason="declined", **sgb3)  # q6
    await prospect(berlin(5, 4), first_contact_at=day(5, 5), first_name=None, last_name=None,
                   erased_at=berlin(11, 30), **sgb3)  # q7: erased by retention since
    await prospect(berlin(4, 20), status="converted", converted_at=berlin(5, 4),
                   **sgb3)  # q8


def shown(document: ReportDocument, key: str) -> dict[str, list[str]]:
    return {row.label: row.cells for row in document.table(key).rows}


@pytest.fixture
async def may(pool, settings) -> ReportDocument:
    await build_may()
    return await service.gather(settings, MAY)


async def test_the_section_follows_the_caseload(may):
    keys = [section.key for section in may.sections]
    assert keys[:2] == ["fallzahlen", "erstansprache"]
    assert [table.key for table in may.section("erstansprache").tables] == [
        "erstansprache_im_monat", "erstansprache_wartezeit"]


async def test_it_counts_added_contacted_converted_and_parked_with_small_cells_protected(may):
    table = may.table("erstansprache_im_monat")
    assert table.columns == ["Neu erfasst", "Erster Kontakt", "In einen Fall übernommen",
                             "Geparkt"]
    # converted: 1 and 4 (total 5) -> "< 3" and "." (it could be 2 and 3);
    # parked: 4 and 1 (total 5) -> "." and "< 3".
    assert shown(may, "erstansprache_im_monat") == {SGB2: ["6", "5", "< 3", "."],
                                                     SGB3: ["6", "3", ".", "< 3"]}
    assert table.column_totals == ["12", "8", "5", "5"]


async def test_median_working_days_from_adding_to_the_first_contact(may):
    assert shown(may, "erstansprache_wartezeit") == {
        "Alle Rechtskreise": ["2,5"], SGB2: ["3,0"], SGB3: ["1,0"]}


async def test_a_median_of_fewer_than_the_threshold_is_not_shown(pool, tmp_path):
    await build_may()
    stricter = make_settings(tmp_path, DATABASE_URL=pool, REPORT_MIN_CELL="4")
    document = await service.gather(stricter, MAY)
    assert shown(document, "erstansprache_wartezeit") == {
        "Alle Rechtskreise": ["2,5"], SGB2: ["3,0"], SGB3: ["."]}  # three people only
    assert shown(document, "erstansprache_im_monat")[SGB3][1] == "< 4"


async def test_an_empty_month_has_an_empty_outreach_section(pool, settings):
    document = await service.gather(settings, MAY)
    assert document.table("erstansprache_im_monat").column_totals == ["0"] * 4
    assert shown(document, "erstansprache_wartezeit") == {"Alle Rechtskreise": ["–"]}


async def test_the_section_is_in_the_pdf_the_html_and_the_csv_files(pool, settings):
    await build_may()
    stored = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, MAY)
    reader = PdfReader(io.BytesIO(await service.pdf_bytes(stored)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Erstansprache", "Erstansprache im Monat", "Neu erfasst",
                     "Arbeitstage von der Erfassung bis zum ersten Kontakt (Median)",
                     "Alle Rechtskreise 2,5", "6 5 < 3 .", "6 3 . < 3", "12 8 5 5"):
        assert expected in text, expected
    figures = await service.figures(stored)
    page = render_html(figures, stored.version, stored.generated_at, downloads={})
    assert "Erstansprache im Monat" in page and "Alle Rechtskreise" in page
    with zipfile.ZipFile(io.BytesIO(await service.csv_zip_bytes(stored))) as archive:
        counts = archive.read("bericht_2026-05_erstansprache_im_monat.csv").decode("utf-8-sig")
        medians = archive.read("bericht_2026-05_erstansprache_wartezeit.csv").decode(
            "utf-8-sig")
    lines = list(csv.reader(io.StringIO(counts), delimiter=";"))
    assert lines == [["Rechtskreis", "Neu erfasst", "Erster Kontakt",
                      "In einen Fall übernommen", "Geparkt"],
                     [SGB2, "6", "5", "< 3", "."], [SGB3, "6", "3", ".", "< 3"],
                     ["Gesamt", "12", "8", "5", "5"]]
    assert list(csv.reader(io.StringIO(medians), delimiter=";")) == [
        ["Rechtskreis", "Median (Arbeitstage)"], ["Alle Rechtskreise", "2,5"],
        [SGB2, "3,0"], [SGB3, "1,0"]]
