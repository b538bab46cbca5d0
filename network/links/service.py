"""What a partner sees and does through its link: the referral (least data), its actions, a
fresh link for an expired one. Every change goes through the referral service as the partner,
so the lifecycle, the row lock and the history apply as for any other change.

A link opens its referral only while the link is valid, the referral is open and still the
link's partner's; in every other case the page shows no personal data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from network.actors import Actor as EventActor
from network.errors import RuleViolation
from network.events import emit
from network.links.tokens import FoundLink, LinkState, find_link, mark_used
from network.referrals import emails
from network.referrals import service as referrals
from network.referrals.emails import ReferralFacts as Facts
from network.referrals.events import PartnerWrote
from network.referrals.lifecycle import (
    Actor,
    Status,
    allowed_targets,
    handoff_closings,
)
from network.referrals.service import Referral
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

# Form value of each status button -> the status it asks for.
STATUS_ACTIONS = {"accept": Status.ACCEPTED, "decline": Status.DECLINED,
                  "hold": Status.ON_HOLD, "start": Status.IN_PROGRESS,
                  "complete": Status.COMPLETED}
MAX_MESSAGE = 5000


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


@dataclass(frozen=True)
class PartnerPage:
    state: PageState
    link: FoundLink
    referral: Referral | None = None  # only in state OPEN
    facts: Facts | None = None
    actions: tuple[str, ...] = ()
    handoff_closing: Status | None = None
    directory: tuple[DirectoryEntry, ...] = field(default=())
    status: Status | None = None  # the referral's status, also when closed (no data)


async def open_page(token: str, now: datetime) -> PartnerPage:
    async with transaction() as connection:
        link = await find_link(connection, token, now)
        if link.state is LinkState.UNKNOWN:
            return PartnerPage(PageState.UNKNOWN, link)
        referral = await referrals._load(connection, link.referral_id)
        usable = referral.is_open and referral.partner_id == link.partner_id
        if not usable:
            return PartnerPage(PageState.CLOSED, link, status=referral.status)
        if link.state is LinkState.EXPIRED:
            return PartnerPage(PageState.EXPIRED, link, status=referral.status)
        facts = await emails.facts(referral.id)
        targets = allowed_targets(referral.status, Actor.PARTNER)
        actions = [name for name, status in STATUS_ACTIONS.items() if status in targets]
        closings = handoff_closings(referral.status)
        closing = (Status.DECLINED if Status.DECLINED in closings
                   else Status.COMPLETED if closings else None)
        directory: list[DirectoryEntry] = []
        if closing is not None:
            rows = await connection.fetch(
                """
                SELECT p.id, p.name, p.kind FROM partners p JOIN barriers b ON b.id = $2
                WHERE p.active AND p.id <> $1 AND b.kind = ANY (p.barrier_kinds)
                ORDER BY lower(p.name)
                """, referral.partner_id, referral.barrier_id)
            directory = [DirectoryEntry(r["id"], r["name"], r["kind"]) for r in rows]
            if directory:
                actions.append("handoff")
        actions.append("message")
    return PartnerPage(PageState.OPEN, link, referral, facts, tuple(actions), closing,
                       tuple(directory), referral.status)


@dataclass(frozen=True)
class ActionForm:
    action: str
    reason_code: str | None = None
    reason_text: str | None = None
    until: str | None = None  # on hold until (a date as typed), optional
    outcome: str | None = None
    note: str | None = None
    to_partner_id: int | None = None
    message: str | None = None


async def act(page: PartnerPage, form: ActionForm, settings: Settings, now: datetime) -> bool:
    """Apply the partner's action; True when something changed (or was sent). Raises the
    referral service's errors (RuleViolation naming the field, ReferralConflict)."""
    referral = page.referral
    assert referral is not None and page.link.link_id is not None
    changed = False
    async with transaction() as connection:
        if form.action in STATUS_ACTIONS:
            reason = form.reason_text
            if form.action == "hold" and reason and form.until:
                reason = f"{reason} (voraussichtlich bis {form.until})"
            result = await referrals.transition(
                referral.id, STATUS_ACTIONS[form.action], Actor.PARTNER, None,
                reason_code=form.reason_code, reason_text=reason, outcome=form.outcome,
                note=form.note, now=now, settings=settings)
            changed = result.changed
        elif form.action == "handoff":
            if page.handoff_closing is None:
                raise RuleViolation("action", "a handoff is not possible now")
            if form.to_partner_id not in {entry.id for entry in page.directory}:
                raise RuleViolation("to_partner_id", "is required")
            await referrals.hand_off_to_partner(
                referral.id, form.to_partner_id, page.handoff_closing, None,
                actor=Actor.PARTNER, reason_code=form.reason_code,
                reason_text=form.reason_text, outcome=form.outcome,
                note=form.note or referral.note, now=now, settings=settings)
            changed = True
        elif form.action == "message":
            text = (form.message or "").strip()
            if not text:
                raise RuleViolation("message", "is required")
            if len(text) > MAX_MESSAGE:
                raise RuleViolation("message", f"must be at most {MAX_MESSAGE} "
                                              "characters")
            await emit(PartnerWrote(referral.id, text, EventActor.of_partner(
                referral.partner_id, page.link.link_id), now))
            changed = True
        else:
            raise RuleViolation("action", "is not an action of this page")
        await mark_used(connection, page.link.link_id, now)
    log.info("partner action", extra={"referral_id": referral.id, "action": form.action,
                                      "changed": changed})
    return changed


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
        async with transaction() as connection:
            referral = await referrals._load(connection, link.referral_id, lock=True)
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
