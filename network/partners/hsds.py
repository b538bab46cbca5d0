"""The partner directory in the Open Referral Human Services Data Specification (HSDS 3.0),
both ways, without I/O: a directory entry becomes HSDS records (the rows of the tabular data
package, or one organization / service nested as the HSDS API serves them), and the rows of a
package become directory entries again.

One partner is one HSDS organization with one service (its offer to the Integration Point),
at most one physical location (its address) and:
- the partner's phone: a phone of the organization; contact persons: contacts of the
  organization (their phone a phone of the contact);
- referral emails: contacts of the service with department "referrals";
- languages: languages of the service (ISO 639-1 in `code`);
- opening hours (free text): one schedule of the service, in `description`;
- served municipalities: service areas of the service (by name; none: the whole district);
- a capacity pause: service status "temporarily closed", the date in `alert`;
- inactive partners: service status "inactive";
- the partner kind and the barrier kinds it handles: attributes (on the organization and on the
  service) with terms of our own taxonomy "network-partner-directory", codes
  `partner_kind:<kind>` and `barrier_kind:<kind>` (network.partners.kinds, network.cases.values).

Ids: HSDS ids are UUIDs. A partner entered here has the organization id uuid5(NAMESPACE,
"partner/<id>"); an imported one keeps the organization id it came with (partners.hsds_id).
Every other record's id is derived from the organization id and its place, so exporting,
importing and exporting again gives the same ids. Internal notes are not exported.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from network.cases.values import BarrierKind
from network.partners.kinds import PartnerKind
from network.partners.service import ContactPerson

NAMESPACE = UUID("6f1c5e2a-3d4b-5a6c-9e8f-0b1a2c3d4e5f")  # ours: every derived id's root
TAXONOMY_NAME = "network-partner-directory"
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy")
KIND_PREFIX = "partner_kind:"
BARRIER_PREFIX = "barrier_kind:"
REFERRALS = "referrals"  # contact.department of a referral email
PAUSE_ALERT = "Keine Aufnahme bis "  # service.alert of a capacity pause, then YYYY-MM-DD
COUNTRY = "DE"

# The resources used, with the fields (and their order) of the HSDS 3.0 datapackage.json.
RESOURCES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "organization": ("organizations.csv", (
        ("id", "string"), ("name", "string"), ("alternate_name", "string"),
        ("description", "string"), ("email", "string"), ("website", "string"),
        ("tax_status", "string"), ("tax_id", "string"), ("year_incorporated", "number"),
        ("legal_status", "string"), ("logo", "string"), ("uri", "string"),
        ("parent_organization_id", "string"),)),
    "service": ("services.csv", (
        ("id", "string"), ("organization_id", "string"), ("program_id", "string"),
        ("name", "string"), ("alternate_name", "string"), ("description", "string"),
        ("url", "string"), ("email", "string"), ("status", "string"),
        ("interpretation_services", "string"), ("application_process", "string"),
        ("fees_description", "string"), ("wait_time", "string"), ("fees", "string"),
        ("accreditations", "string"), ("eligibility_description", "string"),
        ("minimum_age", "number"), ("maximum_age", "number"), ("assured_date", "date"),
        ("assurer_email", "string"), ("licenses", "string"), ("alert", "string"),
        ("last_modified", "datetime"),)),
    "location": ("locations.csv", (
        ("id", "string"), ("location_type", "string"), ("url", "string"),
        ("organization_id", "string"), ("name", "string"), ("alternate_name", "string"),
        ("description", "string"), ("transportation", "string"), ("latitude", "number"),
        ("longitude", "number"), ("external_identifier", "string"),
        ("external_identifier_type", "string"),)),
    "address": ("addresses.csv", (
        ("id", "string"), ("location_id", "string"), ("attention", "string"),
        ("address_1", "string"), ("address_2", "string"), ("city", "string"),
        ("region", "string"), ("state_province", "string"), ("postal_code", "string"),
        ("country", "string"), ("address_type", "string"),)),
    "phone": ("phones.csv", (
        ("id", "string"), ("location_id", "string"), ("service_id", "string"),
        ("organization_id", "string"), ("contact_id", "string"),
        ("service_at_location_id", "string"), ("number", "string"), ("extension", "number"),
        ("type", "string"), ("description", "string"),)),
    "contact": ("contacts.csv", (
        ("id", "string"), ("organization_id", "string"), ("service_id", "string"),
        ("service_at_location_id", "string"), ("location_id", "string"), ("name", "string"),
        ("title", "string"), ("department", "string"), ("email", "string"),)),
    "language": ("languages.csv", (
        ("id", "string"), ("service_id", "string"), ("location_id", "string"),
        ("phone_id", "string"), ("name", "string"), ("code", "string"), ("note", "string"),)),
    "service_at_location": ("service_at_location.csv", (
        ("id", "string"), ("service_id", "string"), ("location_id", "string"),
        ("description", "string"),)),
    "schedule": ("schedules.csv", (
        ("id", "string"), ("service_id", "string"), ("location_id", "string"),
        ("service_at_location_id", "string"), ("valid_from", "date"), ("valid_to", "date"),
        ("dtstart", "date"), ("timezone", "number"), ("until", "date"), ("count", "number"),
        ("wkst", "string"), ("freq", "string"), ("interval", "number"), ("byday", "string"),
        ("byweekno", "string"), ("bymonthday", "string"), ("byyearday", "string"),
        ("description", "string"), ("opens_at", "time"), ("closes_at", "time"),
        ("schedule_link", "string"), ("attending_type", "string"), ("notes", "string"),)),
    "service_area": ("service_areas.csv", (
        ("id", "string"), ("service_id", "string"), ("name", "string"),
        ("description", "string"), ("extent", "string"), ("extent_type", "string"),
        ("uri", "string"),)),
    "taxonomy": ("taxonomies.csv", (
        ("id", "string"), ("name", "string"), ("description", "string"), ("uri", "string"),
        ("version", "string"),)),
    "taxonomy_term": ("taxonomy_terms.csv", (
        ("id", "string"), ("code", "string"), ("name", "string"), ("description", "string"),
        ("parent_id", "string"), ("taxonomy", "string"), ("language", "string"),
        ("taxonomy_id", "string"), ("term_uri", "string"),)),
    "attribute": ("attributes.csv", (
        ("id", "string"), ("link_id", "string"), ("taxonomy_term_id", "string"),
        ("link_type", "string"), ("link_entity", "string"), ("value", "string"),)),
}
ID_FIELDS = {  # the fields holding ids of other records: must be UUIDs
    "organization_id", "service_id", "location_id", "contact_id", "service_at_location_id",
    "link_id", "taxonomy_term_id", "taxonomy_id", "parent_organization_id", "program_id",
    "phone_id", "parent_id",
}
REQUIRED = {  # fields this import cannot do without (the datapackage's required ones we read)
    "organization": ("id", "name"), "service": ("id", "organization_id"),
    "location": ("id",), "address": ("id",), "phone": ("id", "number"), "contact": ("id",),
    "language": ("id",), "service_at_location": ("id", "service_id", "location_id"),
    "schedule": ("id",), "service_area": ("id",), "taxonomy": ("id",),
    "taxonomy_term": ("id",), "attribute": ("id", "link_id", "taxonomy_term_id"),
}

Record = dict[str, Any]  # one HSDS record: field -> value, None where empty


@dataclass(frozen=True)
class Entry:
    """A partner as the interchange sees it. `kind` and `barrier_kinds` are None when an
    imported package does not say (it has no terms of our taxonomy)."""

    organization_id: UUID
    name: str
    kind: PartnerKind | None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    referral_emails: tuple[str, ...] = ()
    contacts: tuple[ContactPerson, ...] = ()
    languages: tuple[str, ...] = ()
    barrier_kinds: tuple[BarrierKind, ...] | None = ()
    opening_hours: str | None = None
    active: bool = True
    paused_until: date | None = None
    served_municipalities: tuple[str, ...] = ()
    # where an imported entry's values stand in the package: "phone", "languages/0",
    # "contacts/1/email" ... -> (row, field); for the import's refusals
    origins: Mapping[str, tuple[Row, str]] = field(default_factory=dict, compare=False,
                                                   repr=False)


class PackageError(ValueError):
    """A package that cannot be read: the file, line and column at fault (1-based)."""

    def __init__(self, file: str, line: int, column: int, reason: str):
        self.file, self.line, self.column, self.reason = file, line, column, reason
        super().__init__(f"{file}, line {line}, column {column}: {reason}")


@dataclass(frozen=True)
class Row:
    """One CSV row of a package as read: its values by field, and where it stood."""

    file: str
    line: int
    values: Mapping[str, str]
    columns: Mapping[str, int] = field(default_factory=dict)  # field -> 1-based column

    def get(self, name: str) -> str | None:
        value = self.values.get(name, "")
        return value if value != "" else None

    def error(self, name: str, reason: str) -> PackageError:
        return PackageError(self.file, self.line, self.columns.get(name, 1), reason)


def partner_organization_id(partner_id: int) -> UUID:
    return uuid.uuid5(NAMESPACE, f"partner/{partner_id}")


def _child(organization_id: UUID, what: str) -> str:
    return str(uuid.uuid5(organization_id, what))


def term_id(code: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"term/{code}"))


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def taxonomy_records() -> dict[str, list[Record]]:
    """Our taxonomy and all its terms (always exported whole, so ids never move)."""
    terms = [_term(KIND_PREFIX, k.value, "Kind of partner organisation") for k in PartnerKind]
    terms += [_term(BARRIER_PREFIX, b.value, "Barrier to work the partner helps to remove")
              for b in BarrierKind]
    taxonomy = {"id": str(TAXONOMY_ID), "name": TAXONOMY_NAME,
                "description": "Partner kinds and barrier kinds of the Integration Point's "
                               "partner network", "uri": None, "version": "1"}
    return {"taxonomy": [taxonomy], "taxonomy_term": terms}


def _term(prefix: str, value: str, description: str) -> Record:
    code = prefix + value
    return {"id": term_id(code), "code": code, "name": _label(value),
            "description": description, "parent_id": None, "taxonomy": TAXONOMY_NAME,
            "language": "en", "taxonomy_id": str(TAXONOMY_ID), "term_uri": None}


def status_of(entry: Entry, today: date) -> str:
    if not entry.active:
        return "inactive"
    return "temporarily closed" if _paused(entry, today) else "active"


def _paused(entry: Entry, today: date) -> bool:
    return entry.paused_until is not None and entry.paused_until >= today


def records_of(entry: Entry, today: date) -> dict[str, list[Record]]:
    """The HSDS records of one entry, by resource (flat, as in the tabular package)."""
    org = entry.organization_id
    org_id, service_id = str(org), _child(org, "service")
    records: dict[str, list[Record]] = {name: [] for name in RESOURCES}
    records["organization"].append({
        "id": org_id, "name": entry.name, "alternate_name": None,
        "description": _label(entry.kind.value) if entry.kind else "", "email": None,
        "website": None, "tax_status": None, "tax_id": None, "year_incorporated": None,
        "legal_status": None, "logo": None, "uri": None, "parent_organization_id": None})
    records["service"].append({
        "id": service_id, "organization_id": org_id, "program_id": None,
        "name": entry.name, "alternate_name": None, "description": None, "url": None,
        "email": entry.referral_emails[0] if entry.referral_emails else None,
        "status": status_of(entry, today), "interpretation_services": None,
        "application_process": None, "fees_description": None, "wait_time": None,
        "fees": None, "accreditations": None, "eligibility_description": None,
        "minimum_age": None, "maximum_age": None, "assured_date": None,
        "assurer_email": None, "licenses": None,
        "alert": f"{PAUSE_ALERT}{entry.paused_until.isoformat()}"
        if _paused(entry, today) and entry.paused_until else None,
        "last_modified": None})
    if entry.street or entry.postal_code or entry.city:
        location_id = _child(org, "location")
        records["location"].append({
            "id": location_id, "location_type": "physical", "url": None,
            "organization_id": org_id, "name": entry.name, "alternate_name": None,
            "description": None, "transportation": None, "latitude": None,
            "longitude": None, "external_identifier": None, "external_identifier_type": None})
        records["address"].append({
            "id": _child(org, "address"), "location_id": location_id, "attention": None,
            "address_1": entry.street or "", "address_2": None, "city": entry.city or "",
            "region": None, "state_province": "", "postal_code": entry.postal_code or "",
            "country": COUNTRY, "address_type": "physical"})
        records["service_at_location"].append({
            "id": _child(org, "service_at_location"), "service_id": service_id,
            "location_id": location_id, "description": None})
    if entry.phone:
        records["phone"].append(_phone(_child(org, "phone"), entry.phone,
                                       organization_id=org_id))
    for i, person in enumerate(entry.contacts):
        contact_id = _child(org, f"contact/{i}")
        records["contact"].append(_contact(contact_id, person.name, person.role, None,
                                           person.email, organization_id=org_id))
        if person.phone:
            records["phone"].append(_phone(_child(org, f"contact/{i}/phone"), person.phone,
                                           contact_id=contact_id))
    for i, email in enumerate(entry.referral_emails):
        records["contact"].append(_contact(_child(org, f"referral_email/{i}"), None, None,
                                           REFERRALS, email, service_id=service_id))
    for code in entry.languages:
        records["language"].append({
            "id": _child(org, f"language/{code}"), "service_id": service_id,
            "location_id": None, "phone_id": None, "name": None, "code": code, "note": None})
    if entry.opening_hours:
        records["schedule"].append({
            **dict.fromkeys(name for name, _ in RESOURCES["schedule"][1]),
            "id": _child(org, "schedule"), "service_id": service_id,
            "description": entry.opening_hours})
    for name in entry.served_municipalities:
        records["service_area"].append({
            "id": _child(org, f"service_area/{name}"), "service_id": service_id,
            "name": name, "description": None, "extent": None, "extent_type": None,
            "uri": None})
    if entry.kind is not None:
        records["attribute"].append(_attribute(org, org_id, "organization",
                                               KIND_PREFIX + entry.kind.value))
    for barrier in entry.barrier_kinds or ():
        records["attribute"].append(_attribute(org, service_id, "service",
                                               BARRIER_PREFIX + barrier.value))
    return records


def _phone(phone_id: str, number: str, **links: str) -> Record:
    record = dict.fromkeys(name for name, _ in RESOURCES["phone"][1])
    return {**record, **links, "id": phone_id, "number": number}


def _contact(contact_id: str, name: str | None, title: str | None, department: str | None,
             email: str | None, **links: str) -> Record:
    record = dict.fromkeys(name for name, _ in RESOURCES["contact"][1])
    return {**record, **links, "id": contact_id, "name": name, "title": title,
            "department": department, "email": email}


def _attribute(org: UUID, link_id: str, entity: str, code: str) -> Record:
    return {"id": _child(org, f"attribute/{code}"), "link_id": link_id,
            "taxonomy_term_id": term_id(code), "link_type": None, "link_entity": entity,
            "value": None}


def package_tables(entries: Iterable[Entry], today: date) -> dict[str, list[Record]]:
    """Every resource's rows for the whole directory: entries by name, then id."""
    tables: dict[str, list[Record]] = {name: [] for name in RESOURCES}
    for name, rows in taxonomy_records().items():
        tables[name].extend(rows)
    for entry in sorted(entries, key=lambda e: (e.name.casefold(), str(e.organization_id))):
        for name, rows in records_of(entry, today).items():
            tables[name].extend(rows)
    return tables


