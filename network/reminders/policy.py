"""The reminder policy: given where a referral, barrier or case stands, what is the next reminder?

Issue 7's promise is that nobody falls through: an unanswered referral is chased, then escalated,
then expires; accepted work is followed up until there is an outcome; a barrier without an open
referral and a case without activity come back to the coordinator. This module only computes the
next step and when it is due (UTC, inside office hours); the service stores it as a row and
cancels it when a status change makes it moot. Pure: the history and `not_before` (normally
"now") are parameters, never read from a clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from network.reminders.calendar import (
    BERLIN,
    WorkingCalendar,
    add_calendar_days,
    berlin_moment,
    require_utc,
)

NRW = WorkingCalendar()


class Recipient(StrEnum):
    PARTNER = "partner"
    COORDINATOR = "coordinator"
    SYSTEM = "system"  # not a message: the system itself acts (lets a referral expire)


class ReminderKind(StrEnum):
    NO_ANSWER = "no_answer"  # to the partner: please accept or decline
    ESCALATION = "escalation"  # to the coordinator: the partner does not answer
    LAST_WARNING = "last_warning"  # to the partner: it expires unless answered
    EXPIRE = "expire"  # the system moves the referral sent -> expired
    OUTCOME_FOLLOW_UP = "outcome_follow_up"  # to the partner: how is it going, what came of it?
    HOLD_CHECK = "hold_check"  # to the partner: is the referral still on hold?
    BARRIER_UNCOVERED = "barrier_uncovered"  # to the coordinator: open barrier, no open referral
    CASE_INACTIVE = "case_inactive"  # to the coordinator: nothing happened in this case


@dataclass(frozen=True)
class ChainStep:
    kind: ReminderKind
    recipient: Recipient
    after_working_days: int  # counted from the status change or the previous step


DEFAULT_NO_ANSWER_CHAIN: tuple[ChainStep, ...] = (
    ChainStep(ReminderKind.NO_ANSWER, Recipient.PARTNER, 3),
    ChainStep(ReminderKind.NO_ANSWER, Recipient.PARTNER, 3),
    ChainStep(ReminderKind.ESCALATION, Recipient.COORDINATOR, 3),
    ChainStep(ReminderKind.LAST_WARNING, Recipient.PARTNER, 3),
    ChainStep(ReminderKind.EXPIRE, Recipient.SYSTEM, 3),
)


@dataclass(frozen=True)
class ReminderConfig:
    """How one kind of partner is chased. The defaults are issue 7's."""

    no_answer_chain: tuple[ChainStep, ...] = DEFAULT_NO_ANSWER_CHAIN
    follow_up_every_days: int = 14  # accepted / in_progress: ask for the outcome
    hold_check_after_days: int = 30  # on_hold without a date from the partner, and repeats

    def __post_init__(self) -> None:
        if any(step.after_working_days < 0 for step in self.no_answer_chain):
            raise ValueError("no_answer_chain: working days must not be negative")
        if self.follow_up_every_days < 1 or self.hold_check_after_days < 1:
            raise ValueError("follow_up_every_days and hold_check_after_days must be at least 1")


@dataclass(frozen=True)
class CaseRules:
    """Coordinator reminders about barriers and cases; they repeat until the situation ends."""

    barrier_uncovered_days: int = 7
    case_inactive_days: int = 30


def config_for(partner_kind: str, overrides: Mapping[str, ReminderConfig]) -> ReminderConfig:
    """The configuration for a partner kind: its own, else the defaults."""
    return overrides.get(partner_kind, ReminderConfig())


@dataclass(frozen=True)
class SentReminder:
    kind: ReminderKind | str
    sent_at: datetime  # also for a reminder the coordinator skipped: the chain moves on


@dataclass(frozen=True)
class ReferralState:
    status: str
    status_changed_at: datetime
    reminders_sent: tuple[SentReminder, ...] = ()  # may hold the whole history; older ignored
    hold_until: datetime | None = None  # on_hold: the date the partner gave, if any


@dataclass(frozen=True)
class BarrierState:
    resolved: bool
    has_open_referral: bool
    uncovered_since: datetime  # opened, or its last open referral closed
    reminders_sent: tuple[datetime, ...] = field(default=())


@dataclass(frozen=True)
class CaseState:
    closed: bool
    last_activity_at: datetime
    reminders_sent: tuple[datetime, ...] = field(default=())


@dataclass(frozen=True)
class DueReminder:
    kind: ReminderKind
    recipient: Recipient
    due_at: datetime  # UTC, inside office hours
    sequence: int  # 1 for the first of its chain in this status; part of a unique key


_CHAIN_KINDS = frozenset({ReminderKind.NO_ANSWER, ReminderKind.ESCALATION,
                          ReminderKind.LAST_WARNING, ReminderKind.EXPIRE})


