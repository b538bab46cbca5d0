"""The monthly report's figures: a hand-built October 2026 whose every figure is known,
small-cell protection in every table, Berlin month boundaries across the DST switch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from network.reports import service
from network.reports.document import ReportDocument
from network.reports.period import ReportMonth
from tests.support.app import make_settings
from tests.support.report_world import build_october

OCTOBER = ReportMonth(2026, 10)


def rows(document: ReportDocument, key: str) -> dict[str, list[str]]:
    """A table as {row label: cells}, leaving out rows that are all zeros."""
    table = document.table(key)
    return {row.label: row.cells for row in table.rows if set(row.cells) != {"0"}}


@pytest.fixture
async def october(pool, settings) -> ReportDocument:
    await build_october(pool)
    return await service.gather(settings, OCTOBER)


async def test_the_month_runs_from_berlin_midnight_to_berlin_midnight_across_dst(october):
    # October 2026 starts in summer time (UTC+2) and ends in winter time (UTC+1).
    assert october.period_start == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)
    assert october.period_end == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert october.month_label == "Oktober 2026"


async def test_it_counts_cases_by_kind_and_protects_small_cells(october):
    # New: 2 first consultations (00:30 Berlin on 1 Oct, 23:30 Berlin on 31 Oct) and 3
    # enrolments; closed: 1; open at month end: 8 and 3. The total 5 would give away the
    # enrolments' 3 next to a "< 3", so that 3 is hidden too.
    table = october.table("faelle_nach_art")
    assert rows(october, "faelle_nach_art") == {
        "Erstberatung": ["< 3", "< 3", "8"],
        "Programmteilnahme": [".", "0", "3"],
    }
    assert table.column_totals == ["5", "< 3", "11"]
    assert all(row.total is None for row in table.rows)  # new + closed + open means nothing


async def test_it_breaks_cases_down_by_circle_country_age_and_gender(october):
    assert rows(october, "faelle_nach_rechtskreis") == {
        "SGB II (Jobcenter)": [".", "< 3", "."],
        "SGB III (Agentur für Arbeit)": ["< 3", "0", "< 3"],
    }
    assert rows(october, "faelle_nach_alter") == {
        "unter 25 Jahre": ["< 3", "0", "< 3"],
        "25 Jahre und älter": [".", "< 3", "."],
    }
    # Open cases by country: Syria 8 hidden because the three small countries and the total
    # 11 would give it away. New cases by country cannot be protected without hiding their
    # total, which every other table shows as 5: that column is withheld.
    herkunft = october.table("faelle_nach_herkunft")
    assert herkunft.column("Offen am Monatsende") == [".", "< 3", "< 3", "< 3", "0"]
    assert [row.label for row in herkunft.rows] == [
        "Syrien", "Eritrea", "Iran", "Afghanistan", "Übrige Länder"]
    assert herkunft.column_totals == [".", "< 3", "11"]
    assert herkunft.withheld_columns == ["Neu im Monat"]
    assert set(herkunft.column("Neu im Monat")) == {"."}
    geschlecht = october.table("faelle_nach_geschlecht")
    assert geschlecht.column("Offen am Monatsende") == ["8", "< 3", "< 3", "0"]
    assert geschlecht.column_totals[2] == "11"


async def test_closed_cases_by_outcome(october):
    assert rows(october, "faelle_abschluss") == {"Arbeitsaufnahme": ["< 3"]}
    assert october.table("faelle_abschluss").column_totals == ["< 3"]


async def test_it_counts_barriers_from_their_history(october):
    # Language: 2 opened, 3 resolved, 2 open (one resolved at 00:30 Berlin on 1 November is
    # still open at the end of October). Housing: one resolved and reopened, one resolved.
    assert rows(october, "hindernisse_nach_art") == {
        "Sprache": ["< 3", ".", "0", "< 3"],
        "Gesundheit": ["< 3", "0", "0", "< 3"],
        "Wohnen": ["0", "< 3", "0", "< 3"],
        "Dokumente": ["0", "0", "< 3", "0"],
    }
    assert october.table("hindernisse_nach_art").column_totals == ["3", "5", "< 3", "4"]


async def test_medians_of_fewer_cases_than_the_threshold_are_not_shown(october):
    # Resolved after 17, 20, 30, 35 and 40 days; language's 20, 30, 40 -> 30; housing has 2.
    assert rows(october, "hindernisse_dauer") == {
        "Alle Arten": ["30,0"], "Sprache": ["30,0"], "Wohnen": ["."]}


async def test_it_counts_the_network_by_kind(october):
    table = october.table("partner_nach_art")
    active = dict(zip([row.label for row in table.rows], table.column("Aktiv am Monatsende"),
                      strict=True))
    assert {label: cell for label, cell in active.items() if cell != "0"} == {
        "BAMF": "< 3", "Verein / Verband": "3", "Kursträger": "."}
    assert set(table.column("Neu im Monat")) == {"."}
    # Active: 4 + 1 + 3 = 8 (the deactivated association and November's health office are
    # not). New: BAMF 1 and associations 3 make 4, and 4 - 3 would reveal the 1: withheld.
    assert table.column_totals == ["8", "."]
    assert table.withheld_columns == ["Neu im Monat"]


async def test_the_trend_covers_twelve_berlin_months(october):
    table = october.table("entwicklung_12_monate")
    assert [row.label for row in table.rows][0] == "November 2025"
    # September holds the case opened at 23:30 Berlin on 30 September; November's 00:30
    # case is not in October. Referrals: see tests/test_report_referrals.py.
    assert rows(october, "entwicklung_12_monate") == {
        "September 2026": ["8", "< 3", "0"], "Oktober 2026": ["5", ".", "5"]}
    assert table.column_totals == ["13", "14", "5"]


async def test_november_gets_what_happened_at_half_past_midnight_on_the_first(pool, settings):
    await build_october(pool)
    november = await service.gather(settings, ReportMonth(2026, 11))
    assert november.period_start == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert november.table("entwicklung_12_monate").rows[-1].cells == ["< 3", "< 3", "< 3"]
    assert november.table("faelle_nach_art").column_totals[0] == "< 3"


async def test_the_threshold_comes_from_the_settings(pool, tmp_path):
    await build_october(pool)
    strict = make_settings(tmp_path, DATABASE_URL=pool, REPORT_MIN_CELL="5")
    document = await service.gather(strict, OCTOBER)
    assert document.min_cell == 5
    assert document.table("faelle_nach_art").column_totals == ["5", "< 5", "11"]
    assert rows(document, "hindernisse_dauer")["Sprache"] == ["."]  # 3 cases < 5


async def test_an_empty_month_is_a_report_of_zeros(pool, settings):
    document = await service.gather(settings, OCTOBER)
    assert document.table("faelle_nach_art").column_totals == ["0", "0", "0"]
    assert rows(document, "hindernisse_dauer") == {"Alle Arten": ["–"]}


async def test_every_shown_figure_is_zero_or_at_least_the_threshold(october):
    for table in october.all_tables():
        for row in table.rows:
            for cell in [*row.cells, *(table.column_totals or [])]:
                if cell.isdigit():
                    assert cell == "0" or int(cell) >= october.min_cell, (table.key, cell)
