"""Every change to a partner, one function each: `(actor, clock, ...)`, owning its transaction
and its audit entry, returning the partner as stored."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from network import fields as check
from network.accounts import audit
from network.actors import Actor
from network.clock import Clock
from network.partners import service as data
from network.partners.service import DATA_FIELDS, Partner, PartnerData
from network.transactions import transaction

log = logging.getLogger(__name__)


async def create_partner(actor: Actor, clock: Clock, partner: PartnerData) -> Partner:
    now = clock.now()
    partner = data.checked(partner)
    async with transaction():
        await data.refuse_duplicate_name(partner.name, None)
        partner_id = await data.insert_partner(partner, now)
        made = await data.load_partner(partner_id)
        await audit.record(actor, "partner.created", "partner", partner_id, at=now)
    log.info("partner created", extra={"partner_id": partner_id, **actor.describe()})
    return made


async def update_partner(
    actor: Actor, clock: Clock, partner_id: int, changes: Mapping[str, Any],
) -> Partner:
    """Apply the given fields (any of PartnerData's) over the stored partner."""
    now = clock.now()
    check.only_fields(changes, DATA_FIELDS, "not_a_partner_field")
    async with transaction():
        current = await data.load_partner(partner_id, lock=True)
        after = data.checked(replace(data.data_of(current), **changes))
        await data.refuse_duplicate_name(after.name, partner_id)
        await data.write_partner(partner_id, after, now, contacts="contacts" in changes)
        changed = await data.load_partner(partner_id)
        await audit.record(actor, "partner.changed", "partner", partner_id,
                           {"fields": sorted(changes)}, at=now)
    log.info("partner updated", extra={"partner_id": partner_id, "fields": sorted(changes),
                                       **actor.describe()})
    return changed
