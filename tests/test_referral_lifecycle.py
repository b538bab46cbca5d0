"""The referral state machine: every rule of the transition table, its refusals and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.referrals.lifecycle import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Change,
    DeclineReason,
    Outcome,
    Party,
    Problem,
    Refusal,
    Status,
    allowed_targets,
    decide,
    handoff_closings,
    may_reassign,
)


def refused(decision: object, problem: Problem, field: str) -> Refusal:
    assert isinstance(decision, Refusal), decision
    assert (decision.problem, decision.field) == (problem, field), decision
    assert decision.message.endswith(".")
    return decision


def test_it_lets_the_coordinator_send_a_draft() -> None:
    change = decide("draft", "sent", "coordinator")
    assert isinstance(change, Change) and change.allowed
    assert (change.from_status, change.to_status, change.party) == ("draft", "sent", "coordinator")
    assert change.notifies == {Party.PARTNER}
    assert not change.closes and not change.resolves_barrier


def test_it_lets_the_partner_accept_and_that_ends_the_no_answer_reminders() -> None:
    change = decide("sent", "accepted", "partner")
    assert isinstance(change, Change)
    assert change.cancels_no_answer_reminders
    assert not change.cancels_all_reminders
    assert change.notifies == {Party.COORDINATOR}


def test_it_refuses_a_partner_sending_a_draft() -> None:
    refusal = refused(decide("draft", "sent", "partner"), Problem.NOT_PERMITTED, "actor")
    assert "only coordinator" in refusal.message


@pytest.mark.parametrize("actor", ["coordinator", "partner"])
def test_it_lets_only_the_system_expire_a_sent_referral(actor: str) -> None:
    refused(decide("sent", "expired", actor), Problem.NOT_PERMITTED, "actor")
    change = decide("sent", "expired", "system")
    assert isinstance(change, Change) and change.closes and change.cancels_all_reminders
    assert change.notifies == {Party.PARTNER, Party.COORDINATOR}


@pytest.mark.parametrize("current", sorted(OPEN_STATUSES - {Status.SENT}))
def test_it_refuses_to_expire_anything_but_a_sent_referral(current: Status) -> None:
    refused(decide(current, "expired", "system"), Problem.CONFLICT, "status")


def test_it_needs_a_reason_code_to_decline() -> None:
    refusal = refused(decide("sent", "declined", "partner"), Problem.INVALID, "reason_code")
    assert "no_capacity" in refusal.message
    refused(decide("sent", "declined", "partner", reason_code="busy"),
            Problem.INVALID, "reason_code")


@pytest.mark.parametrize("code", [c for c in DeclineReason if c is not DeclineReason.OTHER])
def test_it_accepts_every_decline_reason_code(code: DeclineReason) -> None:
    change = decide("sent", "declined", "partner", reason_code=code.value)
    assert isinstance(change, Change) and change.reason_code is code and change.closes


def test_it_needs_words_for_a_decline_for_another_reason() -> None:
    refused(decide("sent", "declined", "partner", reason_code="other"),
            Problem.INVALID, "reason_text")
    refused(decide("sent", "declined", "partner", reason_code="other", reason_text="   "),
            Problem.INVALID, "reason_text")
    change = decide("sent", "declined", "partner", reason_code="other",
                    reason_text="  We closed for renovation  ")
    assert isinstance(change, Change) and change.reason_text == "We closed for renovation"


@pytest.mark.parametrize(("current", "target"), [
    ("accepted", "on_hold"), ("in_progress", "on_hold"), ("in_progress", "failed"),
    ("on_hold", "failed"), ("sent", "cancelled"), ("draft", "cancelled"),
])
def test_it_needs_a_reason_for_hold_fail_and_cancel(current: str, target: str) -> None:
    refused(decide(current, target, "coordinator"), Problem.INVALID, "reason_text")
    assert isinstance(decide(current, target, "coordinator", reason_text="Client moved"), Change)


def test_it_refuses_an_overlong_reason() -> None:
    refused(decide("sent", "cancelled", "coordinator", reason_text="x" * 2001),
            Problem.INVALID, "reason_text")


def test_it_refuses_details_that_do_not_belong_to_the_change() -> None:
    refused(decide("in_progress", "failed", "partner", reason_code="no_capacity",
                   reason_text="gone"), Problem.INVALID, "reason_code")
    refused(decide("sent", "accepted", "partner", outcome="yes"), Problem.INVALID, "outcome")


def test_it_needs_an_outcome_to_complete() -> None:
    refused(decide("in_progress", "completed", "partner"), Problem.INVALID, "outcome")
    refused(decide("in_progress", "completed", "partner", outcome="maybe"),
            Problem.INVALID, "outcome")


@pytest.mark.parametrize(("outcome", "resolves"), [("yes", True), ("partly", False),
                                                   ("no", False)])
def test_it_resolves_the_barrier_only_when_completed_with_yes(outcome: str, resolves: bool) -> None:
    change = decide("in_progress", "completed", "partner", outcome=outcome)
    assert isinstance(change, Change)
    assert change.outcome is Outcome(outcome)
    assert change.resolves_barrier is resolves


@pytest.mark.parametrize("current", sorted(OPEN_STATUSES))
def test_it_lets_the_coordinator_cancel_any_open_referral(current: Status) -> None:
    change = decide(current, "cancelled", "coordinator", reason_text="Client moved away")
    assert isinstance(change, Change) and change.cancels_all_reminders
    refused(decide(current, "cancelled", "partner", reason_text="x"),
            Problem.NOT_PERMITTED, "actor")


def test_it_tells_the_partner_when_the_coordinator_cancels_after_sending() -> None:
    sent = decide("sent", "cancelled", "coordinator", reason_text="Client moved away")
    draft = decide("draft", "cancelled", "coordinator", reason_text="Mistake")
    assert isinstance(sent, Change) and sent.notifies == {Party.PARTNER}
    assert isinstance(draft, Change) and draft.notifies == frozenset()


@pytest.mark.parametrize("current", sorted(CLOSED_STATUSES))
def test_it_keeps_closed_referrals_closed(current: Status) -> None:
    for target in Status:
        for actor in Party:
            decision = decide(current, target, actor, reason_code="other", reason_text="x",
                              outcome="yes")
            assert isinstance(decision, Refusal)
            assert decision.problem in (Problem.CONFLICT, Problem.ALREADY)
    assert allowed_targets(current, "coordinator") == frozenset()
    assert not may_reassign(current)


def test_it_says_already_when_the_status_would_not_change() -> None:
    refusal = refused(decide("accepted", "accepted", "partner"), Problem.ALREADY, "status")
    assert refusal.message == "The referral is already accepted."


def test_it_names_the_reachable_statuses_when_refusing_a_jump() -> None:
    refusal = refused(decide("draft", "completed", "coordinator", outcome="yes"),
                      Problem.CONFLICT, "status")
    assert refusal.message == ("A referral cannot go from draft to completed; from draft it "
                               "can go to cancelled, sent.")


def test_it_refuses_unknown_statuses_and_actors_as_invalid() -> None:
    refused(decide("sent", "done", "partner"), Problem.INVALID, "status")
    refused(decide("sent", "accepted", "robot"), Problem.INVALID, "actor")


def test_it_lists_what_each_actor_may_do() -> None:
    assert allowed_targets("sent", "partner") == {Status.ACCEPTED, Status.DECLINED}
    assert allowed_targets("sent", "system") == {Status.EXPIRED}
    assert allowed_targets("sent", "coordinator") == {
        Status.ACCEPTED, Status.DECLINED, Status.CANCELLED}


def test_it_says_which_statuses_can_be_handed_off_and_how() -> None:
    assert handoff_closings("draft") == frozenset()
    assert handoff_closings("sent") == {Status.DECLINED}
    assert handoff_closings("accepted") == {Status.DECLINED, Status.COMPLETED}
    assert handoff_closings("in_progress") == {Status.COMPLETED}
    assert handoff_closings("on_hold") == {Status.COMPLETED}
    for closed in CLOSED_STATUSES:
        assert handoff_closings(closed) == frozenset()


def test_it_closes_a_handed_off_referral_and_opens_a_linked_one() -> None:
    change = decide("sent", "declined", "coordinator", reason_code="not_our_service",
                    handoff=True)
    assert isinstance(change, Change)
    assert change.opens_linked_referral and change.closes and change.cancels_all_reminders
    done = decide("in_progress", "completed", "coordinator", outcome="partly", handoff=True)
    assert isinstance(done, Change) and done.opens_linked_referral
    assert not done.resolves_barrier


def test_it_refuses_handoffs_that_do_not_close_as_declined_or_completed() -> None:
    refused(decide("in_progress", "failed", "coordinator", reason_text="x", handoff=True),
            Problem.INVALID, "status")
    refused(decide("in_progress", "declined", "coordinator", reason_code="no_capacity",
                   handoff=True), Problem.CONFLICT, "status")
    refused(decide("sent", "expired", "partner", handoff=True), Problem.NOT_PERMITTED, "actor")


def test_it_lets_the_partner_hand_off_through_its_link() -> None:
    change = decide("sent", "declined", "partner", reason_code="not_our_service", handoff=True)
    assert isinstance(change, Change) and change.opens_linked_referral
    assert change.party is Party.PARTNER
    refused(decide("sent", "declined", "system", reason_code="not_our_service", handoff=True),
            Problem.NOT_PERMITTED, "actor")


def test_it_lets_open_referrals_move_to_another_coordinator() -> None:
    assert all(may_reassign(s) for s in OPEN_STATUSES)


def test_its_table_has_no_exit_from_a_closed_status_and_expiry_only_by_the_system() -> None:
    for (frm, to), rule in TRANSITIONS.items():
        assert frm in OPEN_STATUSES
        assert rule.actors
        if to is Status.EXPIRED:
            assert (frm, rule.actors) == (Status.SENT, {Party.SYSTEM})


# --- property: random sequences of requests by random actors ---------------------------------

requests = st.tuples(
    st.sampled_from(list(Status)),
    st.sampled_from(list(Party)),
    st.none() | st.sampled_from([c.value for c in DeclineReason]),
    st.none() | st.sampled_from(["", "Client moved away"]),
    st.none() | st.sampled_from([o.value for o in Outcome]),
    st.booleans(),
)


@settings(max_examples=300)
@given(start=st.sampled_from([Status.DRAFT, Status.SENT]),
       steps=st.lists(requests, min_size=1, max_size=25))
def test_random_sequences_never_leave_the_table(start: Status, steps: list[tuple]) -> None:
    status = start
    history: list[Change] = []
    for target, actor, code, text, outcome, handoff in steps:
        decision = decide(status, target, actor, code, text, outcome, handoff=handoff)
        if status in CLOSED_STATUSES:
            assert not decision.allowed, "a closed referral changed"
        if not decision.allowed:
            continue
        assert isinstance(decision, Change)
        rule = TRANSITIONS[(status, decision.to_status)]  # KeyError: outside the table
        assert actor in rule.actors
        if decision.to_status is Status.EXPIRED:
            assert (status, actor) == (Status.SENT, Party.SYSTEM)
        if decision.to_status is Status.DECLINED:
            assert decision.reason_code is not None
        if decision.to_status is Status.COMPLETED:
            assert decision.outcome is not None
        assert decision.resolves_barrier == (decision.outcome is Outcome.YES)
        history.append(decision)
        status = decision.to_status
    for before, after in zip(history, history[1:], strict=False):
        assert before.to_status is after.from_status
        assert before.to_status in OPEN_STATUSES
