"""The report's sections, in print order. Each is a module with one
`async def build(scope) -> Section` that computes its counts in SQL (aggregates only, run
through `network.reports.queries` in the report's snapshot transaction) and protects them
through `document.count_table` / `document.median_table`.

A new section is one more module in `network.reports.service.SECTIONS`: the HTML, PDF, CSV
and JSON outputs render whatever sections the document holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from network.reports.period import ReportMonth

TREND_MONTHS = 12


@dataclass(frozen=True)
class Scope:
    """What every section needs: the month, its UTC bounds and the small-cell threshold."""

    month: ReportMonth
    start: datetime
    end: datetime
    min_cell: int

    @classmethod
    def of(cls, month: ReportMonth, min_cell: int) -> Scope:
        start, end = month.bounds()
        return cls(month, start, end, min_cell)


def median_rows(rows: list[asyncpg.Record], vocabulary: dict[str, str],
                overall_label: str = "Alle Arten") -> list[tuple[str, float | None, int]]:
    """(label, median, cases) for `median_table` from a GROUPING SETS ((kind), ()) query with
    columns kind, overall, median_days, cases: the overall row first, then the kinds that
    have cases, in the vocabulary's order."""
    overall = next((row for row in rows if row["overall"]), None)
    by_kind = {row["kind"]: row for row in rows if not row["overall"]}
    return [(overall_label, overall and overall["median_days"],
             overall["cases"] if overall else 0)] + [
        (label, by_kind[kind]["median_days"], by_kind[kind]["cases"])
        for kind, label in vocabulary.items() if kind in by_kind]
