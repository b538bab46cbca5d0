"""Who is emailed when a referral changes: rows queued in the outbox in the change's own
transaction (delivery itself is tested in test_partner_links and test_mail_dispatch)."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from network.referrals.service import NewReferral
from network.settings import Settings
from tests.support import referral_world as acting
from tests.support.app import MakeUser
from tests.support.referral_world import make_world


async def queued(db: str) -> list[tuple[str, list[str]]]:
    connection = await asyncpg.connect(db)
    try:
        rows = await connection.fetch("SELECT template, recipients FROM outbox ORDER BY id")
    finally:
        await connection.close()
    return [(row["template"], sorted(row["recipients"])) for row in rows]


async def test_a_draft_sent_later_emails_the_partner_then(
        pool: str, settings: Settings, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user()
    draft = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id),
                                             coordinator.user.id)).referral
    assert await queued(pool) == []
    await acting.transition(draft.id, "sent", "coordinator", coordinator.user.id)
    assert await queued(pool) == [("referral_new", ["migration@caritas-hs.example"])]


async def test_a_change_by_the_system_tells_the_coordinator_and_one_by_the_coordinator_not(
        pool: str, settings: Settings, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user()
    sent = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                        "sent"), coordinator.user.id)).referral
    await acting.transition(sent.id, "expired", "system", None)
    assert [t for t, _ in await queued(pool)] == ["referral_new", "referral_status_changed"]
    assert (await queued(pool))[1][1] == [coordinator.email]


async def test_a_coordinator_handover_tells_both_coordinators(
        pool: str, settings: Settings, make_user: MakeUser) -> None:
    world = await make_world()
    first, second = await make_user(), await make_user()
    draft = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id),
                                             first.user.id)).referral
    await acting.hand_over_to_coordinator(draft.id, second.user.id, first.user.id)
    assert await queued(pool) == [("referral_coordinator_changed",
                                   sorted([first.email, second.email]))]


async def test_no_call_sends_nothing_every_sent_referral_emails_its_partner(
        pool: str, make_user: MakeUser) -> None:
    """Emails are the subscribers' business (wired at composition): no caller can leave
    them out by passing no settings, as the service calls once could."""
    world = await make_world()
    coordinator = await make_user()
    await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id, "sent"),
                                 coordinator.user.id)
    assert await queued(pool) == [("referral_new", ["migration@caritas-hs.example"])]


async def test_a_queued_partner_email_holds_a_sealed_link_and_is_due_at_the_change(
        pool: str, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user()
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), coordinator.user.id, now=at)
    connection = await asyncpg.connect(pool)
    try:
        row = await connection.fetchrow("SELECT body_text, due_at, created_at FROM outbox")
    finally:
        await connection.close()
    assert (row["due_at"], row["created_at"]) == (at, at)
    assert "[[partner-link:" in row["body_text"] and "/p/" not in row["body_text"]
