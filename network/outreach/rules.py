"""The outreach rules, pure: what a prospect record may hold, when a run of contact attempts
parks a prospect, and which kind of case a prospect may be converted into. No I/O here; the
actions (`network.outreach.actions`) load, call these and write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from network.cases.values import CaseKind, ResidenceStatus
from network.errors import RuleViolation

SOURCES = ("immigration_office", "shelter", "volunteer", "walk_in", "other")
CHANNELS = ("letter", "phone", "shelter_visit", "volunteer", "walk_in")
OUTCOMES = ("reached", "not_reached", "invited", "declined")
CONTACT_MADE = frozenset({"reached", "invited", "declined"})
PARK_REASONS = ("no_contact", "declined", "moved_away", "other")
DEFAULT_MAX_ATTEMPTS = 3
NAME_LENGTH = 100
TEXT_LENGTH = 300
MOST_LANGUAGES = 5


@dataclass(frozen=True)
class ProspectData:
    """What is known of a prospect: a minimal record, every field but a name optional."""

    legal_circle: str
    source: str
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: date | None = None
    birth_year: int | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, upper case
    residence_status: str | None = None  # network.cases.values.ResidenceStatus
    residence_since: date | None = None
    shelter: str | None = None
    address: str | None = None
    phone: str | None = None
    languages: tuple[str, ...] = ()  # ISO 639-1, in order: the first is the main one
    source_note: str | None = None


def text(field: str, value: str | None, most: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RuleViolation(field, "not_text")
    value = " ".join(value.split())
    if any(ord(c) < 32 for c in value):
        raise RuleViolation(field, "not_text")
    if len(value) > most:
        raise RuleViolation(field, "too_long", max=most)
    return value or None


def checked(data: ProspectData, today: date, known_countries: Iterable[str],
            known_languages: Iterable[str]) -> ProspectData:
    """The record cleaned (spaces folded, codes upper/lower case, the birth year taken from
    the birth date) or RuleViolation on the first field at fault."""
    if data.legal_circle not in ("sgb2", "sgb3"):
        raise RuleViolation("legal_circle", "not_allowed")
    if data.source not in SOURCES:
        raise RuleViolation("source", "not_allowed")
    first = text("first_name", data.first_name, NAME_LENGTH)
    last = text("last_name", data.last_name, NAME_LENGTH)
    if not (first or last):
        raise RuleViolation("last_name", "required")
    born, year = data.date_of_birth, data.birth_year
    if born is not None:
        if born > today or born.year < 1900:
            raise RuleViolation("date_of_birth", "out_of_range")
        if year is not None and year != born.year:
            raise RuleViolation("birth_year", "prospect_year_not_birth_date")
        year = born.year
    if year is not None and not 1900 <= year <= today.year:
        raise RuleViolation("birth_year", "out_of_range")
    country = (data.country_code or "").strip().upper() or None
    if country is not None and country not in set(known_countries):
        raise RuleViolation("country_code", "prospect_unknown_country")
    status = data.residence_status or None
    if status is not None and status not in {s.value for s in ResidenceStatus}:
        raise RuleViolation("residence_status", "not_allowed")
    if data.residence_since is not None and data.residence_since > today:
        raise RuleViolation("residence_since", "out_of_range")
    languages = tuple(dict.fromkeys(code.strip().lower() for code in data.languages))
    known = set(known_languages)
    if len(languages) > MOST_LANGUAGES:
        raise RuleViolation("languages", "prospect_too_many_languages", max=MOST_LANGUAGES)
    for code in languages:
        if code not in known:
            raise RuleViolation("languages", "prospect_unknown_language")
    return replace(
        data, first_name=first, last_name=last, date_of_birth=born, birth_year=year,
        country_code=country, residence_status=status, languages=languages,
        shelter=text("shelter", data.shelter, TEXT_LENGTH),
        address=text("address", data.address, TEXT_LENGTH),
        phone=text("phone", data.phone, 40),
        source_note=text("source_note", data.source_note, TEXT_LENGTH))


def park_reason_after(outcomes: Sequence[str], max_attempts: int) -> str | None:
    """After a new attempt (`outcomes` oldest first, the new one last): 'declined' when the
    person said no; 'no_contact' when the attempts since the last contact (or since the first)
    reach `max_attempts` without reaching them, and again after each further full run (a
    prospect taken back from parking gets another `max_attempts` tries); else None."""
    if not outcomes:
        return None
    if outcomes[-1] == "declined":
        return "declined"
    run = 0
    for outcome in reversed(outcomes):
        if outcome in CONTACT_MADE:
            break
        run += 1
    return "no_contact" if run and run % max(1, max_attempts) == 0 else None


def offered_kinds(good_prospects: bool) -> tuple[CaseKind, ...]:
    """A prospect with good prospects of staying may be enrolled or come to a first
    consultation; one without is offered a first consultation only."""
    if good_prospects:
        return (CaseKind.ENROLLED, CaseKind.FIRST_CONSULTATION)
    return (CaseKind.FIRST_CONSULTATION,)


def check_conversion(kind: CaseKind, good_prospects: bool) -> None:
    if kind not in offered_kinds(good_prospects):
        raise RuleViolation("case_kind", "prospect_first_consultation_only")
