"""Referral service against the real database: random sequences of changes keep the
invariants, concurrent changes have one winner, idempotent creation never makes two, history
is append-only, and barriers without an open referral are found."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.cases import actions, barriers
from network.clock import SYSTEM_CLOCK
from network.errors import DomainError
from network.referrals import service as referrals
from network.referrals.lifecycle import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    TRANSITIONS,
    Change,
    Party,
    Problem,
    Refusal,
    Status,
    decide,
)
from network.referrals.service import (
    NewReferral,
    ReferralConflict,
    Transitioned,
)
from network.referrals.tables import Referral as ReferralTable
from network.referrals.tables import ReferralEvent
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import World, make_world


@pytest.fixture
async def coordinator(pool, make_user):
    return (await make_user()).user


async def sent_referral(world: World, user_id: int, partner_id: int | None = None):
    created = await acting.create_referral(
        NewReferral(world.barrier_id, partner_id or world.caritas.id, "sent"), user_id)
    return created.referral


async def events_of(referral_id: int) -> list[asyncpg.Record]:
    async with transaction() as connection:
        return await connection.fetch(
            "SELECT * FROM referral_events WHERE referral_id = $1 ORDER BY id", referral_id)


# --- random sequences through the service ------------------------------------------------

PARTNERS = ("caritas", "tafel", "vhs", "school")
transitions = st.tuples(
    st.just("transition"),
    st.integers(0, 5),  # which referral (modulo how many exist)
    st.sampled_from([True, True, True, False]),  # aim: an allowed move done right, or any
    st.integers(0, 9),  # picks the target
    st.integers(0, 2),  # picks the actor
    st.sampled_from([None, "no_capacity", "other"]),
    st.sampled_from([None, "Grund"]),
    st.sampled_from([None, "yes", "partly", "no"]),
    st.sampled_from([False, False, False, True]),  # send a stale version
)
creations = st.tuples(st.just("create"), st.sampled_from(PARTNERS),
                      st.sampled_from(["draft", "sent"]))
handoffs = st.tuples(st.just("handoff"), st.integers(0, 5), st.sampled_from(PARTNERS),
                     st.sampled_from(["declined", "completed"]))
steps = st.lists(st.one_of(transitions, transitions, transitions, creations, handoffs),
                 min_size=3, max_size=15)


def aimed(current: Status, aim: bool, pick: int, who: int, code, text, outcome):
    """The step's target, actor and details: when aiming, an allowed move done right."""
    allowed = sorted((to, rule) for (frm, to), rule in TRANSITIONS.items() if frm is current)
    if not aim or not allowed:
        return list(Status)[pick], list(Party)[who], code, text, outcome
    target, rule = allowed[pick % len(allowed)]
    actor = sorted(rule.actors)[who % len(rule.actors)]
    needs = rule.requires.value
    code = (code or "no_capacity") if needs == "decline_reason" else None
    text = "Grund" if needs == "reason" or code == "other" else None
    outcome = (outcome or "partly") if needs == "outcome" else None
    return target, actor, code, text, outcome


@dataclass
class Model:
    """What the test expects, built from `decide()` alone."""

    status: dict[int, Status] = field(default_factory=dict)
    changes: dict[int, int] = field(default_factory=dict)  # status changes incl. creation


