"""Partners: create, change and find the organisations of the network. One transaction each."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

import asyncpg

from network import fields as check
from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.cases.values import BarrierKind
from network.errors import Conflict, NotFound, RuleViolation
from network.filters import Where
from network.pagination import Page, limit_and_offset
from network.partners.kinds import PartnerKind
from network.transactions import transaction

log = logging.getLogger(__name__)

MAX_EMAILS = 10
MAX_CONTACTS = 20


@dataclass(frozen=True)
class ContactPerson:
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class PartnerData:
    """What a coordinator enters about a partner."""

    name: str
    kind: PartnerKind
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    referral_emails: tuple[str, ...] = ()
    contacts: tuple[ContactPerson, ...] = ()
    languages: tuple[str, ...] = ()  # ISO 639-1 codes
    barrier_kinds: tuple[BarrierKind, ...] = ()
    opening_hours: str | None = None
    notes: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Partner(PartnerData):
    id: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None


DATA_FIELDS = tuple(f.name for f in fields(PartnerData))


def checked(data: PartnerData) -> PartnerData:
    """The data with every value checked and normalised; RuleViolation names the bad field."""
    emails = _sequence("referral_emails", data.referral_emails, MAX_EMAILS)
    contacts = _sequence("contacts", data.contacts, MAX_CONTACTS)
    if not isinstance(data.active, bool):
        raise RuleViolation("active", "must be true or false")
    return PartnerData(
        name=check.required_text("name", data.name, 200),
        kind=check.choice("kind", data.kind, PartnerKind),
        street=check.text("street", data.street, 200),
        postal_code=check.postal_code("postal_code", data.postal_code),
        city=check.text("city", data.city, 100),
        phone=check.phone("phone", data.phone),
        referral_emails=_unique(check.email("referral_emails", e) for e in emails),
        contacts=tuple(_checked_contact(i, c) for i, c in enumerate(contacts)),
        languages=_unique(check.language("languages", lang) for lang in
                          _sequence("languages", data.languages, 50)),
        barrier_kinds=check.choices("barrier_kinds", data.barrier_kinds, BarrierKind),
        opening_hours=check.text("opening_hours", data.opening_hours, 2000),
        notes=check.text("notes", data.notes, 5000),
        active=data.active,
    )


async def create_partner(data: PartnerData, actor: CurrentUser | None) -> Partner:
    data = checked(data)
    async with transaction() as connection:
        await _refuse_duplicate_name(connection, data.name, None)
        partner_id = await connection.fetchval(
            """
            INSERT INTO partners (name, kind, street, postal_code, city, phone, referral_emails,
                                  languages, barrier_kinds, opening_hours, notes, active)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
            """,
            *_columns(data),
        )
        await _write_contacts(connection, partner_id, data.contacts)
        partner = await _load(connection, partner_id)
        await audit.record(actor, "partner.created", "partner", partner_id)
    log.info("partner created", extra={"partner_id": partner_id, "actor_id": user_id(actor)})
    return partner


async def update_partner(
    partner_id: int, changes: Mapping[str, Any], actor: CurrentUser | None
) -> Partner:
    """Apply the given fields (any of PartnerData's) over the stored partner."""
    unknown = set(changes) - set(DATA_FIELDS)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], "is not a field of a partner")
    async with transaction() as connection:
        current = await _load(connection, partner_id, lock=True)
        data = checked(replace(_data_of(current), **changes))
        await _refuse_duplicate_name(connection, data.name, partner_id)
        await connection.execute(
            """
            UPDATE partners SET name = $2, kind = $3, street = $4, postal_code = $5, city = $6,
                phone = $7, referral_emails = $8, languages = $9, barrier_kinds = $10,
                opening_hours = $11, notes = $12, active = $13, updated_at = now()
            WHERE id = $1
            """,
            partner_id,
            *_columns(data),
        )
        if "contacts" in changes:
            await connection.execute(
                "DELETE FROM partner_contacts WHERE partner_id = $1", partner_id
            )
            await _write_contacts(connection, partner_id, data.contacts)
        partner = await _load(connection, partner_id)
        await audit.record(actor, "partner.changed", "partner", partner_id,
                           {"fields": sorted(changes)})
    log.info("partner updated", extra={"partner_id": partner_id, "actor_id": user_id(actor),
                                       "fields": sorted(changes)})
    return partner


async def get_partner(partner_id: int) -> Partner:
    async with transaction() as connection:
        return await _load(connection, partner_id)


async def find_partner_by_name(name: str) -> Partner | None:
    async with transaction() as connection:
        partner_id = await connection.fetchval(
            "SELECT id FROM partners WHERE lower(name) = lower($1)", name.strip()
        )
        return None if partner_id is None else await _load(connection, partner_id)


