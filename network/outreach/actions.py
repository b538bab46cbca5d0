"""Every change of outreach, one function each: `(actor, clock, ...)`, its own transaction,
its audit entry (ids and codes, no names). Prospects follow the legal-circle rule of clients
(`network.cases.scope`): one outside the actor's circle is not found."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

from network import name_matching
from network.accounts import audit
from network.actors import Actor
from network.cases import actions as case_actions
from network.cases import scope
from network.cases import service as cases
from network.cases.prospects import has_good_prospects
from network.cases.service import Client, ClientData, LanguageSkill
from network.cases.values import CaseKind
from network.clock import BERLIN, Clock
from network.errors import Conflict, RuleViolation
from network.outreach import csv_import, queries, rules
from network.outreach.rules import ProspectData
from network.outreach.tables import Prospect, ProspectContact, ProspectImport
from network.transactions import transaction
from network.words.places import COUNTRIES, LANGUAGES

log = logging.getLogger(__name__)

WORKLIST_SIZE = 200
MOST_COMPARED = 25  # earlier lines of a file born alike, compared by name


@dataclass(frozen=True)
class Match:
    """A likely duplicate: a prospect or a client of the circle (similar name, same birth
    date, or the same birth year when one side has no date), or an earlier line of the file."""

    kind: Literal["prospect", "client", "line"]
    id: int
    first_name: str | None
    last_name: str | None
    born: date | int | None  # the birth date, or the year when that is all


@dataclass(frozen=True)
class ImportPreview:
    parsed: csv_import.Parsed
    duplicates: dict[int, list[Match]] = field(default_factory=dict)  # line -> matches


@dataclass(frozen=True)
class Conversion:
    """What a case needs beyond the prospect's record."""

    case_kind: CaseKind | str
    gender: str
    date_of_birth: date | None = None  # when the prospect has only a year
    residence_status: str | None = None  # when the prospect has none
    enrolment_reason: str | None = None
    levels: dict[str, str] = field(default_factory=dict)  # language -> CEFR level


def _own_circle(actor: Actor) -> str:
    reach = scope.circles(actor)
    if len(reach) != 1:
        scope.check_own_circle(actor, "")  # refuses non-coordinators
        raise RuleViolation("legal_circle", "required")
    return reach[0]


def _checked(data: ProspectData, today: date) -> ProspectData:
    return rules.checked(data, today, COUNTRIES, LANGUAGES)


def _born(date_of_birth: date | None, year: int | None) -> date | int | None:
    return date_of_birth or year


def _year(born: date | int | None) -> int:
    return born.year if isinstance(born, date) else (born or 0)


def _same_birth(a: date | int | None, b: date | int | None) -> bool:
    """The same birth date, or the same year when one side has only the year."""
    if isinstance(a, date) and isinstance(b, date):
        return a == b
    return bool(a) and _year(a) == _year(b)


async def find_duplicates(circle: str, records: Sequence[ProspectData]
                          ) -> list[list[Match]]:
    """For each record, the likely duplicates among the circle's prospects and clients (the
    client search's matching: `name_matching.similar`) and the records before it. Names are
    compared only among people born in the same year, and within a file with at most the
    MOST_COMPARED latest earlier lines born alike, so a hostile file stays cheap."""
    days = [r.date_of_birth for r in records if r.date_of_birth]
    years = [r.birth_year for r in records if r.birth_year]
    prospects, clients = await queries.born_like(circle, days, years) if records else ([], [])
    stored: dict[int, list[Match]] = defaultdict(list)
    for kind, rows in (("prospect", prospects), ("client", clients)):
        for row in rows:
            match = Match(kind, row["id"], row["first_name"], row["last_name"],  # type: ignore[arg-type]
                          _born(row["date_of_birth"], row["birth_year"]))
            stored[_year(match.born)].append(match)
    earlier: dict[int, list[Match]] = defaultdict(list)
    found: list[list[Match]] = []
    for index, record in enumerate(records):
        names = (record.first_name, record.last_name)
        born = _born(record.date_of_birth, record.birth_year)
        year = _year(born)
        alike = [m for m in earlier[year] if _same_birth(born, m.born)][-MOST_COMPARED:]
        found.append([m for m in [*stored[year], *alike]
                      if _same_birth(born, m.born)
                      and name_matching.similar(names, (m.first_name, m.last_name))][:10])
        if year:
            earlier[year].append(Match("line", index, record.first_name, record.last_name,
                                       born))
    return found


