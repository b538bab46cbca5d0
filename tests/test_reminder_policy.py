"""The reminder policy: which reminder comes next, to whom, and when (UTC, in office hours)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from network.reminders.calendar import BERLIN, WorkingCalendar
from network.reminders.policy import (
    BarrierState,
    CaseRules,
    CaseState,
    ChainStep,
    DueReminder,
    Recipient,
    ReferralState,
    ReminderConfig,
    ReminderKind,
    SentReminder,
    config_for,
    next_barrier_reminder,
    next_case_reminder,
    next_referral_reminder,
    next_weekly_digest,
)

CAL = WorkingCalendar()
K, R = ReminderKind, Recipient


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def run_chain(state: ReferralState, config: ReminderConfig | None = None) -> list[DueReminder]:
    """Play a referral that never gets an answer: send each reminder when it is due."""
    seen: list[DueReminder] = []
    while (due := next_referral_reminder(state, config)) is not None:
        seen.append(due)
        sent = (*state.reminders_sent, SentReminder(due.kind, due.due_at))
        state = ReferralState(state.status, state.status_changed_at, sent)
        assert len(seen) < 20
    return seen


def test_it_chases_an_unanswered_referral_then_escalates_and_expires() -> None:
    # Sent Thursday before Easter 2026, 10:00: Good Friday and Easter Monday do not count.
    chain = run_chain(ReferralState("sent", berlin(2026, 4, 2, 10, 0)))
    assert [(d.kind, d.recipient, d.sequence) for d in chain] == [
        (K.NO_ANSWER, R.PARTNER, 1),
        (K.NO_ANSWER, R.PARTNER, 2),
        (K.ESCALATION, R.COORDINATOR, 3),
        (K.LAST_WARNING, R.PARTNER, 4),
        (K.EXPIRE, R.SYSTEM, 5),
    ]
    assert [d.due_at for d in chain] == [
        berlin(2026, 4, 9, 10, 0),
        berlin(2026, 4, 14, 10, 0),
        berlin(2026, 4, 17, 10, 0),
        berlin(2026, 4, 22, 10, 0),
        berlin(2026, 4, 27, 10, 0),
    ]


def test_it_counts_from_the_actual_sending_of_the_previous_reminder() -> None:
    state = ReferralState("sent", berlin(2026, 11, 2, 9, 0),
                          (SentReminder("no_answer", berlin(2026, 11, 9, 11, 30)),))
    due = next_referral_reminder(state)
    assert due == DueReminder(K.NO_ANSWER, R.PARTNER, berlin(2026, 11, 12, 11, 30), 2)


def test_it_moves_a_reminder_computed_after_closing_time_to_the_next_opening() -> None:
    # Sent Friday 27 March 2026 at 18:00 CET; + 3 working days is Wednesday 18:00 CEST.
    due = next_referral_reminder(ReferralState("sent", berlin(2026, 3, 27, 18, 0)))
    assert due is not None
    assert due.due_at == berlin(2026, 4, 2, 8, 0) == datetime(2026, 4, 2, 6, 0, tzinfo=UTC)


def test_it_crosses_the_autumn_switch_at_the_same_wall_clock_time() -> None:
    due = next_referral_reminder(ReferralState("sent", berlin(2026, 10, 22, 14, 0)))
    assert due is not None
    assert due.due_at == datetime(2026, 10, 27, 13, 0, tzinfo=UTC)  # 14:00 CET


def test_it_ignores_reminders_from_before_the_current_status() -> None:
    # Back in `sent` after... (e.g. re-sent): old chain entries must not count.
    old = (SentReminder("no_answer", berlin(2026, 11, 2, 9, 0)),
           SentReminder("outcome_follow_up", berlin(2026, 11, 3, 9, 0)))
    state = ReferralState("sent", berlin(2026, 11, 16, 9, 0), old)
    due = next_referral_reminder(state)
    assert due is not None and due.sequence == 1
    assert due.due_at == berlin(2026, 11, 19, 9, 0)


def test_it_follows_up_accepted_work_every_fourteen_days() -> None:
    accepted = berlin(2026, 10, 19, 9, 0)  # CEST; 14 days later is CET
    due = next_referral_reminder(ReferralState("accepted", accepted))
    assert due == DueReminder(K.OUTCOME_FOLLOW_UP, R.PARTNER, berlin(2026, 11, 2, 9, 0), 1)
    again = next_referral_reminder(ReferralState(
        "in_progress", accepted, (SentReminder("outcome_follow_up", berlin(2026, 11, 2, 9, 0)),)))
    assert again == DueReminder(K.OUTCOME_FOLLOW_UP, R.PARTNER, berlin(2026, 11, 16, 9, 0), 2)


def test_it_moves_a_follow_up_that_falls_on_easter_monday() -> None:
    due = next_referral_reminder(ReferralState("in_progress", berlin(2026, 3, 23, 9, 0)))
    assert due is not None and due.due_at == berlin(2026, 4, 7, 8, 0)


def test_it_asks_an_on_hold_partner_again_on_the_date_they_gave() -> None:
    state = ReferralState("on_hold", berlin(2026, 11, 2, 9, 0),
                          hold_until=berlin(2026, 12, 25, 0, 0))
    due = next_referral_reminder(state)
    assert due == DueReminder(K.HOLD_CHECK, R.PARTNER, berlin(2026, 12, 28, 8, 0), 1)


def test_it_asks_an_on_hold_partner_again_after_thirty_days_and_then_every_thirty() -> None:
    held = berlin(2026, 11, 2, 9, 0)
    due = next_referral_reminder(ReferralState("on_hold", held))
    assert due == DueReminder(K.HOLD_CHECK, R.PARTNER, berlin(2026, 12, 2, 9, 0), 1)
    again = next_referral_reminder(ReferralState(
        "on_hold", held, (SentReminder("hold_check", berlin(2026, 12, 2, 9, 0)),)))
    assert again is not None and again.due_at == berlin(2027, 1, 4, 8, 0)  # 1 Jan, weekend


@pytest.mark.parametrize("status", ["draft", "declined", "completed", "failed", "cancelled",
                                    "expired"])
def test_it_sends_nothing_for_drafts_and_closed_referrals(status: str) -> None:
    assert next_referral_reminder(ReferralState(status, berlin(2026, 11, 2, 9, 0))) is None


def test_it_never_schedules_into_the_past_when_given_now() -> None:
    now = berlin(2026, 11, 28, 11, 0)  # a Saturday; the reminder was due weeks ago
    due = next_referral_reminder(ReferralState("sent", berlin(2026, 10, 1, 9, 0)), not_before=now)
    assert due is not None and due.due_at == berlin(2026, 11, 30, 8, 0)


def test_it_takes_the_configuration_of_the_partners_kind() -> None:
    volunteers = ReminderConfig(
        no_answer_chain=(ChainStep(K.NO_ANSWER, R.PARTNER, 5),
                         ChainStep(K.EXPIRE, R.SYSTEM, 5)),
        follow_up_every_days=28)
    overrides = {"volunteers": volunteers}
    assert config_for("volunteers", overrides) is volunteers
    assert config_for("school", overrides) == ReminderConfig()
    chain = run_chain(ReferralState("sent", berlin(2026, 11, 2, 9, 0)), volunteers)
    assert [(d.kind, d.due_at) for d in chain] == [
        (K.NO_ANSWER, berlin(2026, 11, 9, 9, 0)), (K.EXPIRE, berlin(2026, 11, 16, 9, 0))]
    follow = next_referral_reminder(ReferralState("accepted", berlin(2026, 11, 2, 9, 0)),
                                    volunteers)
    assert follow is not None and follow.due_at == berlin(2026, 11, 30, 9, 0)


def test_it_refuses_nonsense_configuration_and_naive_times() -> None:
    with pytest.raises(ValueError, match="follow_up_every_days"):
        ReminderConfig(follow_up_every_days=0)
    with pytest.raises(ValueError, match="status_changed_at"):
        next_referral_reminder(ReferralState("sent", datetime(2026, 11, 2, 9, 0)))


def test_it_reminds_the_coordinator_of_a_barrier_without_an_open_referral() -> None:
    since = berlin(2026, 11, 20, 15, 0)
    due = next_barrier_reminder(BarrierState(False, False, since))
    assert due == DueReminder(K.BARRIER_UNCOVERED, R.COORDINATOR, berlin(2026, 11, 27, 15, 0), 1)
    again = next_barrier_reminder(BarrierState(False, False, since, (due.due_at,)))
    assert again is not None and again.due_at == berlin(2026, 12, 4, 15, 0)
    assert next_barrier_reminder(BarrierState(False, True, since)) is None
    assert next_barrier_reminder(BarrierState(True, False, since)) is None
    short = next_barrier_reminder(BarrierState(False, False, since), CaseRules(3))
    assert short is not None and short.due_at == berlin(2026, 11, 23, 15, 0)


def test_it_reminds_the_coordinator_of_an_inactive_case() -> None:
    last = berlin(2026, 11, 25, 12, 0)
    due = next_case_reminder(CaseState(False, last))
    assert due == DueReminder(K.CASE_INACTIVE, R.COORDINATOR, berlin(2026, 12, 28, 8, 0), 1)
    # Activity resets the clock: reminders from before the last activity do not count.
    later = next_case_reminder(CaseState(False, last, (berlin(2026, 10, 1, 9, 0),)))
    assert later == due
    assert next_case_reminder(CaseState(True, last)) is None


def test_it_sends_the_weekly_digest_on_the_first_working_day_of_each_week() -> None:
    assert next_weekly_digest(berlin(2026, 11, 25, 12, 0)) == berlin(2026, 11, 30, 8, 0)
    assert next_weekly_digest(berlin(2026, 11, 30, 7, 0)) == berlin(2026, 11, 30, 8, 0)
    assert next_weekly_digest(berlin(2026, 11, 30, 8, 0)) == berlin(2026, 12, 7, 8, 0)
    # Easter Monday 2026: the digest waits for Tuesday, 08:00 summer time.
    assert next_weekly_digest(berlin(2026, 4, 1, 9, 0)) == datetime(2026, 4, 7, 6, 0, tzinfo=UTC)


moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31),
                       timezones=st.just(UTC))


@given(status=st.sampled_from(["sent", "accepted", "in_progress", "on_hold"]),
       changed=moments,
       gaps=st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=40)),
                     max_size=4),
       hold_for=st.none() | st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)))
def test_every_reminder_is_due_in_office_hours_after_the_last_event(
        status: str, changed: datetime, gaps: list[timedelta], hold_for: timedelta | None) -> None:
    kind = {"sent": K.NO_ANSWER, "on_hold": K.HOLD_CHECK}.get(status, K.OUTCOME_FOLLOW_UP)
    sent_times = [changed + sum(gaps[: i + 1], timedelta()) for i in range(len(gaps))]
    state = ReferralState(status, changed, tuple(SentReminder(kind, t) for t in sent_times),
                          hold_until=changed + hold_for if hold_for is not None else None)
    due = next_referral_reminder(state)
    assert due is not None
    assert due.due_at.tzinfo is UTC
    assert CAL.is_office_time(due.due_at)
    assert due.due_at > max([changed, *sent_times]) or (
        status == "on_hold" and not gaps and hold_for is not None)
    assert due.sequence == len(gaps) + 1
