"""The directory's side of the HSDS interchange: the partners as HSDS entries (for the export
and the HSDS API), and importing a package: the plan (what it would add or change, partner by
partner) and applying it through the partners' actions in one transaction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any
from uuid import UUID

from network import fields as check
from network.accounts import audit
from network.actors import Actor
from network.clock import BERLIN, Clock
from network.errors import RuleViolation
from network.partners import actions, hsds
from network.partners import service as data
from network.partners.hsds import Entry, Row
from network.partners.kinds import PartnerKind
from network.partners.tables import Partner as PartnerRow
from network.transactions import transaction

# The fields an import compares and applies: the entry's fields the partners' actions take.
APPLIED = tuple(f.name for f in fields(Entry) if f.name in data.DATA_FIELDS)
UNSAID = ("kind", "barrier_kinds")  # None: the package does not say (keep what is stored)


def today(clock: Clock) -> date:
    return clock.now().astimezone(BERLIN).date()


def entry_of(partner: data.Partner, row: dict[str, Any]) -> Entry:
    return Entry(
        organization_id=row["hsds_id"] or hsds.partner_organization_id(partner.id),
        name=partner.name, kind=partner.kind, street=partner.street,
        postal_code=partner.postal_code, city=partner.city, phone=partner.phone,
        referral_emails=partner.referral_emails, contacts=partner.contacts,
        languages=partner.languages, barrier_kinds=partner.barrier_kinds,
        opening_hours=partner.opening_hours, active=partner.active,
        paused_until=row["paused_until"],
        served_municipalities=tuple(row["served_municipalities"] or ()),
    )


async def directory() -> list[tuple[int, Entry]]:
    """Every partner (active or not) as an entry, with its id, by name."""
    rows = await PartnerRow.select().order_by(PartnerRow.name, PartnerRow.id)
    partners = await data.partners_of(rows)
    return [(p.id, entry_of(p, row)) for p, row in zip(partners, rows, strict=True)]


@dataclass(frozen=True)
class Planned:
    """One organization of the package: what importing it does."""

    outcome: str  # "new", "changed", "unchanged", "ambiguous"
    entry: Entry
    source: str  # "organizations.csv, line 3"
    partner_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field: (old, new)
    reason: str | None = None
    store_hsds_id: bool = False


async def plan_import(imported: Sequence[tuple[Entry, Row]]) -> list[Planned]:
    """What importing these entries would do; nothing is written. Refuses (PackageError) an
    entry whose values the directory would not take, naming where it stands in the file."""
    known = await directory()
    by_id = {entry.organization_id: (pid, entry) for pid, entry in known}
    by_name: dict[str, list[tuple[int, Entry]]] = {}
    for pid, entry in known:
        by_name.setdefault(entry.name.strip().casefold(), []).append((pid, entry))
    stored = {r["id"]: r["hsds_id"] for r in
              await PartnerRow.select(PartnerRow.id, PartnerRow.hsds_id)}
    plans: list[Planned] = []
    claimed: dict[int, str] = {}
    names: dict[str, str] = {}
    for entry, row in imported:
        source = f"{row.file}, line {row.line}"
        entry = _checked(entry, row)
        name = entry.name.strip().casefold()
        if name in names:
            plans.append(Planned("ambiguous", entry, source, reason=(
                f"the same name as {names[name]}")))
            continue
        names[name] = source
        match = by_id.get(entry.organization_id)
        named = by_name.get(name, [])
        if match is None and named:
            match = named[0]
            if stored.get(match[0]) is not None:  # already linked to another HSDS record
                plans.append(Planned("ambiguous", entry, source, match[0], reason=(
                    f"same name as partner {match[0]}, which has the HSDS id "
                    f"{stored[match[0]]}, not {entry.organization_id}")))
                continue
        elif match is not None and named and named[0][0] != match[0]:
            plans.append(Planned("ambiguous", entry, source, match[0], reason=(
                f"the HSDS id is partner {match[0]}'s, the name partner {named[0][0]}'s")))
            continue
        if match is not None and match[0] in claimed:
            plans.append(Planned("ambiguous", entry, source, match[0], reason=(
                f"partner {match[0]} is also matched by {claimed[match[0]]}")))
            continue
        if match is None:
            plans.append(Planned("new", entry, source))
            continue
        partner_id, current = match
        claimed[partner_id] = source
        changes = {name: (getattr(current, name), getattr(entry, name)) for name in APPLIED
                   if not (name in UNSAID and getattr(entry, name) is None)
                   and getattr(entry, name) != getattr(current, name)}
        plans.append(Planned("changed" if changes else "unchanged", entry, source, partner_id,
                             changes, store_hsds_id=current.organization_id
                             != entry.organization_id))
    return plans


def _checked(entry: Entry, row: Row) -> Entry:
    """The entry's values as the directory stores them (normalised), or PackageError."""
    values = {name: getattr(entry, name) for name in APPLIED}
    values["kind"] = values.get("kind") or PartnerKind.OTHER
    values["barrier_kinds"] = values.get("barrier_kinds") or ()
    try:
        checked = data.checked(data.PartnerData(**values))
    except RuleViolation as error:
        at, name = entry.origins.get(_origin_key(entry, error.field), (row, "id"))
        raise at.error(name, f"{name}: {error.message} (organization {entry.name!r}, "
                       f"{error.field})") from None
    kept = {name: getattr(checked, name) for name in APPLIED}
    if entry.kind is None:
        kept["kind"] = None
    if entry.barrier_kinds is None:
        kept["barrier_kinds"] = None
    return replace(entry, **kept)


def _origin_key(entry: Entry, field_name: str) -> str:
    """The origins key of the value a refusal names: "contacts[1].email" -> "contacts/1/email";
    for a list, the first item its check refuses."""
    found = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", field_name)
    if found:
        return "/".join(found.groups())
    one = _ITEM_CHECKS.get(field_name)
    if one is not None:
        for i, value in enumerate(getattr(entry, field_name)):
            try:
                one(field_name, value)
            except RuleViolation:
                return f"{field_name}/{i}"
    return field_name


_ITEM_CHECKS = {"languages": check.language, "referral_emails": check.email}


async def apply_import(actor: Actor, clock: Clock, plans: Sequence[Planned]) -> dict[str, int]:
    """Add the new partners and change the changed ones, all or nothing; the ambiguous ones
    are left alone. Counts by outcome."""
    counts = {"new": 0, "changed": 0, "unchanged": 0, "ambiguous": 0}
    async with transaction():
        for plan in plans:
            counts[plan.outcome] += 1
            if plan.outcome == "new":
                values = {name: getattr(plan.entry, name) for name in APPLIED}
                values["kind"] = values.get("kind") or PartnerKind.OTHER
                values["barrier_kinds"] = values.get("barrier_kinds") or ()
                made = await actions.create_partner(actor, clock, data.PartnerData(**values))
                await _store_hsds_id(made.id, plan.entry.organization_id)
            elif plan.outcome == "changed":
                await actions.update_partner(actor, clock, plan.partner_id, {
                    name: new for name, (_old, new) in plan.changes.items()})
            if plan.store_hsds_id and plan.partner_id is not None:
                await _store_hsds_id(plan.partner_id, plan.entry.organization_id)
        await audit.record(actor, "directory.imported", "partner", None, counts,
                           at=clock.now())
    return counts


async def _store_hsds_id(partner_id: int, organization_id: UUID) -> None:
    await PartnerRow.update({PartnerRow.hsds_id: organization_id}).where(
        PartnerRow.id == partner_id)
