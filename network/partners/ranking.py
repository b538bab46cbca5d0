"""How the partner picker ranks the partners for one barrier of one client: pure, no I/O and
no clock (the caller passes today and the window's figures).

The rule, in order:
1. A partner on a capacity pause (paused until today or later) comes last, whatever else.
2. Fit, in this order: handles the barrier's kind; speaks the client's main language (the
   first of the client's languages); serves the client's municipality (an empty served list is
   the whole district; a client without a municipality is served by everybody).
3. Within the same fit, partners with enough evidence (at least `MIN_EVIDENCE` referrals with a
   first answer or expired unanswered, in the last 12 months) come before partners with thin
   evidence: thin evidence is never ranked above a partner whose figures are known.
4. Among partners with enough evidence, a higher score first:
       score = accepted share + 1/2 x removed share + 1/2 x speed - load
   where each share is the Wilson lower bound (95 %) of its count, so few referrals weigh
   less than many; speed = 1 / (1 + median working days to the first answer) (0 when no
   referral was answered); load = 0.02 per open referral now, at most 0.2.
   Among partners with thin evidence: fewer open referrals first.
5. Then by name (German dictionary order), then id.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from network.reminders.calendar import BERLIN, WorkingCalendar, require_utc
from network.words.places import collation_key

MIN_EVIDENCE = 5  # referrals decided in the window before a rate is shown or ranked
WILSON_Z = 1.96  # 95 %
LOAD_STEP = 0.02
LOAD_CAP = 10  # open referrals beyond this add no further penalty
WINDOW_MONTHS = 12


def window_start(now: datetime) -> datetime:
    """The start of the evidence window: the same moment twelve months earlier (29 February
    becomes 28 February)."""
    try:
        return now.replace(year=now.year - 1)
    except ValueError:
        return now.replace(year=now.year - 1, day=28)


def wilson_lower(successes: int, trials: int, z: float = WILSON_Z) -> float:
    """The lower bound of the Wilson score interval of successes/trials (0 with no trials)."""
    if trials <= 0:
        return 0.0
    p = successes / trials
    z2 = z * z
    centre = p + z2 / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return max(0.0, (centre - margin) / (1 + z2 / trials))


class WorkingDays:
    """Working days between two instants, counted as `WorkingCalendar.working_days_between`
    does, from a running count over [first, last] built once: the picker asks for thousands of
    answers and the calendar's day-by-day walk would take a noticeable part of a second."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date) -> None:
        self.calendar, self.first = calendar, first
        counts, running = [0], 0
        for offset in range(1, (last - first).days + 1):
            running += calendar.is_working_day(first + timedelta(days=offset))
            counts.append(running)
        self.counts = counts

    def between(self, start: datetime, end: datetime) -> int:
        i = (require_utc(start).astimezone(BERLIN).date() - self.first).days
        j = (require_utc(end).astimezone(BERLIN).date() - self.first).days
        if 0 <= i < len(self.counts) and 0 <= j < len(self.counts):
            return self.counts[j] - self.counts[i]
        return self.calendar.working_days_between(start, end)


def answer_days(answers: Iterable[tuple[datetime, datetime]],
                working_days: WorkingDays) -> tuple[int, ...]:
    """Working days from sending to the first answer, one per answered referral."""
    return tuple(max(0, working_days.between(sent, answered)) for sent, answered in answers)


@dataclass(frozen=True)
class Evidence:
    """A partner's figures over the window (referrals sent in it) and its open load now."""

    sent: int = 0  # referrals sent
    decided: int = 0  # of those, answered (accepted or declined first) or expired unanswered
    accepted: int = 0  # first answer: accepted
    answer_days: tuple[int, ...] = ()  # working days to each first answer
    finished: int = 0  # completed or failed
    removed: int = 0  # completed with the barrier removed (outcome "yes")
    open_now: int = 0  # open referrals now (any age)

    @property
    def enough(self) -> bool:
        return self.decided >= MIN_EVIDENCE

    @property
    def median_days(self) -> float | None:
        return median(self.answer_days) if self.answer_days else None

    @property
    def score(self) -> float:
        days = self.median_days
        speed = 0.0 if days is None else 1 / (1 + days)
        return (wilson_lower(self.accepted, self.decided)
                + 0.5 * wilson_lower(self.removed, self.finished)
                + 0.5 * speed
                - LOAD_STEP * min(self.open_now, LOAD_CAP))


@dataclass(frozen=True)
class Candidate:
    partner_id: int
    name: str
    handles: bool  # lists the barrier's kind
    speaks_main: bool  # speaks the client's main language
    serves: bool  # serves the client's municipality
    paused_until: date | None
    evidence: Evidence


def serves(served: Sequence[str], municipality: str | None) -> bool:
    """An empty served list is the whole district; a client without a municipality fits."""
    return not served or municipality is None or municipality in served


def paused(candidate: Candidate, today: date) -> bool:
    return candidate.paused_until is not None and candidate.paused_until >= today


def sort_key(candidate: Candidate, today: date) -> tuple:
    evidence = candidate.evidence
    return (paused(candidate, today), not candidate.handles, not candidate.speaks_main,
            not candidate.serves, not evidence.enough,
            -evidence.score if evidence.enough else float(evidence.open_now),
            collation_key(candidate.name), candidate.partner_id)


def rank(candidates: Iterable[Candidate], today: date) -> list[Candidate]:
    """The candidates in the picker's order (see the module's rule)."""
    return sorted(candidates, key=lambda c: sort_key(c, today))