def _row(data: ProspectData, actor: Actor, now: datetime, import_id: int | None) -> Prospect:
    return Prospect(
        legal_circle=data.legal_circle, first_name=data.first_name, last_name=data.last_name,
        name_words=name_matching.stored_words(data.first_name, data.last_name),
        name_codes=name_matching.stored_sounds(data.first_name, data.last_name),
        date_of_birth=data.date_of_birth, birth_year=data.birth_year,
        country_code=data.country_code, residence_status=data.residence_status,
        residence_since=data.residence_since, shelter=data.shelter, address=data.address,
        phone=data.phone, languages=list(data.languages), source=data.source,
        source_note=data.source_note, import_id=import_id, status="waiting",
        added_by=actor.user_id, added_at=now, updated_at=now)


async def add_prospect(actor: Actor, clock: Clock, data: ProspectData, *,
                       duplicate_confirmed: bool = False) -> int:
    """Enter one prospect by hand, in the actor's circle. A likely duplicate refuses
    (Conflict 'possible_duplicate_prospect') unless confirmed."""
    now = clock.now()
    data = _checked(data, now.astimezone(BERLIN).date())
    scope.check_own_circle(actor, data.legal_circle)
    async with transaction():
        matches = (await find_duplicates(data.legal_circle, [data]))[0]
        if matches and not duplicate_confirmed:
            raise Conflict("duplicate_confirmed", "possible_duplicate_prospect",
                           ids=", ".join(f"{m.kind} {m.id}" for m in matches))
        row = _row(data, actor, now, None)
        await Prospect.insert(row)
        await audit.record(actor, "prospect.added", "prospect", row.id,
                           {"source": data.source,
                            **({"possible_duplicates": len(matches)} if matches else {})},
                           at=now)
    log.info("prospect added", extra={"prospect_id": row.id, **actor.describe()})
    return row.id


async def preview_import(actor: Actor, clock: Clock, body: bytes | str, source: str
                         ) -> ImportPreview:
    """What an import would add: the mapping, the records, the problems (line and column)
    and the likely duplicates. Writes nothing."""
    circle = _own_circle(actor)
    if source not in rules.SOURCES:
        raise RuleViolation("source", "not_allowed")
    parsed = csv_import.parse(body, circle, source, clock.now().astimezone(BERLIN).date())
    if parsed.problems:
        return ImportPreview(parsed)
    matches = await find_duplicates(circle, [record for _, record in parsed.rows])
    return ImportPreview(parsed, {line: found for (line, _), found in zip(parsed.rows, matches,
                                                                        strict=True) if found})


@dataclass(frozen=True)
class ImportResult:
    import_id: int
    added: int
    skipped: int


async def import_prospects(actor: Actor, clock: Clock, text: str, source: str, *,
                           file_name: str | None = None, skip_duplicates: bool = True,
                           expected_rows: int | None = None) -> ImportResult:
    """Apply a previewed file: all of its records or none (a file with any problem is refused,
    RuleViolation 'prospect_import_malformed' naming the first line and column at fault).
    Likely duplicates are left out unless `skip_duplicates` is False."""
    now = clock.now()
    circle = _own_circle(actor)
    if source not in rules.SOURCES:
        raise RuleViolation("source", "not_allowed")
    file_name = rules.text("file_name", file_name, 200)
    parsed = csv_import.parse(text, circle, source, now.astimezone(BERLIN).date())
    parsed.refuse()
    if expected_rows is not None and expected_rows != len(parsed.rows):
        raise RuleViolation("file", "prospect_import_changed")
    async with transaction():
        records = [record for _, record in parsed.rows]
        matches = await find_duplicates(circle, records)
        taken = [r for r, m in zip(records, matches, strict=True)
                 if not (skip_duplicates and m)]
        batch = ProspectImport(legal_circle=circle, file_name=file_name, source=source,
                               rows_added=len(taken), imported_by=actor.user_id,
                               imported_at=now)
        await ProspectImport.insert(batch)
        if taken:
            await Prospect.insert(*[_row(r, actor, now, batch.id) for r in taken])
        await audit.record(actor, "prospect.imported", "prospect_import", batch.id,
                           {"added": len(taken), "skipped": len(records) - len(taken)}, at=now)
    log.info("prospects imported", extra={"import_id": batch.id, "added": len(taken),
                                          **actor.describe()})
    return ImportResult(batch.id, len(taken), len(records) - len(taken))


