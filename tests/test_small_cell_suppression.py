"""Small-cell protection: small counts hidden, and no hidden count recomputable from the rest."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.reports.suppression import (
    ProtectedCell,
    ProtectedList,
    ProtectedTable,
    Suppression,
    protect_list,
    protect_table,
)

P, S, N = Suppression.PRIMARY, Suppression.SECONDARY, Suppression.NONE


def displays(cells: tuple[ProtectedCell, ...]) -> list[str]:
    return [c.display for c in cells]


def test_it_shows_large_counts_and_zeros_unchanged() -> None:
    result = protect_list([5, 0, 12])
    assert displays(result.cells) == ["5", "0", "12"]
    assert result.total == ProtectedCell(17, "17", N)
    assert not result.withheld


def test_it_hides_small_counts_and_one_more_cell_so_the_total_does_not_reveal_them() -> None:
    result = protect_list([1, 5, 7, 0])
    assert displays(result.cells) == ["< 3", ".", "7", "0"]
    assert [c.suppression for c in result.cells] == [P, S, N, N]
    assert result.total.display == "13"


def test_it_skips_a_partner_cell_that_would_pin_the_small_count_down() -> None:
    # Hiding the 3 beside the 1 is useless: "< 3" + "." = 4 with "." >= 3 forces 1 and 3.
    result = protect_list([1, 3, 7, 0])
    assert displays(result.cells) == ["< 3", "3", ".", "0"]


def test_it_needs_no_secondary_cell_when_two_small_counts_protect_each_other() -> None:
    # 1 + 2 = 3 is also 2 + 1, so the total 13 reveals neither.
    result = protect_list([1, 2, 10])
    assert displays(result.cells) == ["< 3", "< 3", "10"]


def test_it_hides_another_cell_when_two_small_counts_would_be_pinned_down() -> None:
    # 2 + 2 = 4 can only be 2 + 2 when both are "< 3".
    result = protect_list([2, 2, 10])
    assert displays(result.cells) == ["< 3", "< 3", "."]
    assert result.total.display == "14"


def test_it_hides_a_small_total() -> None:
    result = protect_list([1, 0, 0])
    assert displays(result.cells) == ["< 3", "0", "0"]
    assert result.total == ProtectedCell(1, "< 3", P)


def test_it_hides_the_total_when_no_inner_cell_can_protect_the_small_one() -> None:
    result = protect_list([1, 0, 3])
    assert displays(result.cells) == ["< 3", "0", "3"]  # 3 cannot go down to 2
    assert result.total == ProtectedCell(4, ".", S)


def test_it_withholds_a_table_that_cannot_be_protected() -> None:
    result = protect_list([1, 1, 0])  # "< 3", "< 3", total "< 3": both must be 1
    assert result.withheld
    assert displays(result.cells) == [".", ".", "."] and result.total.display == "."
    assert [c.suppression for c in result.cells] == [P, P, Suppression.WITHHELD]


def test_it_uses_a_configured_threshold() -> None:
    result = protect_list([4, 9, 30, 5], threshold=5)
    assert displays(result.cells) == ["< 5", "9", "30", "."]  # 5 may be 6, 4 may be 3
    with pytest.raises(ValueError, match="at least 3"):
        protect_list([1, 2], threshold=2)


def test_it_refuses_negative_counts_and_ragged_tables() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        protect_list([1, -1])
    with pytest.raises(ValueError, match="rectangle"):
        protect_table([[1, 2], [3]])


def test_it_hides_a_rectangle_in_a_two_dimensional_table() -> None:
    result = protect_table([[1, 5, 7], [4, 6, 8], [9, 3, 12]])
    grid = [displays(row) for row in result.cells]
    assert grid == [["< 3", ".", "7"], [".", ".", "8"], ["9", "3", "12"]]
    assert displays(result.row_totals) == ["13", "18", "24"]
    assert displays(result.column_totals) == ["14", "14", "27"]
    assert result.total.display == "55"


def test_it_leaves_a_table_without_small_counts_alone() -> None:
    result = protect_table([[0, 5, 7], [4, 0, 8]])
    assert all(not c.hidden for row in result.cells for c in row)
    assert result.total == ProtectedCell(24, "24", N)


def test_it_hides_totals_that_would_reveal_a_single_small_count() -> None:
    # Row 0 has only one non-zero cell: its row total equals it and must be hidden too.
    result = protect_table([[1, 0], [6, 9]])
    assert result.cells[0][0].display == "< 3"
    assert result.row_totals[0].display == "< 3"
    assert_protected(result, 3)


# --- the oracle: enumerate every table the reader could believe in --------------------------


def reader_range(cell: ProtectedCell, threshold: int, ceiling: int) -> range:
    """What a reader who knows the rules can believe about one cell."""
    if cell.suppression is Suppression.PRIMARY:
        return range(1, threshold)
    if cell.suppression is Suppression.SECONDARY:
        return range(threshold, ceiling + 1)
    return range(cell.value, cell.value + 1)


def assert_protected(result: ProtectedList | ProtectedTable, threshold: int) -> None:
    """Every hidden cell takes at least two values over all tables consistent with what is shown.

    Only inner cells are enumerated (totals follow from them); secondary cells up to a ceiling
    above every true value, which can only find fewer tables, never more: the check stays sound.
    """
    if result.withheld:
        return
    if isinstance(result, ProtectedList):
        grid, row_totals, column_totals = [list(result.cells)], [result.total], None
    else:
        grid = [list(row) for row in result.cells]
        row_totals, column_totals = list(result.row_totals), list(result.column_totals)
    total = result.total
    ceiling = total.value + threshold + 2
    seen: dict[tuple[str, int, int], set[int]] = {}

    def fits(cell: ProtectedCell, value: int) -> bool:
        return value in reader_range(cell, threshold, 10**9)

    def note(key: tuple[str, int, int], value: int) -> None:
        seen.setdefault(key, set()).add(value)

    ranges = [[reader_range(c, threshold, ceiling) for c in row] for row in grid]
    row_options = []
    for i, row in enumerate(ranges):
        options = [combo for combo in itertools.product(*row) if fits(row_totals[i], sum(combo))]
        row_options.append(options)
    for rows in itertools.product(*row_options):
        grand = sum(map(sum, rows))
        if not fits(total, grand):
            continue
        if column_totals is not None:
            columns = [sum(col) for col in zip(*rows, strict=True)]
            if not all(fits(c, v) for c, v in zip(column_totals, columns, strict=True)):
                continue
            for j, v in enumerate(columns):
                note(("column_total", 0, j), v)
        for i, combo in enumerate(rows):
            note(("row_total", 0, i), sum(combo))
            for j, v in enumerate(combo):
                note(("cell", i, j), v)
        note(("total", 0, 0), grand)

    hidden = [("cell", i, j) for i, row in enumerate(grid) for j, c in enumerate(row) if c.hidden]
    hidden += [("row_total", 0, i) for i, c in enumerate(row_totals) if c.hidden]
    if column_totals is not None:
        hidden += [("column_total", 0, j) for j, c in enumerate(column_totals) if c.hidden]
    if total.hidden:
        hidden.append(("total", 0, 0))
    for key in hidden:
        assert len(seen.get(key, set())) >= 2, f"{key} is recomputable: {seen.get(key)}"


def assert_primary_rule(cells: list[ProtectedCell], threshold: int, withheld: bool) -> None:
    if withheld:
        assert all(c.display == "." for c in cells)
        return
    for cell in cells:
        if 0 < cell.value < threshold:
            assert (cell.suppression, cell.display) == (Suppression.PRIMARY, f"< {threshold}")
        elif cell.suppression is Suppression.SECONDARY:
            assert cell.value >= threshold and cell.display == "."
        elif not cell.hidden:
            assert cell.display == str(cell.value)


small_counts = st.integers(min_value=0, max_value=7)


@settings(max_examples=300)
@given(counts=st.lists(small_counts, min_size=1, max_size=6),
       threshold=st.sampled_from([3, 4]))
def test_no_hidden_count_in_a_list_can_be_recomputed(counts: list[int], threshold: int) -> None:
    result = protect_list(counts, threshold)
    assert [c.value for c in result.cells] == counts and result.total.value == sum(counts)
    assert_primary_rule([*result.cells, result.total], threshold, result.withheld)
    assert_protected(result, threshold)


@settings(max_examples=200)
@given(shape=st.tuples(st.integers(1, 3), st.integers(1, 3)).flatmap(
    lambda s: st.lists(st.lists(small_counts, min_size=s[1], max_size=s[1]),
                       min_size=s[0], max_size=s[0])))
def test_no_hidden_count_in_a_table_can_be_recomputed(shape: list[list[int]]) -> None:
    result = protect_table(shape)
    assert [[c.value for c in row] for row in result.cells] == shape
    everything = [c for row in result.cells for c in row]
    everything += [*result.row_totals, *result.column_totals, result.total]
    assert_primary_rule(everything, 3, result.withheld)
    assert_protected(result, 3)


def test_the_oracle_catches_a_recomputable_cell() -> None:
    exposed = ProtectedList(
        cells=(ProtectedCell(1, "< 3", P), ProtectedCell(5, "5", N)),
        total=ProtectedCell(6, "6", N), withheld=False)
    with pytest.raises(AssertionError, match="recomputable"):
        assert_protected(exposed, 3)
