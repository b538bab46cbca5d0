"""The report's referral section on the hand-built October 2026
(tests/support/report_world.py): every cell known, small counts shown as "< 3", a total that
would give one away hidden behind ".", working days to the first answer on Berlin dates without
NRW holidays, and the section in the HTML page, the PDF and the CSV files."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import asyncpg
import pytest
from pypdf import PdfReader

from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.reminders.policy import NRW
from network.reports import actions, service
from network.reports.document import ReportDocument
from network.reports.html import render_html
from network.reports.period import ReportMonth
from tests.support.report_world import add_referrals, build_october

OCTOBER = ReportMonth(2026, 10)
COMMAND = Actor.system("cli.report.build")
NOVEMBER = ReportMonth(2026, 11)


def shown(document: ReportDocument, key: str) -> dict[str, list[str]]:
    """A table as {row label: cells}, leaving out rows that are all zeros."""
    return {row.label: row.cells for row in document.table(key).rows
            if set(row.cells) != {"0"}}


@pytest.fixture
async def october(pool, settings) -> ReportDocument:
    await build_october(pool)
    return await service.gather(settings, OCTOBER)


async def test_the_section_comes_before_the_trend(october):
    keys = [section.key for section in october.sections]
    assert keys[-2:] == ["vermittlungen", "entwicklung"]
    assert [table.key for table in october.section("vermittlungen").tables] == [
        "vermittlungen_nach_partnerart", "vermittlungen_ablehnungsgruende",
        "vermittlungen_antwortzeit", "vermittlungen_nachverfolgung", "partner_ohne_antwort"]


async def test_it_counts_referrals_sent_and_decided_by_partner_kind(october):
    # Sent in October: course providers 6 (one at 00:30 Berlin on 1 October, 30 September in
    # UTC), associations 4, BAMF 2; November's 00:30 referral is not October's. The total 12
    # less 6 and 4 would reveal the BAMF's 2: the associations' 4 is hidden too.
    # Accepted: 3 + 1 + 2 = 6 (the 00:30 acceptance on 1 November is November's); declined:
    # 2 + 1 = 3; expired: 1 (the deactivated association).
    table = october.table("vermittlungen_nach_partnerart")
    assert table.columns == ["Gesendet", "Angenommen", "Abgelehnt", "Abgelaufen"]
    assert shown(october, "vermittlungen_nach_partnerart") == {
        "BAMF": ["< 3", "< 3", "0", "0"],
        "Verein / Verband": [".", "< 3", "< 3", "< 3"],
        "Kursträger": ["6", "3", "< 3", "0"],
    }
    assert table.column_totals == ["12", "6", "3", "< 3"]
    assert table.withheld_columns == [] and all(row.total is None for row in table.rows)
    assert len(table.rows) == 15  # every partner kind, zeros too


async def test_declines_are_counted_by_reason_in_german(october):
    table = october.table("vermittlungen_ablehnungsgruende")
    assert [row.label for row in table.rows] == [
        "Keine freien Plätze / keine Kapazität", "Voraussetzungen nicht erfüllt",
        "Gehört nicht zu unserem Angebot", "Person nicht erreichbar", "Anderer Grund"]
    assert shown(october, "vermittlungen_ablehnungsgruende") == {
        "Keine freien Plätze / keine Kapazität": ["< 3"],
        "Voraussetzungen nicht erfüllt": ["< 3"],
    }
    assert table.column_totals == ["3"]  # the same 3 as the declined column


async def test_median_working_days_to_the_first_answer(october):
    # Course providers 3, 2 (Berlin dates: sent on 1 October), 5, 1, 5 -> 3; associations
    # 1, 2 and the BAMF 5, 2 are fewer than 3 cases; all nine -> 2. The acceptance at 00:30
    # Berlin on 1 November and the BAMF's later "in progress" are no first answers in October.
    assert shown(october, "vermittlungen_antwortzeit") == {
        "Alle Arten": ["2,0"], "BAMF": ["."], "Verein / Verband": ["."],
        "Kursträger": ["3,0"]}
    assert october.table("vermittlungen_antwortzeit").columns == ["Median (Arbeitstage)"]


async def test_reminders_escalations_and_overdue_referrals_at_month_end(october):
    # Partner reminders sent in October: course providers 4, associations 2, BAMF 1 (pending,
    # cancelled and September's do not count, nor the system's expiry); one escalation.
    # Overdue at the end of October: the course providers' referral of 20 October and the one
    # answered at 00:30 on 1 November, the associations' of 27 October; the one of
    # 29 October is due on 3 November.
    table = october.table("vermittlungen_nachverfolgung")
    assert table.columns == ["Erinnerungen", "Eskalationen", "Überfällig am Monatsende"]
    assert shown(october, "vermittlungen_nachverfolgung") == {
        "BAMF": ["< 3", "0", "0"],
        "Verein / Verband": ["< 3", "< 3", "< 3"],
        "Kursträger": ["4", "0", "< 3"],
    }
    assert table.column_totals == ["7", "< 3", "3"]


async def test_partners_who_never_answered(october):
    # The deactivated association (its referral expired) and one October association; the
    # health office's first referral is November's.
    assert shown(october, "partner_ohne_antwort") == {"Verein / Verband": ["< 3"]}
    assert october.table("partner_ohne_antwort").column_totals == ["< 3"]


async def test_the_trend_has_a_referral_series(october):
    # 2 referrals in September, 12 in October: 14 less "< 3" would give September's 2 away.
    table = october.table("entwicklung_12_monate")
    assert table.columns == ["Neue Fälle", "Vermittlungen", "Gelöste Hindernisse"]
    assert shown(october, "entwicklung_12_monate") == {
        "September 2026": ["8", "< 3", "0"], "Oktober 2026": ["5", ".", "5"]}
    assert table.column_totals == ["13", "14", "5"]
    chart = october.section("entwicklung").charts[0]
    assert chart.columns == ["Neue Fälle", "Vermittlungen", "Gelöste Hindernisse"]


async def test_november_gets_the_referral_and_the_answer_of_half_past_midnight(pool, settings):
    await build_october(pool)
    november = await service.gather(settings, NOVEMBER)
    assert shown(november, "vermittlungen_nach_partnerart") == {
        "Gesundheitsamt": ["< 3", "0", "0", "0"], "Kursträger": ["0", "< 3", "0", "0"]}
    # The 1 November acceptance came 4 working days after Monday 26 October (one case).
    assert shown(november, "vermittlungen_antwortzeit") == {
        "Alle Arten": ["."], "Kursträger": ["."]}
    assert november.table("vermittlungen_nachverfolgung").column_totals == ["0", "0", "4"]
    assert shown(november, "partner_ohne_antwort") == {
        "Gesundheitsamt": ["< 3"], "Verein / Verband": ["< 3"]}
    assert november.table("partner_ohne_antwort").column_totals == ["3"]


async def test_working_days_leave_out_nrw_holidays(pool, settings):
    # Wednesday 23 December -> Monday 28 December: Thursday 24th and Monday 28th; Christmas
    # Day (Friday) is a holiday in NRW, so 2, where weekdays alone would give 3.
    await build_october(pool)
    sent, answered = datetime(2026, 12, 23, 9, tzinfo=UTC), datetime(2026, 12, 28, 9, tzinfo=UTC)
    assert NRW.working_days_between(sent, answered) == 2
    connection = await asyncpg.connect(pool)
    try:
        await add_referrals(connection, [
            (f"D{n}", f"K{n}", sent, [("declined", answered, "other")], []) for n in range(3)])
    finally:
        await connection.close()
    december = await service.gather(settings, ReportMonth(2026, 12))
    assert shown(december, "vermittlungen_antwortzeit") == {
        "Alle Arten": ["2,0"], "Kursträger": ["2,0"]}
    assert shown(december, "vermittlungen_ablehnungsgruende") == {"Anderer Grund": ["3"]}


async def test_an_empty_month_has_an_empty_referral_section(pool, settings):
    document = await service.gather(settings, OCTOBER)
    assert document.table("vermittlungen_nach_partnerart").column_totals == ["0"] * 4
    assert shown(document, "vermittlungen_antwortzeit") == {"Alle Arten": ["–"]}
    assert document.table("partner_ohne_antwort").column_totals == ["0"]


async def test_the_section_is_in_the_pdf_the_html_and_the_csv_files(pool, settings):
    await build_october(pool)
    stored = await actions.build_version(COMMAND, SYSTEM_CLOCK, settings, OCTOBER)
    reader = PdfReader(io.BytesIO(await service.pdf_bytes(stored)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in ("Vermittlungen", "Vermittlungen nach Art des Partners",
                    "Ablehnungen nach Grund", "Arbeitstage bis zur ersten Antwort",
                    "Erinnerungen, Eskalationen und überfällige Vermittlungen",
                    "Partner, die nie geantwortet haben", "Überfällig am",
                    "Keine freien Plätze", "Kursträger 4 0 < 3", "Kursträger 6 3 < 3 0",
                    "Verein / Verband . < 3 < 3 < 3"):
        assert heading in text, heading  # long column headers wrap in the PDF
    figures = await service.figures(stored)
    page = render_html(figures, stored.version, stored.generated_at, downloads={})
    assert "Partner, die nie geantwortet haben" in page and "Abgelaufen" in page
    with zipfile.ZipFile(io.BytesIO(await service.csv_zip_bytes(stored))) as archive:
        text = archive.read("bericht_2026-10_vermittlungen_nach_partnerart.csv").decode(
            "utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == ["Art des Partners", "Gesendet", "Angenommen", "Abgelehnt",
                        "Abgelaufen"]
    assert ["Verein / Verband", ".", "< 3", "< 3", "< 3"] in lines
    assert lines[-1] == ["Gesamt", "12", "6", "3", "< 3"]
