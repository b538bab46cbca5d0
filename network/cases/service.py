"""Client cases: create and change clients, record the potential analysis, give and withdraw
consent, close a case. One transaction each; the rules themselves live in the pure modules
(enrolment, education, consent, closing) and are only applied here."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from network import fields as check
from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.actors import Actor
from network.cases import barriers as barrier_service
from network.cases.closing import check_closing
from network.cases.consent import ConsentTerms, any_covers
from network.cases.education import default_barrier_kinds
from network.cases.enrolment import check_enrolment
from network.cases.events import CaseClosed
from network.cases.prospects import ProspectEntry, has_good_prospects
from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CaseStatus,
    CefrLevel,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.errors import Conflict, NotFound, RuleViolation
from network.events import emit
from network.filters import Where
from network.pagination import Page, limit_and_offset
from network.partners.kinds import PartnerKind
from network.transactions import transaction

log = logging.getLogger(__name__)

EARLIEST_BIRTH = date(1900, 1, 1)
CLOCK_SKEW = timedelta(minutes=5)  # a "given at" this far ahead of our clock is still accepted


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LanguageSkill:
    language: str  # ISO 639-1
    level: CefrLevel


@dataclass(frozen=True)
class ClientData:
    """What a coordinator enters about a client."""

    first_name: str
    last_name: str
    date_of_birth: date
    gender: Gender
    country_of_origin: str  # ISO 3166-1 alpha-2
    residence_status: ResidenceStatus
    legal_circle: LegalCircle
    case_kind: CaseKind = CaseKind.FIRST_CONSULTATION
    enrolment_reason: str | None = None
    coordinator_id: int | None = None
    case_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    notes: str | None = None
    languages: tuple[LanguageSkill, ...] = ()


CLIENT_FIELDS = tuple(f.name for f in fields(ClientData))


@dataclass(frozen=True)
class Client:
    """A stored case. After pseudonymisation the personal fields are None."""

    id: int
    case_number: str | None
    first_name: str | None
    last_name: str | None
    date_of_birth: date | None
    birth_year: int | None
    gender: Gender
    country_of_origin: str
    residence_status: ResidenceStatus
    legal_circle: LegalCircle
    coordinator_id: int | None
    case_kind: CaseKind
    enrolled_at: datetime | None
    enrolment_reason: str | None
    status: CaseStatus
    outcome: Outcome | None
    opened_at: datetime
    closed_at: datetime | None
    phone: str | None
    email: str | None
    address: str | None
    notes: str | None
    languages: tuple[LanguageSkill, ...]
    pseudonymised_at: datetime | None
    erased_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class QualificationData:
    kind: QualificationKind
    title: str
    has_documents: bool
    country_code: str | None = None


@dataclass(frozen=True)
class PotentialAnalysisData:
    schooling_years: int | None = None
    work_experience_years: int | None = None
    work_experience: str | None = None
    skills: str | None = None
    notes: str | None = None
    qualifications: tuple[QualificationData, ...] = ()
    languages: tuple[LanguageSkill, ...] | None = None  # None: leave the client's as they are


@dataclass(frozen=True)
class PotentialAnalysis:
    client_id: int
    schooling_years: int | None
    work_experience_years: int | None
    work_experience: str | None
    skills: str | None
    notes: str | None
    qualifications: tuple[QualificationData, ...]
    languages: tuple[LanguageSkill, ...]
    recorded_by: int | None
    recorded_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Consent:
    id: int
    client_id: int
    given_at: datetime
    recorded_by: int | None
    partner_kinds: frozenset[PartnerKind]
    withdrawn_at: datetime | None
    withdrawn_by: int | None

    @property
    def terms(self) -> ConsentTerms:
        return ConsentTerms(self.given_at, self.partner_kinds, self.withdrawn_at)


# --- prospects of staying (reference data) ------------------------------------------------


async def prospect_entries() -> list[ProspectEntry]:
    async with transaction() as connection:
        return await _prospect_entries(connection)


async def set_prospect(
    country_code: str, valid_from: date, good_prospects: bool, actor: CurrentUser | None,
    note: str | None = None,
) -> ProspectEntry:
    """Add (or correct) the entry for a country from a date on."""
    code = check.country("country_code", country_code)
    valid_from = check.day("valid_from", valid_from, EARLIEST_BIRTH, date(2200, 1, 1))
    if not isinstance(good_prospects, bool):
        raise RuleViolation("good_prospects", "must be true or false")
    async with transaction() as connection:
        await connection.execute(
            """
            INSERT INTO prospect_countries (country_code, valid_from, good_prospects, note)
            VALUES ($1, $2, $3, $4) ON CONFLICT (country_code, valid_from)
            DO UPDATE SET good_prospects = excluded.good_prospects, note = excluded.note
            """,
            code, valid_from, good_prospects, check.text("note", note, 500),
        )
        await audit.record(actor, "prospect.set", "prospect_country", code,
                           {"valid_from": valid_from.isoformat(), "good_prospects": good_prospects})
    log.info("prospect entry set", extra={"country": code, "actor_id": user_id(actor)})
    return ProspectEntry(code, valid_from, good_prospects)  # type: ignore[arg-type]


async def _prospect_entries(connection: asyncpg.Connection) -> list[ProspectEntry]:
    rows = await connection.fetch(
        "SELECT country_code, valid_from, good_prospects FROM prospect_countries"
    )
    return [ProspectEntry(r["country_code"], r["valid_from"], r["good_prospects"]) for r in rows]


async def good_prospects(country_code: str, on: date) -> bool:
    return has_good_prospects(await prospect_entries(), country_code, on)


# --- clients ------------------------------------------------------------------------------


def checked_client(data: ClientData, today: date) -> ClientData:
    """Every value checked and normalised; RuleViolation names the field."""
    case_number = data.case_number.strip().upper() if isinstance(data.case_number, str) else (
        data.case_number)
    return ClientData(
        first_name=check.required_text("first_name", data.first_name, 100),
        last_name=check.required_text("last_name", data.last_name, 100),
        date_of_birth=check.day("date_of_birth", data.date_of_birth, EARLIEST_BIRTH, today),
        gender=check.choice("gender", data.gender, Gender),
        country_of_origin=check.country("country_of_origin", data.country_of_origin),
        residence_status=check.choice("residence_status", data.residence_status,
                                      ResidenceStatus),
        legal_circle=check.choice("legal_circle", data.legal_circle, LegalCircle),
        case_kind=check.choice("case_kind", data.case_kind, CaseKind),
        enrolment_reason=check.text("enrolment_reason", data.enrolment_reason, 2000),
        coordinator_id=check.identifier("coordinator_id", data.coordinator_id),
        case_number=check.pattern("case_number", case_number, CASE_NUMBER, "IP-2026-0042"),
        phone=check.phone("phone", data.phone),
        email=check.email("email", data.email),
        address=check.text("address", data.address, 500),
        notes=check.text("notes", data.notes, 10000),
        languages=checked_languages(data.languages),
    )


CASE_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")


def checked_languages(languages: Sequence[LanguageSkill]) -> tuple[LanguageSkill, ...]:
    if isinstance(languages, str) or not isinstance(languages, Sequence):
        raise RuleViolation("languages", "must be a list")
    result: dict[str, LanguageSkill] = {}
    for index, skill in enumerate(languages):
        if not isinstance(skill, LanguageSkill):
            raise RuleViolation(f"languages[{index}]", "must be a language with a level")
        code = check.language(f"languages[{index}].language", skill.language)
        if code in result:
            raise RuleViolation(f"languages[{index}].language", "is listed twice")
        level = check.choice(f"languages[{index}].level", skill.level, CefrLevel)
        result[code] = LanguageSkill(code, level)
    return tuple(result.values())


async def create_client(
    data: ClientData,
    actor: CurrentUser | None,
    *,
    barrier_kinds: Sequence[BarrierKind] | None = None,
    now: datetime | None = None,
) -> Client:
    """Open a case. `barrier_kinds` are opened as barriers; None means the defaults (the
    education track's for clients under 25)."""
    now = now or utc_now()
    data = checked_client(data, now.date())
    if barrier_kinds is None:
        barrier_kinds = default_barrier_kinds(data.date_of_birth, now.date())
    kinds = check.choices("barrier_kinds", barrier_kinds, BarrierKind)
    async with transaction() as connection:
        await _check_enrolment(connection, data, now.date())
        await _check_coordinator(connection, data.coordinator_id)
        await _refuse_duplicate_case_number(connection, data.case_number, None)
        enrolled_at = now if data.case_kind is CaseKind.ENROLLED else None
        client_id = await connection.fetchval(
            """
            INSERT INTO clients (case_number, first_name, last_name, date_of_birth, birth_year,
                gender, country_of_origin, residence_status, legal_circle, coordinator_id,
                case_kind, enrolled_at, enrolment_reason, opened_at, phone, email, address,
                notes, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                    $18, $14, $14)
            RETURNING id
            """,
            data.case_number, data.first_name, data.last_name, data.date_of_birth,
            data.date_of_birth.year, data.gender.value, data.country_of_origin,
            data.residence_status.value, data.legal_circle.value, data.coordinator_id,
            data.case_kind.value, enrolled_at, data.enrolment_reason, now, data.phone,
            data.email, data.address, data.notes,
        )
        await _write_languages(connection, client_id, data.languages)
        await case_event(connection, client_id, "opened", user_id(actor), now)
        if enrolled_at:
            await case_event(connection, client_id, "enrolled", user_id(actor), now)
        for kind in kinds:
            await barrier_service.insert_barrier(connection, client_id, kind, None,
                                                 user_id(actor), now)
        await audit.record(actor, "client.created", "client", client_id,
                           {"case_kind": data.case_kind.value, "barriers": len(kinds)})
        client = await load_client(connection, client_id)
    log.info("client created", extra={"client_id": client_id, "actor_id": user_id(actor)})
    return client


async def update_client(
    client_id: int, changes: Mapping[str, Any], actor: CurrentUser | None,
    *, now: datetime | None = None,
) -> Client:
    """Apply the given fields (any of ClientData's) over the stored case. Enrolling applies the
    enrolment rule on today's date; an enrolled case stays enrolled."""
    now = now or utc_now()
    unknown = set(changes) - set(CLIENT_FIELDS)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], "is not a field of a client")
    async with transaction() as connection:
        current = await load_client(connection, client_id, lock=True)
        refuse_pseudonymised(current)
        before = _data_of(current)
        data = checked_client(replace(before, **changes), now.date())
        if before.case_kind is CaseKind.ENROLLED and data.case_kind is not CaseKind.ENROLLED:
            raise RuleViolation("case_kind", "an enrolled case cannot go back to a first"
                                " consultation")
        enrolling = before.case_kind is not CaseKind.ENROLLED and (
            data.case_kind is CaseKind.ENROLLED)
        enrolled_at = now if enrolling else current.enrolled_at
        if enrolling or data.case_kind is CaseKind.ENROLLED and (
            data.country_of_origin != before.country_of_origin
            or data.enrolment_reason != before.enrolment_reason
        ):
            on = (enrolled_at or now).date()
            await _check_enrolment(connection, data, on)
        if data.coordinator_id != before.coordinator_id:
            await _check_coordinator(connection, data.coordinator_id)
        await _refuse_duplicate_case_number(connection, data.case_number, client_id)
        await connection.execute(
            """
            UPDATE clients SET case_number = $2, first_name = $3, last_name = $4,
                date_of_birth = $5, birth_year = $6, gender = $7, country_of_origin = $8,
                residence_status = $9, legal_circle = $10, coordinator_id = $11,
                case_kind = $12, enrolled_at = $13, enrolment_reason = $14, phone = $15,
                email = $16, address = $17, notes = $18, updated_at = $19
            WHERE id = $1
            """,
            client_id, data.case_number, data.first_name, data.last_name, data.date_of_birth,
            data.date_of_birth.year, data.gender.value, data.country_of_origin,
            data.residence_status.value, data.legal_circle.value, data.coordinator_id,
            data.case_kind.value, enrolled_at, data.enrolment_reason, data.phone, data.email,
            data.address, data.notes, now,
        )
        if "languages" in changes:
            await connection.execute("DELETE FROM client_languages WHERE client_id = $1",
                                     client_id)
            await _write_languages(connection, client_id, data.languages)
        if enrolling:
            await case_event(connection, client_id, "enrolled", user_id(actor), now)
        await audit.record(actor, "client.changed", "client", client_id,
                           {"fields": sorted(changes)})
        client = await load_client(connection, client_id)
    log.info("client updated", extra={"client_id": client_id, "actor_id": user_id(actor),
                                      "fields": sorted(changes)})
    return client