@settings(max_examples=30,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=steps)
async def test_random_changes_by_random_actors_keep_every_invariant(coordinator, plan):
    world = await make_world()
    model = Model()
    partner_ids = {name: getattr(world, name).id for name in PARTNERS}

    async def create(partner: str, status: str) -> None:
        try:
            made = await acting.create_referral(NewReferral(
                world.barrier_id, partner_ids[partner], status,
                override_reason="Ausnahme" if partner == "vhs" else None), coordinator.id)
        except DomainError:
            return
        model.status[made.referral.id] = made.referral.status
        model.changes[made.referral.id] = 1

    await create("caritas", "sent")
    for step in plan:
        ids = sorted(model.status)
        if step[0] == "create":
            await create(*step[1:])
            continue
        if not ids:
            continue
        referral_id = ids[step[1] % len(ids)]
        current = model.status[referral_id]
        version = (await referrals.get_referral(SYSTEM_ACTOR, referral_id)).referral.version
        if step[0] == "transition":
            target, actor, code, text, outcome = aimed(current, *step[2:8])
            stale = step[8]
            expected = decide(current, target, actor, code, text, outcome)
            try:
                result = await acting.transition(
                    referral_id, target, actor, coordinator.id if actor is Party.COORDINATOR
                    else None, expected_version=version - 1 if stale else version,
                    reason_code=code, reason_text=text, outcome=outcome)
            except DomainError as refused:
                assert isinstance(expected, Refusal) or stale, (step, refused)
                if isinstance(refused, ReferralConflict):
                    assert refused.referral.status is current
                continue
            assert isinstance(result, Transitioned)
            if isinstance(expected, Refusal):
                assert expected.problem is Problem.ALREADY and not result.changed, step
                continue
            assert isinstance(expected, Change) and not stale, step
            assert result.changed and result.referral.status is target
            model.status[referral_id] = target
            model.changes[referral_id] += 1
        else:
            _, _, partner, closing = step
            expected = decide(current, closing, Party.COORDINATOR, "no_capacity"
                              if closing == "declined" else None, None,
                              "partly" if closing == "completed" else None, handoff=True)
            try:
                closed, opened = await acting.hand_off_to_partner(
                    referral_id, partner_ids[partner], closing, coordinator.id,
                    expected_version=version,
                    reason_code="no_capacity" if closing == "declined" else None,
                    outcome="partly" if closing == "completed" else None,
                    override_reason="Ausnahme" if partner == "vhs" else None)
            except DomainError:
                continue
            assert isinstance(expected, Change), step
            assert (closed.handed_off_to, opened.handed_off_from) == (opened.id, closed.id)
            model.status[referral_id] = closed.status
            model.changes[referral_id] += 1
            model.status[opened.id] = opened.status
            model.changes[opened.id] = 1

    async with transaction() as connection:
        stored = {r["id"]: Status(r["status"]) for r in await connection.fetch(
            "SELECT id, status FROM referrals WHERE client_id = $1", world.client_id)}
        open_pairs = await connection.fetchval(
            "SELECT count(*) FROM (SELECT barrier_id, partner_id FROM referrals"
            " WHERE client_id = $1 AND status = ANY ($2::text[])"
            " GROUP BY 1, 2 HAVING count(*) > 1) AS doubled",
            world.client_id, [s.value for s in OPEN_STATUSES])
    assert stored == model.status  # closed referrals stayed closed: the model never reopens
    assert open_pairs == 0
    for referral_id, status in stored.items():
        history = await events_of(referral_id)
        moves = [e for e in history if e["event"] != "reassigned"]
        assert len(moves) == model.changes[referral_id]  # exactly one event per change
        assert moves[0]["event"] == "created" and moves[0]["from_status"] is None
        for before, after in zip(moves, moves[1:], strict=False):
            assert after["from_status"] == before["to_status"]
            pair = (Status(after["from_status"]), Status(after["to_status"]))
            assert pair in TRANSITIONS  # no change outside the table
            assert Status(after["from_status"]) not in CLOSED_STATUSES
        assert Status(moves[-1]["to_status"]) is status


# --- concurrency ----------------------------------------------------------------------------


async def test_two_concurrent_changes_have_exactly_one_winner(coordinator):
    for _ in range(3):
        world = await make_world()
        referral = await sent_referral(world, coordinator.id)
        results = await asyncio.gather(
            acting.transition(referral.id, "accepted", "partner", None,
                                 expected_version=referral.version),
            acting.transition(referral.id, "declined", "coordinator", coordinator.id,
                                 expected_version=referral.version, reason_code="no_capacity"),
            return_exceptions=True)
        winners = [r for r in results if isinstance(r, Transitioned)]
        losers = [r for r in results if isinstance(r, ReferralConflict)]
        assert (len(winners), len(losers)) == (1, 1), results
        winner, loser = winners[0].referral, losers[0]
        assert loser.field == "version" and "changed in the meantime" in loser.message
        assert (loser.referral.status, loser.referral.version) == (winner.status, 2)
        assert [e["to_status"] for e in await events_of(referral.id)] == ["sent",
                                                                          winner.status]


async def test_the_same_change_twice_at_once_happens_once(coordinator):
    world = await make_world()
    referral = await sent_referral(world, coordinator.id)
    results = await asyncio.gather(*(
        acting.transition(referral.id, "accepted", "partner", None) for _ in range(2)))
    assert sorted(r.changed for r in results) == [False, True]
    assert len(await events_of(referral.id)) == 2


