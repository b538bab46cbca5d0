"""Partners, the data side: the record, the checks of entered values, finding partners, and
the writes the actions (network.partners.actions) are made of. Through the Piccolo query
builder (network.partners.tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw

from network import fields as check
from network.cases.values import BarrierKind
from network.errors import Conflict, NotFound, RuleViolation
from network.filters import Filter
from network.pagination import Page, limit_and_offset
from network.partners import queries
from network.partners.kinds import PartnerKind
from network.partners.staleness import is_stale
from network.partners.tables import Partner as PartnerRow
from network.partners.tables import PartnerContact
from network.words.places import MUNICIPALITIES

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
    served_municipalities: tuple[str, ...] = ()  # of the district's; empty: the whole district


@dataclass(frozen=True)
class Partner(PartnerData):
    id: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # kept by the partner-side actions only (network.partners.actions):
    paused_until: date | None = None  # capacity pause: no new clients through this day
    pause_note: str | None = None
    confirmed_at: datetime | None = None  # entry last confirmed as correct


@dataclass(frozen=True)
class OwnEntry:
    """What a partner keeps up to date about itself (from its inbox, or staff on its behalf)."""

    opening_hours: str | None = None
    phone: str | None = None
    languages: tuple[str, ...] = ()  # ISO 639-1 codes
    barrier_kinds: tuple[str, ...] = ()  # BarrierKind values


DATA_FIELDS = tuple(f.name for f in fields(PartnerData))
OWN_ENTRY_FIELDS = tuple(f.name for f in fields(OwnEntry))
MAX_PAUSE_NOTE = 500


def checked(data: PartnerData) -> PartnerData:
    """The data with every value checked and normalised; RuleViolation names the bad field."""
    emails = _sequence("referral_emails", data.referral_emails, MAX_EMAILS)
    contacts = _sequence("contacts", data.contacts, MAX_CONTACTS)
    if not isinstance(data.active, bool):
        raise RuleViolation("active", "not_boolean")
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
        served_municipalities=checked_municipalities(data.served_municipalities),
    )


def checked_own_entry(entry: OwnEntry) -> OwnEntry:
    """The partner's own entry checked by the same rules as the coordinators' form."""
    if not isinstance(entry, OwnEntry):
        raise RuleViolation("entry", "not_an_own_entry")
    return OwnEntry(
        opening_hours=check.text("opening_hours", entry.opening_hours, 2000),
        phone=check.phone("phone", entry.phone),
        languages=_unique(check.language("languages", lang) for lang in
                          _sequence("languages", entry.languages, 50)),
        barrier_kinds=tuple(k.value for k in check.choices(
            "barrier_kinds", _sequence("barrier_kinds", entry.barrier_kinds, 50),
            BarrierKind)),
    )


def own_entry_of(partner: Partner) -> OwnEntry:
    return OwnEntry(opening_hours=partner.opening_hours, phone=partner.phone,
                    languages=tuple(partner.languages),
                    barrier_kinds=tuple(k.value for k in partner.barrier_kinds))


async def write_own_entry(partner_id: int, entry: OwnEntry, now: datetime) -> None:
    """Store the checked entry; it counts as confirmed now."""
    await PartnerRow.update({
        PartnerRow.opening_hours: entry.opening_hours, PartnerRow.phone: entry.phone,
        PartnerRow.languages: list(entry.languages),
        PartnerRow.barrier_kinds: list(entry.barrier_kinds),
        PartnerRow.updated_at: now, PartnerRow.confirmed_at: now,
    }).where(PartnerRow.id == partner_id)


async def write_pause(partner_id: int, until: date | None, note: str | None) -> None:
    await PartnerRow.update({PartnerRow.paused_until: until, PartnerRow.pause_note: note}
                            ).where(PartnerRow.id == partner_id)


async def write_confirmed(partner_id: int, now: datetime) -> None:
    await PartnerRow.update({PartnerRow.confirmed_at: now}).where(PartnerRow.id == partner_id)


async def confirmation_to_ask(partner_id: int, now: datetime) -> bool:
    """Whether this partner's entry is stale and it was not asked since its last
    confirmation (asked once per staleness period)."""
    row = await PartnerRow.select(PartnerRow.confirmed_at, PartnerRow.confirmation_asked_at
                                  ).where(PartnerRow.id == partner_id).first()
    if row is None or not is_stale(row["confirmed_at"], now):
        return False
    asked, confirmed = row["confirmation_asked_at"], row["confirmed_at"]
    return asked is None or (confirmed is not None and asked <= confirmed)


async def mark_asked(partner_id: int, now: datetime) -> None:
    await PartnerRow.update({PartnerRow.confirmation_asked_at: now}).where(
        PartnerRow.id == partner_id)


def checked_municipalities(values: Sequence[Any]) -> tuple[str, ...]:
    """Municipalities of the district, each once, in the district's order."""
    chosen = set(_sequence("served_municipalities", values, len(MUNICIPALITIES)))
    unknown = chosen - set(MUNICIPALITIES)
    if unknown:
        raise RuleViolation("served_municipalities", "not_a_municipality",
                            allowed=", ".join(MUNICIPALITIES))
    return tuple(m for m in MUNICIPALITIES if m in chosen)


