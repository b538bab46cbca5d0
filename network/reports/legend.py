"""The legend printed under every report, and the mark of a provisional one (HTML and PDF
say the same)."""

from __future__ import annotations

from datetime import datetime

from network.reports.document import ReportDocument, ShownTable
from network.reports.period import ReportMonth, provisional


def legend_lines(min_cell: int) -> list[str]:
    return [
        f"< {min_cell}: ein Wert von 1 bis {min_cell - 1}, zum Schutz der Ratsuchenden nicht"
        " genau ausgewiesen.",
        ".: Zahlenwert geheim zu halten (damit ein kleiner Wert nicht aus Summen errechnet"
        " werden kann), bei Medianen: zu wenige Fälle.",
        "–: kein Wert (keine Fälle).",
        "Alle Zeitangaben beziehen sich auf den Kalendermonat nach deutscher Zeit"
        " (Europe/Berlin).",
    ]


def withheld_note(table: ShownTable) -> str:
    """Why a column shows only dots: no protection kept its total, shown elsewhere, intact."""
    columns = ", ".join(f"„{name}“" for name in table.withheld_columns)
    return (f"Aus Datenschutzgründen nicht nach {table.row_header} ausgewiesen: {columns}"
            " (die Summe steht in den übrigen Tabellen).")


def provisional_note(document: ReportDocument, generated_at: datetime) -> str | None:
    """For a version built while its month was still running: what it lacks."""
    if not provisional(ReportMonth.parse(document.month), generated_at):
        return None
    return (f"Vorläufig: erstellt, bevor der Monat zu Ende war. Was danach für"
            f" {document.month_label} erfasst wird, fehlt hier. Versandt wird der Bericht"
            " nach Monatsende.")
