"""The report as an HTML page (Jinja), rendered from the frozen figures: charts are the same
PNG pictures as in the PDF, inlined as data URIs so the page stands alone. The chart stack
(matplotlib) is imported when a page is rendered, not when the app starts."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

import jinja2

from network.reminders.calendar import BERLIN
from network.reports.document import TOTAL_LABEL, ReportDocument
from network.reports.legend import legend_lines, withheld_note

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def render_html(document: ReportDocument, version: int, generated_at: datetime,
                downloads: dict[str, str]) -> str:
    from network.reports.charts import render_png  # matplotlib: loaded on first render only

    charts = {
        chart.key: "data:image/png;base64," + base64.b64encode(
            render_png(chart, section.table(chart.table))).decode("ascii")
        for section in document.sections for chart in section.charts
    }
    return TEMPLATES.get_template("report.html").render(
        document=document, version=version, generated_at=generated_at.astimezone(BERLIN),
        charts=charts, total_label=TOTAL_LABEL, legend=legend_lines(document.min_cell),
        downloads=downloads, withheld_note=withheld_note,
    )
