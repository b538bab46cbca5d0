"""The case actions: each takes an Actor and the clock, leaves an audit entry naming the actor,
announces its events in its transaction, and a completed referral can resolve a barrier
inside its own transaction as a partner."""

from datetime import timedelta

import pytest

from network import events
from network.accounts.tables import AuditLog
from network.actors import Actor
from network.cases import actions
from network.cases.events import (
    BarrierFinished,
    BarrierOpened,
    BarrierReopened,
    CaseClosed,
    ClientPseudonymised,
)
from network.clock import FixedClock
from network.errors import RuleViolation
from network.transactions import transaction
from network.words.refusals import REFUSALS
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data

KINDS = (BarrierOpened, BarrierFinished, BarrierReopened, CaseClosed, ClientPseudonymised)


@pytest.fixture
def heard(pool):
    """Every case event, in order (the composed subscribers are replaced for the test)."""
    seen: list[object] = []

    async def note(event: object) -> None:
        seen.append(event)

    events.wire([(kind, note) for kind in KINDS])
    return seen


async def test_the_actions_announce_their_events(heard):
    clock = FixedClock(NOW)
    client = await actions.create_client(SYSTEM_ACTOR, clock, client_data(),
                                         barrier_kinds=["language"])
    first = heard[0].barrier_id  # type: ignore[attr-defined]
    barrier = await actions.add_barrier(SYSTEM_ACTOR, clock, client.id, "housing")
    await actions.resolve_barrier(SYSTEM_ACTOR, clock, barrier.id)
    await actions.change_barrier_status(SYSTEM_ACTOR, clock, barrier.id, "open")
    await actions.change_barrier_status(SYSTEM_ACTOR, clock, barrier.id, "unresolvable",
                                        reason="Kein Wohnraum")
    await actions.resolve_barrier(SYSTEM_ACTOR, clock, first)
    await actions.close_case(SYSTEM_ACTOR, clock, client.id, "employment")
    await actions.pseudonymise_client(SYSTEM_ACTOR, clock, client.id)
    assert [(type(e).__name__, getattr(e, "barrier_id", None)) for e in heard] == [
        ("BarrierOpened", first), ("BarrierOpened", barrier.id),
        ("BarrierFinished", barrier.id), ("BarrierReopened", barrier.id),
        ("BarrierFinished", barrier.id), ("BarrierFinished", first),
        ("CaseClosed", None), ("ClientPseudonymised", None)]
    assert {e.client_id for e in heard} == {client.id}  # type: ignore[attr-defined]
    assert all(e.at == NOW for e in heard)  # type: ignore[attr-defined]


async def test_a_partner_resolves_a_barrier_inside_an_outer_transaction(heard):
    clock = FixedClock(NOW)
    await actions.create_client(SYSTEM_ACTOR, clock, client_data(), barrier_kinds=["housing"])
    partner = Actor.of_partner(7, 11)
    barrier_id = heard[0].barrier_id  # type: ignore[attr-defined]
    clock.advance(timedelta(days=1))
    with pytest.raises(RuntimeError):
        async with transaction():
            await actions.resolve_barrier(partner, clock, barrier_id,
                                          note="referral 1 completed")
            raise RuntimeError("the outer change fails")
    assert len(heard) == 2  # heard inside the transaction that then rolled back
    async with transaction():
        resolved = await actions.resolve_barrier(partner, clock, barrier_id,
                                                 note="referral 1 completed")
    assert resolved.resolved_at == NOW + timedelta(days=1)
    entry = await AuditLog.select().where(AuditLog.action == "barrier.status_changed").first()
    assert (entry["actor_kind"], entry["partner_id"], entry["link_id"], entry["actor_id"]) == (
        "partner", 7, 11, None)
    assert entry["at"] == NOW + timedelta(days=1)


async def test_every_action_leaves_an_audit_entry_at_the_clock(pool, make_user):
    user = Actor.of_user((await make_user()).user)
    clock = FixedClock(NOW)
    client = await actions.create_client(user, clock, client_data(), barrier_kinds=[])
    clock.advance(timedelta(hours=1))
    await actions.update_client(user, clock, client.id, {"notes": "neu"})
    consent = await actions.give_consent(user, clock, client.id, ["association"])
    await actions.withdraw_consent(user, clock, consent.id)
    barrier = await actions.add_barrier(user, clock, client.id, "housing")
    await actions.update_barrier(user, clock, barrier.id, {"description": "klein"})
    await actions.resolve_barrier(user, clock, barrier.id)
    await actions.close_case(user, clock, client.id, "employment")
    await actions.erase_client(user, clock, client.id)
    rows = await AuditLog.select(AuditLog.action, AuditLog.actor_id, AuditLog.at).where(
        AuditLog.action != "user.created").order_by(AuditLog.id)
    assert [r["action"] for r in rows] == [
        "client.created", "client.changed", "consent.given", "consent.withdrawn",
        "barrier.added", "barrier.changed", "barrier.status_changed", "client.closed",
        "client.erased"]
    assert {r["actor_id"] for r in rows} == {user.user_id}
    assert [r["at"] for r in rows] == [NOW] + [NOW + timedelta(hours=1)] * 8


async def test_refusals_are_codes_worded_in_both_languages(pool):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(),
                                         barrier_kinds=["language"])
    with pytest.raises(RuleViolation) as refused:
        await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "employment")
    assert refused.value.code in REFUSALS
    assert refused.value.message.startswith("1 barrier(s) still open or in progress")
    assert refused.value.german.startswith("1 Hindernis(se) noch offen")