def next_referral_reminder(
    state: ReferralState,
    config: ReminderConfig | None = None,
    *,
    calendar: WorkingCalendar = NRW,
    not_before: datetime | None = None,
) -> DueReminder | None:
    """The next reminder for a referral in its current status, or None (draft, closed, or the
    no-answer chain has run out). Reminders sent before the current status began do not count,
    so every status starts its own chain."""
    config = config or ReminderConfig()
    since = require_utc(state.status_changed_at, "status_changed_at")
    status = state.status

    if status == "sent":
        earlier = _sent_since(state.reminders_sent, since, _CHAIN_KINDS)
        if len(earlier) >= len(config.no_answer_chain):
            return None
        step = config.no_answer_chain[len(earlier)]
        base = earlier[-1] if earlier else since
        due = calendar.add_working_days(base, step.after_working_days)
        return _due(step.kind, step.recipient, due, len(earlier) + 1, calendar, not_before)

    if status in ("accepted", "in_progress"):
        earlier = _sent_since(state.reminders_sent, since, {ReminderKind.OUTCOME_FOLLOW_UP})
        base = earlier[-1] if earlier else since
        due = add_calendar_days(base, config.follow_up_every_days)
        return _due(ReminderKind.OUTCOME_FOLLOW_UP, Recipient.PARTNER, due, len(earlier) + 1,
                    calendar, not_before)

    if status == "on_hold":
        earlier = _sent_since(state.reminders_sent, since, {ReminderKind.HOLD_CHECK})
        if earlier:
            due = add_calendar_days(earlier[-1], config.hold_check_after_days)
        elif state.hold_until is not None:
            due = max(require_utc(state.hold_until, "hold_until"), since)
        else:
            due = add_calendar_days(since, config.hold_check_after_days)
        return _due(ReminderKind.HOLD_CHECK, Recipient.PARTNER, due, len(earlier) + 1,
                    calendar, not_before)

    return None  # draft (nothing sent yet) and every closed status


def next_barrier_reminder(
    state: BarrierState,
    rules: CaseRules | None = None,
    *,
    calendar: WorkingCalendar = NRW,
    not_before: datetime | None = None,
) -> DueReminder | None:
    """An open barrier with no open referral comes back to the coordinator every N days."""
    if state.resolved or state.has_open_referral:
        return None
    rules = rules or CaseRules()
    return _repeating(ReminderKind.BARRIER_UNCOVERED, state.uncovered_since, "uncovered_since",
                      state.reminders_sent, rules.barrier_uncovered_days, calendar, not_before)


def next_case_reminder(
    state: CaseState,
    rules: CaseRules | None = None,
    *,
    calendar: WorkingCalendar = NRW,
    not_before: datetime | None = None,
) -> DueReminder | None:
    """An open case without any activity comes back to the coordinator every N days."""
    if state.closed:
        return None
    rules = rules or CaseRules()
    return _repeating(ReminderKind.CASE_INACTIVE, state.last_activity_at, "last_activity_at",
                      state.reminders_sent, rules.case_inactive_days, calendar, not_before)


def next_weekly_digest(after: datetime, *, calendar: WorkingCalendar = NRW) -> datetime:
    """When the next weekly digest of overdue items goes to the coordinators: office opening on
    the first working day of a week (Tuesday after Easter Monday), strictly after `after`."""
    after = require_utc(after, "after")
    monday = after.astimezone(BERLIN).date()
    monday -= timedelta(days=monday.weekday())
    while True:
        week = [monday + timedelta(days=i) for i in range(7)]
        working = [day for day in week if calendar.is_working_day(day)]
        if working:
            moment = berlin_moment(working[0], calendar.office_hours.opens)
            if moment > after:
                return moment
        monday += timedelta(days=7)


def _repeating(
    kind: ReminderKind,
    since: datetime,
    since_name: str,
    sent: tuple[datetime, ...],
    every_days: int,
    calendar: WorkingCalendar,
    not_before: datetime | None,
) -> DueReminder:
    since = require_utc(since, since_name)
    earlier = sorted(t for t in (require_utc(s, "reminders_sent") for s in sent) if t >= since)
    base = earlier[-1] if earlier else since
    return _due(kind, Recipient.COORDINATOR, add_calendar_days(base, every_days),
                len(earlier) + 1, calendar, not_before)


def _sent_since(
    sent: Iterable[SentReminder], since: datetime, kinds: Iterable[ReminderKind],
) -> list[datetime]:
    wanted = set(kinds)
    return sorted(
        at for at in (require_utc(r.sent_at, "sent_at") for r in sent
                      if ReminderKind(r.kind) in wanted)
        if at >= since
    )


def _due(
    kind: ReminderKind,
    recipient: Recipient,
    due: datetime,
    sequence: int,
    calendar: WorkingCalendar,
    not_before: datetime | None,
) -> DueReminder:
    if not_before is not None:
        due = max(due, require_utc(not_before, "not_before"))
    return DueReminder(kind, recipient, calendar.next_office_moment(due), sequence)
