"""A client's data request (GDPR Art. 15, § 83 SGB X): everything the service holds about one
client, section by section.

A section is a loader `async def (client_id) -> list[dict]` registered under a name with the
tables it reads (`covers`). A table that can hold data about a client gets a section here; a
new table adds one registration (tests/test_data_request.py enumerates every table with a
client_id, referral_id or barrier_id column and fails for one no section covers). The loaders
are this module's only I/O (hand SQL, like the areas' queries.py); everything after them
(`gather`, `as_json`, network.cases.subject_access_pdf) is pure formatting.

The German headings live in network.words.data_request (SECTION_HEADINGS), keyed by name.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from network.cases.tables import Barrier

Loader = Callable[[int], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Section:
    name: str
    covers: tuple[str, ...]
    load: Loader


SECTIONS: dict[str, Section] = {}


def section(name: str, covers: tuple[str, ...]) -> Callable[[Loader], Loader]:
    """Register a loader as the section `name`, reading the tables `covers`."""
    def register(load: Loader) -> Loader:
        if name in SECTIONS:
            raise ValueError(f"section {name} registered twice")
        SECTIONS[name] = Section(name, covers, load)
        return load
    return register


def covered_tables() -> set[str]:
    return {table for s in SECTIONS.values() for table in s.covers}


async def _rows(sql: str, *args: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in await Barrier.raw(sql, *args)]


_REFERRALS = "SELECT id FROM referrals WHERE client_id = {}"
_BARRIERS = "SELECT id FROM barriers WHERE client_id = {}"


@section("master_data", ("clients",))
async def _master_data(client_id: int) -> list[dict[str, Any]]:
    return await _rows(
        "SELECT id, case_number, first_name, last_name, date_of_birth, birth_year, gender,"
        " country_of_origin, residence_status, municipality, legal_circle, coordinator_id,"
        " case_kind, status, outcome, enrolled_at, enrolment_reason, opened_at, closed_at,"
        " phone, email, address, notes, pseudonymised_at, erased_at, created_at, updated_at"
        " FROM clients WHERE id = {}", client_id)


@section("languages", ("client_languages",))
async def _languages(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT position, language, level FROM client_languages"
                       " WHERE client_id = {} ORDER BY position", client_id)


@section("potential_analysis", ("potential_analyses", "qualifications"))
async def _potential_analysis(client_id: int) -> list[dict[str, Any]]:
    analysis = await _rows(
        "SELECT 'analysis' AS part, schooling_years, work_experience_years, work_experience,"
        " skills, notes, recorded_by, recorded_at, updated_at"
        " FROM potential_analyses WHERE client_id = {}", client_id)
    qualifications = await _rows(
        "SELECT 'qualification' AS part, id, kind, title, country_code, has_documents"
        " FROM qualifications WHERE client_id = {} ORDER BY id", client_id)
    return analysis + qualifications


@section("consents", ("consents",))
async def _consents(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, given_at, recorded_by, partner_kinds, withdrawn_at,"
                       " withdrawn_by FROM consents WHERE client_id = {} ORDER BY id",
                       client_id)


@section("barriers", ("barriers",))
async def _barriers(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, kind, description, status, unresolvable_reason, opened_at,"
                       " resolved_at, created_at, updated_at FROM barriers"
                       " WHERE client_id = {} ORDER BY id", client_id)


@section("barrier_events", ("barrier_events",))
async def _barrier_events(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, barrier_id, at, actor_id, from_status, to_status, note"
                       f" FROM barrier_events WHERE barrier_id IN ({_BARRIERS})"
                       " ORDER BY at, id", client_id)


@section("referrals", ("referrals",))
async def _referrals(client_id: int) -> list[dict[str, Any]]:
    return await _rows(
        "SELECT r.id, r.barrier_id, r.partner_id, p.name AS partner_name, p.kind AS"
        " partner_kind, r.coordinator_id, r.created_by, r.status, r.reason_code,"
        " r.reason_text, r.outcome, r.note, r.override_reason, r.handed_off_from,"
        " r.handed_off_to, r.created_at, r.updated_at, r.sent_at, r.closed_at"
        " FROM referrals r JOIN partners p ON p.id = r.partner_id"
        " WHERE r.client_id = {} ORDER BY r.id", client_id)


@section("referral_events", ("referral_events",))
async def _referral_events(client_id: int) -> list[dict[str, Any]]:
    return await _rows(
        "SELECT id, referral_id, at, event, actor_kind, actor_user_id, from_status, to_status,"
        " reason_code, reason_text, outcome, note, linked_referral_id, from_coordinator_id,"
        f" to_coordinator_id FROM referral_events WHERE referral_id IN ({_REFERRALS})"
        " ORDER BY at, id", client_id)


@section("partner_messages", ("partner_messages", "partner_links"))
async def _partner_messages(client_id: int) -> list[dict[str, Any]]:
    """When a partner answered through its link, and which links were issued: metadata only
    (the link tokens are stored as hashes and are no data about the client)."""
    messages = await _rows(
        "SELECT 'message' AS part, id, referral_id, partner_id, link_id, at FROM"
        f" partner_messages WHERE referral_id IN ({_REFERRALS}) ORDER BY at, id", client_id)
    links = await _rows(
        "SELECT 'link' AS part, id, referral_id, partner_id, created_at, expires_at,"
        f" last_used_at FROM partner_links WHERE referral_id IN ({_REFERRALS}) ORDER BY id",
        client_id)
    return messages + links


@section("case_history", ("case_events",))
async def _case_history(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, at, actor_id, event, note FROM case_events"
                       " WHERE client_id = {} ORDER BY at, id", client_id)


@section("reminders", ("reminders",))
async def _reminders(client_id: int) -> list[dict[str, Any]]:
    return await _rows(
        "SELECT id, kind, recipient, referral_id, barrier_id, client_id, coordinator_id,"
        " sequence, due_at, status, cancelled_because, reason, decided_by, decided_at,"
        " sent_at, created_at FROM reminders WHERE client_id = {}"
        f" OR referral_id IN ({_REFERRALS}) OR barrier_id IN ({_BARRIERS}) ORDER BY id",
        client_id, client_id, client_id)


@section("emails", ("outbox",))
async def _emails(client_id: int) -> list[dict[str, Any]]:
    """Emails sent about the client: subject, recipients, status, dates (not the bodies)."""
    return await _rows(
        "SELECT id, template, subject, recipients, status, created_at, sent_at, client_id,"
        f" referral_id FROM outbox WHERE client_id = {{}} OR referral_id IN ({_REFERRALS})"
        " ORDER BY id", client_id, client_id)


@section("circle_handovers", ("circle_handovers",))
async def _circle_handovers(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, from_circle, to_circle, reason, status, proposed_by,"
                       " proposed_at, decided_by, decided_at, decision_reason,"
                       " to_coordinator_id FROM circle_handovers WHERE client_id = {}"
                       " ORDER BY id", client_id)


@section("access_log", ("audit_log",))
async def _access_log(client_id: int) -> list[dict[str, Any]]:
    """Who read or changed the record: audit entries about the client, its referrals and its
    barriers, by actor kind and id."""
    return await _rows(
        "SELECT id, at, action, entity, entity_id, actor_kind, actor_id, partner_id, job"
        " FROM audit_log WHERE (entity = 'client' AND entity_id = {})"
        f" OR (entity = 'referral' AND entity_id IN (SELECT id::text FROM ({_REFERRALS}) r))"
        f" OR (entity = 'barrier' AND entity_id IN (SELECT id::text FROM ({_BARRIERS}) b))"
        " ORDER BY at, id", str(client_id), client_id, client_id)


@section("data_requests", ("data_requests",))
async def _data_requests(client_id: int) -> list[dict[str, Any]]:
    return await _rows("SELECT id, received_on, due_on, recorded_at, answered_at"
                       " FROM data_requests WHERE client_id = {} ORDER BY id", client_id)


@section("material_handed_out", ("material_handouts",))
async def _material_handed_out(client_id: int) -> list[dict[str, Any]]:
    """Information material given to the client (network.materials): what, which language,
    when, by whom."""
    return await _rows("SELECT h.id, m.title, h.language, h.at, h.by_user FROM material_handouts h"
                       " JOIN materials m ON m.id = h.material_id WHERE h.client_id = {}"
                       " ORDER BY h.at, h.id", client_id)


@section("client_page_links", ("client_page_links",))
async def _client_page_links(client_id: int) -> list[dict[str, Any]]:
    """The client's own page (network.cases.client_page): when a link was made and revoked
    (its views are in the access log); never the seed or the token's hash."""
    return await _rows("SELECT id, created_at, created_by, revoked_at FROM client_page_links"
                       " WHERE client_id = {} ORDER BY id", client_id)


