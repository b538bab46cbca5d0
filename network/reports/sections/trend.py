"""The 12-month trend: intakes (new cases), referrals sent and resolved barriers per month,
ending with the report's month. Month bounds are Berlin months (`ReportMonth.bounds`)."""

from __future__ import annotations

from network.reports import queries
from network.reports.document import Chart, Section, count_table
from network.reports.sections import TREND_MONTHS, Scope

MEASURES = ["Neue Fälle", "Vermittlungen", "Gelöste Hindernisse"]


async def build(scope: Scope) -> Section:
    months = scope.month.trailing(TREND_MONTHS)
    bounds = [month.bounds() for month in months]
    rows = await queries.rows(queries.TREND_COUNTS, [b[0] for b in bounds], [b[1] for b in bounds])
    return Section(
        key="entwicklung", title=f"Entwicklung der letzten {TREND_MONTHS} Monate",
        tables=[count_table(
            "entwicklung_12_monate", f"Entwicklung der letzten {TREND_MONTHS} Monate", "Monat",
            [month.label for month in months], MEASURES,
            [[row["intakes"], row["referrals"], row["resolved"]] for row in rows], scope.min_cell,
            row_totals=False)],
        charts=[Chart("entwicklung_linien", "Neue Fälle, Vermittlungen und gelöste Hindernisse",
                      "line", "entwicklung_12_monate", MEASURES)],
    )
