"""Every table as a CSV file (semicolon-separated, UTF-8 with BOM: what German Excel opens
as columns), holding exactly the shown cells; all of them zipped for download and snapshot."""

from __future__ import annotations

import csv
import io
import zipfile

from network.reports.document import TOTAL_LABEL, ReportDocument, ShownTable


def table_csv(table: ShownTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    with_totals = any(row.total is not None for row in table.rows)
    writer.writerow([table.row_header, *table.columns, *([TOTAL_LABEL] if with_totals else [])])
    for row in table.rows:
        writer.writerow([row.label, *row.cells, *([row.total] if with_totals else [])])
    if table.column_totals is not None:
        writer.writerow([TOTAL_LABEL, *table.column_totals,
                         *([table.grand_total] if with_totals else [])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_name(document: ReportDocument, table: ShownTable) -> str:
    return f"bericht_{document.month}_{table.key}.csv"


def csv_zip(document: ReportDocument) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in document.all_tables():
            info = zipfile.ZipInfo(csv_name(document, table), date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, table_csv(table))
    return buffer.getvalue()
