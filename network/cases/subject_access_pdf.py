"""The data report as a readable German PDF (fpdf2, DejaVu Sans as in network.reports.pdf):
the client's name, then one heading per section with its entries as "field: value" lines.

Headings also carry the client's language, and names or notes may be written in Arabic,
Persian or Tigrinya: text is shaped by HarfBuzz (right to left where needed) and characters
DejaVu lacks (Ethiopic) come from the fonts in network/fonts/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fpdf import FPDF

from network.fonts import FONT, use_fonts
from network.words import data_request as words
from network.words.dates import day, moment


class _DataPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        use_fonts(self)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.cell(0, 5, words.PAGE.format(page=self.page_no()), align="C")


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def client_name(sections: dict[str, list[dict[str, Any]]]) -> str:
    master = sections.get("master_data") or [{}]
    parts = [master[0].get("first_name"), master[0].get("last_name")]
    return " ".join(p for p in parts if p)


def heading(name: str, sections: dict[str, list[dict[str, Any]]]) -> str:
    """The German heading, followed by the one in the client's first language the catalogue
    has (network.words.data_request.CLIENT_LANGUAGE_HEADINGS)."""
    german = words.SECTION_HEADINGS.get(name, name)
    for row in sections.get("languages", ()):
        translated = words.CLIENT_LANGUAGE_HEADINGS.get(row["language"], {}).get(name)
        if translated:
            return f"{german} / {translated}"
    return german


def render_pdf(sections: dict[str, list[dict[str, Any]]], produced_at: datetime,
               received_on: date) -> bytes:
    pdf = _DataPdf()
    pdf.set_title(words.TITLE)
    pdf.set_creator("network")
    pdf.set_lang("de-DE")
    pdf.set_creation_date(produced_at)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(width, 8, words.TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(width, 7, client_name(sections), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(width, 5, words.INTRO.format(produced=_shown(produced_at),
                                                received=day(received_on)),
                   new_x="LMARGIN", new_y="NEXT")
    for name, rows in sections.items():
        pdf.ln(3)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(width, 6, heading(name, sections),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 8)
        if not rows:
            pdf.multi_cell(width, 4.5, words.NONE, new_x="LMARGIN", new_y="NEXT")
        for row in rows:
            line = " · ".join(f"{key}: {_shown(value)}" for key, value in row.items())
            pdf.multi_cell(width, 4.5, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    return bytes(pdf.output())
