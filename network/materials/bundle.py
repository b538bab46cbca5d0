"""The printable bundle: one PDF with a simple slip page (who, what was handed out) followed
by the handed-out leaflets: a PDF's pages as they are, an image as a page of its own. fpdf2
writes the slip (DejaVu Sans, as network.reports.pdf does), pypdf joins the parts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from network.fonts import FONT, use_fonts
from network.materials.files import PDF
from network.words.materials import BUNDLE_LINK, BUNDLE_NONE, BUNDLE_TITLE


@dataclass(frozen=True)
class Leaflet:
    title: str
    language: str
    file: tuple[bytes, str] | None  # None: a link
    link: str | None


def _document() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    use_fonts(pdf)  # the client's name may be in any script
    pdf.set_margins(20, 18, 20)
    return pdf


def slip_pdf(sender: str, client_name: str, on: date, leaflets: Sequence[Leaflet]) -> bytes:
    pdf = _document()
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, sender, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=16)
    pdf.multi_cell(0, 9, BUNDLE_TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(0, 7, f"{client_name} – {on.strftime('%d.%m.%Y')}",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not leaflets:
        pdf.multi_cell(0, 7, BUNDLE_NONE, new_x="LMARGIN", new_y="NEXT")
    for number, leaflet in enumerate(leaflets, start=1):
        line = f"{number}. {leaflet.title} ({leaflet.language})"
        if leaflet.link:
            line += f" – {BUNDLE_LINK}: {leaflet.link}"
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _image_pdf(data: bytes) -> bytes:
    pdf = _document()
    pdf.add_page()
    pdf.image(io.BytesIO(data), x=20, y=18, w=170, keep_aspect_ratio=True, h=260)
    return bytes(pdf.output())


def bundle_pdf(sender: str, client_name: str, on: date, leaflets: Sequence[Leaflet]) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(slip_pdf(sender, client_name, on, leaflets))))
    for leaflet in leaflets:
        if leaflet.file is None:
            continue
        body, kind = leaflet.file
        part = body if kind == PDF else _image_pdf(body)
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
