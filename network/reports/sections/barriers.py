"""Barriers: opened, resolved, judged unresolvable, open at month end, by kind; the median
number of days from opening to resolution.

Barriers can be reopened, so history comes from barrier_events: a barrier is open at month end
when its last event before the end left it open or in progress; a resolution counts in the
month of its event."""

from __future__ import annotations

from network import words
from network.reports import queries
from network.reports.document import Chart, Section, count_table, median_table
from network.reports.sections import Scope, median_rows

MEASURES = ["Eröffnet", "Gelöst", "Nicht lösbar", "Offen am Monatsende"]


async def build(scope: Scope) -> Section:
    kinds = list(words.BARRIER_KINDS)
    rows = {row["kind"]: row for row in await queries.rows(
        queries.BARRIER_COUNTS, scope.start, scope.end, kinds)}
    counts = [[rows[kind]["opened"], rows[kind]["resolved"], rows[kind]["unresolvable"],
               rows[kind]["open_at_end"]] for kind in kinds]
    medians = median_rows(await queries.rows(queries.BARRIER_MEDIANS, scope.start, scope.end),
                          words.BARRIER_KINDS)
    return Section(
        key="hindernisse", title="Hindernisse",
        tables=[
            count_table("hindernisse_nach_art", "Hindernisse nach Art", "Art des Hindernisses",
                        list(words.BARRIER_KINDS.values()), MEASURES, counts, scope.min_cell,
                        row_totals=False),
            median_table("hindernisse_dauer", "Dauer bis zur Lösung (Median, Kalendertage)",
                         "Art des Hindernisses", "Median (Tage)", medians, scope.min_cell,
                         note=f"Nur für Hindernisse, die im Monat gelöst wurden; bei weniger als"
                              f" {scope.min_cell} Fällen nicht ausgewiesen (\".\")."),
        ],
        charts=[Chart("hindernisse_offen_geloest", "Hindernisse nach Art", "barh",
                      "hindernisse_nach_art", ["Gelöst", "Offen am Monatsende"])],
    )