@section("case_changes", ("case_changes",))
async def _case_changes(client_id: int) -> list[dict[str, Any]]:
    """Every edit of the client's data or barriers: one row per field changed, with the
    values before and after (none once pseudonymised)."""
    rows = await _rows("SELECT id, at, actor_id, barrier_id, fields, changes FROM case_changes"
                       " WHERE client_id = {} ORDER BY at, id", client_id)
    found = []
    for row in rows:
        changes = row.pop("changes")
        values = {c["field"]: c for c in (json.loads(changes) if isinstance(changes, str)
                                          else changes or [])}
        for field in row.pop("fields"):
            change = values.get(field, {})
            found.append({**row, "field": field, "before": change.get("before"),
                          "after": change.get("after")})
    return found


@section("case_notes", ("case_notes",))
async def _case_notes(client_id: int) -> list[dict[str, Any]]:
    """The consultation notes (Beratungsvermerke), dated, with their author."""
    return await _rows("SELECT id, noted_on, body, author_id, created_at FROM case_notes"
                       " WHERE client_id = {} ORDER BY noted_on, id", client_id)
@section("consent_forms", ("consent_forms",))
async def _consent_forms(client_id: int) -> list[dict[str, Any]]:
    """The signed consent forms (network.cases.consent_forms): which consent, what kind of
    file, how large, when and by whom attached (the file itself opens from the case page,
    to print or hand over)."""
    return await _rows("SELECT id, consent_id, file_type, octet_length(file_data) AS bytes,"
                       " attached_at, attached_by FROM consent_forms WHERE client_id = {}"
                       " ORDER BY consent_id", client_id)


