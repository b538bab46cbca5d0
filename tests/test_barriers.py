from datetime import timedelta

import pytest
from factories import NOW, client_data

from network.cases import barriers, service
from network.cases.barrier_status import TRANSITIONS, check_change
from network.cases.values import BarrierKind, BarrierStatus
from network.errors import NotFound, RuleViolation
from network.transactions import transaction

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
    client = await service.create_client(client_data(), None, barrier_kinds=[], now=NOW)
    return await barriers.add_barrier(client.id, kind, "B1-Kurs fehlt", None, now=NOW)


async def test_it_adds_an_open_barrier(pool):
    barrier = await open_barrier()
    assert barrier.status is S.OPEN and barrier.opened_at == NOW and barrier.resolved_at is None
    assert barrier.kind is BarrierKind.LANGUAGE


async def test_it_walks_a_barrier_through_its_statuses_and_records_each_step(pool, make_user):
    five, six = (await make_user()).user, (await make_user()).user
    barrier = await open_barrier()
    working = await barriers.change_barrier_status(barrier.id, "in_progress", five, now=NOW)
    assert working.status is S.IN_PROGRESS
    resolved = await barriers.resolve_barrier(barrier.id, six, note="Kurs bestanden", now=LATER)
    assert resolved.status is S.RESOLVED and resolved.resolved_at == LATER
    reopened = await barriers.change_barrier_status(barrier.id, "open", six, now=LATER)
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
        await barriers.change_barrier_status(barrier.id, "unresolvable", None, now=NOW)
    done = await barriers.change_barrier_status(barrier.id, "unresolvable", None,
                                                reason="Kein Kurs in Reichweite", now=NOW)
    assert done.unresolvable_reason == "Kein Kurs in Reichweite"
    assert done.resolved_at == NOW


async def test_it_changes_kind_and_description_but_not_status_that_way(pool):
    barrier = await open_barrier()
    changed = await barriers.update_barrier(barrier.id, {"kind": "documents",
                                                         "description": "Pass fehlt"}, None)
    assert changed.kind is BarrierKind.DOCUMENTS and changed.description == "Pass fehlt"
    with pytest.raises(RuleViolation) as refused:
        await barriers.update_barrier(barrier.id, {"status": "resolved"}, None)
    assert refused.value.field == "status"


@pytest.mark.parametrize("kind, description, field", [
    ("weather", None, "kind"), (None, None, "kind"), ("health", "x" * 5001, "description"),
    ("health", 42, "description"),
])
async def test_it_refuses_invalid_barrier_values(pool, kind, description, field):
    client = await service.create_client(client_data(), None, now=NOW)
    with pytest.raises(RuleViolation) as refused:
        await barriers.add_barrier(client.id, kind, description, None, now=NOW)
    assert refused.value.field == field


async def test_it_names_unknown_barriers_and_clients(pool):
    with pytest.raises(NotFound):
        await barriers.resolve_barrier(999, None)
    with pytest.raises(NotFound):
        await barriers.add_barrier(999, "health", None, None)


async def test_the_work_list_shows_unfinished_barriers_of_open_cases(pool, make_user):
    one, two = (await make_user()).user, (await make_user()).user
    first = await service.create_client(client_data(coordinator_id=one.id), None,
                                        barrier_kinds=["language", "housing"], now=NOW)
    other = await service.create_client(client_data(coordinator_id=two.id), None,
                                        barrier_kinds=["housing"], now=NOW)
    language, _housing = await barriers.list_barriers(first.id)
    await barriers.resolve_barrier(language.id, None, now=NOW)
    page = await barriers.list_unfinished_barriers()
    assert page.total == 2
    assert {b.client_id for b in page.items} == {first.id, other.id}
    mine = await barriers.list_unfinished_barriers(coordinator_id=two.id)
    assert [b.client_id for b in mine.items] == [other.id]
    assert (await barriers.list_unfinished_barriers(kind="language")).total == 0
    assert len((await barriers.list_unfinished_barriers(limit=1)).items) == 1
    with pytest.raises(RuleViolation) as refused:
        await barriers.list_unfinished_barriers(limit=0)
    assert refused.value.field == "limit"
