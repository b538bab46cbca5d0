"""Outreach (issue 19): prospects added, first contacted, converted into a case and parked in
the month, by legal circle; and the median number of working days from being added to the
first contact, for the prospects first contacted in the month.

"First contact" is the day of the first attempt that reached the person (outcome reached,
invited or declined: `prospects.first_contact_at`, kept by network.outreach.actions). Working
days are NRW's (`network.reminders.calendar`, as for the partners' answers). Prospects erased
by retention keep their dates and status, so a month's figures do not change later. Counts
are protected like every other table (small cells shown as "< 3" and secondary suppression);
a median with fewer people behind it than the threshold is not shown."""

from __future__ import annotations

from network import words
from network.reports import queries
from network.reports.document import Section, count_table, median_table
from network.reports.sections import Scope, median_rows
from network.reports.sections.referrals import answer_medians

MEASURES = ["Neu erfasst", "Erster Kontakt", "In einen Fall übernommen", "Geparkt"]
MEASURE_COLUMNS = ("added", "contacted", "converted", "parked")


async def build(scope: Scope) -> Section:
    found = {row["legal_circle"]: row
             for row in await queries.rows(queries.OUTREACH_COUNTS, scope.start, scope.end)}
    counts = [[found[circle][column] if circle in found else 0 for column in MEASURE_COLUMNS]
              for circle in words.LEGAL_CIRCLES]
    medians = median_rows(
        answer_medians(await queries.rows(queries.OUTREACH_FIRST_CONTACTS, scope.start,
                                          scope.end)),
        words.LEGAL_CIRCLES, overall_label="Alle Rechtskreise")
    threshold = scope.min_cell
    return Section(
        key="erstansprache", title="Erstansprache",
        tables=[
            count_table("erstansprache_im_monat", "Erstansprache im Monat", "Rechtskreis",
                        list(words.LEGAL_CIRCLES.values()), MEASURES, counts, threshold,
                        row_totals=False,
                        note="Personen, die im Monat neu erfasst, zum ersten Mal erreicht"
                             " (erreicht, eingeladen oder abgelehnt), in eine Erstberatung oder"
                             " Programmteilnahme übernommen oder geparkt wurden."),
            median_table("erstansprache_wartezeit",
                         "Arbeitstage von der Erfassung bis zum ersten Kontakt (Median)",
                         "Rechtskreis", "Median (Arbeitstage)", medians, threshold,
                         note=f"Für Personen, die im Monat zum ersten Mal erreicht wurden;"
                              f" Arbeitstage in NRW ohne Feiertage; bei weniger als {threshold}"
                              f" Personen nicht ausgewiesen (\".\")."),
        ],
    )
