"""The case page's history section (clients/_history.html): the entries of
network.cases.history worded for the page, each change's values before and after in German
(dates, countries, languages, vocabularies, the coordinator's name), and the status changes
of the case's referrals among them, so the page has one history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from network import words
from network.cases import history
from network.clock import BERLIN
from network.referrals.service import Referral, event_of
from network.referrals.tables import ReferralEvent
from network.words import case_history as hw

REFERRAL = "referral"

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
    href: str | None = None  # a referral's page


async def section(client_id: int, referrals: Sequence[Referral] = ()) -> list[Row]:
    """The history of one case with its referrals' events, newest first, ready for the
    template (the caller has read the case and its referrals under the actor's scope and
    audited the read)."""
    entries = await history.history_of(client_id)
    events = await _referral_events(referrals)
    users = {value for e in entries for c in e.changes if c.field == "coordinator_id"
             for value in (c.before, c.after) if isinstance(value, int)}
    users |= {e.actor_user_id for _, e in events if e.actor_user_id is not None}
    names = await history.names_of(users)
    rows = [_row(e, names) for e in entries] + [_referral_row(r, e, names) for r, e in events]
    rows.sort(key=lambda r: (r.day, r.at), reverse=True)  # stable: ties keep their order
    return rows


async def _referral_events(referrals: Sequence[Referral]) -> list[tuple[Referral, Any]]:
    if not referrals:
        return []
    by_id = {r.id: r for r in referrals}
    rows = await ReferralEvent.select().where(
        ReferralEvent.referral_id.is_in(list(by_id))).order_by(ReferralEvent.id)
    return [(by_id[row["referral_id"]], event_of(row)) for row in rows]


def _referral_row(referral: Referral, event: Any, names: dict[int, str]) -> Row:
    if event.actor_kind == "partner":
        who = referral.partner_name
    else:
        who = names.get(event.actor_user_id, hw.NOBODY)
    title = hw.REFERRAL.format(id=referral.id, partner=referral.partner_name,
                               status=words.label(event.to_status.value, "referral_status"))
    return Row(REFERRAL, event.at.astimezone(BERLIN).date(), event.at, who, title, None, (),
               False, f"/referrals/{referral.id}")


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