async def get_client(client_id: int) -> Client:
    async with transaction() as connection:
        return await load_client(connection, client_id)


async def offered_barrier_kinds(client_id: int, on: date | None = None
                                ) -> tuple[BarrierKind, ...]:
    """The barrier kinds to pre-select for this client on a day (the education track's for
    clients under 25); none once the birth date is gone."""
    client = await get_client(client_id)
    if client.date_of_birth is None:
        return ()
    return default_barrier_kinds(client.date_of_birth, on or utc_now().date())


async def find_client_by_case_number(case_number: str) -> Client | None:
    async with transaction() as connection:
        client_id = await connection.fetchval(
            "SELECT id FROM clients WHERE case_number = $1", case_number.strip().upper()
        )
        return None if client_id is None else await load_client(connection, client_id)


async def list_clients(
    *, status: str | None = None, coordinator_id: int | None = None,
    case_kind: str | None = None, legal_circle: str | None = None, text: str | None = None,
    limit: int = 50, offset: int = 0,
) -> Page[Client]:
    """Cases matching every given filter, newest first. `text` looks in the names, the case
    number, email and phone (each word must match somewhere)."""
    limit, offset = limit_and_offset(limit, offset)
    where = Where()
    if status is not None:
        where.add("status = $?", check.choice("status", status, CaseStatus).value)
    if coordinator_id is not None:
        where.add("coordinator_id = $?", check.identifier("coordinator_id", coordinator_id))
    if case_kind is not None:
        where.add("case_kind = $?", check.choice("case_kind", case_kind, CaseKind).value)
    if legal_circle is not None:
        where.add("legal_circle = $?",
                  check.choice("legal_circle", legal_circle, LegalCircle).value)
    where.words("concat_ws(' ', first_name, last_name, case_number, email, phone)",
                check.text("text", text, 200))
    async with transaction() as connection:
        total = await connection.fetchval(f"SELECT count(*) FROM clients WHERE {where.sql}",
                                          *where.args)
        rows = await connection.fetch(
            f"SELECT id FROM clients WHERE {where.sql} ORDER BY opened_at DESC, id DESC"
            f" LIMIT {limit} OFFSET {offset}", *where.args)
        items = [await load_client(connection, row["id"]) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


async def close_case(
    client_id: int, outcome: Outcome | str | None, actor: CurrentUser | None,
    *, note: str | None = None, now: datetime | None = None,
) -> Client:
    """Close when no barrier is open or in progress; the outcome is required."""
    now = now or utc_now()
    checked_outcome = None if outcome is None else check.choice("outcome", outcome, Outcome)
    note = check.text("note", note, 2000)
    async with transaction() as connection:
        client = await load_client(connection, client_id, lock=True)
        refuse_pseudonymised(client)
        statuses = await connection.fetch("SELECT status FROM barriers WHERE client_id = $1",
                                          client_id)
        check_closing(client.status, checked_outcome,
                      [BarrierStatus(row["status"]) for row in statuses])
        assert checked_outcome is not None
        await connection.execute(
            "UPDATE clients SET status = 'closed', outcome = $2, closed_at = $3, updated_at = $3"
            " WHERE id = $1",
            client_id, checked_outcome.value, now,
        )
        await case_event(connection, client_id, "closed", user_id(actor), now, note)
        await audit.record(actor, "client.closed", "client", client_id,
                           {"outcome": checked_outcome.value})
        await emit(CaseClosed(client_id, Actor.of_user(actor) if actor is not None
                              else Actor.system("cases"), now))
        client = await load_client(connection, client_id)
    log.info("case closed", extra={"client_id": client_id, "actor_id": user_id(actor),
                                   "outcome": checked_outcome.value})
    return client


# --- potential analysis -------------------------------------------------------------------


def checked_analysis(data: PotentialAnalysisData) -> PotentialAnalysisData:
    qualifications = data.qualifications
    if isinstance(qualifications, str) or not isinstance(qualifications, Sequence):
        raise RuleViolation("qualifications", "must be a list")
    if len(qualifications) > 50:
        raise RuleViolation("qualifications", "must have at most 50 entries")
    return PotentialAnalysisData(
        schooling_years=check.whole_number("schooling_years", data.schooling_years, 0, 30),
        work_experience_years=check.whole_number(
            "work_experience_years", data.work_experience_years, 0, 70),
        work_experience=check.text("work_experience", data.work_experience, 5000),
        skills=check.text("skills", data.skills, 5000),
        notes=check.text("notes", data.notes, 10000),
        qualifications=tuple(_checked_qualification(i, q) for i, q in enumerate(qualifications)),
        languages=None if data.languages is None else checked_languages(data.languages),
    )


def _checked_qualification(index: int, item: QualificationData) -> QualificationData:
    prefix = f"qualifications[{index}]."
    if not isinstance(item, QualificationData):
        raise RuleViolation(f"qualifications[{index}]", "must be a qualification")
    if not isinstance(item.has_documents, bool):
        raise RuleViolation(prefix + "has_documents", "must be true or false")
    return QualificationData(
        kind=check.choice(prefix + "kind", item.kind, QualificationKind),
        title=check.required_text(prefix + "title", item.title, 300),
        has_documents=item.has_documents,
        country_code=check.country(prefix + "country_code", item.country_code, required=False),
    )


async def record_potential_analysis(
    client_id: int, data: PotentialAnalysisData, actor: CurrentUser | None,
    *, now: datetime | None = None,
) -> PotentialAnalysis:
    """Record (or replace) the client's potential analysis, with its qualifications and,
    when given, the language levels."""
    now = now or utc_now()
    data = checked_analysis(data)
    async with transaction() as connection:
        client = await load_client(connection, client_id, lock=True)
        refuse_pseudonymised(client)
        await connection.execute(
            """
            INSERT INTO potential_analyses (client_id, schooling_years, work_experience_years,
                work_experience, skills, notes, recorded_by, recorded_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
            ON CONFLICT (client_id) DO UPDATE SET schooling_years = excluded.schooling_years,
                work_experience_years = excluded.work_experience_years,
                work_experience = excluded.work_experience, skills = excluded.skills,
                notes = excluded.notes, recorded_by = excluded.recorded_by,
                updated_at = excluded.updated_at
            """,
            client_id, data.schooling_years, data.work_experience_years, data.work_experience,
            data.skills, data.notes, user_id(actor), now,
        )
        await connection.execute("DELETE FROM qualifications WHERE client_id = $1", client_id)
        await connection.executemany(
            "INSERT INTO qualifications (client_id, kind, title, country_code, has_documents)"
            " VALUES ($1, $2, $3, $4, $5)",
            [(client_id, q.kind.value, q.title, q.country_code, q.has_documents)
             for q in data.qualifications],
        )
        if data.languages is not None:
            await connection.execute("DELETE FROM client_languages WHERE client_id = $1",
                                     client_id)
            await _write_languages(connection, client_id, data.languages)
        await audit.record(actor, "potential_analysis.recorded", "client", client_id)
        analysis = await _load_analysis(connection, client_id)
    assert analysis is not None
    log.info("potential analysis recorded", extra={"client_id": client_id,
                                                   "actor_id": user_id(actor)})
    return analysis


async def get_potential_analysis(client_id: int) -> PotentialAnalysis | None:
    async with transaction() as connection:
        await load_client(connection, client_id)
        return await _load_analysis(connection, client_id)


async def _load_analysis(
    connection: asyncpg.Connection, client_id: int
) -> PotentialAnalysis | None:
    row = await connection.fetchrow("SELECT * FROM potential_analyses WHERE client_id = $1",
                                    client_id)
    if row is None:
        return None
    qualifications = await connection.fetch(
        "SELECT kind, title, has_documents, country_code FROM qualifications"
        " WHERE client_id = $1 ORDER BY id", client_id)
    return PotentialAnalysis(
        client_id=client_id,
        schooling_years=row["schooling_years"],
        work_experience_years=row["work_experience_years"],
        work_experience=row["work_experience"],
        skills=row["skills"],
        notes=row["notes"],
        qualifications=tuple(
            QualificationData(QualificationKind(q["kind"]), q["title"], q["has_documents"],
                              q["country_code"]) for q in qualifications),
        languages=await _languages(connection, client_id),
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        updated_at=row["updated_at"],
    )


# --- consent ------------------------------------------------------------------------------


async def give_consent(
    client_id: int, partner_kinds: Iterable[PartnerKind | str], actor: CurrentUser | None,
    *, given_at: datetime | None = None, now: datetime | None = None,
) -> Consent:
    """Record a consent to share the client's data with partners of the given kinds.
    `given_at` may lie in the past (a form signed earlier), not in the future."""
    now = now or utc_now()
    given_at = now if given_at is None else check.moment("given_at", given_at)
    if given_at > now + CLOCK_SKEW:
        raise RuleViolation("given_at", "cannot lie in the future")
    kinds = check.choices("partner_kinds", partner_kinds, PartnerKind)
    if not kinds:
        raise RuleViolation("partner_kinds", "must name at least one partner kind")
    async with transaction() as connection:
        client = await load_client(connection, client_id, lock=True)
        refuse_pseudonymised(client)
        refuse_closed(client)
        consent_id = await connection.fetchval(
            "INSERT INTO consents (client_id, given_at, recorded_by, partner_kinds)"
            " VALUES ($1, $2, $3, $4) RETURNING id",
            client_id, given_at, user_id(actor), [k.value for k in kinds],
        )
        await audit.record(actor, "consent.given", "client", client_id,
                           {"consent_id": consent_id})
        consent = await _load_consent(connection, consent_id)
    log.info("consent given", extra={"client_id": client_id, "consent_id": consent_id,
                                     "actor_id": user_id(actor)})
    return consent


async def withdraw_consent(
    consent_id: int, actor: CurrentUser | None, *, at: datetime | None = None,
    now: datetime | None = None,
) -> Consent:
    now = now or utc_now()
    at = now if at is None else check.moment("withdrawn_at", at)
    if at > now + CLOCK_SKEW:
        raise RuleViolation("withdrawn_at", "cannot lie in the future")
    async with transaction() as connection:
        consent = await _load_consent(connection, consent_id, lock=True)
        if consent.withdrawn_at is not None:
            raise RuleViolation("withdrawn_at", "the consent is withdrawn already")
        if at < consent.given_at:
            raise RuleViolation("withdrawn_at", "cannot lie before the consent was given")
        await connection.execute(
            "UPDATE consents SET withdrawn_at = $2, withdrawn_by = $3 WHERE id = $1",
            consent_id, at, user_id(actor),
        )
        await audit.record(actor, "consent.withdrawn", "client", consent.client_id,
                           {"consent_id": consent_id})
        consent = await _load_consent(connection, consent_id)
    log.info("consent withdrawn", extra={"consent_id": consent_id, "actor_id": user_id(actor)})
    return consent


async def list_consents(client_id: int) -> list[Consent]:
    async with transaction() as connection:
        await load_client(connection, client_id)
        return await _consents_of(connection, client_id)


async def consent_covers(
    client_id: int, partner_kind: PartnerKind | str, at: datetime | None = None
) -> bool:
    """Whether the client's consents allow sharing data with a partner of this kind at `at`
    (now by default). The referrals issue asks this before anything is sent. One query in the
    usual case: every referral created asks it (see bench/README.md)."""
    kind = check.choice("partner_kind", partner_kind, PartnerKind)
    async with transaction() as connection:
        consents = await _consents_of(connection, client_id)
        if not consents and not await connection.fetchval(
                "SELECT true FROM clients WHERE id = $1", client_id):
            raise NotFound("client", client_id)
    return any_covers((c.terms for c in consents), kind, at or utc_now())


async def _consents_of(connection: asyncpg.Connection, client_id: int) -> list[Consent]:
    rows = await connection.fetch(
        "SELECT * FROM consents WHERE client_id = $1 ORDER BY given_at, id", client_id)
    return [_consent(row) for row in rows]


async def _load_consent(
    connection: asyncpg.Connection, consent_id: int, lock: bool = False
) -> Consent:
    row = await connection.fetchrow(
        "SELECT * FROM consents WHERE id = $1" + (" FOR UPDATE" if lock else ""), consent_id)
    if row is None:
        raise NotFound("consent", consent_id)
    return _consent(row)


def _consent(row: asyncpg.Record) -> Consent:
    return Consent(
        id=row["id"], client_id=row["client_id"], given_at=row["given_at"],
        recorded_by=row["recorded_by"],
        partner_kinds=frozenset(PartnerKind(k) for k in row["partner_kinds"]),
        withdrawn_at=row["withdrawn_at"], withdrawn_by=row["withdrawn_by"],
    )


# --- shared within the cases package ------------------------------------------------------


async def load_client(connection: asyncpg.Connection, client_id: int, lock: bool = False
                      ) -> Client:
    row = await connection.fetchrow(
        "SELECT * FROM clients WHERE id = $1" + (" FOR UPDATE" if lock else ""), client_id)
    if row is None:
        raise NotFound("client", client_id)
    return Client(
        id=row["id"], case_number=row["case_number"], first_name=row["first_name"],
        last_name=row["last_name"], date_of_birth=row["date_of_birth"],
        birth_year=row["birth_year"], gender=Gender(row["gender"]),
        country_of_origin=row["country_of_origin"],
        residence_status=ResidenceStatus(row["residence_status"]),
        legal_circle=LegalCircle(row["legal_circle"]), coordinator_id=row["coordinator_id"],
        case_kind=CaseKind(row["case_kind"]), enrolled_at=row["enrolled_at"],
        enrolment_reason=row["enrolment_reason"], status=CaseStatus(row["status"]),
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        opened_at=row["opened_at"], closed_at=row["closed_at"], phone=row["phone"],
        email=row["email"], address=row["address"], notes=row["notes"],
        languages=await _languages(connection, client_id),
        pseudonymised_at=row["pseudonymised_at"], erased_at=row["erased_at"],
        created_at=row["created_at"], updated_at=row["updated_at"],
    )


def refuse_pseudonymised(client: Client) -> None:
    if client.pseudonymised_at is not None:
        raise RuleViolation("id", "the client has been pseudonymised and cannot change")


def refuse_closed(client: Client) -> None:
    if client.status is CaseStatus.CLOSED:
        raise RuleViolation("status", "the case is closed")


async def case_event(
    connection: asyncpg.Connection, client_id: int, event: str, actor_id: int | None,
    at: datetime, note: str | None = None,
) -> None:
    await connection.execute(
        "INSERT INTO case_events (client_id, at, actor_id, event, note)"
        " VALUES ($1, $2, $3, $4, $5)",
        client_id, at, actor_id, event, note,
    )


async def _check_enrolment(connection: asyncpg.Connection, data: ClientData, on: date) -> None:
    entries = await _prospect_entries(connection)
    check_enrolment(data.case_kind, has_good_prospects(entries, data.country_of_origin, on),
                    data.enrolment_reason)


async def _check_coordinator(connection: asyncpg.Connection, coordinator_id: int | None
                             ) -> None:
    """A case is assigned to an active coordinator or administrator, never to a viewer."""
    if coordinator_id is None:
        return
    role = await connection.fetchval(
        "SELECT role FROM app_user WHERE id = $1 AND active", coordinator_id)
    if role not in ("coordinator", "admin"):
        raise RuleViolation("coordinator_id", "is not an active coordinator's user id")


async def _refuse_duplicate_case_number(
    connection: asyncpg.Connection, case_number: str | None, own_id: int | None
) -> None:
    if case_number is None:
        return
    clash = await connection.fetchval(
        "SELECT id FROM clients WHERE case_number = $1 AND id IS DISTINCT FROM $2",
        case_number, own_id)
    if clash is not None:
        raise Conflict("case_number", "another client has this case number")


async def _write_languages(
    connection: asyncpg.Connection, client_id: int, languages: Sequence[LanguageSkill]
) -> None:
    await connection.executemany(
        "INSERT INTO client_languages (client_id, language, level) VALUES ($1, $2, $3)",
        [(client_id, s.language, s.level.value) for s in languages],
    )


async def _languages(connection: asyncpg.Connection, client_id: int
                     ) -> tuple[LanguageSkill, ...]:
    rows = await connection.fetch(
        "SELECT language, level FROM client_languages WHERE client_id = $1 ORDER BY language",
        client_id)
    return tuple(LanguageSkill(r["language"], CefrLevel(r["level"])) for r in rows)


def _data_of(client: Client) -> ClientData:
    return ClientData(**{name: getattr(client, name) for name in CLIENT_FIELDS})
