"""Every change to a partner, one function each: `(actor, clock, ...)`, owning its transaction
and its audit entry, returning the partner as stored.

The partner side (issue 16): a partner keeps its own entry (`update_own_entry`), pauses taking
clients (`set_pause`) and confirms its entry is right (`confirm_entry`). These three take a
partner actor for its own partner only, or a coordinator/admin acting on its behalf; their
audit entries carry the changed fields' values before and after (the coordinators' partner
page lists them as "Änderungen durch den Partner")."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from network import fields as check
from network.accounts import audit
from network.actors import Actor, ActorKind
from network.clock import Clock
from network.errors import NotPermitted, RuleViolation
from network.partners import service as data
from network.partners import staleness
from network.partners.service import DATA_FIELDS, OWN_ENTRY_FIELDS, OwnEntry, Partner, PartnerData
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


# --- the partner side: the partner keeps its own entry ------------------------------------

ENTRY_UPDATED = "partner.entry_updated"
PAUSE_SET = "partner.pause_set"
ENTRY_CONFIRMED = "partner.entry_confirmed"
PARTNER_SIDE_ACTIONS = (ENTRY_UPDATED, PAUSE_SET, ENTRY_CONFIRMED)
AUDIT_TEXT_CHARS = 600  # a value longer than this is cut in the audit entry (its size limit)


def _may_keep(actor: Actor, partner_id: int) -> None:
    """The partner itself (through its link or inbox), or staff on its behalf."""
    if actor.kind is ActorKind.PARTNER and actor.partner_id == partner_id:
        return
    if actor.kind is ActorKind.USER and actor.is_staff:
        return
    raise NotPermitted("partner_id", "entry.not_your_partner")


def _audited(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_audited(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > AUDIT_TEXT_CHARS:
        return value[:AUDIT_TEXT_CHARS] + "…"
    return getattr(value, "value", value)


def _difference(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The audit details of a change: which fields, each one's value before and after."""
    changed = sorted(name for name in after if before.get(name) != after[name])
    return {"fields": changed,
            "before": {name: _audited(before.get(name)) for name in changed},
            "after": {name: _audited(after[name]) for name in changed}}


def _own_values(entry: OwnEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in OWN_ENTRY_FIELDS}


async def update_own_entry(actor: Actor, clock: Clock, partner_id: int,
                           changes: OwnEntry) -> Partner:
    """The partner's opening hours, phone, languages and barrier kinds, as given (all four);
    the entry counts as confirmed now, changed or not."""
    _may_keep(actor, partner_id)
    now = clock.now()
    entry = data.checked_own_entry(changes)
    async with transaction():
        current = await data.load_partner(partner_id, lock=True)
        details = _difference(_own_values(data.own_entry_of(current)), _own_values(entry))
        await data.write_own_entry(partner_id, entry, now)
        changed = await data.load_partner(partner_id)
        await audit.record(actor, ENTRY_UPDATED, "partner", partner_id, details, at=now)
    log.info("partner entry kept", extra={"partner_id": partner_id,
                                          "fields": details["fields"], **actor.describe()})
    return changed


def _checked_pause(until: date | None, note: str | None, now: datetime
                   ) -> tuple[date | None, str | None]:
    if until is None:
        return None, None  # the pause ends; its note with it
    if not isinstance(until, date) or isinstance(until, datetime):
        raise RuleViolation("until", "pause.not_a_date")
    if until < staleness.today(now):
        raise RuleViolation("until", "pause.in_the_past")
    latest = staleness.latest_pause_end(now)
    if until > latest:
        raise RuleViolation("until", "pause.too_long", latest=latest.strftime("%d.%m.%Y"))
    return until, check.text("note", note, data.MAX_PAUSE_NOTE)


async def set_pause(actor: Actor, clock: Clock, partner_id: int, until: date | None,
                    note: str | None) -> Partner:
    """No new clients through `until` (today at the earliest, a year ahead at the latest),
    with an optional note; `until=None` ends the pause."""
    _may_keep(actor, partner_id)
    now = clock.now()
    until, note = _checked_pause(until, note, now)
    async with transaction():
        current = await data.load_partner(partner_id, lock=True)
        details = _difference(
            {"paused_until": current.paused_until, "pause_note": current.pause_note},
            {"paused_until": until, "pause_note": note})
        await data.write_pause(partner_id, until, note)
        changed = await data.load_partner(partner_id)
        await audit.record(actor, PAUSE_SET, "partner", partner_id, details, at=now)
    log.info("partner pause set", extra={"partner_id": partner_id, "paused": until is not None,
                                         **actor.describe()})
    return changed


async def confirm_entry(actor: Actor, clock: Clock, partner_id: int) -> Partner:
    """The partner says its entry is right as it stands: it is no longer stale."""
    _may_keep(actor, partner_id)
    now = clock.now()
    async with transaction():
        current = await data.load_partner(partner_id, lock=True)
        await data.write_confirmed(partner_id, now)
        changed = await data.load_partner(partner_id)
        await audit.record(actor, ENTRY_CONFIRMED, "partner", partner_id, {
            "fields": ["confirmed_at"],
            "before": {"confirmed_at": _audited(current.confirmed_at)},
            "after": {"confirmed_at": _audited(now)}}, at=now)
    log.info("partner entry confirmed", extra={"partner_id": partner_id, **actor.describe()})
    return changed
