"""Barriers: opened, resolved, judged unresolvable, open at month end, by kind; the median
number of days from opening to resolution.

Barriers can be reopened, so history comes from barrier_events: a barrier is open at month end
when its last event before the end left it open or in progress; a resolution counts in the
month of its event."""

from __future__ import annotations

from network.reports import labels, queries
from network.reports.document import Chart, Section, count_table, median_table
from network.reports.sections import Scope, median_rows

MEASURES = ["Eröffnet", "Gelöst", "Nicht lösbar", "Offen am Monatsende"]

# One pass over the barriers and one over the month's events, grouped by kind. (A correlated
# "last event" subquery per barrier, evaluated twice, took 2.3 s at 600,000 barriers; this
# form hash-joins each barrier's last event before the month end: bench/README.md, 5.)
COUNTS_SQL = """
WITH last_event AS (
    SELECT DISTINCT ON (e.barrier_id) e.barrier_id, e.to_status
    FROM barrier_events e WHERE e.at < $2
    ORDER BY e.barrier_id, e.at DESC, e.id DESC
),
at_end AS (
    SELECT b.kind,
           count(*) FILTER (WHERE b.opened_at >= $1) AS opened,
           count(*) FILTER (
               WHERE coalesce(l.to_status, 'open') IN ('open', 'in_progress')) AS open_at_end
    FROM barriers b LEFT JOIN last_event l ON l.barrier_id = b.id
    WHERE b.opened_at < $2
    GROUP BY b.kind
),
finished AS (
    SELECT b.kind,
           count(DISTINCT e.barrier_id) FILTER (WHERE e.to_status = 'resolved') AS resolved,
           count(DISTINCT e.barrier_id) FILTER (
               WHERE e.to_status = 'unresolvable') AS unresolvable
    FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
    WHERE e.at >= $1 AND e.at < $2 AND e.to_status IN ('resolved', 'unresolvable')
    GROUP BY b.kind
)
SELECT k.kind, coalesce(a.opened, 0) AS opened, coalesce(f.resolved, 0) AS resolved,
       coalesce(f.unresolvable, 0) AS unresolvable, coalesce(a.open_at_end, 0) AS open_at_end
FROM unnest($3::text[]) AS k(kind)
LEFT JOIN at_end a ON a.kind = k.kind LEFT JOIN finished f ON f.kind = k.kind
"""

# Days from opening to each resolution in the month; GROUPING SETS add the overall median.
MEDIANS_SQL = """
SELECT b.kind, grouping(b.kind) = 1 AS overall,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM e.at - b.opened_at) / 86400.0) AS median_days,
       count(*) AS cases
FROM barrier_events e JOIN barriers b ON b.id = e.barrier_id
WHERE e.at >= $1 AND e.at < $2 AND e.to_status = 'resolved'
GROUP BY GROUPING SETS ((b.kind), ())
"""


async def build(scope: Scope) -> Section:
    kinds = list(labels.BARRIER_KINDS)
    rows = {row["kind"]: row for row in await queries.rows(
        COUNTS_SQL, scope.start, scope.end, kinds)}
    counts = [[rows[kind]["opened"], rows[kind]["resolved"], rows[kind]["unresolvable"],
               rows[kind]["open_at_end"]] for kind in kinds]
    medians = median_rows(await queries.rows(MEDIANS_SQL, scope.start, scope.end),
                          labels.BARRIER_KINDS)
    return Section(
        key="hindernisse", title="Hindernisse",
        tables=[
            count_table("hindernisse_nach_art", "Hindernisse nach Art", "Art des Hindernisses",
                        list(labels.BARRIER_KINDS.values()), MEASURES, counts, scope.min_cell,
                        row_totals=False),
            median_table("hindernisse_dauer", "Dauer bis zur Lösung (Median, Kalendertage)",
                         "Art des Hindernisses", "Median (Tage)", medians, scope.min_cell,
                         note=f"Nur für Hindernisse, die im Monat gelöst wurden; bei weniger als"
                              f" {scope.min_cell} Fällen nicht ausgewiesen (\".\")."),
        ],
        charts=[Chart("hindernisse_offen_geloest", "Hindernisse nach Art", "barh",
                      "hindernisse_nach_art", ["Gelöst", "Offen am Monatsende"])],
    )
