"""The report as published: sections of tables and charts holding only what may be shown.

Sections compute raw counts in SQL and hand them to `count_table` / `median_table`, which
apply small-cell protection (`suppression.py`) and keep nothing but display strings. The
document is what is frozen as the snapshot's figures JSON and what every output (HTML, PDF,
CSV, the JSON API) is rendered from, so no output can show more than another. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import msgspec

from network.reports.suppression import (
    SECONDARY_DISPLAY,
    Suppression,
    protect_list,
    protect_table,
)

TOTAL_LABEL = "Gesamt"
NOT_SHOWN = SECONDARY_DISPLAY  # a median of fewer cases than the threshold
NO_VALUE = "–"  # a median of nothing (no case at all)
WITHHELD = SECONDARY_DISPLAY  # every cell of a column that could not be protected


class ShownRow(msgspec.Struct, frozen=True):
    label: str
    cells: list[str]
    total: str | None = None  # the row total, when the row's cells add up to something


class ShownTable(msgspec.Struct, frozen=True):
    """A table as printed. `key` names its CSV file; `withheld` when it could not be
    protected at all (every count is then shown as ".")."""

    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[ShownRow]
    column_totals: list[str] | None = None
    grand_total: str | None = None
    note: str | None = None
    withheld: bool = False
    withheld_columns: list[str] = []

    def column(self, name: str) -> list[str]:
        index = self.columns.index(name)
        return [row.cells[index] for row in self.rows]

    def cell(self, row_label: str, column: str) -> str:
        index = self.columns.index(column)
        return next(row.cells[index] for row in self.rows if row.label == row_label)


class Chart(msgspec.Struct, frozen=True):
    """A picture drawn from one table's shown cells: hidden cells are gaps, never bars."""

    key: str
    title: str
    kind: str  # "bar", "barh" or "line"
    table: str  # the key of the table it draws
    columns: list[str]  # which of the table's columns are series


class Section(msgspec.Struct, frozen=True):
    key: str
    title: str
    tables: list[ShownTable]
    charts: list[Chart] = []
    notes: list[str] = []

    def table(self, key: str) -> ShownTable:
        return next(table for table in self.tables if table.key == key)


class ReportDocument(msgspec.Struct, frozen=True):
    integration_point: str
    month: str  # "2026-10"
    month_label: str  # "Oktober 2026"
    period_start: datetime
    period_end: datetime
    min_cell: int
    sections: list[Section]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def table(self, key: str) -> ShownTable:
        return next(table for section in self.sections for table in section.tables
                    if table.key == key)

    def all_tables(self) -> list[ShownTable]:
        return [table for section in self.sections for table in section.tables]


def count_table(
    key: str, title: str, row_header: str, row_labels: Sequence[str], columns: Sequence[str],
    counts: Sequence[Sequence[int]], threshold: int, *, row_totals: bool = True,
    note: str | None = None,
) -> ShownTable:
    """Protect a table of counts and keep only what may be shown.

    With `row_totals` the table is one cross-tabulation (rows x columns with row, column and
    grand totals) and is protected as such. Without, its columns are different measures
    (new / closed / open at month end): their row sums mean nothing and are not printed, so
    each column is protected as a list of its own, with its total."""
    if not row_labels:
        raise ValueError(f"table {key} has no rows")
    if row_totals:
        protected = protect_table([list(row) for row in counts], threshold)
        rows = [ShownRow(label, [cell.display for cell in cells], total.display)
                for label, cells, total in zip(row_labels, protected.cells,
                                               protected.row_totals, strict=True)]
        return ShownTable(
            key=key, title=title, row_header=row_header, columns=list(columns), rows=rows,
            column_totals=[cell.display for cell in protected.column_totals],
            grand_total=protected.total.display, note=note, withheld=protected.withheld)
    shown = [_protected_column([row[j] for row in counts], threshold)
             for j in range(len(columns))]
    rows = [ShownRow(label, [cells[i] for cells, _total in shown])
            for i, label in enumerate(row_labels)]
    withheld = [name for name, (cells, _total) in zip(columns, shown, strict=True)
                if all(cell == WITHHELD for cell in [*cells, _total])]
    return ShownTable(
        key=key, title=title, row_header=row_header, columns=list(columns), rows=rows,
        column_totals=[total for _cells, total in shown], note=note,
        withheld=len(withheld) == len(columns), withheld_columns=withheld)


def _protected_column(values: list[int], threshold: int) -> tuple[list[str], str]:
    """One column's cells and total. A column's total is the same figure in every table
    broken down another way (new cases by circle, by country, ...), so hiding it here would
    protect nothing: when no protection keeps the total shown, the whole column is withheld."""
    protected = protect_list(values, threshold)
    if protected.withheld or protected.total.suppression is Suppression.SECONDARY:
        return [WITHHELD] * len(values), WITHHELD
    return [cell.display for cell in protected.cells], protected.total.display


def median_display(median: float | None, cases: int, threshold: int) -> str:
    """A median is shown only when at least `threshold` cases stand behind it."""
    if cases == 0 or median is None:
        return NO_VALUE
    if cases < threshold:
        return NOT_SHOWN
    return f"{median:.1f}".replace(".", ",")


def median_table(
    key: str, title: str, row_header: str, column: str,
    medians: Sequence[tuple[str, float | None, int]], threshold: int, note: str | None = None,
) -> ShownTable:
    """Rows of (label, median, number of cases behind it); the case counts are not shown."""
    rows = [ShownRow(label, [median_display(median, cases, threshold)])
            for label, median, cases in medians]
    return ShownTable(key=key, title=title, row_header=row_header, columns=[column], rows=rows,
                      note=note)


def shown_number(display: str) -> int | float | None:
    """The number a display string stands for, or None when hidden ("< 3", ".", "–")."""
    text = display.replace(",", ".")
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return None


def encode(document: ReportDocument) -> bytes:
    return msgspec.json.encode(document)


def decode(data: bytes | str) -> ReportDocument:
    return msgspec.json.decode(data, type=ReportDocument)


def as_builtins(document: ReportDocument) -> dict:
    return msgspec.to_builtins(document)
