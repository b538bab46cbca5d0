"""Client cases, the data side: the records (Client, Consent, PotentialAnalysis), the checks
of entered values, the reads, and the reads and writes the actions (network.cases.actions) are
made of. Plain reads and writes through the Piccolo query builder (network.cases.tables)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from network import fields as check
from network import name_matching
from network.accounts.tables import AppUser
from network.actors import Actor
from network.cases import finding, scope
from network.cases import tables as t
from network.cases.consent import ConsentTerms
from network.cases.education import default_barrier_kinds
from network.cases.enrolment import check_enrolment as check_enrolment_rule
from network.cases.prospects import ProspectEntry, has_good_prospects
from network.cases.values import (
    BarrierKind,
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
from network.filters import Filter
from network.pagination import Page, limit_and_offset
from network.partners.kinds import PartnerKind
from network.words.places import MUNICIPALITIES

log = logging.getLogger(__name__)

EARLIEST_BIRTH = date(1900, 1, 1)
CLOCK_SKEW = timedelta(minutes=5)  # a "given at" this far ahead of our clock is still accepted


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
    municipality: str | None = None  # one of the district's (network.words.MUNICIPALITIES)


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
    municipality: str | None = None


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
    rows = await t.ProspectCountry.select(
        t.ProspectCountry.country_code, t.ProspectCountry.valid_from,
        t.ProspectCountry.good_prospects)
    return [ProspectEntry(r["country_code"], r["valid_from"], r["good_prospects"]) for r in rows]


async def good_prospects(country_code: str, on: date) -> bool:
    return has_good_prospects(await prospect_entries(), country_code, on)


async def write_prospect(code: str, valid_from: date, good: bool, note: str | None) -> None:
    table = t.ProspectCountry
    await table.insert(
        table(country_code=code, valid_from=valid_from, good_prospects=good, note=note)
    ).on_conflict(target=(table.country_code, table.valid_from), action="DO UPDATE",
                  values=[table.good_prospects, table.note])


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
        municipality=checked_municipality(data.municipality),
    )


def checked_municipality(value: object) -> str | None:
    """One of the district's municipalities, or none."""
    municipality = check.text("municipality", value, 100)
    if municipality is not None and municipality not in MUNICIPALITIES:
        raise RuleViolation("municipality", "not_a_municipality",
                            allowed=", ".join(MUNICIPALITIES))
    return municipality


CASE_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")


def checked_languages(languages: Sequence[LanguageSkill]) -> tuple[LanguageSkill, ...]:
    if isinstance(languages, str) or not isinstance(languages, Sequence):
        raise RuleViolation("languages", "not_a_list")
    result: dict[str, LanguageSkill] = {}
    for index, skill in enumerate(languages):
        if not isinstance(skill, LanguageSkill):
            raise RuleViolation(f"languages[{index}]", "not_a_language_skill")
        code = check.language(f"languages[{index}].language", skill.language)
        if code in result:
            raise RuleViolation(f"languages[{index}].language", "listed_twice")
        level = check.choice(f"languages[{index}].level", skill.level, CefrLevel)
        result[code] = LanguageSkill(code, level)
    return tuple(result.values())



async def get_client(actor: Actor, client_id: int) -> Client:
    """One case, if the actor's legal circle holds it (else NotFound)."""
    client = await load_client(client_id)
    scope.require(actor, client.legal_circle, "client", client_id)
    return client


async def offered_barrier_kinds(actor: Actor, client_id: int, on: date
                                ) -> tuple[BarrierKind, ...]:
    """The barrier kinds to pre-select for this client on a day (the education track's for
    clients under 25); none once the birth date is gone."""
    client = await get_client(actor, client_id)
    if client.date_of_birth is None:
        return ()
    return default_barrier_kinds(client.date_of_birth, on)


async def find_client_by_case_number(case_number: str) -> Client | None:
    row = await t.Client.select(t.Client.id).where(
        t.Client.case_number == case_number.strip().upper()).first()
    return None if row is None else await load_client(row["id"])


