"""A small world for referral tests: a coordinator, partners and a client with consent and an
open barrier. Needs an open pool (the `pool` fixture or the app's, through `client`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from factories import client_data, partner_data

from network.cases import barriers, service
from network.partners import service as partners
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
    caritas = await partners.create_partner(partner_data(name=f"Caritas {n}"), None)
    tafel = await partners.create_partner(partner_data(name=f"Tafel {n}"), None)
    vhs = await partners.create_partner(partner_data(
        name=f"VHS {n}", kind="course_provider", barrier_kinds=("language",)), None)
    school = await partners.create_partner(partner_data(
        name=f"Berufskolleg {n}", kind="school", barrier_kinds=("housing",)), None)
    client = await service.create_client(
        client_data(case_number=f"REF-{n:04d}"), None, barrier_kinds=[], now=opened)
    await service.give_consent(client.id, ["association", "course_provider"], None, now=opened)
    barrier = await barriers.add_barrier(client.id, "housing", "Wohnung zu klein", None,
                                        now=opened)
    return World(client.id, barrier.id, caritas, tafel, vhs, school)
