"""A small world for referral tests: a coordinator, partners and a client with consent and an
open barrier. Needs an open pool (the `pool` fixture or the app's, through `client`)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from network.accounts.service import get_user
from network.accounts.sessions import user_from_row
from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK, Clock, FixedClock
from network.partners import actions as partner_actions
from network.partners.service import Partner
from network.referrals import actions
from network.referrals.service import Created, NewReferral, Referral, Transitioned, load
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data

_numbers = itertools.count(1)


@dataclass(frozen=True)
class World:
    client_id: int
    barrier_id: int  # a housing barrier
    caritas: Partner  # association; housing, financial
    tafel: Partner  # association; financial, housing
    vhs: Partner  # course provider; language only
    school: Partner  # school: the consent does not cover schools


async def make_world(opened: datetime | None = None, legal_circle: str = "sgb2") -> World:
    """Opened a month ago on the real clock (by default), so that changes "now" come after.
    The client belongs to `legal_circle` (a coordinator of that circle works on it)."""
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
    client = await case_actions.create_client(SYSTEM_ACTOR, FixedClock(opened),
                                              client_data(case_number=f"REF-{n:04d}",
                                                          legal_circle=legal_circle),
                                              barrier_kinds=[])
    await case_actions.give_consent(SYSTEM_ACTOR, FixedClock(opened), client.id,
                                    ["association", "course_provider"])
    barrier = await case_actions.add_barrier(SYSTEM_ACTOR, FixedClock(opened), client.id,
                                             "housing", "Wohnung zu klein")
    return World(client.id, barrier.id, caritas, tafel, vhs, school)


HELPERS = 30  # housing_helpers' partners: with the world's tafel and school, 32 take housing


async def housing_helpers() -> list[Partner]:
    """HELPERS associations that take housing: "Wohnhilfe 01".. in Aachen (odd) and Düren
    (even), and one whose name holds LIKE's wildcards."""
    made = []
    for n in range(1, HELPERS + 1):
        name = "Wohnhilfe 100%_sicher" if n == HELPERS else f"Wohnhilfe {n:02d}"
        city, code = ("Aachen", "52062") if n % 2 else ("Düren", "52349")
        made.append(await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
            name=name, city=city, postal_code=code,
            referral_emails=(f"wohnhilfe{n}@partner.example",), contacts=())))
    return made


# --- acting on referrals as the old service calls did: (who, user id) -> an Actor ---------


def clock_at(now: datetime | None) -> Clock:
    return SYSTEM_CLOCK if now is None else FixedClock(now)


async def actor_for(party: str, user_id: int | None, referral_id: int | None = None) -> Actor:
    """"coordinator" with a user id: that user; "partner": the referral's partner (through no
    particular link); "system": a test job."""
    if party == "coordinator":
        assert user_id is not None
        return Actor.of_user(user_from_row(await get_user(user_id)))
    if party == "partner":
        assert referral_id is not None
        return Actor.of_partner((await load(referral_id)).partner_id)
    return Actor.system("tests")


async def create_referral(new: NewReferral, user_id: int, *, idempotency_key: str | None = None,
                          now: datetime | None = None) -> Created:
    return await actions.create(await actor_for("coordinator", user_id), clock_at(now), new,
                                idempotency_key=idempotency_key)


async def transition(referral_id: int, target: str, party: str, user_id: int | None, *,
                     now: datetime | None = None, **details: Any) -> Transitioned:
    return await actions.transition(await actor_for(party, user_id, referral_id),
                                    clock_at(now), referral_id, target, **details)


async def hand_off_to_partner(referral_id: int, to_partner_id: int, closing_status: str,
                              user_id: int | None, *, actor: str = "coordinator",
                              now: datetime | None = None, **details: Any
                              ) -> tuple[Referral, Referral]:
    handed = await actions.hand_off(await actor_for(actor, user_id, referral_id),
                                    clock_at(now), referral_id, to_partner_id, closing_status,
                                    **details)
    return handed.closed.referral, handed.opened.referral


async def hand_over_to_coordinator(referral_id: int, to_coordinator_id: int, user_id: int, *,
                                   now: datetime | None = None, **details: Any) -> Referral:
    moved = await actions.hand_over(await actor_for("coordinator", user_id), clock_at(now),
                                    referral_id, to_coordinator_id, **details)
    return moved.referral
