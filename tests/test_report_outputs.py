"""What the committee gets: a frozen snapshot per version, a PDF whose text can be extracted
(month, headings, figures), charts as pictures, one CSV per table; a PNG of page 1 lands in
tests/artifacts/ for people to look at."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
from pypdf import PdfReader

from network.actors import Actor
from network.clock import SYSTEM_CLOCK, FixedClock
from network.reports import actions, service
from network.reports.period import ReportMonth
from tests.support.report_world import at, build_october

OCTOBER = ReportMonth(2026, 10)
COMMAND = Actor.system("cli.report.build")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
BUILT_AT = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


async def test_the_pdf_carries_the_month_headings_and_figures(pool, settings):
    await build_october(pool)
    stored = await actions.build_version(COMMAND, FixedClock(BUILT_AT), settings, OCTOBER)
    pdf = await service.pdf_bytes(stored)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width == 595.28 or round(reader.pages[0].mediabox.width) == 595
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Monatsbericht Oktober 2026", "Integration Point Kreis Heinsberg",
                     "Fallzahlen", "Hindernisse", "Netzwerk", "Vermittlungen",
                     "Entwicklung der letzten 12",
                     "Fälle nach Art", "Erstellt am 02.11.2026 um 07:00 Uhr, Version 1",
                     "Zeichenerklärung", "Seite 1 von", "Monatsende", "Erstberatung", "< 3"):
        assert expected in text, expected
    assert "11" in text and "30,0" in text  # open cases at month end; median days
    assert f"Seite {len(reader.pages)} von {len(reader.pages)}" in text
    pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == 5  # one chart per section: bars, bars, bars, bars, lines
    ARTIFACTS.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1.5).to_pil()
        image.save(ARTIFACTS / "monthly_report_page1.png")
        assert image.width > 800
        # Not a blank page: the title, the tables and a chart put plenty of dark pixels on it.
        dark = sum(image.convert("L").histogram()[:128])
        assert dark > 5000
    finally:
        document.close()


async def test_every_table_is_a_csv_file_of_the_shown_cells(pool, settings):
    await build_october(pool)
    stored = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    figures = await service.figures(stored)
    with zipfile.ZipFile(io.BytesIO(await service.csv_zip_bytes(stored))) as archive:
        names = set(archive.namelist())
        assert names == {f"bericht_2026-10_{table.key}.csv" for table in figures.all_tables()}
        text = archive.read("bericht_2026-10_faelle_nach_art.csv").decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines == [
        ["Art des Falls", "Neu im Monat", "Abgeschlossen im Monat", "Offen am Monatsende"],
        ["Erstberatung", "< 3", "< 3", "8"],
        ["Programmteilnahme", ".", "0", "3"],
        ["Gesamt", "5", "< 3", "11"],
    ]


async def test_a_new_version_leaves_the_stored_one_as_it_was(pool, settings):
    await build_october(pool)
    first = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    first_pdf = await service.pdf_bytes(first)
    first_figures = await service.figures(first)
    # A late correction: one more enrolment in October, then the report is built again.
    from network.cases.values import CaseKind
    from tests.support.report_world import client
    await client("Late", at(10, 30), [], case_kind=CaseKind.ENROLLED)
    second = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    assert (first.version, second.version) == (1, 2)
    assert not first.issued and not second.issued
    assert await service.pdf_bytes(await service.find(OCTOBER, 1)) == first_pdf
    assert await service.figures(await service.find(OCTOBER, 1)) == first_figures
    assert (await service.find(OCTOBER)).version == 2
    assert (await service.figures(second)).table("faelle_nach_art").column_totals[0] == "6"
    reports, total = await service.list_reports(10, 0)
    assert total == 2 and [report.version for report in reports] == [2, 1]
