"""Partner links: random, stored only as a hash, bound to a referral and partner, expiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg

from network.links.tokens import LinkState, find_link, issue_link
from network.referrals.service import NewReferral
from tests import referral_world as acting
from tests.conftest import MakeUser
from tests.referral_world import make_world

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def test_a_link_opens_its_referral_until_it_expires(pool: str, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user(role="coordinator")
    created = await acting.create_referral(
        NewReferral(world.barrier_id, world.caritas.id, "sent"), coordinator.user.id)
    referral_id, partner_id = created.referral.id, world.caritas.id
    connection = await asyncpg.connect(pool)
    try:
        link = await issue_link(connection, "https://ip.example.org", referral_id,
                                partner_id, NOW, timedelta(days=60))
        assert link.url == f"https://ip.example.org/p/{link.token}"
        assert len(link.token) >= 43  # 32 random bytes, base64url

        found = await find_link(connection, link.token, NOW + timedelta(days=59))
        assert found.state is LinkState.VALID
        assert (found.referral_id, found.partner_id) == (referral_id, partner_id)
        assert (await find_link(connection, link.token, link.expires_at)).state is \
            LinkState.EXPIRED
        assert (await find_link(connection, link.token + "x", NOW)).state is LinkState.UNKNOWN
        stored = await connection.fetchval("SELECT string_agg(t::text, ' ') FROM partner_links t")
        assert link.token not in stored
    finally:
        await connection.close()
