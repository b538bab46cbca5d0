"""Every referral action leaves an audit entry naming who acted (a coordinator, a partner
through its link, the system) at the clock's time, and emits its event; a partner acts on its
own referrals only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from network import events
from network.actors import Actor
from network.clock import FixedClock
from network.composition import compose
from network.errors import NotPermitted, RuleViolation
from network.referrals import actions
from network.referrals.events import (
    PartnerWrote,
    ReferralCoordinatorChanged,
    ReferralCreated,
    ReferralStatusChanged,
)
from network.referrals.service import NewReferral
from network.transactions import transaction
from tests.support.app import make_settings
from tests.support.referral_world import make_world

AT = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def audit_rows() -> list[tuple]:
    async with transaction() as connection:
        rows = await connection.fetch(
            "SELECT action, entity_id, actor_kind, actor_id, partner_id, link_id, job, at"
            " FROM audit_log WHERE entity = 'referral' ORDER BY id")
    return [tuple(row) for row in rows]


async def test_every_action_is_audited_with_its_actor_and_emits_its_event(
        pool: str, make_user, tmp_path) -> None:
    heard: list[object] = []

    async def hear(event: object) -> None:
        heard.append(event)

    compose(make_settings(tmp_path, DATABASE_URL=pool))
    events.wire([*((kind, handler) for kind in events_of() for handler in
                   events.subscribers_of(kind)),
                 *((kind, hear) for kind in events_of())])
    coordinator, colleague = await make_user(), await make_user()
    user = Actor.of_user(coordinator.user)
    clock = FixedClock(AT)
    world = await make_world(AT - timedelta(days=30))

    created = await actions.create(user, clock, NewReferral(world.barrier_id,
                                                            world.caritas.id, "sent"))
    referral_id = created.referral.id
    partner = Actor.of_partner(world.caritas.id, link_id=None)
    clock.advance(timedelta(hours=1))
    accepted = await actions.transition(partner, clock, referral_id, "accepted")
    assert accepted.changed and [e.to_status for e in accepted.history] == ["sent", "accepted"]
    await actions.write_to_coordinator(partner, clock, referral_id, "Termin am Montag.")
    await actions.hand_over(user, clock, referral_id, colleague.user.id)
    handed = await actions.hand_off(partner, clock, referral_id, world.tafel.id, "declined",
                                    reason_code="no_capacity")
    opened_id = handed.opened.referral.id
    await actions.transition(Actor.system("tests.expire"), clock, opened_id, "expired")
    await actions.read(user, clock, opened_id)

    rows = await audit_rows()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("referral.create", str(referral_id), "user"),
        ("referral.transition", str(referral_id), "partner"),
        ("referral.message", str(referral_id), "partner"),
        ("referral.reassign", str(referral_id), "user"),
        ("referral.handoff", str(referral_id), "partner"),
        ("referral.transition", str(opened_id), "system"),
        ("referral.read", str(opened_id), "user"),
    ]
    assert {r[3] for r in rows if r[2] == "user"} == {coordinator.user.id}
    assert {r[4] for r in rows if r[2] == "partner"} == {world.caritas.id}
    assert {r[6] for r in rows if r[2] == "system"} == {"tests.expire"}
    assert {r[7] for r in rows} == {AT, AT + timedelta(hours=1)}
    assert [type(e) for e in heard] == [
        ReferralCreated, ReferralStatusChanged, PartnerWrote, ReferralCoordinatorChanged,
        ReferralStatusChanged, ReferralCreated, ReferralStatusChanged]


def events_of() -> tuple[type, ...]:
    return (ReferralCreated, ReferralStatusChanged, ReferralCoordinatorChanged, PartnerWrote)


async def test_a_partner_acts_on_its_own_referrals_only(pool: str, make_user) -> None:
    coordinator = await make_user()
    world = await make_world()
    created = await actions.create(Actor.of_user(coordinator.user), FixedClock(AT),
                                   NewReferral(world.barrier_id, world.caritas.id, "sent"))
    with pytest.raises(NotPermitted):
        await actions.transition(Actor.of_partner(world.tafel.id), FixedClock(AT),
                                 created.referral.id, "accepted")
    with pytest.raises(RuleViolation) as refused:
        await actions.write_to_coordinator(Actor.of_partner(world.caritas.id), FixedClock(AT),
                                           created.referral.id, "   ")
    assert (refused.value.field, refused.value.message) == ("message", "is required")


async def test_a_create_lets_the_rest_of_its_transaction_keep_generic_plans(
        pool: str, make_user) -> None:
    """Its statements are fixed lookups by key and inserts: after its checks, PostgreSQL may
    keep a generic plan of each (the pool forces custom plans for the lists); once the
    transaction ends, custom plans again."""
    coordinator = await make_user()
    world = await make_world()
    async with transaction() as connection:
        before = await connection.fetchval("SELECT current_setting('plan_cache_mode')")
        await actions.create(Actor.of_user(coordinator.user), FixedClock(AT),
                             NewReferral(world.barrier_id, world.caritas.id, "sent"))
        during = await connection.fetchval("SELECT current_setting('plan_cache_mode')")
    async with transaction() as connection:
        after = await connection.fetchval("SELECT current_setting('plan_cache_mode')")
    assert (before, during, after) == ("force_custom_plan", "auto", "force_custom_plan")