async def list_clients(
    actor: Actor, *, status: str | None = None, coordinator_id: int | None = None,
    case_kind: str | None = None, legal_circle: str | None = None, text: str | None = None,
    limit: int = 50, offset: int = 0,
) -> Page[Client]:
    """Cases matching every given filter, newest first. `text` looks in the names (folded,
    and by sound: `network.cases.finding`), the case number, email and phone (each word
    must match somewhere). Three queries a page: the count, the rows, their languages."""
    limit, offset = limit_and_offset(limit, offset)
    where = Filter()
    scope.limit(where, actor, t.Client.legal_circle)
    if status is not None:
        where.add(t.Client.status == check.choice("status", status, CaseStatus).value)
    if coordinator_id is not None:
        where.add(t.Client.coordinator_id == check.identifier("coordinator_id",
                                                               coordinator_id))
    if case_kind is not None:
        where.add(t.Client.case_kind == check.choice("case_kind", case_kind, CaseKind).value)
    if legal_circle is not None:
        where.add(t.Client.legal_circle == check.choice("legal_circle", legal_circle,
                                                         LegalCircle).value)
    finding.narrow_by_name(where, check.text("text", text, 200),
                           also=(t.Client.case_number, t.Client.email, t.Client.phone))
    total = await where.applied(t.Client.count())
    rows = await where.applied(t.Client.select()).order_by(
        t.Client.opened_at, t.Client.id, ascending=False).limit(limit).offset(offset)
    return Page(items=await clients_of(rows), total=total, limit=limit, offset=offset)


async def insert_client(client: ClientData, enrolled_at: datetime | None, now: datetime) -> int:
    rows = await t.Client.insert(t.Client(
        **_client_values(client, enrolled_at, now), status=CaseStatus.OPEN.value, outcome=None,
        opened_at=now, closed_at=None, pseudonymised_at=None, erased_at=None, created_at=now,
    )).returning(t.Client.id)
    client_id = rows[0]["id"]
    await _write_languages(client_id, client.languages)
    return client_id


async def write_client(client_id: int, client: ClientData, enrolled_at: datetime | None,
                       now: datetime, *, languages: bool) -> None:
    """Store the checked data over the case; its languages too when `languages`."""
    values = _client_values(client, enrolled_at, now)
    await t.Client.update({getattr(t.Client, k): v for k, v in values.items()}).where(
        t.Client.id == client_id)
    if languages:
        await t.ClientLanguage.delete().where(t.ClientLanguage.client_id == client_id)
        await _write_languages(client_id, client.languages)


def _client_values(client: ClientData, enrolled_at: datetime | None, now: datetime
                   ) -> dict[str, Any]:
    return {
        "case_number": client.case_number, "first_name": client.first_name,
        "last_name": client.last_name, "date_of_birth": client.date_of_birth,
        "birth_year": client.date_of_birth.year, "gender": client.gender.value,
        "country_of_origin": client.country_of_origin,
        "residence_status": client.residence_status.value,
        "legal_circle": client.legal_circle.value, "coordinator_id": client.coordinator_id,
        "case_kind": client.case_kind.value, "enrolled_at": enrolled_at,
        "enrolment_reason": client.enrolment_reason, "phone": client.phone,
        "email": client.email, "address": client.address, "notes": client.notes,
        "municipality": client.municipality, "updated_at": now,
        "name_words": name_matching.stored_words(client.first_name, client.last_name),
        "name_codes": name_matching.stored_sounds(client.first_name, client.last_name),
    }


async def set_coordinator(client_id: int, coordinator_id: int, now: datetime) -> None:
    await t.Client.update({t.Client.coordinator_id: coordinator_id,
                           t.Client.updated_at: now}).where(t.Client.id == client_id)


async def mark_closed(client_id: int, outcome: Outcome, now: datetime) -> None:
    await t.Client.update({t.Client.status: CaseStatus.CLOSED.value,
                           t.Client.outcome: outcome.value, t.Client.closed_at: now,
                           t.Client.updated_at: now}).where(t.Client.id == client_id)


async def mark_erased(client_id: int, now: datetime) -> None:
    await t.Client.update({t.Client.erased_at: now, t.Client.updated_at: now}).where(
        t.Client.id == client_id)


# --- potential analysis -------------------------------------------------------------------


