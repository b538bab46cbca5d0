"""Referrals: sent, accepted, declined (by reason) and expired in the month by partner kind;
the median number of working days to a partner's first answer; reminders, escalations and
referrals overdue at month end; partners who never answered.

Counts come from the append-only referral_events, so a referral answered at 00:30 Berlin on the
1st counts in the month that starts then. Working days are NRW's (`network.reminders.calendar`):
SQL counts the first answers by the Berlin dates of sending and answering, Python the working
days between those dates (the calendar's own rule) and their medians. "Overdue" is the
referral list's rule (`network.referrals.overdue`): still sent, unanswered for more than 3
working days, at the month's last moment. A partner "never answered" when it had received a
referral by month end and had accepted or declined none by then, so a stored report's figure
does not change later.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from network import words
from network.referrals.lifecycle import DeclineReason
from network.referrals.overdue import overdue_window
from network.reminders.calendar import WorkingCalendar
from network.reminders.policy import NRW
from network.reports import queries
from network.reports.document import Chart, Section, count_table, median_table
from network.reports.sections import Scope, median_rows

FLOW = ["Gesendet", "Angenommen", "Abgelehnt", "Abgelaufen"]
FOLLOW_UP = ["Erinnerungen", "Eskalationen", "Überfällig am Monatsende"]


def working_day_counter(first: date, last: date, calendar: WorkingCalendar = NRW
                        ) -> Mapping[date, int]:
    """Each date from `first` to `last` with the number of working days from `first` up to
    and including it: the working days after a date `a` up to and including a date `b` are
    then `counter[b] - counter[a]`, as `calendar.working_days_between` counts them (the
    calendar is asked once per date, not once per day of every pair of dates). Pure."""
    counter, count, day = {}, 0, first
    while day <= last:
        count += calendar.is_working_day(day)
        counter[day] = count
        day += timedelta(days=1)
    return counter


def middle(counts: Mapping[int, int]) -> float:
    """The median of values given with their frequencies, as SQL's percentile_cont(0.5): the
    mean of the two middle values when their number is even. Pure."""
    total = sum(counts.values())
    ordered = sorted(counts.items())
    cumulative = list(itertools.accumulate(n for _value, n in ordered))

    def at(index: int) -> float:  # the value at a 0-based position of the sorted values
        return next(value for (value, _n), upto in zip(ordered, cumulative, strict=True)
                    if upto > index)

    return (at((total - 1) // 2) + at(total // 2)) / 2


def answer_medians(rows: Iterable[Mapping[str, object]], calendar: WorkingCalendar = NRW
                   ) -> list[dict[str, object]]:
    """Rows for `median_rows` (kind, overall, median_days, cases) from counts by kind and the
    Berlin dates of sending and first answer (REFERRAL_FIRST_ANSWERS; OUTREACH_FIRST_CONTACTS
    names adding and first contact so): the median number of working days between them, per
    kind and over all kinds."""
    rows = list(rows)
    dates = [row[column] for row in rows for column in ("sent_on", "answered_on")
             if row[column] is not None]
    counter = working_day_counter(min(dates), max(dates), calendar) if dates else {}
    by_kind: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[int, int] = defaultdict(int)
    for row in rows:
        sent_on, answered_on = row["sent_on"], row["answered_on"]
        # (no sending date: no day between, as SQL's empty series counted it)
        days = 0 if sent_on is None else max(counter[answered_on] - counter[sent_on], 0)
        by_kind[row["kind"]][days] += row["n"]
        overall[days] += row["n"]
    medians = [{"kind": kind, "overall": False, "median_days": middle(counts),
                "cases": sum(counts.values())} for kind, counts in by_kind.items()]
    if overall:
        medians.append({"kind": None, "overall": True, "median_days": middle(overall),
                        "cases": sum(overall.values())})
    return medians


async def build(scope: Scope) -> Section:
    kinds = list(words.PARTNER_KINDS)
    kind_labels = list(words.PARTNER_KINDS.values())
    window = overdue_window(scope.end)
    # the section's three queries at once: the report's two connections share them out
    counted, declined, answered = await asyncio.gather(
        queries.rows(queries.REFERRAL_COUNTS, scope.start, scope.end, kinds,
                     window.all_before_or_on, window.same_hour_until, window.hour),
        queries.rows(queries.REFERRAL_REASONS, scope.start, scope.end),
        queries.rows(queries.REFERRAL_FIRST_ANSWERS, scope.start, scope.end))
    rows = {row["kind"]: row for row in counted}
    reasons = {row["reason_code"]: row["n"] for row in declined}
    medians = median_rows(answer_medians(answered), words.PARTNER_KINDS)

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
