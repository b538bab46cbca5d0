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

from network.referrals.lifecycle import DeclineReason
from network.referrals.overdue import overdue_window
from network.referrals.wording import DECLINE_REASONS
from network.reminders.calendar import BERLIN, WorkingCalendar
from network.reminders.policy import NRW
from network.reports import labels, queries
from network.reports.document import Chart, Section, count_table, median_table
from network.reports.sections import Scope, median_rows

FLOW = ["Gesendet", "Angenommen", "Abgelehnt", "Abgelaufen"]
FOLLOW_UP = ["Erinnerungen", "Eskalationen", "Überfällig am Monatsende"]
ANSWERS = "('accepted', 'declined')"

# One row per partner kind; each measure is an aggregate over the month's rows only.
COUNTS_SQL = f"""
WITH sent AS (
    SELECT p.kind, count(*) AS n
    FROM referrals r JOIN partners p ON p.id = r.partner_id
    WHERE r.sent_at >= $1 AND r.sent_at < $2
    GROUP BY p.kind
),
changed AS (
    SELECT p.kind,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'accepted') AS accepted,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'declined') AS declined,
           count(DISTINCT e.referral_id) FILTER (WHERE e.to_status = 'expired') AS expired
    FROM referral_events e
    JOIN referrals r ON r.id = e.referral_id JOIN partners p ON p.id = r.partner_id
    WHERE e.at >= $1 AND e.at < $2 AND e.to_status IN ('accepted', 'declined', 'expired')
    GROUP BY p.kind
),
reminded AS (
    SELECT p.kind,
           count(*) FILTER (WHERE m.recipient = 'partner') AS reminders,
           count(*) FILTER (WHERE m.kind = 'escalation') AS escalations
    FROM reminders m
    JOIN referrals r ON r.id = m.referral_id JOIN partners p ON p.id = r.partner_id
    WHERE m.status = 'sent' AND m.sent_at >= $1 AND m.sent_at < $2
    GROUP BY p.kind
),
overdue AS (
    -- Sent before the end and not closed before it; still 'sent' by its last event then;
    -- sent early enough to be overdue at the end (the window of the referral list).
    SELECT p.kind, count(*) AS n
    FROM referrals r JOIN partners p ON p.id = r.partner_id
    WHERE r.sent_at < $2 AND (r.closed_at IS NULL OR r.closed_at >= $2)
      AND ((r.sent_at AT TIME ZONE 'Europe/Berlin')::date <= $4::date
           OR ((r.sent_at AT TIME ZONE 'Europe/Berlin')::date <= $5::date
               AND (r.sent_at AT TIME ZONE 'Europe/Berlin')::time < $6::time))
      AND (SELECT e.to_status FROM referral_events e
           WHERE e.referral_id = r.id AND e.at < $2
           ORDER BY e.at DESC, e.id DESC LIMIT 1) = 'sent'
    GROUP BY p.kind
),
silent AS (
    SELECT p.kind, count(*) AS n
    FROM partners p
    WHERE EXISTS (SELECT 1 FROM referrals r WHERE r.partner_id = p.id AND r.sent_at < $2)
      AND NOT EXISTS (SELECT 1 FROM referrals r JOIN referral_events e ON e.referral_id = r.id
                      WHERE r.partner_id = p.id AND e.to_status IN {ANSWERS} AND e.at < $2)
    GROUP BY p.kind
)
SELECT k.kind,
       coalesce(s.n, 0) AS sent, coalesce(c.accepted, 0) AS accepted,
       coalesce(c.declined, 0) AS declined, coalesce(c.expired, 0) AS expired,
       coalesce(m.reminders, 0) AS reminders, coalesce(m.escalations, 0) AS escalations,
       coalesce(o.n, 0) AS overdue, coalesce(q.n, 0) AS silent
FROM unnest($3::text[]) AS k(kind)
LEFT JOIN sent s USING (kind) LEFT JOIN changed c USING (kind)
LEFT JOIN reminded m USING (kind) LEFT JOIN overdue o USING (kind)
LEFT JOIN silent q USING (kind)
"""

# The reason is the one given with the decline event in the month.
REASONS_SQL = """
SELECT e.reason_code, count(DISTINCT e.referral_id) AS n
FROM referral_events e
WHERE e.at >= $1 AND e.at < $2 AND e.to_status = 'declined'
GROUP BY e.reason_code
"""

# Referrals whose first answer (accepted or declined) falls in the month.
FIRST_ANSWERS = f"""
firsts AS (
    SELECT r.id, r.partner_id, r.sent_at, min(e.at) AS answered_at
    FROM referral_events e JOIN referrals r ON r.id = e.referral_id
    WHERE e.to_status IN {ANSWERS} AND e.at < $2
      AND e.referral_id IN (SELECT referral_id FROM referral_events
                            WHERE to_status IN {ANSWERS} AND at >= $1 AND at < $2)
    GROUP BY r.id, r.partner_id, r.sent_at
    HAVING min(e.at) >= $1
)
"""

EARLIEST_SENT_SQL = f"WITH {FIRST_ANSWERS} SELECT min(sent_at) FROM firsts"

# Working days after the sent date up to and including the answer date (Berlin dates), as
# `WorkingCalendar.working_days_between`: weekdays that are not holidays ($3).
MEDIANS_SQL = f"""
WITH {FIRST_ANSWERS},
spans AS (
    SELECT p.kind,
           (SELECT count(*)
            FROM generate_series((f.sent_at AT TIME ZONE 'Europe/Berlin')::date + 1,
                                 (f.answered_at AT TIME ZONE 'Europe/Berlin')::date,
                                 interval '1 day') AS d(day)
            WHERE extract(isodow FROM d.day) < 6 AND d.day::date <> ALL ($3::date[])) AS days
    FROM firsts f JOIN partners p ON p.id = f.partner_id
)
SELECT kind, grouping(kind) = 1 AS overall,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days, count(*) AS cases
FROM spans
GROUP BY GROUPING SETS ((kind), ())
"""


def weekday_holidays(first: date, last: date, calendar: WorkingCalendar = NRW) -> list[date]:
    """Monday-to-Friday dates from `first` to `last` on which nobody works (NRW holidays)."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def build(scope: Scope) -> Section:
    kinds = list(labels.PARTNER_KINDS)
    kind_labels = list(labels.PARTNER_KINDS.values())
    window = overdue_window(scope.end)
    rows = {row["kind"]: row for row in await queries.rows(
        COUNTS_SQL, scope.start, scope.end, kinds, window.all_before_or_on,
        window.same_hour_until, window.hour)}
    reasons = {row["reason_code"]: row["n"] for row in await queries.rows(
        REASONS_SQL, scope.start, scope.end)}
    earliest = await queries.value(EARLIEST_SENT_SQL, scope.start, scope.end)
    holidays = [] if earliest is None else weekday_holidays(
        earliest.astimezone(BERLIN).date(), scope.month.last_day)
    medians = median_rows(await queries.rows(MEDIANS_SQL, scope.start, scope.end,
                                                 holidays), labels.PARTNER_KINDS)

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
                        [DECLINE_REASONS[reason] for reason in DeclineReason], ["Anzahl"],
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