async def get_partner(partner_id: int) -> Partner:
    return await load_partner(partner_id)


async def find_partner_by_name(name: str) -> Partner | None:
    row = await PartnerRow.select(PartnerRow.id).where(
        WhereRaw(queries.SAME_NAME, name.strip())).first()
    return None if row is None else await load_partner(row["id"])


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
    phone, emails, notes, opening hours and contact persons; `active=None` means both.
    Three queries a page: the count, the rows, their contact persons."""
    limit, offset = limit_and_offset(limit, offset)
    where = Filter()
    if kind is not None:
        where.add(PartnerRow.kind == check.choice("kind", kind, PartnerKind).value)
    if barrier_kind is not None:
        where.add(PartnerRow.barrier_kinds.any(
            check.choice("barrier_kind", barrier_kind, BarrierKind).value))
    if language is not None:
        where.add(PartnerRow.languages.any(check.language("language", language)))
    if active is not None:
        if not isinstance(active, bool):
            raise RuleViolation("active", "not_boolean")
        where.add(PartnerRow.active == active)
    where.words((PartnerRow.name, PartnerRow.street, PartnerRow.postal_code, PartnerRow.city,
                 PartnerRow.phone, PartnerRow.notes, PartnerRow.opening_hours,
                 queries.EMAILS_TEXT, queries.CONTACTS_TEXT),
                check.text("text", text, 200))
    total = await where.applied(PartnerRow.count())
    rows = await where.applied(PartnerRow.select()).order_by(
        OrderByRaw(queries.BY_NAME), PartnerRow.id).limit(limit).offset(offset)
    return Page(items=await partners_of(rows), total=total, limit=limit, offset=offset)


def _sequence(field_name: str, values: Sequence[Any], maximum: int) -> Sequence[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise RuleViolation(field_name, "not_a_list")
    if len(values) > maximum:
        raise RuleViolation(field_name, "too_many_entries", max=maximum)
    return values


def _unique(values: Any) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _checked_contact(index: int, contact: ContactPerson) -> ContactPerson:
    if not isinstance(contact, ContactPerson):
        raise RuleViolation(f"contacts[{index}]", "not_a_contact_person")
    prefix = f"contacts[{index}]."
    return ContactPerson(
        name=check.required_text(prefix + "name", contact.name, 200),
        role=check.text(prefix + "role", contact.role, 200),
        email=check.email(prefix + "email", contact.email),
        phone=check.phone(prefix + "phone", contact.phone),
    )


def _values(data: PartnerData, now: datetime) -> dict[Any, Any]:
    return {
        PartnerRow.name: data.name, PartnerRow.kind: data.kind.value,
        PartnerRow.street: data.street, PartnerRow.postal_code: data.postal_code,
        PartnerRow.city: data.city, PartnerRow.phone: data.phone,
        PartnerRow.referral_emails: list(data.referral_emails),
        PartnerRow.languages: list(data.languages),
        PartnerRow.barrier_kinds: [k.value for k in data.barrier_kinds],
        PartnerRow.opening_hours: data.opening_hours, PartnerRow.notes: data.notes,
        PartnerRow.active: data.active, PartnerRow.updated_at: now,
        PartnerRow.served_municipalities: list(data.served_municipalities),
    }


async def insert_partner(data: PartnerData, now: datetime) -> int:
    values = {column._meta.name: value for column, value in _values(data, now).items()}
    rows = await PartnerRow.insert(PartnerRow(**values, created_at=now, confirmed_at=now)
                                   ).returning(
        PartnerRow.id)
    partner_id = rows[0]["id"]
    await _write_contacts(partner_id, data.contacts)
    return partner_id


async def write_partner(partner_id: int, data: PartnerData, now: datetime, *,
                        contacts: bool) -> None:
    """Store the checked data over the partner; its contact persons too when `contacts`."""
    await PartnerRow.update(_values(data, now)).where(PartnerRow.id == partner_id)
    if contacts:
        await PartnerContact.delete().where(PartnerContact.partner_id == partner_id)
        await _write_contacts(partner_id, data.contacts)


async def refuse_duplicate_name(name: str, own_id: int | None) -> None:
    query = PartnerRow.select(PartnerRow.id).where(WhereRaw(queries.SAME_NAME, name))
    if own_id is not None:
        query = query.where(PartnerRow.id != own_id)
    clash = await query.first()
    if clash is not None:
        raise Conflict("name", "partner_name_taken", id=clash["id"])


async def _write_contacts(partner_id: int, contacts: Sequence[ContactPerson]) -> None:
    if contacts:
        await PartnerContact.insert(*[
            PartnerContact(partner_id=partner_id, position=i, name=c.name, role=c.role,
                           email=c.email, phone=c.phone) for i, c in enumerate(contacts)])


async def load_partner(partner_id: int, lock: bool = False) -> Partner:
    query = PartnerRow.select().where(PartnerRow.id == partner_id)
    row = await (query.lock_rows() if lock else query).first()
    if row is None:
        raise NotFound("partner", partner_id)
    return (await partners_of([row]))[0]


async def partners_of(rows: Sequence[Mapping[str, Any]]) -> list[Partner]:
    """The partners of these rows, their contact persons loaded in one query."""
    contacts: dict[int, list[ContactPerson]] = {}
    if rows:
        found = await PartnerContact.select(
            PartnerContact.partner_id, PartnerContact.name, PartnerContact.role,
            PartnerContact.email, PartnerContact.phone,
        ).where(PartnerContact.partner_id.is_in([r["id"] for r in rows])).order_by(
            PartnerContact.partner_id, PartnerContact.position)
        for c in found:
            contacts.setdefault(c.pop("partner_id"), []).append(ContactPerson(**c))
    return [_partner(row, tuple(contacts.get(row["id"], ()))) for row in rows]


def _partner(row: Mapping[str, Any], contacts: tuple[ContactPerson, ...]) -> Partner:
    return Partner(
        id=row["id"],
        name=row["name"],
        kind=PartnerKind(row["kind"]),
        street=row["street"],
        postal_code=row["postal_code"],
        city=row["city"],
        phone=row["phone"],
        referral_emails=tuple(row["referral_emails"]),
        contacts=contacts,
        languages=tuple(row["languages"]),
        barrier_kinds=tuple(BarrierKind(k) for k in row["barrier_kinds"]),
        opening_hours=row["opening_hours"],
        notes=row["notes"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        paused_until=row["paused_until"],
        pause_note=row["pause_note"],
        confirmed_at=row["confirmed_at"],
        served_municipalities=tuple(row["served_municipalities"] or ()),
    )


def data_of(partner: Partner) -> PartnerData:
    return PartnerData(**{name: getattr(partner, name) for name in DATA_FIELDS})