# -- nested, as the HSDS API and the compiled schemas have them -------------------------------

def _clean(record: Record) -> Record:
    return {k: v for k, v in record.items() if v is not None}


def _terms_by_id() -> dict[str, Record]:
    return {t["id"]: t for t in taxonomy_records()["taxonomy_term"]}


def _attributes(records: dict[str, list[Record]], link_id: str) -> list[Record]:
    terms = _terms_by_id()
    return [{**_clean(a), "taxonomy_term": _clean(terms[a["taxonomy_term_id"]])}
            for a in records["attribute"] if a["link_id"] == link_id]


def _phones(records: dict[str, list[Record]], **link: str) -> list[Record]:
    [(key, value)] = link.items()
    return [_clean(p) for p in records["phone"] if p[key] == value]


def _contacts(records: dict[str, list[Record]], key: str, value: str) -> list[Record]:
    return [{**_clean(c), "phones": _phones(records, contact_id=c["id"])}
            for c in records["contact"] if c[key] == value]


def _locations(records: dict[str, list[Record]]) -> list[Record]:
    return [{**_clean(loc), "addresses": [_clean(a) for a in records["address"]
                                          if a["location_id"] == loc["id"]]}
            for loc in records["location"]]


def service_summary(entry: Entry, today: date) -> Record:
    """The service's one-to-one fields (the API's lists)."""
    return _clean(records_of(entry, today)["service"][0])


