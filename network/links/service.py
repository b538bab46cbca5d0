"""What a partner sees and does through its link: the referral (least data), its actions, a
fresh link for an expired one. Every change is an action of `network.referrals.actions` with
the partner's Actor (`Actor.of_partner(partner_id, link_id)`), so the lifecycle, the row lock,
the history and the audit entry apply as for any other change; the link is marked used in the
same transaction.

A link opens its referral only while the link is valid, the referral is open and still the
link's partner's; in every other case the page shows no personal data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from operator import itemgetter
from typing import Any

from network.actors import Actor
from network.clock import Clock
from network.errors import RuleViolation
from network.filters import escape_like
from network.links import queries
from network.links.tokens import FoundLink, LinkState, found_link, mark_used, token_hash
from network.referrals import actions, appointment_data, emails
from network.referrals.appointments import Appointment, may_have_appointment
from network.referrals.emails import ReferralFacts
from network.referrals.lifecycle import (
    Party,
    Status,
    allowed_targets,
    handoff_closings,
)
from network.referrals.service import Referral, load, referral_of
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

# Form value of each status button -> the status it asks for.
STATUS_ACTIONS = {"accept": Status.ACCEPTED, "decline": Status.DECLINED,
                  "hold": Status.ON_HOLD, "start": Status.IN_PROGRESS,
                  "complete": Status.COMPLETED}


class PageState(StrEnum):
    OPEN = "open"  # valid link, open referral: the page with data and actions
    CLOSED = "closed"  # the referral is closed or handed over: no data
    EXPIRED = "expired"  # the link expired, the referral is open: offer a fresh link
    UNKNOWN = "unknown"  # no such link


@dataclass(frozen=True)
class DirectoryEntry:
    id: int
    name: str
    kind: str


DIRECTORY_LISTED = 25  # a directory up to this size is listed whole; a larger one searched
SEARCH_LENGTH = 100  # characters of a directory search kept


@dataclass(frozen=True)
class Directory:
    """Where a handoff may go, as the page lists it. A small directory (`size` at most
    DIRECTORY_LISTED) is listed whole; a larger one (a thousand partners of a kind at
    national scale) is searched by name, city or postal code: `entries` are then the
    `search`'s first DIRECTORY_LISTED matches by name (none before a search), `matching`
    how many match in all."""

    entries: tuple[DirectoryEntry, ...] = ()
    size: int = 0
    search: str | None = None
    matching: int = 0

    @property
    def searchable(self) -> bool:
        return self.size > DIRECTORY_LISTED


def search_text(text: str | None) -> str | None:
    """A directory search as typed (a query parameter: anything may come): its printable
    words, at most SEARCH_LENGTH characters; None when nothing is left."""
    kept = " ".join(word for word in (text or "").split() if word.isprintable())
    return kept[:SEARCH_LENGTH].strip() or None


UNREAD = object()  # the appointment is to be read (see _page_of)


@dataclass(frozen=True)
class PartnerPage:
    state: PageState
    link: FoundLink
    referral: Referral | None = None  # only in state OPEN
    facts: ReferralFacts | None = None
    actions: tuple[str, ...] = ()
    handoff_closing: Status | None = None
    directory: Directory = field(default=Directory())
    status: Status | None = None  # the referral's status, also when closed (no data)
    appointment: Appointment | None = None  # when and where the client is expected


async def open_page(token: str, now: datetime, *, full: bool = True,
                    search: str | None = None) -> PartnerPage:
    """What the link opens now, its handoff directory searched for `search`. `full=False`
    leaves out the directory and the appointment (a POST reads them after its change; the
    facts it shows come with the link)."""
    async with transaction():
        hashed = token_hash(token)
        found = None if hashed is None else await queries.link_with_referral(hashed)
        if found is None:
            return PartnerPage(PageState.UNKNOWN, found_link(None, now))
        link, row = found
        return await _page_of(found_link(link, now), referral_of(row), full=full,
                              facts=emails.facts_of(row), search=search)


async def page_in_inbox(partner_id: int, referral: Referral, search: str | None = None
                        ) -> PartnerPage:
    """The same page for a partner signed in to its inbox (network.links.partner_sessions):
    no link, so nothing expires; the referral must be open and the partner's."""
    return await _page_of(FoundLink(LinkState.VALID, None, referral.id, partner_id), referral,
                          search=search)


async def _page_of(link: FoundLink, referral: Referral, *, full: bool = True,
                   facts: ReferralFacts | None = None,
                   appointment: Appointment | None | object = UNREAD,
                   search: str | None = None) -> PartnerPage:
    usable = referral.is_open and referral.partner_id == link.partner_id
    if not usable:
        return PartnerPage(PageState.CLOSED, link, status=referral.status)
    if link.state is LinkState.EXPIRED:
        return PartnerPage(PageState.EXPIRED, link, status=referral.status)
    targets = allowed_targets(referral.status, Party.PARTNER)
    actions_now = [name for name, status in STATUS_ACTIONS.items() if status in targets]
    closings = handoff_closings(referral.status)
    closing = (Status.DECLINED if Status.DECLINED in closings
               else Status.COMPLETED if closings else None)
    if not full:
        return PartnerPage(PageState.OPEN, link, referral, facts, (), closing, Directory(),
                           referral.status)
    if facts is None:
        facts = await emails.facts(referral.id)
    directory = await _directory(referral, search) if closing is not None else Directory()
    if directory.size:
        actions_now.append("handoff")
    actions_now.append("message")
    return PartnerPage(PageState.OPEN, link, referral, facts, tuple(actions_now), closing,
                       directory, referral.status,
                       await _appointment(referral) if appointment is UNREAD else appointment)


