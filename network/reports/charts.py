"""Charts as PNG pictures, drawn from a table's shown cells only: a hidden cell is a gap in a
line or a missing bar marked with its display ("< 3", "."), so a picture never tells more than
its table. A chart is never empty while its table has figures: when every cell it would draw is
hidden or nought (a small month: each kind of partner got one or two referrals), it draws its
columns' shown totals instead.

The pictures are simple (grouped bars, lines over twelve months), so they are drawn with
Pillow's ImageDraw on a canvas twice the size and scaled down once (smooth edges): a few
milliseconds a chart, where matplotlib took 150 ms of figure layout and drawing each (with
its import, most of a national report's rendering time). The text font is the PDF's, DejaVu
Sans."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import cache

import msgspec
from PIL import Image, ImageDraw, ImageFont

from network.fonts import dejavu_folder
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
PALETTE = 64
# A line chart is drawn at twice the size and halved: smooth slopes and dots. Bars and grid
# lines are upright rectangles (and text is smoothed anyway), drawn at their size.
SUPERSAMPLE = 2
INK = (34, 34, 34)
GRID = (222, 222, 222)
MARK = (90, 90, 90)  # the display of a hidden cell next to its missing bar


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
    width, height = (round(cm / 2.54 * DPI) for cm in (width_cm, height_cm))
    scale = SUPERSAMPLE if chart.kind == "line" else 1
    canvas = _Canvas(width * scale, height * scale, scale)
    canvas.draw(chart, table)
    picture = canvas.image.reduce(scale) if scale > 1 else canvas.image
    # A few colours and their blends: a palette of 64 keeps the edges smooth, makes the PNG a
    # third of the size, and is what the PDF embeds (one byte a pixel to compress, not three).
    picture = picture.quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def _values(table: ShownTable, column: str) -> list[float]:
    numbers = [shown_number(display) for display in table.column(column)]
    return [math.nan if number is None else float(number) for number in numbers]


@cache
def _font(points: float, scale: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `points` on the chart's DPI (loaded once per size per process)."""
    return ImageFont.truetype(str(dejavu_folder() / "DejaVuSans.ttf"),
                              round(points * DPI / 72 * scale))


def nice_ticks(highest: float) -> list[int]:
    """Whole-number ticks from 0 covering `highest`, with a step of 1, 2, 2.5 or 5 times a
    power of ten and five to eight steps (as matplotlib's integer locator). Pure."""
    rough = max(highest, 1.0) / 8
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    step = max(1, math.ceil(step))
    return list(range(0, int(highest) + 1, step))


@dataclass
class _Box:
    left: int
    top: int
    right: int
    bottom: int


