"""The printable consent form (Einwilligung / Schweigepflichtentbindung) as a PDF: each part in
German (the binding text) followed by the client's language, for the slip's languages
(network.web.slip). Texts: one data file per language in `consent_forms/`, German the fallback
for anything missing; the German names of partner kinds come from the catalogue.

Arabic and Persian are shaped and set right to left by HarfBuzz (fpdf2's text shaping) in
DejaVu Sans, as in the report; Tigrinya's Ge'ez script falls back to Noto Sans Ethiopic
(network.fonts). Imported only when a form is printed: fpdf stays out of the service's
start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from fpdf import FPDF

from network.fonts import FONT, use_fonts
from network.partners.kinds import PartnerKind
from network.web import slip
from network.words import PARTNER_KINDS
from network.words.dates import day
from network.words.translations import Translations

FOLDER = Path(__file__).with_name("consent_forms")
GREY = (90, 90, 90)


@dataclass(frozen=True)
class Person:
    name: str
    born: str  # the birth date (or year) as shown
    case_number: str | None


FORMS = Translations(FOLDER, {"partner_kinds": PARTNER_KINDS})


@cache
def texts(code: str) -> dict[str, Any]:
    """The form's texts in `code` (a slip language, else German); a key the language lacks
    is taken from German; partner kinds in German come from the catalogue."""
    code = slip.SLIPS.known(code)
    own, german = FORMS.data(code), FORMS.data(slip.FALLBACK)
    return {**german, **own,
            "partner_kinds": {**german["partner_kinds"], **own.get("partner_kinds", {})}}


class _FormPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        use_fonts(self)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(18, 16, 18)


class _Writer:
    """Writes each part in German, then in the client's language (when it is not German)."""

    def __init__(self, pdf: _FormPdf, code: str) -> None:
        self.pdf, self.code = pdf, code
        self.de, self.own = texts(slip.FALLBACK), texts(code)
        self.rtl = slip.texts(code).direction == "rtl"

    def german(self, text: str, size: float = 10.5, bold: bool = False) -> None:
        self.pdf.set_text_color(0, 0, 0)
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def translated(self, text: str, size: float = 10.5) -> None:
        if self.code == slip.FALLBACK:
            return
        self.pdf.set_text_color(*GREY)
        self.pdf.set_font(FONT, "", size)
        self.pdf.multi_cell(0, size * 0.55, text, align="R" if self.rtl else "L",
                            new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_text_color(0, 0, 0)

    def part(self, key: str, gap: float = 3, **params: str) -> None:
        self.german(self.de[key].format(**params))
        self.translated(self.own[key].format(**params))
        self.pdf.ln(gap)

    def labelled(self, key: str, value: str, size: float) -> None:
        """One line: the German label and the value, and the label in the client's
        language on the other side (never one mixed run: the value stays readable)."""
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        german = f"{self.de[key]}: {value}" if value else self.de[key]
        pdf.cell((pdf.w - pdf.l_margin - pdf.r_margin) * 0.6, 6, german)
        if self.code != slip.FALLBACK:
            pdf.set_text_color(*GREY)
            pdf.cell(0, 6, self.own[key], align="R" if self.rtl else "L")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(6)

    def kind_box(self, kind: PartnerKind) -> None:
        pdf = self.pdf
        if pdf.get_y() + 12 > pdf.page_break_trigger:  # the box stays with its words
            pdf.add_page()
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y + 0.8, 4, 4)
        pdf.set_x(pdf.l_margin + 7)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5.5, self.de["partner_kinds"][kind.value], new_x="LMARGIN",
                       new_y="NEXT")
        if self.code != slip.FALLBACK:
            pdf.set_x(pdf.l_margin + 7)
            pdf.set_text_color(*GREY)
            pdf.set_font(FONT, "", 9)
            pdf.multi_cell(0, 5, self.own["partner_kinds"][kind.value],
                           align="R" if self.rtl else "L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    def line(self, key: str) -> None:
        pdf = self.pdf
        pdf.ln(10)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(1)
        pdf.set_font(FONT, "", 8.5)
        pdf.cell(0, 4.5, self.de[key], new_x="LMARGIN", new_y="NEXT")
        if self.code != slip.FALLBACK:
            pdf.set_text_color(*GREY)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(0, 4.5, self.own[key], align="R" if self.rtl else "L",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)


def build(code: str, person: Person, integration_point: str, printed_on: date) -> bytes:
    """The form for one client in `code` (German alone for German), ready to print."""
    pdf = _FormPdf()
    pdf.set_title(texts(slip.FALLBACK)["title"])
    pdf.set_lang(code)
    pdf.add_page()
    w = _Writer(pdf, code)
    pdf.set_font(FONT, "", 8.5)
    pdf.cell(0, 5, integration_point, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    w.german(w.de["title"], size=14, bold=True)
    w.translated(w.own["title"], size=12)
    pdf.ln(4)
    w.labelled("person", "", 10.5)
    for key, value in (("name", person.name), ("born", person.born),
                       ("case", person.case_number)):
        if value:
            w.labelled(key, value, 10)
    pdf.ln(4)
    w.part("consent", place=integration_point)
    w.part("kinds", gap=2)
    for kind in PartnerKind:
        w.kind_box(kind)
    pdf.ln(2)
    w.part("voluntary")
    w.part("withdraw")
    w.part("binding")
    for key in ("place_date", "signature", "interpreter"):
        w.line(key)
    pdf.ln(6)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4, w.de["printed"].format(date=day(printed_on)), new_x="LMARGIN",
             new_y="NEXT")
    return bytes(pdf.output())