async def test_concurrent_retries_with_one_idempotency_key_create_one_referral(coordinator):
    world = await make_world()
    new = NewReferral(world.barrier_id, world.caritas.id, "sent")
    results = await asyncio.gather(*(
        acting.create_referral(new, coordinator.id, idempotency_key="retry-1")
        for _ in range(3)))
    assert len({r.referral.id for r in results}) == 1
    assert sorted(r.replayed for r in results) == [False, True, True]
    async with transaction() as connection:
        assert await connection.fetchval("SELECT count(*) FROM referrals") == 1


async def test_two_creates_of_one_pair_at_once_make_one_referral_and_name_it(coordinator):
    """The open pair is held by the partial unique index (the insert writes nothing when the
    pair has an open referral): the second of two simultaneous creates is refused with the
    first one's id, never a database error."""
    world = await make_world()
    new = NewReferral(world.barrier_id, world.caritas.id, "sent")
    results = await asyncio.gather(*(acting.create_referral(new, coordinator.id)
                                     for _ in range(2)), return_exceptions=True)
    created = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(created) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], DomainError) and refused[0].code == "referral.still_open"
    assert refused[0].params["referral_id"] == created[0].referral.id
    async with transaction() as connection:
        assert await connection.fetchval("SELECT count(*) FROM referrals") == 1
        assert await connection.fetchval("SELECT count(*) FROM referral_events") == 1


async def test_another_user_with_the_same_key_gets_their_own_referral(coordinator, make_user):
    colleague = (await make_user()).user
    world = await make_world()
    first = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id), coordinator.id, idempotency_key="k")
    second = await acting.create_referral(
        NewReferral(world.barrier_id, world.tafel.id), colleague.id, idempotency_key="k")
    assert first.referral.id != second.referral.id and not second.replayed


# --- history, barriers -------------------------------------------------------------------


async def test_history_cannot_be_edited_or_deleted(coordinator):
    world = await make_world()
    referral = await sent_referral(world, coordinator.id)
    for statement in ("UPDATE referral_events SET to_status = 'accepted'",
                      "UPDATE referral_events SET at = now()",
                      "DELETE FROM referral_events"):
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            async with transaction() as connection:
                await connection.execute(statement)
    assert len(await events_of(referral.id)) == 1


async def test_barriers_without_an_open_referral_leave_out_the_referred_ones(coordinator):
    world = await make_world()
    other = await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, world.client_id, "financial",
                                      None)
    page = await referrals.barriers_without_open_referral(SYSTEM_ACTOR, client_id=world.client_id)
    assert sorted(b.id for b in page.items) == sorted([world.barrier_id, other.id])
    referral = await sent_referral(world, coordinator.id)
    page = await referrals.barriers_without_open_referral(SYSTEM_ACTOR, client_id=world.client_id)
    assert [b.id for b in page.items] == [other.id] and page.total == 1
    await acting.transition(referral.id, "declined", "partner", None,
                               reason_code="no_capacity")
    page = await referrals.barriers_without_open_referral(SYSTEM_ACTOR, client_id=world.client_id)
    assert sorted(b.id for b in page.items) == sorted([world.barrier_id, other.id])


async def test_a_completion_with_the_barrier_partly_removed_leaves_it_open(coordinator):
    world = await make_world()
    referral = await sent_referral(world, coordinator.id)
    await acting.transition(referral.id, "accepted", "partner", None)
    await acting.transition(referral.id, "completed", "partner", None, outcome="partly")
    assert (await barriers.get_barrier(SYSTEM_ACTOR, world.barrier_id)).status == "open"
    events = await events_of(referral.id)
    assert (events[-1]["actor_kind"], events[-1]["actor_user_id"]) == ("partner", None)


async def test_the_system_lets_an_unanswered_referral_expire(coordinator):
    world = await make_world()
    referral = await sent_referral(world, coordinator.id)
    result = await acting.transition(referral.id, "expired", "system", None)
    assert result.referral.status is Status.EXPIRED and result.referral.closed_at
    assert (await events_of(referral.id))[-1]["actor_kind"] == "system"


@pytest.mark.parametrize("table", [ReferralTable, ReferralEvent])
async def test_the_piccolo_mirror_has_the_columns_of_the_sql_table(pool, table):
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = $1",
            table._meta.tablename)
    assert {r["column_name"] for r in rows} == {c._meta.name for c in table._meta.columns}
