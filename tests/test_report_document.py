"""The report's pure parts: months, protected tables, medians (no database)."""

from __future__ import annotations

import pytest

from network.errors import RuleViolation
from network.reports.document import count_table, median_display, shown_number
from network.reports.period import ReportMonth


def test_a_month_reads_like_2026_10_and_nothing_else() -> None:
    assert ReportMonth.parse("2026-10") == ReportMonth(2026, 10)
    assert ReportMonth.parse("2026-10").label == "Oktober 2026"
    for bad in ("2026-13", "2026-00", "26-10", "2026/10", "Oktober", "1999-01"):
        with pytest.raises(RuleViolation) as refused:
            ReportMonth.parse(bad)
        assert refused.value.field == "month"


def test_months_step_across_the_year() -> None:
    assert ReportMonth(2026, 1).previous() == ReportMonth(2025, 12)
    assert ReportMonth(2026, 12).following() == ReportMonth(2027, 1)
    trailing = ReportMonth(2026, 3).trailing(12)
    assert (trailing[0], trailing[-1], len(trailing)) == (
        ReportMonth(2025, 4), ReportMonth(2026, 3), 12)
    assert ReportMonth(2026, 2).last_day.day == 28


def test_a_cross_table_keeps_its_totals() -> None:
    table = count_table("t", "T", "Zeile", ["a", "b"], ["x", "y"], [[5, 6], [7, 8]], 3)
    assert [row.cells for row in table.rows] == [["5", "6"], ["7", "8"]]
    assert [row.total for row in table.rows] == ["11", "15"]
    assert (table.column_totals, table.grand_total) == (["12", "14"], "26")


def test_a_column_whose_total_would_have_to_be_hidden_is_withheld() -> None:
    # 3 and 1 make 4: with the total shown elsewhere, 4 - 3 reveals the 1.
    table = count_table("t", "T", "Zeile", ["a", "b"], ["neu", "offen"], [[3, 5], [1, 4]], 3,
                        row_totals=False)
    assert table.withheld_columns == ["neu"]
    assert table.column("neu") == [".", "."] and table.column_totals == [".", "9"]
    assert table.column("offen") == ["5", "4"]


def test_medians_need_enough_cases() -> None:
    assert median_display(12.25, 3, 3) == "12,2"
    assert median_display(12.0, 2, 3) == "."
    assert median_display(None, 0, 3) == "–"


def test_only_shown_numbers_are_numbers() -> None:
    assert [shown_number(d) for d in ("7", "30,5", "< 3", ".", "–")] == [7, 30.5, None, None,
                                                                          None]
