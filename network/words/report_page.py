"""The report page's German words that are not the report's own (its links to the files)."""

DOWNLOAD_PDF = "PDF herunterladen"
DOWNLOAD_CSV = "Tabellen als CSV (zip)"
