"""The report as a PDF: A4, German, the Integration Point's name and the month on every page,
charts as pictures, tables, page numbers. fpdf2 is pure Python; the font is DejaVu Sans from
matplotlib's own data (Unicode, embedded with a ToUnicode map so the text can be extracted)."""

from __future__ import annotations

import io
from datetime import datetime

from fpdf import FPDF
from fpdf.fonts import FontFace

from network.fonts import FONT, use_fonts
from network.reminders.calendar import BERLIN
from network.reports.charts import chart_images
from network.reports.document import TOTAL_LABEL, ReportDocument, Section, ShownTable
from network.reports.legend import legend_lines, provisional_note, withheld_note

CHART_WIDTH_MM = 170


class _ReportPdf(FPDF):
    def __init__(self, header_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.header_text = header_text
        use_fonts(self, scripts=False)  # German only
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, self.header_text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"Seite {self.page_no()} von {{nb}}", align="C")
        self.set_text_color(0)


def render_pdf(document: ReportDocument, version: int, generated_at: datetime,
               images: dict[str, bytes] | None = None) -> bytes:
    header_text = f"{document.integration_point} · Monatsbericht {document.month_label}"
    pdf = _ReportPdf(header_text)
    pdf.set_title(f"Monatsbericht {document.month_label}")
    pdf.set_author(document.integration_point)
    pdf.set_creator("network")
    pdf.set_lang("de-DE")
    pdf.set_creation_date(generated_at)
    pdf.add_page()
    _title_block(pdf, document, version, generated_at)
    images = images if images is not None else chart_images(document)
    for section in document.sections:
        _section(pdf, section, images)
    _legend(pdf, document)
    return bytes(pdf.output())


def _title_block(pdf: _ReportPdf, document: ReportDocument, version: int,
                 generated_at: datetime) -> None:
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 6, document.integration_point, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.cell(0, 12, f"Monatsbericht {document.month_label}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    local = generated_at.astimezone(BERLIN)
    pdf.multi_cell(0, 5, "Für den Kreisausschuss für Gesundheit und Soziales. "
                   f"Erstellt am {local:%d.%m.%Y} um {local:%H:%M} Uhr, Version {version}.",
                   new_x="LMARGIN", new_y="NEXT")
    if note := provisional_note(document, generated_at):
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _section(pdf: _ReportPdf, section: Section, images: dict[str, bytes]) -> None:
    if pdf.get_y() > pdf.h - 80:
        pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 9, section.title, new_x="LMARGIN", new_y="NEXT")
    for chart in section.charts:
        png = images[chart.key]
        height = CHART_WIDTH_MM * 7.5 / 17.0
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        pdf.image(io.BytesIO(png), w=CHART_WIDTH_MM)
        pdf.ln(2)
    for table in section.tables:
        _table(pdf, table)
    for note in section.notes:
        pdf.set_font(FONT, size=8)
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: _ReportPdf, table: ShownTable) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 30:
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
    with_totals = any(row.total is not None for row in table.rows)
    headings = [table.row_header, *table.columns, *([TOTAL_LABEL] if with_totals else [])]
    first = 60 if len(headings) > 2 else 100
    others = (pdf.epw - first) / (len(headings) - 1)
    pdf.set_font(FONT, size=8)
    with pdf.table(col_widths=(first, *[others] * (len(headings) - 1)),
                   text_align=("LEFT", *["RIGHT"] * (len(headings) - 1)),
                   headings_style=FontFace(emphasis="BOLD", fill_color=(225, 232, 240)),
                   line_height=5, first_row_as_headings=True) as printed:
        printed.row(headings)
        for row in table.rows:
            printed.row([row.label, *row.cells, *([row.total or ""] if with_totals else [])])
        if table.column_totals is not None:
            printed.row([TOTAL_LABEL, *table.column_totals,
                         *([table.grand_total or ""] if with_totals else [])],
                        style=FontFace(emphasis="BOLD"))
    if table.withheld_columns:
        pdf.set_font(FONT, size=8)
        pdf.multi_cell(0, 4, withheld_note(table), new_x="LMARGIN", new_y="NEXT")
    if table.note:
        pdf.set_font(FONT, size=8)
        pdf.multi_cell(0, 4, table.note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _legend(pdf: _ReportPdf, document: ReportDocument) -> None:
    pdf.set_font(FONT, "B", 10)
    pdf.cell(0, 6, "Zeichenerklärung", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=8)
    for line in legend_lines(document.min_cell):
        pdf.multi_cell(0, 4, line, new_x="LMARGIN", new_y="NEXT")
