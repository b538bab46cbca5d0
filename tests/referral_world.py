"""A small world for referral tests: a coordinator, partners and a client with consent and an
open barrier. Needs an open pool (the `pool` fixture or the app's, through `client`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from factories import SYSTEM_ACTOR, client_data, partner_data

from network.cases import actions
from network.clock import SYSTEM_CLOCK, FixedClock
from network.partners import actions as partner_actions
from network.partners.service import Partner

_numbers = itertools.count(1)


@dataclass(frozen=True)
class World:
    client_id: int
    barrier_id: int  # a housing barrier
    caritas: Partner  # association; housing, financial
    tafel: Partner  # association; financial, housing
    vhs: Partner  # course provider; language only
    school: Partner  # school: the consent does not cover schools


async def make_world(opened: datetime | None = None) -> World:
    """Opened a month ago on the real clock (by default), so that changes "now" come after."""
    n = next(_numbers)
    opened = opened or datetime.now(UTC) - timedelta(days=30)
    caritas = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                                                   partner_data(name=f"Caritas {n}"))
    tafel = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK,
                                                 partner_data(name=f"Tafel {n}"))
    vhs = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
        name=f"VHS {n}", kind="course_provider", barrier_kinds=("language",)))
    school = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
        name=f"Berufskolleg {n}", kind="school", barrier_kinds=("housing",)))
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(opened),
                                         client_data(case_number=f"REF-{n:04d}"), barrier_kinds=[])
    await actions.give_consent(SYSTEM_ACTOR, FixedClock(opened), client.id,
                               ["association", "course_provider"])
    barrier = await actions.add_barrier(SYSTEM_ACTOR, FixedClock(opened), client.id, "housing",
                                        "Wohnung zu klein")
    return World(client.id, barrier.id, caritas, tafel, vhs, school)