def organization_summary(entry: Entry, today: date) -> Record:
    return _clean(records_of(entry, today)["organization"][0])


def organization_document(entry: Entry, today: date) -> Record:
    """One organization fully nested (its services by their one-to-one fields)."""
    records = records_of(entry, today)
    org = records["organization"][0]
    return {**_clean(org),
            "phones": _phones(records, organization_id=org["id"]),
            "contacts": _contacts(records, "organization_id", org["id"]),
            "locations": _locations(records),
            "attributes": _attributes(records, org["id"]),
            "services": [_clean(s) for s in records["service"]]}


def service_document(entry: Entry, today: date) -> Record:
    """One service fully nested, with its organization."""
    records = records_of(entry, today)
    service = records["service"][0]
    locations = {loc["id"]: loc for loc in _locations(records)}
    return {**_clean(service),
            "schedules": [_clean(s) for s in records["schedule"]],
            "service_areas": [_clean(a) for a in records["service_area"]],
            "languages": [_clean(lang) for lang in records["language"]],
            "contacts": _contacts(records, "service_id", service["id"]),
            "service_at_locations": [{**_clean(sal), "location": locations[sal["location_id"]]}
                                     for sal in records["service_at_location"]],
            "attributes": _attributes(records, service["id"]),
            "organization": organization_summary(entry, today)}


