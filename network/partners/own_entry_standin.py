"""STAND-IN, DELETE AT MERGE (issue 16, branch i16-inbox): a minimal private copy of the
partner's own-entry actions that the i16-entry branch writes in network/partners/actions.py
(`update_own_entry`, `set_pause`, `confirm_entry`) and of its `OwnEntry` in
network/partners/service.py, with the same signatures, so the inbox's forms can be tested
before the merge. network/web/inbox_views.py imports the real ones when they exist and this
module only otherwise. Nothing else may import it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from network.accounts import audit
from network.actors import Actor, ActorKind
from network.clock import Clock
from network.errors import NotPermitted
from network.partners.service import Partner, load_partner
from network.partners.tables import Partner as PartnerRow
from network.transactions import transaction


@dataclass(frozen=True)
class OwnEntry:
    opening_hours: str | None
    phone: str | None
    languages: tuple[str, ...]
    barrier_kinds: tuple[str, ...]


def _own(actor: Actor, partner_id: int) -> None:
    if actor.kind is not ActorKind.PARTNER or actor.partner_id != partner_id:
        raise NotPermitted("actor", "not_allowed")  # a stand-in: no code of its own


async def update_own_entry(actor: Actor, clock: Clock, partner_id: int,
                           changes: OwnEntry) -> Partner:
    _own(actor, partner_id)
    now = clock.now()
    async with transaction():
        await PartnerRow.update({
            PartnerRow.opening_hours: changes.opening_hours, PartnerRow.phone: changes.phone,
            PartnerRow.languages: list(changes.languages),
            PartnerRow.barrier_kinds: list(changes.barrier_kinds),
            PartnerRow.updated_at: now, PartnerRow.confirmed_at: now,
        }).where(PartnerRow.id == partner_id)
        await audit.record(actor, "partner.changed", "partner", partner_id,
                           {"fields": ["opening_hours", "phone", "languages", "barrier_kinds"]},
                           at=now)
        return await load_partner(partner_id)


async def set_pause(actor: Actor, clock: Clock, partner_id: int, until: date | None,
                    note: str | None) -> Partner:
    _own(actor, partner_id)
    now = clock.now()
    async with transaction():
        await PartnerRow.update({
            PartnerRow.paused_until: until, PartnerRow.pause_note: note if until else None,
            PartnerRow.updated_at: now,
        }).where(PartnerRow.id == partner_id)
        await audit.record(actor, "partner.changed",
                           "partner", partner_id, {"fields": ["paused_until"]}, at=now)
        return await load_partner(partner_id)


async def confirm_entry(actor: Actor, clock: Clock, partner_id: int) -> Partner:
    _own(actor, partner_id)
    now = clock.now()
    async with transaction():
        await PartnerRow.update({PartnerRow.confirmed_at: now}).where(
            PartnerRow.id == partner_id)
        await audit.record(actor, "partner.changed", "partner", partner_id,
                           {"fields": ["confirmed_at"]}, at=now)
        return await load_partner(partner_id)
