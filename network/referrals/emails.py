"""Who hears about a referral's changes, by email: one typed function per email, over one
query for everything an email about a referral may say (`referral_facts`), and the
subscriptions that call them when the referral actions announce a change (network/events.py).

Every email is queued in the transaction of the change that causes it, due at the change's
clock reading. Every email to a partner carries a fresh action link, sealed: the outbox holds a
placeholder, the dispatcher fills in the token when it sends (network.links.tokens). Partners
get the least personal data they need: the client's first name and the initial of the last
name, the languages, the barrier kind and the coordinator's note; never health details, the
birth date or the address.

The settings come in once, when the program is composed (`subscriptions(settings)`), so no
change can skip its emails for want of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from network import words
from network.accounts.tables import AppUser
from network.cases.events import ClientPseudonymised
from network.links.tokens import INSERT_LINKS_OF, SealedLink, issue_sealed_link, seal
from network.mail.outbox import enqueue, forget_client
from network.referrals.events import (
    PartnerWrote,
    ReferralCoordinatorChanged,
    ReferralCreated,
    ReferralStatusChanged,
)
from network.referrals.lifecycle import Change, Party, Status
from network.settings import Settings
from network.transactions import fetch

log = logging.getLogger(__name__)

NAME_REMOVED = "(Name entfernt)"  # a pseudonymised client
# System jobs whose own email tells the coordinator of the change they made (the reminder
# tick's "referral expired"): no second email about the same change.
TELL_THE_COORDINATOR_THEMSELVES = frozenset({"reminders.tick"})

# What an email about a referral may say, over `referrals r` (also read with a partner's
# link by network.links.queries, so the page and the email say the same).
FACTS_COLUMNS = """
    r.id AS referral_id, r.client_id, r.barrier_id, r.partner_id, r.coordinator_id,
    r.status, r.note, r.sent_at, c.first_name, c.last_name, c.case_number,
    b.kind AS barrier_kind,
    (SELECT coalesce(array_agg(l.language ORDER BY l.position), ARRAY[]::text[])
     FROM client_languages l WHERE l.client_id = c.id) AS languages,
    p.name AS partner_name, p.referral_emails,
    u.display_name AS coordinator_name, u.email AS coordinator_email
"""
FACTS_JOINS = """
    JOIN clients c ON c.id = r.client_id
    JOIN barriers b ON b.id = r.barrier_id JOIN partners p ON p.id = r.partner_id
    JOIN app_user u ON u.id = r.coordinator_id