# -- reading a package ------------------------------------------------------------------------

def entries_from(tables: Mapping[str, Sequence[Row]]) -> list[tuple[Entry, Row]]:
    """The directory entries of a package's rows (each with its organization's row), in the
    order of the organizations file. Raises PackageError at the first fault."""
    for name, rows in tables.items():
        _check_rows(name, rows)
    index = {name: {r.values["id"]: r for r in tables.get(name, ())} for name in RESOURCES}
    for name, rows in tables.items():
        _check_references(name, rows, index)
    codes = {term_id: row.get("code") or "" for term_id, row in index["taxonomy_term"].items()}
    ours = any(c.startswith((KIND_PREFIX, BARRIER_PREFIX)) for c in codes.values())
    rows = _linked(tables)
    return [(_entry(org, tables, codes, ours, rows), org)
            for org in tables.get("organization", ())]


def _check_rows(name: str, rows: Sequence[Row]) -> None:
    seen: set[str] = set()
    for row in rows:
        for required in REQUIRED[name]:
            if row.get(required) is None:
                raise row.error(required, f"{required} is required")
        for key, value in row.values.items():
            if value and (key == "id" or key in ID_FIELDS):
                try:
                    UUID(value)
                except ValueError:
                    raise row.error(key, f"{key} is not a UUID: {value!r}") from None
        if row.values["id"] in seen:
            raise row.error("id", f"id {row.values['id']} appears twice")
        seen.add(row.values["id"])


