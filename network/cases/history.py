"""A case's history: its events (opened, enrolled, closed, ...), its barriers' status changes,
every edit with before and after (case_changes) and the dated consultation notes (case_notes),
in one list, newest first. The writes of the two
history tables, and the one read that merges all four (four queries and one for the names).

A note is dated by the day of the consultation (`noted_on`), which may lie before the day it
was written: it sorts under that day."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from network.accounts.tables import AppUser
from network.cases import tables as t
from network.cases.changes import Change, as_json, from_json
from network.clock import BERLIN
from network.transactions import transaction

EVENT = "event"  # a case event (opened, enrolled, closed, circle_changed, ...)
BARRIER_STATUS = "barrier_status"
CHANGE = "change"
NOTE = "note"
# At the same moment (one action writes several): the event first, the note last.
ORDER = {EVENT: 0, BARRIER_STATUS: 1, CHANGE: 2, NOTE: 3}


@dataclass(frozen=True)
class Entry:
    kind: str  # EVENT, BARRIER_STATUS, CHANGE or NOTE
    day: date  # the day it belongs to (Berlin): a note's consultation day
    at: datetime  # when it was written
    actor_id: int | None
    actor_name: str | None = None
    code: str | None = None  # the case event, or the barrier's new status
    barrier_id: int | None = None
    barrier_kind: str | None = None
    note: str | None = None  # an event's note, a note's text
    fields: tuple[str, ...] = ()  # what a change changed
    changes: tuple[Change, ...] = ()  # ...with before and after (none once pseudonymised)


@dataclass(frozen=True)
class Note:
    id: int
    client_id: int
    noted_on: date
    body: str | None
    author_id: int | None
    created_at: datetime


async def record_change(client_id: int, barrier_id: int | None, changes: Sequence[Change],
                        actor_id: int | None, at: datetime) -> int | None:
    """Keep an edit's changes; nothing (and None) when nothing changed."""
    if not changes:
        return None
    rows = await t.CaseChange.insert(t.CaseChange(
        client_id=client_id, barrier_id=barrier_id, at=at, actor_id=actor_id,
        fields=[c.field for c in changes], changes=json.dumps(as_json(changes)),
    )).returning(t.CaseChange.id)
    return rows[0]["id"]


async def insert_note(client_id: int, noted_on: date, body: str, author_id: int | None,
                      at: datetime) -> Note:
    rows = await t.CaseNote.insert(t.CaseNote(
        client_id=client_id, noted_on=noted_on, body=body, author_id=author_id, created_at=at,
    )).returning(*t.CaseNote.all_columns())
    row = rows[0]
    return Note(row["id"], row["client_id"], row["noted_on"], row["body"], row["author_id"],
                row["created_at"])


async def scrub(client_id: int) -> None:
    """Pseudonymisation: the values before and after and the notes' texts go; what was
    changed (the field names), when and by whom stays."""
    await t.CaseChange.update({t.CaseChange.changes: None}).where(
        (t.CaseChange.client_id == client_id) & t.CaseChange.changes.is_not_null())
    await t.CaseNote.update({t.CaseNote.body: None}).where(
        (t.CaseNote.client_id == client_id) & t.CaseNote.body.is_not_null())


async def history_of(client_id: int) -> list[Entry]:
    """The whole history of one case, newest first (by day, then by time). The
    caller has checked the actor may read the case (and audited the read)."""
    async with transaction():  # one connection for the five reads
        entries = [*await _case_events(client_id), *await _barrier_events(client_id),
                   *await _changes(client_id), *await _notes(client_id)]
        names = await names_of({e.actor_id for e in entries if e.actor_id is not None})
    named = [e if e.actor_id is None else _with_name(e, names.get(e.actor_id))
             for e in entries]
    named.sort(key=lambda e: (e.day, e.at, ORDER[e.kind]), reverse=True)
    return named


def _with_name(entry: Entry, name: str | None) -> Entry:
    return Entry(**{**entry.__dict__, "actor_name": name})


def _day(at: datetime) -> date:
    return at.astimezone(BERLIN).date()


async def _case_events(client_id: int) -> list[Entry]:
    rows = await t.CaseEvent.select(
        t.CaseEvent.at, t.CaseEvent.actor_id, t.CaseEvent.event, t.CaseEvent.note,
    ).where(t.CaseEvent.client_id == client_id)
    return [Entry(EVENT, _day(r["at"]), r["at"], r["actor_id"], code=r["event"],
                  note=r["note"]) for r in rows]


async def _barrier_events(client_id: int) -> list[Entry]:
    e = t.BarrierEvent
    rows = await e.select(e.at, e.actor_id, e.to_status, e.note, e.barrier_id,
                          e.barrier_id.kind.as_alias("barrier_kind"),
                          ).where(e.barrier_id.client_id == client_id)
    return [Entry(BARRIER_STATUS, _day(r["at"]), r["at"], r["actor_id"], code=r["to_status"],
                  barrier_id=r["barrier_id"], barrier_kind=r["barrier_kind"], note=r["note"])
            for r in rows]


async def _changes(client_id: int) -> list[Entry]:
    rows = await t.CaseChange.select().where(t.CaseChange.client_id == client_id)
    kinds = await _barrier_kinds({r["barrier_id"] for r in rows if r["barrier_id"]})
    return [Entry(CHANGE, _day(r["at"]), r["at"], r["actor_id"], barrier_id=r["barrier_id"],
                  barrier_kind=kinds.get(r["barrier_id"]), fields=tuple(r["fields"]),
                  changes=from_json(_loaded(r["changes"]))) for r in rows]


async def _notes(client_id: int) -> list[Entry]:
    rows = await t.CaseNote.select().where(t.CaseNote.client_id == client_id)
    return [Entry(NOTE, r["noted_on"], r["created_at"], r["author_id"], note=r["body"])
            for r in rows]


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _barrier_kinds(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await t.Barrier.select(t.Barrier.id, t.Barrier.kind).where(
        t.Barrier.id.is_in(list(ids)))
    return {r["id"]: r["kind"] for r in rows}


async def names_of(ids: set[int]) -> dict[int, str]:
    """Display names of users (authors, and the coordinators a change names), one query."""
    if not ids:
        return {}
    rows = await AppUser.select(AppUser.id, AppUser.display_name).where(
        AppUser.id.is_in(list(ids)))
    return {r["id"]: r["display_name"] for r in rows}
