"""Referrals: sent, accepted, declined (by reason) and expired in the month by partner kind;
the median number of working days to a partner's first answer; reminders, escalations and
referrals overdue at month end; partners who never answered.

Counts come from the append-only referral_events, so a referral answered at 00:30 Berlin on the
1st counts in the month that starts then. Working days are NRW's (`network.reminders.calendar`):
Python names the public holidays of the period, SQL counts the weekdays between two Berlin dates
that are not among them. "Overdue" is the referral list's rule (`network.referrals.overdue`):
still sent, unanswered for more than 3 working days, at the month's last moment. A partner
"never answered" when it had received a referral by month end and had accepted or declined
none by then, so a stored report's figure does not change later.
"""

from __future__ import annotations

from datetime import date, timedelta

from network import words
from network.referrals.lifecycle import DeclineReason
from network.referrals.overdue import overdue_window
from network.reminders.calendar import BERLIN, WorkingCalendar
from network.reminders.policy import NRW
from network.reports import queries
from network.reports.document import Chart, Section, count_table, median_table
from network.reports.sections import Scope, median_rows

FLOW = ["Gesendet", "Angenommen", "Abgelehnt", "Abgelaufen"]
FOLLOW_UP = ["Erinnerungen", "Eskalationen", "Überfällig am Monatsende"]

def weekday_holidays(first: date, last: date, calendar: WorkingCalendar = NRW) -> list[date]:
    """Monday-to-Friday dates from `first` to `last` on which nobody works (NRW holidays)."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def build(scope: Scope) -> Section:
    kinds = list(words.PARTNER_KINDS)
    kind_labels = list(words.PARTNER_KINDS.values())
    window = overdue_window(scope.end)
    rows = {row["kind"]: row for row in await queries.rows(
        queries.REFERRAL_COUNTS, scope.start, scope.end, kinds, window.all_before_or_on,
        window.same_hour_until, window.hour)}
    reasons = {row["reason_code"]: row["n"] for row in await queries.rows(
        queries.REFERRAL_REASONS, scope.start, scope.end)}
    earliest = await queries.value(queries.REFERRAL_EARLIEST_SENT, scope.start, scope.end)
    holidays = [] if earliest is None else weekday_holidays(
        earliest.astimezone(BERLIN).date(), scope.month.last_day)
    medians = median_rows(await queries.rows(queries.REFERRAL_MEDIANS, scope.start, scope.end,
                                                 holidays), words.PARTNER_KINDS)

    def columns(*names: str) -> list[list[int]]:
        return [[rows[kind][name] for name in names] for kind in kinds]

    threshold = scope.min_cell
    return Section(
        key="vermittlungen", title="Vermittlungen",
        tables=[
            count_table("vermittlungen_nach_partnerart", "Vermittlungen nach Art des Partners",
                        "Art des Partners", kind_labels, FLOW,
                        columns("sent", "accepted", "declined", "expired"), threshold,
                        row_totals=False,
                        note="Angenommen, abgelehnt und abgelaufen: Entscheidungen im Monat,"
                             " auch zu früher gesendeten Vermittlungen."),
            count_table("vermittlungen_ablehnungsgruende", "Ablehnungen nach Grund", "Grund",
                        [words.DECLINE_REASONS[reason] for reason in DeclineReason], ["Anzahl"],
                        [[reasons.get(reason.value, 0)] for reason in DeclineReason],
                        threshold, row_totals=False),
            median_table("vermittlungen_antwortzeit",
                         "Arbeitstage bis zur ersten Antwort des Partners (Median)",
                         "Art des Partners", "Median (Arbeitstage)", medians, threshold,
                         note=f"Für Vermittlungen, deren erste Antwort (angenommen oder"
                              f" abgelehnt) im Monat kam; Arbeitstage in NRW ohne Feiertage;"
                              f" bei weniger als {threshold} Fällen nicht ausgewiesen (\".\")."),
            count_table("vermittlungen_nachverfolgung",
                        "Erinnerungen, Eskalationen und überfällige Vermittlungen",
                        "Art des Partners", kind_labels, FOLLOW_UP,
                        columns("reminders", "escalations", "overdue"), threshold,
                        row_totals=False,
                        note="Erinnerungen an Partner und Eskalationen an die Koordination, im"
                             " Monat versandt; überfällig: gesendet und am Monatsende seit mehr"
                             " als 3 Arbeitstagen ohne Antwort."),
            count_table("partner_ohne_antwort", "Partner, die nie geantwortet haben",
                        "Art des Partners", kind_labels, ["Anzahl"], columns("silent"),
                        threshold, row_totals=False,
                        note="Bis zum Monatsende mindestens eine Vermittlung erhalten und keine"
                             " angenommen oder abgelehnt."),
        ],
        charts=[Chart("vermittlungen_gesendet", "Vermittlungen nach Art des Partners", "barh",
                      "vermittlungen_nach_partnerart", ["Gesendet", "Angenommen"])],
    )