def checked_analysis(data: PotentialAnalysisData) -> PotentialAnalysisData:
    qualifications = data.qualifications
    if isinstance(qualifications, str) or not isinstance(qualifications, Sequence):
        raise RuleViolation("qualifications", "not_a_list")
    if len(qualifications) > 50:
        raise RuleViolation("qualifications", "too_many_entries", max=50)
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
        raise RuleViolation(f"qualifications[{index}]", "not_a_qualification")
    if not isinstance(item.has_documents, bool):
        raise RuleViolation(prefix + "has_documents", "not_boolean")
    return QualificationData(
        kind=check.choice(prefix + "kind", item.kind, QualificationKind),
        title=check.required_text(prefix + "title", item.title, 300),
        has_documents=item.has_documents,
        country_code=check.country(prefix + "country_code", item.country_code, required=False),
    )



async def get_potential_analysis(actor: Actor, client_id: int) -> PotentialAnalysis | None:
    await get_client(actor, client_id)
    return await load_analysis(client_id)


async def write_analysis(client_id: int, analysis: PotentialAnalysisData,
                         recorded_by: int | None, now: datetime) -> None:
    table = t.PotentialAnalysis
    await table.insert(table(
        client_id=client_id, schooling_years=analysis.schooling_years,
        work_experience_years=analysis.work_experience_years,
        work_experience=analysis.work_experience, skills=analysis.skills,
        notes=analysis.notes, recorded_by=recorded_by, recorded_at=now, updated_at=now,
    )).on_conflict(target=table.client_id, action="DO UPDATE", values=[
        table.schooling_years, table.work_experience_years, table.work_experience,
        table.skills, table.notes, table.recorded_by, table.updated_at])
    await t.Qualification.delete().where(t.Qualification.client_id == client_id)
    if analysis.qualifications:
        await t.Qualification.insert(*[
            t.Qualification(client_id=client_id, kind=q.kind.value, title=q.title,
                            country_code=q.country_code, has_documents=q.has_documents)
            for q in analysis.qualifications])
    if analysis.languages is not None:
        await t.ClientLanguage.delete().where(t.ClientLanguage.client_id == client_id)
        await _write_languages(client_id, analysis.languages)


async def load_analysis(client_id: int) -> PotentialAnalysis | None:
    row = await t.PotentialAnalysis.select().where(
        t.PotentialAnalysis.client_id == client_id).first()
    if row is None:
        return None
    qualifications = await t.Qualification.select(
        t.Qualification.kind, t.Qualification.title, t.Qualification.has_documents,
        t.Qualification.country_code,
    ).where(t.Qualification.client_id == client_id).order_by(t.Qualification.id)
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
        languages=(await languages_of([client_id])).get(client_id, ()),
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
        updated_at=row["updated_at"],
    )


# --- consent ------------------------------------------------------------------------------


async def list_consents(actor: Actor, client_id: int) -> list[Consent]:
    await get_client(actor, client_id)
    return await consents_of(client_id)


async def consents_of(client_id: int) -> list[Consent]:
    rows = await t.Consent.select().where(t.Consent.client_id == client_id).order_by(
        t.Consent.given_at, t.Consent.id)
    return [_consent(row) for row in rows]


async def insert_consent(client_id: int, given_at: datetime, recorded_by: int | None,
                         kinds: Iterable[PartnerKind]) -> int:
    rows = await t.Consent.insert(t.Consent(
        client_id=client_id, given_at=given_at, recorded_by=recorded_by,
        partner_kinds=[k.value for k in kinds], withdrawn_at=None, withdrawn_by=None,
    )).returning(t.Consent.id)
    return rows[0]["id"]


async def mark_consent_withdrawn(consent_id: int, at: datetime, by: int | None) -> None:
    await t.Consent.update({t.Consent.withdrawn_at: at, t.Consent.withdrawn_by: by}).where(
        t.Consent.id == consent_id)


async def load_consent(consent_id: int, lock: bool = False) -> Consent:
    query = t.Consent.select().where(t.Consent.id == consent_id)
    row = await (query.lock_rows() if lock else query).first()
    if row is None:
        raise NotFound("consent", consent_id)
    return _consent(row)


def _consent(row: Mapping[str, Any]) -> Consent:
    return Consent(
        id=row["id"], client_id=row["client_id"], given_at=row["given_at"],
        recorded_by=row["recorded_by"],
        partner_kinds=frozenset(PartnerKind(k) for k in row["partner_kinds"]),
        withdrawn_at=row["withdrawn_at"], withdrawn_by=row["withdrawn_by"],
    )