class _Canvas:
    """One chart's picture: title and legend above, the plot, the labels of the axes."""

    def __init__(self, width: int, height: int, scale: int) -> None:
        self.image = Image.new("RGB", (width, height), "white")
        self.pen = ImageDraw.Draw(self.image)
        self.scale = scale
        self.label_font = _font(7, scale)
        self.mark_font = _font(6, scale)
        self.title_font = _font(10, scale)
        self.pad = 6 * scale

    def text_size(self, text: str, font: ImageFont.FreeTypeFont) -> tuple[int, int]:
        left, top, right, bottom = font.getbbox(text)
        return right - left, bottom - top

    def draw(self, chart: Chart, table: ShownTable) -> None:
        labels = [row.label for row in table.rows]
        series = {column: _values(table, column) for column in chart.columns}
        highest = max([v for values in series.values() for v in values if not math.isnan(v)],
                      default=0.0)
        self.pen.text((self.pad, self.pad), chart.title, font=self.title_font, fill=INK)
        top = self.pad * 2 + self.text_size("Ág", self.title_font)[1]
        if len(chart.columns) > 1:
            top = self._legend(chart.columns, top)
        if chart.kind == "line":
            self._lines(labels, series, top, highest)
        else:
            self._bars(chart.kind == "barh", labels, table, series, top, highest)

    def _legend(self, columns: list[str], top: int) -> int:
        """The series' names in one row under the title, right-aligned; returns the y below."""
        swatch = 10 * self.scale
        widths = [swatch + self.pad + self.text_size(name, self.label_font)[0] for name in columns]
        x = self.image.size[0] - self.pad - sum(widths) - self.pad * 2 * (len(columns) - 1)
        line = self.text_size("Ág", self.label_font)[1]
        for index, (name, item_width) in enumerate(zip(columns, widths, strict=True)):
            colour = COLOURS[index % len(COLOURS)]
            middle = top + line // 2
            self.pen.rectangle((x, middle - swatch // 2, x + swatch, middle + swatch // 2),
                               fill=colour)
            self.pen.text((x + swatch + self.pad, middle), name, font=self.label_font,
                          fill=INK, anchor="lm")
            x += item_width + self.pad * 2
        return top + line + self.pad * 2

    def _value_axis(self, box: _Box, ticks: list[int], limit: float, horizontal: bool) -> None:
        """Grid lines and numbers of the counts' axis (x for horizontal bars, else y)."""
        for tick in ticks:
            if horizontal:
                x = box.left + round((box.right - box.left) * tick / limit)
                self.pen.line((x, box.top, x, box.bottom), fill=GRID, width=self.scale)
                self.pen.text((x, box.bottom + self.pad), str(tick), font=self.label_font,
                              fill=INK, anchor="mt")
            else:
                y = box.bottom - round((box.bottom - box.top) * tick / limit)
                self.pen.line((box.left, y, box.right, y), fill=GRID, width=self.scale)
                self.pen.text((box.left - self.pad, y), str(tick), font=self.label_font,
                              fill=INK, anchor="rm")

    def _axes_lines(self, box: _Box) -> None:
        self.pen.line((box.left, box.top, box.left, box.bottom), fill=INK, width=self.scale)
        self.pen.line((box.left, box.bottom, box.right, box.bottom), fill=INK,
                      width=self.scale)

    def _bars(self, horizontal: bool, labels: list[str], table: ShownTable,
              series: dict[str, list[float]], top: int, highest: float) -> None:
        limit = max(highest * 1.15, 1.0)
        ticks = [tick for tick in nice_ticks(limit) if tick <= limit]
        width, height = self.image.size
        line = self.text_size("Ág", self.label_font)[1]
        if horizontal:
            left = self.pad * 2 + max(self.text_size(label, self.label_font)[0]
                                      for label in labels)
            box = _Box(left, top, width - self.pad * 2, height - self.pad * 3 - line)
        else:
            left = self.pad * 2 + max(self.text_size(str(tick), self.label_font)[0]
                                      for tick in ticks)
            box = _Box(left, top, width - self.pad * 2, height - self.pad * 3 - line)
        self._value_axis(box, ticks, limit, horizontal)
        band = ((box.bottom - box.top) if horizontal else (box.right - box.left)) / len(labels)
        bar = band * 0.8 / len(series)
        for position, label in enumerate(labels):
            centre = (box.top if horizontal else box.left) + band * (position + 0.5)
            if horizontal:
                self.pen.text((box.left - self.pad, centre), label, font=self.label_font,
                              fill=INK, anchor="rm")
            else:
                self.pen.text((centre, box.bottom + self.pad), label, font=self.label_font,
                              fill=INK, anchor="mt")
            for index, (column, values) in enumerate(series.items()):
                start = centre - band * 0.4 + bar * index
                value = values[position]
                length = 0.0 if math.isnan(value) else value / limit
                colour = COLOURS[index % len(COLOURS)]
                if horizontal:
                    end = box.left + (box.right - box.left) * length
                    if length > 0:
                        self.pen.rectangle((box.left, start, end, start + bar - 1), fill=colour)
                    mark_at, anchor = (end + self.pad, start + bar / 2), "lm"
                else:
                    end = box.bottom - (box.bottom - box.top) * length
                    if length > 0:
                        self.pen.rectangle((start, end, start + bar - 1, box.bottom),
                                           fill=colour)
                    mark_at, anchor = (start + bar / 2, end - self.pad), "mb"
                if math.isnan(value):
                    self.pen.text(mark_at, table.column(column)[position], font=self.mark_font,
                                  fill=MARK, anchor=anchor)
        self._axes_lines(box)

    def _lines(self, labels: list[str], series: dict[str, list[float]], top: int,
               highest: float) -> None:
        ticks = nice_ticks(highest)
        limit = max(ticks[-1] if ticks[-1] >= highest else highest, 1)
        if ticks[-1] < highest:
            ticks.append(ticks[-1] + (ticks[1] - ticks[0] if len(ticks) > 1 else 1))
            limit = ticks[-1]
        width, height = self.image.size
        rotated = [self._rotated(label) for label in labels]
        left = self.pad * 2 + max(self.text_size(str(tick), self.label_font)[0]
                                  for tick in ticks)
        # the first month's label hangs left of its point: room for it inside the picture
        # (its point is half a step right of the plot's left edge: solved for that edge)
        half_step = 1 / (2 * len(labels))
        hanging = ((rotated[0].size[0] + self.pad - (width - self.pad * 2) * half_step)
                   / (1 - half_step))
        left = max(left, math.ceil(hanging))
        box = _Box(left, top, width - self.pad * 2,
                   height - self.pad * 2 - max(picture.size[1] for picture in rotated))
        self._value_axis(box, ticks, limit, horizontal=False)
        step = (box.right - box.left) / len(labels)
        xs = [box.left + step * (position + 0.5) for position in range(len(labels))]
        for x, picture in zip(xs, rotated, strict=True):
            # the label's end sits under its point (matplotlib's rotation=45, ha="right")
            self.image.paste(picture, (round(x - picture.size[0]), box.bottom + self.pad),
                             picture)
            self.pen.line((x, box.bottom, x, box.bottom + self.pad // 2), fill=INK,
                          width=self.scale)
        radius = 5 * self.scale
        for index, values in enumerate(series.values()):
            colour = COLOURS[index % len(COLOURS)]
            points = [(x, box.bottom - (box.bottom - box.top) * value / limit)
                      for x, value in zip(xs, values, strict=True)]
            for index in range(len(points) - 1):  # a hidden value is a gap in the line
                if not (math.isnan(values[index]) or math.isnan(values[index + 1])):
                    self.pen.line((points[index], points[index + 1]), fill=colour,
                                  width=3 * self.scale)
            for (x, y), value in zip(points, values, strict=True):
                if not math.isnan(value):
                    self.pen.ellipse((x - radius, y - radius, x + radius, y + radius),
                                     fill=colour)
        self._axes_lines(box)

    def _rotated(self, label: str) -> Image.Image:
        """A month's label turned by 45 degrees, as a picture with transparency."""
        text_width, text_height = self.text_size(label, self.label_font)
        flat = Image.new("L", (text_width + 4, text_height + 8), 0)
        ImageDraw.Draw(flat).text((2, 2), label, font=self.label_font, fill=255, anchor="lt")
        mask = flat.rotate(45, expand=True, resample=Image.Resampling.BICUBIC)
        picture = Image.new("RGBA", mask.size, INK + (0,))
        picture.putalpha(mask)
        return picture