async def search_partners(
    *,
    kind: str | None = None,
    barrier_kind: str | None = None,
    language: str | None = None,
    text: str | None = None,
    active: bool | None = True,
    limit: int = 50,
    offset: int = 0,
) -> Page[Partner]:
    """Partners matching every given filter, by name. `text` looks in the name, address,
    phone, emails, notes, opening hours and contact persons; `active=None` means both."""
    limit, offset = limit_and_offset(limit, offset)
    where = Where()
    if kind is not None:
        where.add("p.kind = $?", check.choice("kind", kind, PartnerKind).value)
    if barrier_kind is not None:
        where.add("$? = ANY (p.barrier_kinds)",
                  check.choice("barrier_kind", barrier_kind, BarrierKind).value)
    if language is not None:
        where.add("$? = ANY (p.languages)", check.language("language", language))
    if active is not None:
        if not isinstance(active, bool):
            raise RuleViolation("active", "must be true or false")
        where.add("p.active = $?", active)
    where.words(
        """concat_ws(' ', p.name, p.street, p.postal_code, p.city, p.phone, p.notes,
                     p.opening_hours, array_to_string(p.referral_emails, ' '),
                     (SELECT string_agg(concat_ws(' ', c.name, c.role, c.email), ' ')
                      FROM partner_contacts c WHERE c.partner_id = p.id))""",
        check.text("text", text, 200))
    async with transaction() as connection:
        total = await connection.fetchval(
            f"SELECT count(*) FROM partners p WHERE {where.sql}", *where.args)
        ids = await connection.fetch(
            f"SELECT p.id FROM partners p WHERE {where.sql}"
            f" ORDER BY lower(p.name), p.id LIMIT {limit} OFFSET {offset}",
            *where.args,
        )
        items = [await _load(connection, row["id"]) for row in ids]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _sequence(field_name: str, values: Sequence[Any], maximum: int) -> Sequence[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise RuleViolation(field_name, "must be a list")
    if len(values) > maximum:
        raise RuleViolation(field_name, f"must have at most {maximum} entries")
    return values


def _unique(values: Any) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _checked_contact(index: int, contact: ContactPerson) -> ContactPerson:
    if not isinstance(contact, ContactPerson):
        raise RuleViolation(f"contacts[{index}]", "must be a contact person")
    prefix = f"contacts[{index}]."
    return ContactPerson(
        name=check.required_text(prefix + "name", contact.name, 200),
        role=check.text(prefix + "role", contact.role, 200),
        email=check.email(prefix + "email", contact.email),
        phone=check.phone(prefix + "phone", contact.phone),
    )


def _columns(data: PartnerData) -> tuple[Any, ...]:
    return (
        data.name, data.kind.value, data.street, data.postal_code, data.city, data.phone,
        list(data.referral_emails), list(data.languages), [k.value for k in data.barrier_kinds],
        data.opening_hours, data.notes, data.active,
    )


async def _refuse_duplicate_name(
    connection: asyncpg.Connection, name: str, own_id: int | None
) -> None:
    clash = await connection.fetchval(
        "SELECT id FROM partners WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2",
        name, own_id,
    )
    if clash is not None:
        raise Conflict("name", f"a partner with this name exists already (id {clash})")


async def _write_contacts(
    connection: asyncpg.Connection, partner_id: int, contacts: Sequence[ContactPerson]
) -> None:
    await connection.executemany(
        "INSERT INTO partner_contacts (partner_id, position, name, role, email, phone)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        [(partner_id, i, c.name, c.role, c.email, c.phone) for i, c in enumerate(contacts)],
    )


async def _load(connection: asyncpg.Connection, partner_id: int, lock: bool = False) -> Partner:
    row = await connection.fetchrow(
        "SELECT * FROM partners WHERE id = $1" + (" FOR UPDATE" if lock else ""), partner_id
    )
    if row is None:
        raise NotFound("partner", partner_id)
    contacts = await connection.fetch(
        "SELECT name, role, email, phone FROM partner_contacts WHERE partner_id = $1"
        " ORDER BY position",
        partner_id,
    )
    return Partner(
        id=row["id"],
        name=row["name"],
        kind=PartnerKind(row["kind"]),
        street=row["street"],
        postal_code=row["postal_code"],
        city=row["city"],
        phone=row["phone"],
        referral_emails=tuple(row["referral_emails"]),
        contacts=tuple(ContactPerson(**dict(c)) for c in contacts),
        languages=tuple(row["languages"]),
        barrier_kinds=tuple(BarrierKind(k) for k in row["barrier_kinds"]),
        opening_hours=row["opening_hours"],
        notes=row["notes"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _data_of(partner: Partner) -> PartnerData:
    return PartnerData(**{name: getattr(partner, name) for name in DATA_FIELDS})
