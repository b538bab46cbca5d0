"""Who hears about a referral's changes, by email.

The service calls each hook inside the transaction of the change, so an email queued here with
`network.mail.outbox.enqueue(...)` commits or rolls back together with the change. Every email
to a partner carries a fresh action link (valid PARTNER_LINK_DAYS, its expiry in the text) and
the least personal data the partner needs: the client's first name and the initial of the last
name, the languages, the barrier kind and the coordinator's note. Never health details, the
birth date or the address.

The hooks get the Settings from the service call; a call without settings (demo seeding,
service tests that are not about email) tells nobody.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from network.links.tokens import issue_sealed_link
from network.mail.outbox import enqueue
from network.referrals import wording
from network.referrals.lifecycle import Change, Party, Status
from network.settings import Settings
from network.web.labels import BARRIER_KINDS, LANGUAGES

if TYPE_CHECKING:
    from network.referrals.service import Referral

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Facts:
    """What the emails about one referral may say, read in the change's transaction."""

    client: str  # "Amina K.": first name and initial only
    languages: str
    barrier: str
    partner_name: str
    partner_emails: list[str]
    coordinator_name: str
    coordinator_email: str

    def context(self, referral: Referral) -> dict[str, Any]:
        return {"client": self.client, "languages": self.languages, "barrier": self.barrier,
                "partner_name": self.partner_name, "coordinator_name": self.coordinator_name,
                "coordinator_email": self.coordinator_email, "note": referral.note,
                "referral_id": referral.id, "status": wording.STATUSES[referral.status]}


async def facts(connection: asyncpg.Connection, referral_id: int) -> Facts:
    row = await connection.fetchrow(
        """
        SELECT c.first_name, c.last_name, b.kind,
               (SELECT coalesce(array_agg(l.language ORDER BY l.language), '{}')
                FROM client_languages l WHERE l.client_id = c.id) AS languages,
               p.name AS partner_name, p.referral_emails,
               u.display_name AS coordinator_name, u.email AS coordinator_email
        FROM referrals r JOIN clients c ON c.id = r.client_id
        JOIN barriers b ON b.id = r.barrier_id JOIN partners p ON p.id = r.partner_id
        JOIN app_user u ON u.id = r.coordinator_id
        WHERE r.id = $1
        """, referral_id)
    return Facts(
        client=short_name(row["first_name"], row["last_name"]),
        languages=", ".join(LANGUAGES.get(code, code) for code in row["languages"]),
        barrier=BARRIER_KINDS.get(row["kind"], row["kind"]),
        partner_name=row["partner_name"], partner_emails=list(row["referral_emails"]),
        coordinator_name=row["coordinator_name"], coordinator_email=row["coordinator_email"])


def short_name(first_name: str | None, last_name: str | None) -> str:
    if not first_name:
        return "(Name entfernt)"
    return f"{first_name} {last_name[0]}." if last_name else first_name


async def on_created(connection: asyncpg.Connection, referral: Referral,
                     settings: Settings | None = None) -> None:
    """A new referral created as `sent`: its partner gets it, with an action link. A referral
    opened by a handoff says that it was handed over."""
    if settings is None or referral.status is not Status.SENT:
        return
    template = "referral_handed_over" if referral.handed_off_from else "referral_new"
    await send_to_partner(connection, settings, referral, template, referral.updated_at)


async def on_status_changed(connection: asyncpg.Connection, referral: Referral,
                            change: Change, settings: Settings | None = None) -> None:
    """Sent from a draft: the partner gets it. Changed by the partner or the system: the
    coordinator is told."""
    if settings is None:
        return
    if change.to_status is Status.SENT:
        await send_to_partner(connection, settings, referral, "referral_new",
                              referral.updated_at)
    if change.party is not Party.COORDINATOR and Party.COORDINATOR in change.notifies:
        found = await facts(connection, referral.id)
        await enqueue(settings, "referral_status_changed", [found.coordinator_email], {
            **found.context(referral),
            "by_partner": change.party is Party.PARTNER,
            "from_status": wording.STATUSES[change.from_status],
            "reason": _reason(change), "outcome": _outcome(change),
            "handed_off": change.handoff,
            "url": f"{settings.base_url}/clients/{referral.client_id}",
        }, client_id=referral.client_id, referral_id=referral.id)


async def on_coordinator_handover(connection: asyncpg.Connection, referral: Referral,
                                  previous_coordinator_id: int,
                                  settings: Settings | None = None) -> None:
    """Ownership moved from `previous_coordinator_id` to `referral.coordinator_id`: both
    coordinators are told."""
    if settings is None:
        return
    found = await facts(connection, referral.id)
    previous = await connection.fetchrow(
        "SELECT display_name, email FROM app_user WHERE id = $1", previous_coordinator_id)
    await enqueue(settings, "referral_coordinator_changed",
                  sorted({found.coordinator_email, previous["email"]}), {
                      **found.context(referral),
                      "previous_name": previous["display_name"],
                      "url": f"{settings.base_url}/clients/{referral.client_id}",
                  }, client_id=referral.client_id, referral_id=referral.id)


async def send_to_partner(connection: asyncpg.Connection, settings: Settings,
                          referral: Referral, template: str, now: datetime,
                          dedupe_key: str | None = None) -> int | None:
    """Queue `template` to the partner's referral addresses on file, with a fresh link."""
    found = await facts(connection, referral.id)
    if not found.partner_emails:
        log.warning("partner has no referral address: no email",
                    extra={"referral_id": referral.id, "partner_id": referral.partner_id})
        return None
    link = await issue_sealed_link(connection, settings.secret_key, referral.id,
                                   referral.partner_id, now,
                                   timedelta(days=settings.partner_link_days))
    return await enqueue(settings, template, found.partner_emails, {
        **found.context(referral), "url": link.placeholder,
        "expires": wording.day(link.expires_at),
    }, dedupe_key=dedupe_key, client_id=referral.client_id, referral_id=referral.id)


async def message_to_coordinator(connection: asyncpg.Connection, settings: Settings,
                                 referral: Referral, text: str) -> int | None:
    """A partner wrote to the coordinator from its link page."""
    found = await facts(connection, referral.id)
    return await enqueue(settings, "partner_message", [found.coordinator_email], {
        **found.context(referral), "message": text,
        "url": f"{settings.base_url}/clients/{referral.client_id}",
    }, client_id=referral.client_id, referral_id=referral.id)


def _reason(change: Change) -> str | None:
    parts = [wording.DECLINE_REASONS[change.reason_code] if change.reason_code else None,
             change.reason_text]
    return ": ".join(p for p in parts if p) or None


def _outcome(change: Change) -> str | None:
    return wording.OUTCOMES[change.outcome] if change.outcome else None
