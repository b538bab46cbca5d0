"""Partner links: random, stored only as a hash, bound to a referral and partner, expiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg

from network.links.tokens import LinkState, fill_links, find_link, issue_sealed_link
from network.referrals.service import NewReferral
from network.transactions import transaction
from tests.support import referral_world as acting
from tests.support.app import MakeUser
from tests.support.referral_world import make_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
SECRET_KEY = "test-secret-key-" + "x" * 32


async def test_a_link_opens_its_referral_until_it_expires(pool: str, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user(role="coordinator")
    created = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), coordinator.user.id)
    referral_id, partner_id = created.referral.id, world.caritas.id
    async with transaction():
        link = await issue_sealed_link(SECRET_KEY, referral_id, partner_id, NOW,
                                       timedelta(days=60))
    url = fill_links(f"Link: {link.placeholder}.", "https://ip.example.org", SECRET_KEY)
    token = url.removeprefix("Link: https://ip.example.org/p/").removesuffix(".")
    assert url == f"Link: https://ip.example.org/p/{token}."
    assert len(token) >= 43  # 256 bits, base64url
    found = await find_link(token, NOW + timedelta(days=59))
    assert found.state is LinkState.VALID
    assert (found.referral_id, found.partner_id) == (referral_id, partner_id)
    assert (await find_link(token, link.expires_at)).state is LinkState.EXPIRED
    assert (await find_link(token + "x", NOW)).state is LinkState.UNKNOWN
    connection = await asyncpg.connect(pool)
    try:
        stored = await connection.fetchval("SELECT string_agg(t::text, ' ') FROM partner_links t")
        assert token not in stored
    finally:
        await connection.close()