async def _appointment(referral: Referral) -> Appointment | None:
    if not may_have_appointment(referral.status):
        return None  # none before the partner accepts: no need to ask
    return await appointment_data.of_referral(referral.id)


async def _directory(referral: Referral, search: str | None) -> Directory:
    """The other active partners that list the barrier's kind (where a handoff may go), as
    the page lists them (see Directory)."""
    search = search_text(search)
    patterns = ["%" + escape_like(word) + "%" for word in (search or "").split()]
    rows = await queries.directory(referral.partner_id, referral.barrier_kind.value,
                                   patterns, DIRECTORY_LISTED)
    size = rows[0]["size"] if rows else 0
    if size <= DIRECTORY_LISTED:  # listed whole, by name: a search has nothing to narrow
        return Directory(tuple(_entry(row) for row in sorted(rows, key=itemgetter("position"))),
                         size)
    if search is None:
        return Directory((), size)
    return Directory(tuple(_entry(row) for row in rows if row["matched"]), size, search,
                     rows[0]["matching"])


def _entry(row: dict[str, Any]) -> DirectoryEntry:
    return DirectoryEntry(row["id"], row["name"], row["kind"])




@dataclass(frozen=True)
class ActionForm:
    action: str
    reason_code: str | None = None
    reason_text: str | None = None
    until: str | None = None  # on hold until (an ISO date from the date field), optional
    outcome: str | None = None
    note: str | None = None
    to_partner_id: int | None = None
    message: str | None = None
    key: str | None = None  # the page's nonce: the same form sent twice is one message
    # accepting may bring the appointment with it (all three, or none)
    appointment_day: str | None = None
    appointment_time: str | None = None
    appointment_place: str | None = None

    @property
    def appointment_given(self) -> bool:
        return any((self.appointment_day, self.appointment_time, self.appointment_place))
    version: int | None = None  # the referral's version the page showed (None: not sent)


@dataclass(frozen=True)
class Acted:
    changed: bool  # False: it was so already
    page: PartnerPage  # the page as it stands after the action


async def act(page: PartnerPage, form: ActionForm, clock: Clock,
              actor: Actor | None = None) -> Acted:
    """Apply the partner's action as the partner of the page's link (or as `actor`, the
    partner signed in to its inbox), mark the link used, and return the page as it stands
    then; one transaction (the caller's, when it has one). Raises the actions' refusals
    (RuleViolation naming the field, ReferralConflict)."""
    referral, link = page.referral, page.link
    assert referral is not None and link.partner_id is not None
    if actor is None:
        assert link.link_id is not None
        actor = Actor.of_partner(link.partner_id, link.link_id)
    assert actor.partner_id == link.partner_id
    facts = page.facts
    appointment: Appointment | None | object = UNREAD
    async with transaction():
        if form.action in STATUS_ACTIONS:
            result = await actions.transition(
                actor, clock, referral.id, STATUS_ACTIONS[form.action],
                expected_version=form.version, reason_code=form.reason_code,
                reason_text=form.reason_text, outcome=form.outcome, note=form.note,
                hold_until=form.until if form.action == "hold" else None,
                with_history=False)  # the partner's page shows none
            changed, after = result.changed, result.referral
            if form.action == "accept" and form.appointment_given:
                appointment = await actions.record_appointment(
                    actor, clock, referral.id, day=form.appointment_day,
                    at=form.appointment_time, place=form.appointment_place)
            elif form.action == "accept" and changed:
                appointment = None  # just accepted: there can be none yet
        elif form.action == "handoff":
            if page.handoff_closing is None:
                raise RuleViolation("action", "referral.handoff_impossible")
            if form.to_partner_id is None or not await queries.in_directory(
                    referral.partner_id, referral.barrier_kind.value, form.to_partner_id):
                raise RuleViolation("to_partner_id", "referral.required")
            handed = await actions.hand_off(
                actor, clock, referral.id, form.to_partner_id, page.handoff_closing,
                expected_version=form.version, reason_code=form.reason_code,
                reason_text=form.reason_text, outcome=form.outcome,
                note=form.note or referral.note)
            changed, after = True, handed.closed.referral
        elif form.action == "message":
            written = await actions.write_to_coordinator(actor, clock, referral.id,
                                                         form.message, idempotency_key=form.key)
            changed, after = written.stored, written.referral
        else:
            raise RuleViolation("action", "referral.not_an_action")
        if link.link_id is not None:
            await mark_used(link.link_id, clock.now())
        shown = await _page_of(link, after, facts=facts, appointment=appointment)
    log.info("partner action", extra={"referral_id": referral.id, "action": form.action,
                                      "changed": changed})
    return Acted(changed, shown)


class _AlreadyRequested(Exception):
    pass


async def send_fresh_link(page: PartnerPage, settings: Settings, now: datetime) -> bool:
    """An expired link of an open referral: email a fresh one to the partner's referral
    addresses on file (never anywhere else). At most one per old link and day; True when
    one was queued now."""
    if page.state is not PageState.EXPIRED:
        return False
    link = page.link
    try:
        async with transaction():
            referral = await load(link.referral_id, lock=True)
            if not referral.is_open or referral.partner_id != link.partner_id:
                return False
            queued = await emails.send_partner_link_renewed(
                settings, referral.id, now,
                dedupe_key=f"link-renewed:{link.link_id}:{now.date().isoformat()}")
            if queued is None:
                raise _AlreadyRequested  # roll back the link issued for nothing
    except _AlreadyRequested:
        return False
    log.info("fresh partner link sent", extra={"referral_id": link.referral_id})
    return True