async def _locked(actor: Actor, prospect_id: int) -> dict[str, Any]:
    row = await queries.lock(prospect_id)
    scope.require(actor, None if row is None else row["legal_circle"], "prospect", prospect_id)
    assert row is not None
    if row["erased_at"] is not None:
        raise RuleViolation("prospect", "prospect_erased")
    return row


async def read_prospect(actor: Actor, clock: Clock, prospect_id: int
                        ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One prospect and its attempts (newest first): an audited read."""
    async with transaction():
        rows = await Prospect.select().where(Prospect.id == prospect_id)
        scope.require(actor, rows[0]["legal_circle"] if rows else None, "prospect",
                      prospect_id)
        attempts = await ProspectContact.select().where(
            ProspectContact.prospect_id == prospect_id).order_by(
            ProspectContact.on_day, ProspectContact.id, ascending=False)
        await audit.record(actor, "prospect.viewed", "prospect", prospect_id, at=clock.now())
    return rows[0], attempts


async def good_countries(on: date) -> list[str]:
    entries = await cases.prospect_entries()
    return sorted({e.country_code for e in entries
                   if has_good_prospects(entries, e.country_code, on)})


async def record_attempt(actor: Actor, clock: Clock, prospect_id: int, *, on_day: date,
                         channel: str, outcome: str, appointment_at: datetime | None = None,
                         appointment_place: str | None = None, note: str | None = None,
                         max_attempts: int = rules.DEFAULT_MAX_ATTEMPTS) -> str | None:
    """Record a contact attempt. An invitation carries its appointment (date and time, and a
    place). After `max_attempts` attempts without contact, or a 'declined', the prospect is
    parked and leaves the worklist: the park reason is returned (None: still waiting)."""
    now = clock.now()
    today = now.astimezone(BERLIN).date()
    if channel not in rules.CHANNELS:
        raise RuleViolation("channel", "not_allowed")
    if outcome not in rules.OUTCOMES:
        raise RuleViolation("outcome", "not_allowed")
    if not isinstance(on_day, date) or on_day > today or on_day.year < 2000:
        raise RuleViolation("on_day", "out_of_range")
    if outcome == "invited" and appointment_at is None:
        raise RuleViolation("appointment_at", "prospect_appointment_needed")
    if outcome != "invited" and (appointment_at or appointment_place):
        raise RuleViolation("appointment_at", "prospect_appointment_only_when_invited")
    place = rules.text("appointment_place", appointment_place, rules.TEXT_LENGTH)
    note = rules.text("note", note, rules.TEXT_LENGTH)
    async with transaction():
        row = await _locked(actor, prospect_id)
        if row["status"] != "waiting":
            raise RuleViolation("prospect", "prospect_not_waiting")
        await ProspectContact.insert(ProspectContact(
            prospect_id=prospect_id, on_day=on_day, channel=channel, outcome=outcome,
            appointment_at=appointment_at, appointment_place=place, note=note,
            recorded_by=actor.user_id, recorded_at=now))
        reason = rules.park_reason_after(await queries.outcomes_of(prospect_id), max_attempts)
        changes: dict[Any, Any] = {Prospect.updated_at: now,
                                   Prospect.version: row["version"] + 1}
        if outcome in rules.CONTACT_MADE and row["first_contact_at"] is None:
            changes[Prospect.first_contact_at] = datetime.combine(on_day, time(), BERLIN)
        if reason:
            changes.update({Prospect.status: "parked", Prospect.parked_at: now,
                            Prospect.park_reason: reason})
        await Prospect.update(changes).where(Prospect.id == prospect_id)
        await audit.record(actor, "prospect.contact_recorded", "prospect", prospect_id,
                           {"channel": channel, "outcome": outcome,
                            **({"parked": reason} if reason else {})}, at=now)
    log.info("prospect contact recorded", extra={"prospect_id": prospect_id,
                                                 "outcome": outcome, **actor.describe()})
    return reason


async def _set_parked(row: dict[str, Any], now: datetime, reason: str | None) -> None:
    """Park with a reason, or (None) put back onto the worklist."""
    await Prospect.update({Prospect.status: "parked" if reason else "waiting",
                           Prospect.parked_at: now if reason else None,
                           Prospect.park_reason: reason, Prospect.updated_at: now,
                           Prospect.version: row["version"] + 1}).where(
        Prospect.id == row["id"])


async def park(actor: Actor, clock: Clock, prospect_id: int, reason: str) -> None:
    """Park by hand: the prospect leaves the worklist with a reason."""
    now = clock.now()
    if reason not in rules.PARK_REASONS:
        raise RuleViolation("reason", "not_allowed")
    async with transaction():
        row = await _locked(actor, prospect_id)
        if row["status"] != "waiting":
            raise RuleViolation("prospect", "prospect_not_waiting")
        await _set_parked(row, now, reason)
        await audit.record(actor, "prospect.parked", "prospect", prospect_id,
                           {"reason": reason}, at=now)


async def unpark(actor: Actor, clock: Clock, prospect_id: int) -> None:
    """Back onto the worklist (its attempts stay; the next one without contact parks again
    only after another full run)."""
    now = clock.now()
    async with transaction():
        row = await _locked(actor, prospect_id)
        if row["status"] != "parked":
            raise RuleViolation("prospect", "prospect_not_parked")
        await _set_parked(row, now, None)
        await audit.record(actor, "prospect.unparked", "prospect", prospect_id, at=now)


def _client_data(row: dict[str, Any], conversion: Conversion, actor: Actor) -> ClientData:
    born = row["date_of_birth"] or conversion.date_of_birth
    if born is None:
        raise RuleViolation("date_of_birth", "prospect_needs_birth_date")
    if row["birth_year"] and conversion.date_of_birth and row["date_of_birth"] is None and (
            conversion.date_of_birth.year != row["birth_year"]):
        raise RuleViolation("date_of_birth", "prospect_year_not_birth_date")
    if not row["country_code"]:
        raise RuleViolation("country_code", "required")
    status = row["residence_status"] or conversion.residence_status
    if not status:
        raise RuleViolation("residence_status", "required")
    skills = tuple(LanguageSkill(code, conversion.levels[code])  # type: ignore[arg-type]
                   for code in row["languages"] if conversion.levels.get(code))
    unrated = [code for code in row["languages"] if not conversion.levels.get(code)]
    notes = ("Sprachen laut Erstansprache (Niveau offen): " + ", ".join(unrated)
             if unrated else None)
    address = "\n".join(x for x in (row["shelter"], row["address"]) if x) or None
    return ClientData(
        first_name=row["first_name"] or "", last_name=row["last_name"] or "",
        date_of_birth=born, gender=conversion.gender,  # type: ignore[arg-type]
        country_of_origin=row["country_code"],
        residence_status=status,  # type: ignore[arg-type]
        legal_circle=row["legal_circle"],
        case_kind=conversion.case_kind,  # type: ignore[arg-type]
        enrolment_reason=conversion.enrolment_reason, coordinator_id=actor.user_id,
        phone=row["phone"], address=address, notes=notes, languages=skills)


async def convert(actor: Actor, clock: Clock, prospect_id: int, conversion: Conversion, *,
                  duplicate_confirmed: bool = False) -> Client:
    """Open a case from the prospect (a first consultation, or enrolment when the country has
    good prospects of staying on the day) through `cases.actions.create_client`: its data are
    carried over once, the two are linked, the prospect leaves the worklist. One transaction:
    a refused case leaves the prospect as it was."""
    now = clock.now()
    kind = CaseKind(conversion.case_kind) if conversion.case_kind in {
        k.value for k in CaseKind} else None
    if kind is None:
        raise RuleViolation("case_kind", "not_allowed")
    async with transaction():
        row = await _locked(actor, prospect_id)
        if row["status"] not in ("waiting", "parked") or row["client_id"] is not None:
            raise RuleViolation("prospect", "prospect_not_waiting")
        good = has_good_prospects(await cases.prospect_entries(), row["country_code"] or "",
                                  now.astimezone(BERLIN).date())
        rules.check_conversion(kind, good)
        client = await case_actions.create_client(
            actor, clock, _client_data(row, conversion, actor), barrier_kinds=None,
            on_duplicate="confirmed" if duplicate_confirmed else "refuse")
        await Prospect.update({Prospect.status: "converted", Prospect.converted_at: now,
                               Prospect.parked_at: None, Prospect.park_reason: None,
                               Prospect.client_id: client.id, Prospect.updated_at: now,
                               Prospect.version: row["version"] + 1}).where(
            Prospect.id == prospect_id)
        await audit.record(actor, "prospect.converted", "prospect", prospect_id,
                           {"client_id": client.id, "case_kind": kind.value}, at=now)
    log.info("prospect converted", extra={"prospect_id": prospect_id, "client_id": client.id,
                                          **actor.describe()})
    return client
