"""Fonts the PDFs need beyond DejaVu Sans (which comes with matplotlib and covers Latin,
Arabic and Persian): the other scripts of the clients' languages the slip has. Bundled (SIL
Open Font License, OFL.txt) so that a PDF looks the same on every machine and in the Docker
image, whatever fonts the system has."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent

# fpdf2 family name -> file; used as fallback fonts after the report's own font.
SCRIPT_FONTS: dict[str, Path] = {
    "noto-ethiopic": FOLDER / "NotoSansEthiopic-Regular.ttf",  # Tigrinya
}
