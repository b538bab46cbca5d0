"""The fonts of every PDF the service makes, in one place: DejaVu Sans (which comes with
matplotlib and covers Latin, Arabic and Persian) as the text font, and for the other scripts
of the clients' languages the slip has, fonts bundled here (SIL Open Font License, OFL.txt),
so that a PDF looks the same on every machine and in the Docker image, whatever fonts the
system has."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

FOLDER = Path(__file__).parent
FONT = "DejaVu"  # the family name every PDF sets its text in

# fpdf2 family name -> file; fallbacks after FONT for the characters DejaVu Sans lacks.
SCRIPT_FONTS: dict[str, Path] = {
    "noto-ethiopic": FOLDER / "NotoSansEthiopic-Regular.ttf",  # Tigrinya
}


def dejavu_folder() -> Path:
    import matplotlib  # imported when a PDF is made, not when the service starts

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def use_fonts(pdf: FPDF, *, scripts: bool = True) -> None:
    """FONT (regular and bold) on `pdf`; with `scripts`, text is shaped by HarfBuzz (right to
    left for Arabic and Persian) and the script fonts stand in for what DejaVu lacks: for any
    PDF that may show a client's name or language."""
    folder = dejavu_folder()
    pdf.add_font(FONT, "", str(folder / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(folder / "DejaVuSans-Bold.ttf"))
    if scripts:
        for family, path in SCRIPT_FONTS.items():
            pdf.add_font(family, "", str(path))
        pdf.set_fallback_fonts(list(SCRIPT_FONTS), exact_match=False)
        pdf.set_text_shaping(True)