# --- shared within the cases package ------------------------------------------------------


async def load_client(client_id: int, lock: bool = False) -> Client:
    query = t.Client.select().where(t.Client.id == client_id)
    row = await (query.lock_rows() if lock else query).first()
    if row is None:
        raise NotFound("client", client_id)
    return (await clients_of([row]))[0]


async def clients_of(rows: Sequence[Mapping[str, Any]]) -> list[Client]:
    """The cases of these clients rows, their languages loaded in one query."""
    languages = await languages_of([row["id"] for row in rows])
    return [_client(row, languages.get(row["id"], ())) for row in rows]


def _client(row: Mapping[str, Any], languages: tuple[LanguageSkill, ...]) -> Client:
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
        languages=languages,
        pseudonymised_at=row["pseudonymised_at"], erased_at=row["erased_at"],
        created_at=row["created_at"], updated_at=row["updated_at"],
        municipality=row["municipality"],
    )


async def load_for(actor: Actor, client_id: int, lock: bool = False) -> Client:
    """The case for an action of `actor`: NotFound when it lies outside the actor's legal
    circle (network.cases.scope)."""
    client = await load_client(client_id, lock=lock)
    scope.require(actor, client.legal_circle, "client", client_id)
    return client


def refuse_pseudonymised(client: Client) -> None:
    if client.pseudonymised_at is not None:
        raise RuleViolation("id", "client_pseudonymised")


def refuse_closed(client: Client) -> None:
    if client.status is CaseStatus.CLOSED:
        raise RuleViolation("status", "case_closed")


async def case_event(client_id: int, event: str, actor_id: int | None, at: datetime,
                     note: str | None = None) -> None:
    await t.CaseEvent.insert(t.CaseEvent(client_id=client_id, at=at, actor_id=actor_id,
                                         event=event, note=note))


async def check_enrolment(client: ClientData, on: date) -> None:
    entries = await prospect_entries()
    check_enrolment_rule(client.case_kind,
                         has_good_prospects(entries, client.country_of_origin, on),
                         client.enrolment_reason)


async def check_coordinator(coordinator_id: int | None, circle: str) -> None:
    """A case is assigned to an active coordinator of its own legal circle: never to an
    administrator or a viewer, nor across circles."""
    if coordinator_id is None:
        return
    row = await AppUser.select(AppUser.role, AppUser.legal_circle).where(
        (AppUser.id == coordinator_id) & (AppUser.active == True)  # noqa: E712
    ).first()
    if row is None or row["role"] != "coordinator" or row["legal_circle"] != circle:
        raise RuleViolation("coordinator_id", "not_a_coordinator_id")


async def refuse_duplicate_case_number(case_number: str | None, own_id: int | None) -> None:
    if case_number is None:
        return
    query = t.Client.exists().where(t.Client.case_number == case_number)
    if own_id is not None:
        query = query.where(t.Client.id != own_id)
    if await query:
        raise Conflict("case_number", "case_number_taken")


async def _write_languages(client_id: int, languages: Sequence[LanguageSkill]) -> None:
    if languages:
        await t.ClientLanguage.insert(*[
            t.ClientLanguage(client_id=client_id, language=s.language, level=s.level.value,
                             position=position)
            for position, s in enumerate(languages)])


async def languages_of(client_ids: Sequence[int]) -> dict[int, tuple[LanguageSkill, ...]]:
    """The language skills of several clients, in one query, in their order (the first is the
    main language)."""
    if not client_ids:
        return {}
    table = t.ClientLanguage
    rows = await table.select(table.client_id, table.language, table.level).where(
        table.client_id.is_in(list(client_ids))).order_by(table.client_id, table.position)
    result: dict[int, list[LanguageSkill]] = {}
    for r in rows:
        result.setdefault(r["client_id"], []).append(
            LanguageSkill(r["language"], CefrLevel(r["level"])))
    return {k: tuple(v) for k, v in result.items()}


def data_of(client: Client) -> ClientData:
    return ClientData(**{name: getattr(client, name) for name in CLIENT_FIELDS})
