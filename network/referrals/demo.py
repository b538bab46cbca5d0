"""Demo referrals for `network seed --demo`: referrals in every status, with handoffs, on the
demo clients' barriers, owned by the demo coordinator each case is assigned to.

Idempotent: every referral is created with an idempotency key naming its client and barrier,
so a second run finds each one and changes nothing. A random generator seeded with the case
number and the barrier's place makes the same choices every time.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime

from network.accounts.service import get_user
from network.accounts.sessions import user_from_row
from network.actors import Actor
from network.cases import barriers, service
from network.cases.barriers import Barrier
from network.clock import FixedClock
from network.errors import DomainError
from network.partners import service as partners
from network.partners.service import Partner
from network.referrals import actions
from network.referrals.lifecycle import Status
from network.referrals.service import NewReferral

log = logging.getLogger(__name__)

# How a demo referral goes: the statuses it passes after being created (as draft or sent).
# "handoff" declines it towards a second partner, who gets a new referral.
PLANS: dict[str, tuple[str, ...]] = {
    "draft": ("draft",),
    "sent": ("sent",),
    "accepted": ("sent", "accepted"),
    "in_progress": ("sent", "accepted", "in_progress"),
    "on_hold": ("sent", "accepted", "in_progress", "on_hold"),
    "declined": ("sent", "declined"),
    "expired": ("sent", "expired"),
    "cancelled": ("draft", "cancelled"),
    "failed": ("sent", "accepted", "in_progress", "failed"),
    "completed_partly": ("sent", "accepted", "in_progress", "completed"),
    "completed_yes": ("sent", "accepted", "completed"),
    "handoff": ("sent", "handoff"),
}
REFERRED_SHARE = 0.7
SEEDING = Actor.system("seed.demo")  # reads every circle; each change is its coordinator's


@dataclass
class ReferralSeedReport:
    created: int = 0
    existing: int = 0


async def seed_demo_referrals(case_numbers: list[str], now: datetime) -> ReferralSeedReport:
    report = ReferralSeedReport()
    active = (await partners.search_partners(active=True, limit=200)).items
    for case_number in case_numbers:
        client = await service.find_client_by_case_number(case_number)
        if client is None or client.status != "open" or client.coordinator_id is None:
            continue
        covered = {kind for consent in await service.list_consents(SEEDING, client.id)
                   if consent.withdrawn_at is None for kind in consent.partner_kinds}
        for index, barrier in enumerate(await barriers.list_barriers(SEEDING, client.id)):
            chooser = random.Random(f"referral-{case_number}-{index}")  # one stream each
            if chooser.random() >= REFERRED_SHARE:
                continue
            plan = chooser.choice(sorted(PLANS))
            suitable = [p for p in active if p.kind in covered and barrier.kind in p.barrier_kinds]
            if not suitable:
                continue
            chooser.shuffle(suitable)
            key = f"demo-{case_number}-{index}"
            done = await _refer(barrier, suitable, plan, client.coordinator_id, key,
                                chooser, now)
            if done is True:
                report.created += 1
            elif done is False:
                report.existing += 1
    log.info("demo referrals seeded", extra=vars(report))
    return report


async def _refer(barrier: Barrier, suitable: list[Partner], plan: str, owner: int, key: str,
                 chooser: random.Random, now: datetime) -> bool | None:
    """True: created; False: there from an earlier run; None: not possible (barrier done)."""
    steps = PLANS[plan]
    start = barrier.opened_at + (now - barrier.opened_at) * chooser.uniform(0.2, 0.6)
    gap = (now - start) / 8
    coordinator = Actor.of_user(user_from_row(await get_user(owner)))
    clock = FixedClock(start)
    try:
        created = await actions.create(
            coordinator, clock, NewReferral(barrier.id, suitable[0].id, steps[0],
                                            note=_NOTES.get(barrier.kind.value)),
            idempotency_key=key)
    except DomainError:
        return None
    if created.replayed:
        return False
    referral = created.referral
    partner = Actor.of_partner(referral.partner_id)
    for target in steps[1:]:
        clock.advance(gap)
        if target == "handoff":
            if len(suitable) < 2:
                target = "declined"
            else:
                await actions.hand_off(
                    coordinator, clock, referral.id, suitable[1].id, Status.DECLINED,
                    reason_code="not_our_service", note="Bitte übernehmen Sie diese Anfrage.")
                continue
        actor = Actor.system("seed.demo") if target == "expired" else (
            coordinator if target == "cancelled" else partner)
        await actions.transition(
            actor, clock, referral.id, target,
            reason_code=chooser.choice(["no_capacity", "not_eligible", "client_unreachable"])
            if target == "declined" else None,
            reason_text=_REASONS.get(target),
            outcome=("yes" if plan == "completed_yes" else "partly")
            if target == "completed" else None)
    return True


_NOTES = {
    "language": "Bitte Einstufung und nächsten freien Kursplatz mitteilen.",
    "housing": "Familie sucht eine größere Wohnung im Kreisgebiet.",
    "financial": "Bitte Termin zur Beratung anbieten.",
    "qualification_recognition": "Zeugnisse liegen in Kopie vor.",
}
_REASONS = {
    "on_hold": "Kundin ist bis Monatsende verreist.",
    "cancelled": "Doppelt angelegt.",
    "failed": "Angebot passt nicht zu den Arbeitszeiten.",
}
