"""The report as HTML (Jinja), rendered from the frozen figures: charts are the same PNG
pictures as in the PDF, inlined as data URIs. `render_body` is the report itself, which the
site shows inside its own page (with its navigation); `render_html` a page standing alone.
The chart stack (Pillow) is imported when a report is rendered, not when the app starts."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

import jinja2

from network.reminders.calendar import BERLIN
from network.reports.document import TOTAL_LABEL, ReportDocument
from network.reports.legend import legend_lines, provisional_note, withheld_note
from network.words import report_page as words

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def render_html(document: ReportDocument, version: int, generated_at: datetime,
                downloads: dict[str, str]) -> str:
    return _render("report.html", document, version, generated_at, downloads)


def render_body(document: ReportDocument, version: int, generated_at: datetime,
                downloads: dict[str, str], images: dict[str, bytes] | None = None) -> str:
    return _render("report_body.html", document, version, generated_at, downloads, images)


def downloads(month: object, version: int) -> dict[str, str]:
    """The page's links to the version's PDF and CSV files."""
    base, query = f"/api/v1/reports/{month}", f"?version={version}"
    return {words.DOWNLOAD_PDF: f"{base}/pdf{query}", words.DOWNLOAD_CSV: f"{base}/csv{query}"}


def _render(template: str, document: ReportDocument, version: int, generated_at: datetime,
            downloads: dict[str, str], images: dict[str, bytes] | None = None) -> str:
    if images is None:
        from network.reports.charts import chart_images  # Pillow: on first render only

        images = chart_images(document)
    charts = {key: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
              for key, png in images.items()}
    return TEMPLATES.get_template(template).render(
        document=document, version=version, generated_at=generated_at.astimezone(BERLIN),
        charts=charts, total_label=TOTAL_LABEL, legend=legend_lines(document.min_cell),
        downloads=downloads, withheld_note=withheld_note,
        provisional=provisional_note(document, generated_at),
    )
