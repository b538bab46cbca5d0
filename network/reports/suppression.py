"""Small-cell protection for report tables: no refugee may be identifiable from the report.

Primary suppression: a count from 1 to threshold-1 is shown as "< 3" (threshold 3 by default);
zero is shown. Secondary suppression: other cells (and, only if needed, totals) are hidden as "."
so that no hidden count can be worked out from the row totals, column totals, the grand total and
the shown cells.

What the reader is assumed to know: these rules. So a "< 3" cell is 1..threshold-1, a "." cell is
at least the threshold (zeros are never hidden), and every shown number and margin holds. A hidden
cell counts as protected only when we can exhibit a second table, consistent with everything
shown and with those ranges, in which the cell has another value. Such a second table is found
as a cycle of +1/-1 changes through hidden cells that keeps every row and column sum (see
`_cheapest_cover`); the cheapest such cycle tells which further cells to hide. When no cycle
exists even with every cell hidden (e.g. "< 3" and "< 3" with the total "< 3": both must be 1),
the table is withheld as a whole.

Tables are one-dimensional (cells and a total) or two-dimensional (rows x columns with row,
column and grand totals). Totals are computed here from the cells. Pure: no I/O.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_THRESHOLD = 3
SECONDARY_DISPLAY = "."  # Destatis: "Zahlenwert unbekannt oder geheim zu halten"


class Suppression(StrEnum):
    NONE = "none"
    PRIMARY = "primary"  # a small count, shown as "< threshold"
    SECONDARY = "secondary"  # hidden so that a small count cannot be recomputed
    WITHHELD = "withheld"  # the whole table could not be protected and is not shown


@dataclass(frozen=True)
class ProtectedCell:
    value: int  # the true count: for the snapshot, never for display
    display: str
    suppression: Suppression

    @property
    def hidden(self) -> bool:
        return self.suppression is not Suppression.NONE


@dataclass(frozen=True)
class ProtectedList:
    cells: tuple[ProtectedCell, ...]
    total: ProtectedCell
    withheld: bool


@dataclass(frozen=True)
class ProtectedTable:
    cells: tuple[tuple[ProtectedCell, ...], ...]
    row_totals: tuple[ProtectedCell, ...]
    column_totals: tuple[ProtectedCell, ...]
    total: ProtectedCell
    withheld: bool


def protect_list(counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> ProtectedList:
    """Protect a one-dimensional table: its cells and their total (computed here)."""
    values = [*_checked(counts, threshold), sum(counts)]
    total = len(values) - 1
    # One equation: cells - total = 0. The cell at `total` carries the sign -1.
    grid = _Grid(values, threshold, lines=[[(i, 1 if i < total else -1)
                                            for i in range(len(values))]],
                 is_total=[i == total for i in range(len(values))])
    grid.protect()
    cells = grid.result()
    return ProtectedList(tuple(cells[:-1]), cells[-1], grid.withheld)


def protect_table(counts: Sequence[Sequence[int]],
                  threshold: int = DEFAULT_THRESHOLD) -> ProtectedTable:
    """Protect a two-dimensional table with row totals, column totals and the grand total."""
    rows = [list(_checked(row, threshold)) for row in counts]
    if not rows or len({len(row) for row in rows}) != 1 or not rows[0]:
        raise ValueError("counts must be a non-empty rectangle of rows")
    n_rows, n_cols = len(rows), len(rows[0])
    # The extended matrix: cells, a row-total column, a column-total row, the grand total.
    extended = [[*row, sum(row)] for row in rows]
    column_sums = [sum(row[j] for row in rows) for j in range(n_cols)]
    extended.append([*column_sums, sum(column_sums)])
    width = n_cols + 1

    def index(i: int, j: int) -> int:
        return i * width + j

    def sign(i: int, j: int) -> int:  # with these signs every row and column sums to zero
        return -1 if (i == n_rows) != (j == n_cols) else 1

    lines = [[(index(i, j), sign(i, j)) for j in range(width)] for i in range(n_rows + 1)]
    lines += [[(index(i, j), sign(i, j)) for i in range(n_rows + 1)] for j in range(width)]
    grid = _Grid([v for row in extended for v in row], threshold, lines,
                 is_total=[i == n_rows or j == n_cols
                           for i in range(n_rows + 1) for j in range(width)])
    grid.protect()
    flat = grid.result()
    table = [flat[i * width:(i + 1) * width] for i in range(n_rows + 1)]
    return ProtectedTable(
        cells=tuple(tuple(row[:n_cols]) for row in table[:n_rows]),
        row_totals=tuple(row[n_cols] for row in table[:n_rows]),
        column_totals=tuple(table[n_rows][:n_cols]),
        total=table[n_rows][n_cols],
        withheld=grid.withheld,
    )


def _checked(counts: Sequence[int], threshold: int) -> Sequence[int]:
    if threshold < 3:
        # With threshold 2, "< 2" on a non-zero count says "exactly 1": no protection at all.
        raise ValueError(f"threshold must be at least 3, got {threshold}")
    if any(not isinstance(c, int) or c < 0 for c in counts):
        raise ValueError("counts must be non-negative integers")
    if not counts:
        raise ValueError("counts must not be empty")
    return counts


class _Grid:
    """Cells, the linear equations between them (each a list of (cell, sign) summing to zero),
    and which cells are hidden. Cells in two equations (2-D) are edges between two line nodes;
    cells in one equation (1-D) hang from a free node, so one search serves both shapes."""

    def __init__(self, values: list[int], threshold: int, lines: list[list[tuple[int, int]]],
                 is_total: list[bool]):
        self.values = values
        self.threshold = threshold
        self.state = [Suppression.PRIMARY if 0 < v < threshold else Suppression.NONE
                      for v in values]
        self.withheld = False
        free = len(lines)  # the free node: a 1-D cell's second end
        ends: list[list[tuple[int, int]]] = [[] for _ in values]
        for node, line in enumerate(lines):
            for cell, sign in line:
                ends[cell].append((node, sign))
        self.edges: list[tuple[int, int, int]] = []  # (node a, node b, sign) per cell
        for cell_ends in ends:
            (a, sign), (b, _) = cell_ends if len(cell_ends) == 2 else (cell_ends[0], (free, 0))
            self.edges.append((a, b, sign))
        self.touching: list[list[int]] = [[] for _ in range(free + 1)]  # node -> its cells
        for cell, (a, b, _) in enumerate(self.edges):
            self.touching[a].append(cell)
            self.touching[b].append(cell)
        # Totals are hidden only when no combination of inner cells will do.
        self.penalty = [sum(values) + 1 if total else 0 for total in is_total]

    def protect(self) -> None:
        changed = True
        while changed:
            changed = False
            for cell in range(len(self.values)):
                if self.state[cell] is Suppression.NONE:
                    continue
                cover = self._cheapest_cover(cell)
                if cover is None:
                    self.withheld = True
                    return
                for other in cover:
                    self.state[other] = Suppression.SECONDARY
                    changed = True

    def result(self) -> list[ProtectedCell]:
        cells = []
        for value, state in zip(self.values, self.state, strict=True):
            if self.withheld:
                state = state if state is not Suppression.NONE else Suppression.WITHHELD
                display = SECONDARY_DISPLAY
            elif state is Suppression.PRIMARY:
                display = f"< {self.threshold}"
            elif state is Suppression.SECONDARY:
                display = SECONDARY_DISPLAY
            else:
                display = str(value)
            cells.append(ProtectedCell(value, display, state))
        return cells

    def _allows(self, cell: int, change: int, hidden_as: Suppression) -> bool:
        """Could the reader believe this cell's value to be `value + change`?"""
        new = self.values[cell] + change
        if hidden_as is Suppression.PRIMARY:
            return 1 <= new < self.threshold
        return new >= self.threshold  # a "." is never a small count and never zero

    def _cheapest_cover(self, target: int) -> list[int] | None:
        """The shown cells to hide so that `target` can change by +1 or -1 along a cycle of
        hidden cells; [] when it already can, None when no cycle exists at all."""
        best: tuple[int, list[int]] | None = None
        a, b, sign = self.edges[target]
        for step in (1, -1):
            if not self._allows(target, step, self.state[target]):
                continue
            # The cycle leaves `target` at b with change +e on the signed matrix; walk back to a.
            found = self._path(b, a, sign * step, target)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        return None if best is None else best[1]

    def _path(self, start: int, goal: int, e: int, skip: int) -> tuple[int, list[int]] | None:
        """Dijkstra over line nodes: walking a cell from its node a to b changes its signed value
        by +e, from b to a by -e, which alternates the changes around the cycle. Hidden cells
        cost nothing, shown cells their count (totals far more)."""
        dist = {start: 0}
        via: dict[int, tuple[int, int]] = {}
        queue = [(0, start)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                cells, at = [], goal
                while at != start:
                    prev, cell = via[at]
                    if self.state[cell] is Suppression.NONE:
                        cells.append(cell)
                    at = prev
                return cost, cells
            if cost > dist[node]:
                continue
            for cell in self.touching[node]:
                if cell == skip:
                    continue
                x, y, sign = self.edges[cell]
                to, signed = (y, e) if node == x else (x, -e)
                step_cost = self._cost(cell, sign * signed)
                if step_cost is None:
                    continue
                if to not in dist or cost + step_cost < dist[to]:
                    dist[to] = cost + step_cost
                    via[to] = (node, cell)
                    heapq.heappush(queue, (cost + step_cost, to))
        return None

    def _cost(self, cell: int, change: int) -> int | None:
        state = self.state[cell]
        if state is not Suppression.NONE:
            return 0 if self._allows(cell, change, state) else None
        if self.values[cell] == 0 or not self._allows(cell, change, Suppression.SECONDARY):
            return None
        return self.values[cell] + self.penalty[cell]
