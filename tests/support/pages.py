"""The web pages' helpers: a signed-in user, a field's error, a referral already sent."""

from __future__ import annotations

import re
from datetime import datetime

import httpx

from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser, login_browser
from tests.support.referral_world import World


async def signed_in(client: httpx.AsyncClient, make_user: MakeUser, role: str = "coordinator"
                    ) -> tuple[MadeUser, str]:
    made = await make_user(role=role)
    return made, await login_browser(client, made.email, made.password)


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}-fehler">([^<]*)<', html)
    return found.group(1) if found else ""


async def sent(world: World, user: MadeUser, partner_id: int | None = None,
               barrier_id: int | None = None, now: datetime | None = None) -> int:
    created = await acting.create_referral(NewReferral(
        barrier_id or world.barrier_id, partner_id or world.caritas.id, "sent"),
        user.user.id, now=now)
    return created.referral.id
