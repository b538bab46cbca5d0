"""Charts as PNG pictures (matplotlib's Agg canvas: no display, no system packages), drawn from a
table's shown cells only: a hidden cell is a gap in a line or a missing bar marked with its
display ("< 3", "."), so a picture never tells more than its table. A chart is never empty
while its table has figures: when every cell it would draw is hidden or nought (a small month:
each kind of partner got one or two referrals), it draws its columns' shown totals instead."""

from __future__ import annotations

import io
import math

import msgspec
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from network.reports.document import (
    TOTAL_LABEL,
    Chart,
    ReportDocument,
    ShownRow,
    ShownTable,
    shown_number,
)

COLOURS = ["#1f4e79", "#e07b39", "#5b9e4d", "#8c5fa8"]
DPI = 150


def drawn(chart: Chart, table: ShownTable) -> tuple[Chart, ShownTable]:
    """What the chart draws: its columns' cells, or (when none of them shows a figure) its
    columns' totals as one group of bars. Pure."""
    if any(_shows_a_figure(table.column(column)) for column in chart.columns):
        return chart, table
    if table.column_totals is None:
        return chart, table
    totals = [table.column_totals[table.columns.index(column)] for column in chart.columns]
    if not _shows_a_figure(totals):
        return chart, table  # the table has no figure to draw either
    return (msgspec.structs.replace(chart, kind="bar"),
            msgspec.structs.replace(table, columns=list(chart.columns), column_totals=None,
                                    rows=[ShownRow(TOTAL_LABEL, totals)]))


def _shows_a_figure(displays: list[str]) -> bool:
    return any((shown_number(display) or 0) > 0 for display in displays)


def chart_images(document: ReportDocument) -> dict[str, bytes]:
    """Every chart of a ReportDocument as PNG, by its key: drawn once for the PDF and the
    page alike."""
    return {chart.key: render_png(chart, section.table(chart.table))
            for section in document.sections for chart in section.charts}


def render_png(chart: Chart, table: ShownTable, width_cm: float = 17.0,
               height_cm: float = 7.5) -> bytes:
    chart, table = drawn(chart, table)
    # A Figure on its own Agg canvas, never pyplot: no global state, so reports can be drawn
    # in worker threads while the event loop goes on.
    figure = Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=DPI)
    FigureCanvasAgg(figure)
    _draw(figure, chart, table)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight",
                   metadata={"Software": None})
    return buffer.getvalue()


def _values(table: ShownTable, column: str) -> list[float]:
    numbers = [shown_number(display) for display in table.column(column)]
    return [math.nan if number is None else float(number) for number in numbers]


def _draw(figure: Figure, chart: Chart, table: ShownTable) -> None:
    axes = figure.add_subplot()
    labels = [row.label for row in table.rows]
    positions = list(range(len(labels)))
    series = len(chart.columns)
    axes.set_title(chart.title, fontsize=10, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    if chart.kind == "line":
        for index, column in enumerate(chart.columns):
            axes.plot(positions, _values(table, column), marker="o", label=column,
                      color=COLOURS[index % len(COLOURS)])
        axes.set_xticks(positions, labels, rotation=45, ha="right", fontsize=7)
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", alpha=0.3)
    else:
        width = 0.8 / series
        horizontal = chart.kind == "barh"
        for index, column in enumerate(chart.columns):
            values = _values(table, column)
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            shown = [0.0 if math.isnan(v) else v for v in values]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(offsets, shown, width, label=column,
                        color=COLOURS[index % len(COLOURS)])
            marks = [display if math.isnan(value) else ""
                     for display, value in zip(table.column(column), values, strict=True)]
            axes.bar_label(bars, labels=marks, fontsize=6, padding=2)
        highest = max([v for column in chart.columns for v in _values(table, column)
                       if not math.isnan(v)], default=0.0)
        (axes.set_xlim if horizontal else axes.set_ylim)(0, max(highest * 1.15, 1.0))
        if horizontal:
            axes.set_yticks(positions, labels, fontsize=7)
            axes.invert_yaxis()
            axes.grid(axis="x", alpha=0.3)
        else:
            axes.set_xticks(positions, labels, fontsize=7)
            axes.grid(axis="y", alpha=0.3)
    axes.tick_params(labelsize=7)
    counts_axis = axes.xaxis if chart.kind == "barh" else axes.yaxis
    counts_axis.get_major_locator().set_params(integer=True)
    if series > 1:
        axes.legend(fontsize=7, frameon=False)
