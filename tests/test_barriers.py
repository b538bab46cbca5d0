from datetime import timedelta

import pytest

from network.actors import Actor
from network.cases import actions, barriers
from network.cases.barrier_status import TRANSITIONS, check_change
from network.cases.values import BarrierKind, BarrierStatus
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import NotFound, RuleViolation
from network.transactions import transaction
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data

S = BarrierStatus
LATER = NOW + timedelta(days=3)


def test_every_status_has_its_transitions():
    assert set(TRANSITIONS) == set(BarrierStatus)


@pytest.mark.parametrize("current, target", [
    (S.OPEN, S.OPEN), (S.RESOLVED, S.UNRESOLVABLE), (S.UNRESOLVABLE, S.RESOLVED),
    (S.RESOLVED, S.IN_PROGRESS),
])
def test_it_refuses_changes_outside_the_state_machine(current, target):
    with pytest.raises(RuleViolation) as refused:
        check_change(current, target, "a reason")
    assert refused.value.field == "status"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_unresolvable_needs_a_reason(reason):
    with pytest.raises(RuleViolation) as refused:
        check_change(S.IN_PROGRESS, S.UNRESOLVABLE, reason)
    assert refused.value.field == "unresolvable_reason"


async def open_barrier(kind: str = "language"):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(),
                                         barrier_kinds=[])
    return await actions.add_barrier(SYSTEM_ACTOR, FixedClock(NOW), client.id, kind,
                                     "B1-Kurs fehlt")


async def test_it_adds_an_open_barrier(pool):
    barrier = await open_barrier()
    assert barrier.status is S.OPEN and barrier.opened_at == NOW and barrier.resolved_at is None
    assert barrier.kind is BarrierKind.LANGUAGE


async def test_it_walks_a_barrier_through_its_statuses_and_records_each_step(pool, make_user):
    five, six = (await make_user()).user, (await make_user()).user
    barrier = await open_barrier()
    working = await actions.change_barrier_status(Actor.of_user(five), FixedClock(NOW), barrier.id,
                                                  "in_progress")
    assert working.status is S.IN_PROGRESS
    resolved = await actions.resolve_barrier(Actor.of_user(six), FixedClock(LATER), barrier.id,
                                             note="Kurs bestanden")
    assert resolved.status is S.RESOLVED and resolved.resolved_at == LATER
    reopened = await actions.change_barrier_status(Actor.of_user(six), FixedClock(LATER),
                                                   barrier.id, "open")
    assert reopened.resolved_at is None
    async with transaction() as connection:
        events = await connection.fetch(
            "SELECT from_status, to_status, actor_id FROM barrier_events WHERE barrier_id = $1"
            " ORDER BY id", barrier.id)
    assert [tuple(e) for e in events] == [
        (None, "open", None), ("open", "in_progress", five.id),
        ("in_progress", "resolved", six.id), ("resolved", "open", six.id)]


async def test_unresolvable_keeps_its_reason(pool):
    barrier = await open_barrier()
    with pytest.raises(RuleViolation):
        await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(NOW), barrier.id,
                                            "unresolvable")
    done = await actions.change_barrier_status(SYSTEM_ACTOR, FixedClock(NOW), barrier.id,
                                               "unresolvable", reason="Kein Kurs in Reichweite")
    assert done.unresolvable_reason == "Kein Kurs in Reichweite"
    assert done.resolved_at == NOW


async def test_it_changes_kind_and_description_but_not_status_that_way(pool):
    barrier = await open_barrier()
    changed = await actions.update_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, barrier.id,
                                           {"kind": "documents",
                                                         "description": "Pass fehlt"})
    assert changed.kind is BarrierKind.DOCUMENTS and changed.description == "Pass fehlt"
    with pytest.raises(RuleViolation) as refused:
        await actions.update_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, barrier.id, {"status": "resolved"})
    assert refused.value.field == "status"


@pytest.mark.parametrize("kind, description, field", [
    ("weather", None, "kind"), (None, None, "kind"), ("health", "x" * 5001, "description"),
    ("health", 42, "description"),
])
async def test_it_refuses_invalid_barrier_values(pool, kind, description, field):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data())
    with pytest.raises(RuleViolation) as refused:
        await actions.add_barrier(SYSTEM_ACTOR, FixedClock(NOW), client.id, kind, description)
    assert refused.value.field == field


async def test_it_names_unknown_barriers_and_clients(pool):
    with pytest.raises(NotFound):
        await actions.resolve_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, 999)
    with pytest.raises(NotFound):
        await actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, 999, "health", None)


async def test_the_work_list_shows_unfinished_barriers_of_open_cases(pool, make_user):
    one, two = (await make_user()).user, (await make_user()).user
    first = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                        client_data(coordinator_id=one.id),
                                        barrier_kinds=["language", "housing"])
    other = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW),
                                        client_data(coordinator_id=two.id),
                                        barrier_kinds=["housing"])
    language, _housing = await barriers.list_barriers(SYSTEM_ACTOR, first.id)
    await actions.resolve_barrier(SYSTEM_ACTOR, FixedClock(NOW), language.id)
    page = await barriers.list_unfinished_barriers(SYSTEM_ACTOR)
    assert page.total == 2
    assert {b.client_id for b in page.items} == {first.id, other.id}
    mine = await barriers.list_unfinished_barriers(SYSTEM_ACTOR, coordinator_id=two.id)
    assert [b.client_id for b in mine.items] == [other.id]
    assert (await barriers.list_unfinished_barriers(SYSTEM_ACTOR, kind="language")).total == 0
    assert len((await barriers.list_unfinished_barriers(SYSTEM_ACTOR, limit=1)).items) == 1
    with pytest.raises(RuleViolation) as refused:
        await barriers.list_unfinished_barriers(SYSTEM_ACTOR, limit=0)
    assert refused.value.field == "limit"