@section("appointments", ("referral_appointments",))
async def _appointments(client_id: int) -> list[dict[str, Any]]:
    """Appointments at partners (network.referrals.appointments): when, where, recorded by
    whom."""
    return await _rows("SELECT id, referral_id, starts_at, place, recorded_at, recorded_by_user,"
                       " recorded_by_partner FROM referral_appointments"
                       f" WHERE referral_id IN ({_REFERRALS}) ORDER BY starts_at", client_id)


async def gather(client_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every registered section of one client, in registration order."""
    return {name: await s.load(client_id) for name, s in SECTIONS.items()}


def plain(value: Any) -> Any:
    """A stored value as JSON shows it: dates and times in ISO 8601."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def as_json(client_id: int, produced_at: datetime, received_on: date,
            sections: dict[str, list[dict[str, Any]]]) -> bytes:
    document = {"client_id": client_id, "produced_at": produced_at.isoformat(),
                "request_received": received_on.isoformat(), "sections": plain(sections)}
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


@section("outreach", ("prospects", "prospect_contacts"))
async def _outreach(client_id: int) -> list[dict[str, Any]]:
    """The outreach record the case was opened from (network.outreach), and its contact
    attempts, one row each."""
    prospect = await _rows(
        "SELECT 'prospect' AS part, id, first_name, last_name, date_of_birth, birth_year,"
        " country_code, residence_status, residence_since, shelter, address, phone, languages,"
        " source, source_note, status, added_at, first_contact_at, parked_at, park_reason,"
        " converted_at FROM prospects WHERE client_id = {}", client_id)
    contacts = await _rows(
        "SELECT 'contact' AS part, c.id, c.on_day, c.channel, c.outcome, c.appointment_at,"
        " c.appointment_place, c.note, c.recorded_by, c.recorded_at FROM prospect_contacts c"
        " JOIN prospects p ON p.id = c.prospect_id WHERE p.client_id = {}"
        " ORDER BY c.on_day, c.id", client_id)
    return prospect + contacts
