"""The report's sections, in print order. Each is a module with one
`async def build(connection, scope) -> Section` that computes its counts in SQL (aggregates
only) and protects them through `document.count_table` / `document.median_table`.

A new section (referrals, when that domain lands) is one more module in SECTIONS: the HTML,
PDF, CSV and JSON outputs render whatever sections the document holds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from network.reports.document import Section
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


SectionBuilder = Callable[[asyncpg.Connection, Scope], Awaitable[Section]]


def builders() -> list[SectionBuilder]:
    from network.reports.sections import barriers, caseload, partners, trend

    return [caseload.build, barriers.build, partners.build, trend.build]
