"""The network: partners active at month end and partners new in the month, by kind.

Partners keep no history of deactivation, so "active at month end" is a partner created before
the month's end and active when the report is built (for last month's report, built on the
first working day, the difference is at most a day or two of changes)."""

from __future__ import annotations

from network import words
from network.reports import queries
from network.reports.document import Chart, Section, count_table
from network.reports.sections import Scope

MEASURES = ["Aktiv am Monatsende", "Neu im Monat"]


async def build(scope: Scope) -> Section:
    kinds = list(words.PARTNER_KINDS)
    rows = {row["kind"]: row for row in await queries.rows(
        queries.PARTNER_COUNTS, scope.start, scope.end, kinds)}
    return Section(
        key="netzwerk", title="Netzwerk",
        tables=[count_table(
            "partner_nach_art", "Netzwerkpartner nach Art", "Art des Partners",
            list(words.PARTNER_KINDS.values()), MEASURES,
            [[rows[kind]["active"], rows[kind]["new"]] for kind in kinds], scope.min_cell,
            row_totals=False)],
        charts=[Chart("partner_aktiv", "Aktive Netzwerkpartner nach Art", "barh",
                      "partner_nach_art", ["Aktiv am Monatsende"])],
        notes=["Aktiv: am Monatsende angelegt und bei Erstellung des Berichts aktiv."],
    )