_REFERENCES = {"organization_id": "organization", "service_id": "service",
               "location_id": "location", "contact_id": "contact",
               "service_at_location_id": "service_at_location",
               "taxonomy_term_id": "taxonomy_term"}


def _check_references(name: str, rows: Sequence[Row], index: Mapping[str, Mapping]) -> None:
    for row in rows:
        for key, target in _REFERENCES.items():
            value = row.get(key)
            if value is not None and value not in index[target]:
                raise row.error(key, f"{key} {value} is not in {RESOURCES[target][0]}")


def _linked(tables: Mapping[str, Sequence[Row]]) -> Callable[..., list[Row]]:
    """rows(resource, field=value): the rows of a resource linked so, in file order."""
    index: dict[tuple[str, str], dict[str | None, list[Row]]] = {}

    def rows(name: str, **link: str | None) -> list[Row]:
        [(key, value)] = link.items()
        if (name, key) not in index:
            found: dict[str | None, list[Row]] = {}
            for row in tables.get(name, ()):
                found.setdefault(row.get(key), []).append(row)
            index[(name, key)] = found
        return list(index[(name, key)].get(value, ())) if value is not None else []

    return rows


def _entry(org: Row, tables: Mapping[str, Sequence[Row]], codes: Mapping[str, str],
           ours: bool, rows: Callable[..., list[Row]]) -> Entry:
    org_id = org.values["id"]
    origins: dict[str, tuple[Row, str]] = {"name": (org, "name")}
    services = rows("service", organization_id=org_id)
    service = services[0] if services else None
    service_id = service.values["id"] if service else None
    locations = rows("location", organization_id=org_id)
    if not locations and service_id:
        linked = {s.get("location_id") for s in rows("service_at_location", service_id=service_id)}
        locations = [r for r in tables.get("location", ()) if r.values["id"] in linked]
    addresses = rows("address", location_id=locations[0].values["id"]) if locations else []
    address = addresses[0] if addresses else None
    if address is not None:
        origins.update(street=(address, "address_1"), postal_code=(address, "postal_code"),
                       city=(address, "city"))
    phones = [p for p in rows("phone", organization_id=org_id) if p.get("contact_id") is None]
    if not phones:
        phones = [p for p in rows("phone", service_id=service_id) if not p.get("contact_id")]
    if phones:
        origins["phone"] = (phones[0], "number")
    contacts = rows("contact", organization_id=org_id)
    service_contacts = rows("contact", service_id=service_id)
    emails = [(c, "email") for c in service_contacts + contacts
              if c.get("department") == REFERRALS and c.get("email")]
    if not emails and service is not None and service.get("email"):
        emails = [(service, "email")]
    people = []
    for contact in contacts + service_contacts:
        if contact.get("department") == REFERRALS or contact.get("name") is None:
            continue
        phone = rows("phone", contact_id=contact.values["id"])
        at = f"contacts/{len(people)}/"
        origins.update({at + "name": (contact, "name"), at + "role": (contact, "title"),
                        at + "email": (contact, "email")})
        if phone:
            origins[at + "phone"] = (phone[0], "number")
        people.append(ContactPerson(contact.get("name") or "", contact.get("title"),
                                    contact.get("email"), phone[0].get("number") if phone
                                    else None))
    languages = [(r, "code" if r.get("code") else "name")
                 for r in rows("language", service_id=service_id)
                 if r.get("code") or r.get("name")]
    schedules = [s for s in rows("schedule", service_id=service_id) if s.get("description")]
    if schedules:
        origins["opening_hours"] = (schedules[0], "description")
    areas = [(a, "name") for a in rows("service_area", service_id=service_id) if a.get("name")]
    for key, found in (("referral_emails", emails), ("languages", languages),
                       ("served_municipalities", areas)):
        origins.update({f"{key}/{i}": origin for i, origin in enumerate(found)})
    kind, barriers = _kinds(org_id, service_id, tables.get("attribute", ()), codes)
    status = service.get("status") if service else None
    return Entry(
        organization_id=UUID(org_id), name=org.get("name") or "",
        kind=kind if ours else None,
        street=address.get("address_1") if address else None,
        postal_code=address.get("postal_code") if address else None,
        city=address.get("city") if address else None,
        phone=phones[0].get("number") if phones else None,
        referral_emails=tuple(row.get(col) or "" for row, col in emails),
        contacts=tuple(people),
        languages=tuple(row.get(col) or "" for row, col in languages),
        barrier_kinds=tuple(barriers) if ours else None,
        opening_hours=schedules[0].get("description") if schedules else None,
        active=status not in ("inactive", "defunct"),
        paused_until=_pause(service),
        served_municipalities=tuple(row.get(col) or "" for row, col in areas),
        origins=origins,
    )


def _kinds(org_id: str, service_id: str | None, attributes: Sequence[Row],
           codes: Mapping[str, str]) -> tuple[PartnerKind | None, list[BarrierKind]]:
    kind, barriers = None, []
    for attribute in attributes:
        if attribute.get("link_id") not in (org_id, service_id):
            continue
        code = codes.get(attribute.values["taxonomy_term_id"], "")
        value = code.split(":", 1)[-1]
        if code.startswith(KIND_PREFIX) and kind is None:
            if value not in {k.value for k in PartnerKind}:
                raise attribute.error("taxonomy_term_id", f"unknown partner kind {value!r}")
            kind = PartnerKind(value)
        elif code.startswith(BARRIER_PREFIX):
            if value not in {b.value for b in BarrierKind}:
                raise attribute.error("taxonomy_term_id", f"unknown barrier kind {value!r}")
            barriers.append(BarrierKind(value))
    return kind, barriers


def _pause(service: Row | None) -> date | None:
    alert = service.get("alert") if service else None
    found = re.match(re.escape(PAUSE_ALERT) + r"(\d{4}-\d{2}-\d{2})$", alert or "")
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        raise service.error("alert", f"not a date: {found.group(1)}") from None