"""
FACTS_QUERY = f"SELECT {FACTS_COLUMNS} FROM referrals r {FACTS_JOINS} WHERE r.id = {{}}"
# The facts and the partner's fresh sealed link in one round trip (no link without an
# address to send it to).
FACTS_WITH_LINK = (f"WITH f AS ({FACTS_QUERY}),"
                   f" l AS ({INSERT_LINKS_OF} f WHERE cardinality(f.referral_emails) > 0)"
                   " SELECT * FROM f")


@dataclass(frozen=True)
class ReferralFacts:
    """What an email (or the partner's page) about one referral may say, read in the
    change's transaction."""

    referral_id: int
    client_id: int
    barrier_id: int
    partner_id: int
    coordinator_id: int
    status: Status
    sent_at: datetime | None
    note: str | None  # the coordinator's note for the partner
    client: str  # "Amina K.": first name and initial only
    languages: str
    barrier_kind: str  # the code
    barrier: str  # its German label
    case_number: str | None  # None once pseudonymised
    partner_name: str
    partner_emails: list[str]
    coordinator_name: str
    coordinator_email: str

    def context(self) -> dict[str, Any]:
        """The values every template about a referral may use."""
        return {"client": self.client, "languages": self.languages, "barrier": self.barrier,
                "barrier_kind": self.barrier, "partner_name": self.partner_name,
                "coordinator_name": self.coordinator_name,
                "coordinator_email": self.coordinator_email, "note": self.note,
                "referral_id": self.referral_id,
                "referral_number": referral_number(self.referral_id),
                "status": words.REFERRAL_STATUSES[self.status],
                "sent_on": words.day(self.sent_at),
                "case_number": self.case_number}

    @property
    def ids(self) -> dict[str, int]:
        return {"client_id": self.client_id, "referral_id": self.referral_id}


async def referral_facts(referral_id: int) -> ReferralFacts | None:
    rows = await fetch(FACTS_QUERY, referral_id)
    return facts_of(rows[0]) if rows else None


async def referral_facts_of(referral_ids: list[int]) -> dict[int, ReferralFacts]:
    """The facts of several referrals in one statement (a reminder digest lists many)."""
    if not referral_ids:
        return {}
    rows = await fetch(FACTS_QUERY.replace("r.id = {}", "r.id = ANY ({}::bigint[])"),
                              sorted(set(referral_ids)))
    return {row["referral_id"]: facts_of(row) for row in rows}


def facts_of(row: dict[str, Any]) -> ReferralFacts:
    """The facts of a row read with FACTS_COLUMNS."""
    return ReferralFacts(
        referral_id=row["referral_id"], client_id=row["client_id"],
        barrier_id=row["barrier_id"], partner_id=row["partner_id"],
        coordinator_id=row["coordinator_id"], status=Status(row["status"]),
        sent_at=row["sent_at"], note=row["note"],
        client=short_name(row["first_name"], row["last_name"]),
        languages=", ".join(words.LANGUAGES.get(code, code) for code in row["languages"]),
        barrier_kind=row["barrier_kind"],
        barrier=words.label(row["barrier_kind"], "barrier_kind"),
        case_number=row["case_number"], partner_name=row["partner_name"],
        partner_emails=list(row["referral_emails"]),
        coordinator_name=row["coordinator_name"], coordinator_email=row["coordinator_email"])


async def facts(referral_id: int) -> ReferralFacts:
    """The facts of a referral known to exist."""
    found = await referral_facts(referral_id)
    if found is None:
        raise LookupError(f"no referral {referral_id}")
    return found


def short_name(first_name: str | None, last_name: str | None) -> str:
    if not first_name:
        return NAME_REMOVED
    return f"{first_name} {last_name[0]}." if last_name else first_name


def case_url(settings: Settings, client_id: int) -> str:
    """Where a coordinator opens the client's case."""
    return f"{settings.base_url}/clients/{client_id}"


def referral_number(referral_id: int) -> str:
    """As the pages say it: "Vermittlung 98"."""
    return str(referral_id)


# --- to the partner -----------------------------------------------------------------------


async def send_to_partner(settings: Settings, found: ReferralFacts, template: str,
                          at: datetime, extra: dict[str, Any] | None = None, *,
                          dedupe_key: str | None = None,
                          link: SealedLink | None = None) -> int | None:
    """Queue `template` to the partner's referral addresses on file, with a fresh sealed
    link (as `url`, also `link_url`; its expiry as `expires`, also `link_expires_on`): `link`,
    issued with the facts (`facts_with_link`), or one issued here.
    None when the partner has no address (or the dedupe key was used)."""
    if not found.partner_emails:
        log.warning("partner has no referral address: no email",
                    extra={"referral_id": found.referral_id, "partner_id": found.partner_id})
        return None
    if link is None:
        link = await issue_sealed_link(settings.secret_key, found.referral_id,
                                       found.partner_id, at,
                                       timedelta(days=settings.partner_link_days))
    expires = words.day(link.expires_at)
    return await enqueue(settings, template, found.partner_emails, {
        **found.context(), "url": link.placeholder, "link_url": link.placeholder,
        "expires": expires, "link_expires_on": expires, **(extra or {}),
    }, due_at=at, dedupe_key=dedupe_key, **found.ids)


async def facts_with_link(settings: Settings, referral_id: int, at: datetime
                          ) -> tuple[ReferralFacts, SealedLink | None]:
    """The facts of a referral known to exist and, when its partner has an address, a fresh
    sealed link for the email to it (issued at `at`), in one statement."""
    link, stored = seal(settings.secret_key, at, timedelta(days=settings.partner_link_days))
    rows = await fetch(FACTS_WITH_LINK, referral_id, *stored)
    if not rows:
        raise LookupError(f"no referral {referral_id}")
    found = facts_of(rows[0])
    return found, link if found.partner_emails else None


async def send_new_referral(settings: Settings, referral_id: int, at: datetime, *,
                            handed_over: bool = False) -> int | None:
    """A referral sent to its partner (a handed-over one says so)."""
    template = "referral_handed_over" if handed_over else "referral_new"
    found, link = await facts_with_link(settings, referral_id, at)
    return await send_to_partner(settings, found, template, at, link=link)


async def send_partner_link_renewed(settings: Settings, referral_id: int, at: datetime, *,
                                    dedupe_key: str) -> int | None:
    """A fresh link for a partner whose link expired (None: asked for today already)."""
    found, link = await facts_with_link(settings, referral_id, at)
    return await send_to_partner(settings, found, "partner_link_renewed", at,
                                 dedupe_key=dedupe_key, link=link)


async def send_withdrawn(settings: Settings, referral_id: int, change: Change,
                         at: datetime) -> int | None:
    """The coordinator cancelled a referral the partner had received, or took it back to give
    it to another partner: the partner hears that nothing more is needed (no action link: the
    referral is closed; no reason text: it may say more about the client than the partner
    needs)."""
    found = await facts(referral_id)
    if not found.partner_emails:
        log.warning("partner has no referral address: no email",
                    extra={"referral_id": referral_id, "partner_id": found.partner_id})
        return None
    return await enqueue(settings, "referral_withdrawn", found.partner_emails, {
        **found.context(), "handed_off": change.handoff,
    }, due_at=at, **found.ids)


def withdraws(change: Change) -> bool:
    """A coordinator's change that takes a referral away from a partner who has it: a
    cancellation or a handoff to another partner (recording the partner's own answer, given
    by phone, is not news to the partner)."""
    return (change.party is Party.COORDINATOR and Party.PARTNER in change.notifies
            and (change.to_status is Status.CANCELLED or change.handoff))


# --- to coordinators ----------------------------------------------------------------------


async def send_status_changed(settings: Settings, referral_id: int, change: Change,
                              at: datetime) -> int | None:
    """The partner or the system changed the referral: its coordinator is told."""
    found = await facts(referral_id)
    return await enqueue(settings, "referral_status_changed", [found.coordinator_email], {
        **found.context(),
        "by_partner": change.party is Party.PARTNER,
        "from_status": words.REFERRAL_STATUSES[change.from_status],
        "reason": _reason(change), "outcome": _outcome(change),
        "handed_off": change.handoff, "url": case_url(settings, found.client_id),
    }, due_at=at, **found.ids)


async def send_coordinator_changed(settings: Settings, referral_id: int,
                                   previous_coordinator_id: int, at: datetime) -> int | None:
    """Ownership moved: the previous and the new coordinator are told."""
    found = await facts(referral_id)
    previous = await AppUser.select(AppUser.display_name, AppUser.email).where(
        AppUser.id == previous_coordinator_id).first()
    return await enqueue(settings, "referral_coordinator_changed",
                         sorted({found.coordinator_email, previous["email"]}), {
                             **found.context(), "previous_name": previous["display_name"],
                             "url": case_url(settings, found.client_id),
                         }, due_at=at, **found.ids)


async def send_partner_message(settings: Settings, referral_id: int, text: str,
                               at: datetime) -> int | None:
    """A partner wrote to the coordinator from its link page."""
    found = await facts(referral_id)
    return await enqueue(settings, "partner_message", [found.coordinator_email], {
        **found.context(), "message": text, "url": case_url(settings, found.client_id),
    }, due_at=at, **found.ids)


def _reason(change: Change) -> str | None:
    parts = [words.DECLINE_REASONS[change.reason_code] if change.reason_code else None,
             change.reason_text]
    return ": ".join(p for p in parts if p) or None


def _outcome(change: Change) -> str | None:
    return words.REFERRAL_OUTCOMES[change.outcome] if change.outcome else None


# --- subscriptions ------------------------------------------------------------------------


def subscriptions(settings: Settings) -> list[tuple[type, Any]]:
    """Which referral event sends which email (wired in network.composition)."""

    async def created(event: ReferralCreated) -> None:
        if event.status is Status.SENT:
            await send_new_referral(settings, event.referral_id, event.at,
                                    handed_over=event.handed_off_from is not None)

    async def status_changed(event: ReferralStatusChanged) -> None:
        change = event.change
        if change.to_status is Status.SENT:
            await send_new_referral(settings, event.referral_id, event.at)
        elif withdraws(change):
            await send_withdrawn(settings, event.referral_id, change, event.at)
        if (change.party is not Party.COORDINATOR and Party.COORDINATOR in change.notifies
                and event.actor.job not in TELL_THE_COORDINATOR_THEMSELVES):
            await send_status_changed(settings, event.referral_id, change, event.at)

    async def coordinator_changed(event: ReferralCoordinatorChanged) -> None:
        await send_coordinator_changed(settings, event.referral_id,
                                       event.previous_coordinator_id, event.at)

    async def partner_wrote(event: PartnerWrote) -> None:
        await send_partner_message(settings, event.referral_id, event.text, event.at)

    async def client_pseudonymised(event: ClientPseudonymised) -> None:
        await forget_client(event.client_id)  # the emails about the client lose their words

    return [(ReferralCreated, created), (ReferralStatusChanged, status_changed),
            (ReferralCoordinatorChanged, coordinator_changed), (PartnerWrote, partner_wrote),
            (ClientPseudonymised, client_pseudonymised)]
