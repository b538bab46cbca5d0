"""The case page's history section (clients/_history.html): the entries of
network.cases.history worded for the page, each change's values before and after in German
(dates, countries, languages, vocabularies, the coordinator's name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from network import words
from network.cases import history
from network.words import case_history as hw

# Fields whose stored code the page shows by its German word (network.words.VOCABULARIES).
VOCABULARY_OF = {"gender": "gender", "residence_status": "residence_status",
                 "legal_circle": "legal_circle", "case_kind": "case_kind",
                 "kind": "barrier_kind"}


@dataclass(frozen=True)
class Shown:
    """One change as the page lists it."""
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Row:
    kind: str
    day: date
    at: Any
    who: str
    title: str
    text: str | None
    changes: tuple[Shown, ...]
    removed: bool  # a change whose values pseudonymisation took


async def section(client_id: int) -> list[Row]:
    """The history of one case, ready for the template (the caller has read the case under
    the actor's scope and audited the read)."""
    entries = await history.history_of(client_id)
    coordinators = {value for e in entries for c in e.changes if c.field == "coordinator_id"
                    for value in (c.before, c.after) if isinstance(value, int)}
    names = await history.names_of(coordinators)
    return [_row(e, names) for e in entries]


def _row(entry: history.Entry, names: dict[int, str]) -> Row:
    kind_word = words.label(entry.barrier_kind, "barrier_kind")
    if entry.kind == history.EVENT:
        title = hw.EVENTS.get(entry.code or "", entry.code or "")
    elif entry.kind == history.BARRIER_STATUS:
        title = hw.BARRIER_STATUS.format(kind=kind_word,
                                         status=words.label(entry.code, "barrier_status"))
    elif entry.kind == history.CHANGE:
        title = hw.BARRIER_CHANGED.format(kind=kind_word) if entry.barrier_id else hw.CHANGED
    else:
        title = hw.NOTE
    text = entry.note
    if entry.kind == history.NOTE and text is None:
        text = hw.NOTE_REMOVED
    changes = tuple(Shown(hw.FIELDS.get(c.field, c.field), value(c.field, c.before, names),
                          value(c.field, c.after, names)) for c in entry.changes)
    return Row(entry.kind, entry.day, entry.at, entry.actor_name or hw.NOBODY, title, text,
               changes, entry.kind == history.CHANGE and not entry.changes)


def value(field: str, stored: Any, names: dict[int, str]) -> str:
    """A value before or after a change, in German."""
    if stored is None or stored == "" or stored == []:
        return hw.EMPTY_VALUE
    if field in VOCABULARY_OF:
        return words.label(stored, VOCABULARY_OF[field])
    if field == "country_of_origin":
        return words.country(stored)
    if field == "date_of_birth":
        return words.day(date.fromisoformat(stored))
    if field == "languages":
        return ", ".join(f"{words.language(code)} ({level})" for code, level in stored)
    if field == "coordinator_id":
        return names.get(stored, str(stored))
    return str(stored)
