"""Issuing and looking up partner action links.

A link carries 256 random bits; only their SHA-256 is stored, bound to one referral and the
partner it was sent to, with an expiry. Every email to a partner issues a fresh link valid for
PARTNER_LINK_DAYS (default 60), well past the next reminder, so the partner can accept today
and report the outcome weeks later from the latest email.

An email waits in the outbox (a table) before it is sent, so its link must not be written
there either: `issue_sealed_link` (or a statement that writes `seal`'s link with other rows,
`INSERT_LINKS_OF`) puts a placeholder holding a random seed into the email, and the dispatcher
fills in the token at sending time as HMAC(SECRET_KEY, seed) (`fill_links`).
The database holds the seed and the token's hash, never the token; the token cannot be
computed without SECRET_KEY. (Rotating SECRET_KEY breaks the links of emails not yet sent.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from network.accounts.tokens import digest, keyed_digest, new_secret
from network.links.tables import PartnerLink
from network.transactions import fetch

LINK_PATH = "/p/"
SEAL_PURPOSE = "partner-link"
PLACEHOLDER = re.compile(r"\[\[partner-link:([A-Za-z0-9_-]{43})\]\]")


# Written out, not built: every email to a partner issues a link and every partner's action
# marks one used, and the query builder spent ~0.1-0.2 ms of CPU building each of these
# statements, twice the statement itself (issue 18). (Here rather than in `queries`, which
# reads the link with its referral's email facts and so imports `referrals.emails`, which
# issues links.)
LINK_COLUMNS = "referral_id, partner_id, token_hash, created_at, expires_at"
# A sealed link for each row of a source with `referral_id` and `partner_id` (a CTE of a
# statement that reads what the email says: `network.referrals.emails`); `seal` gives the
# three values. All with `{}` placeholders, for `transactions.fetch`.
INSERT_LINKS_OF = (f"INSERT INTO partner_links ({LINK_COLUMNS})"
                   " SELECT referral_id, partner_id, {}, {}, {} FROM ")
INSERT_LINK = f"INSERT INTO partner_links ({LINK_COLUMNS}) VALUES ({{}}, {{}}, {{}}, {{}}, {{}})"
MARK_USED = "UPDATE partner_links SET last_used_at = {} WHERE id = {}"


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class FoundLink:
    state: LinkState
    link_id: int | None = None
    referral_id: int | None = None
    partner_id: int | None = None
    expires_at: datetime | None = None


def link_url(base_url: str, token: str) -> str:
    return f"{base_url}{LINK_PATH}{token}"


@dataclass(frozen=True)
class SealedLink:
    placeholder: str  # goes into the queued email; the dispatcher turns it into the URL
    expires_at: datetime


def sealed_token(secret_key: str, seed: str) -> str:
    return keyed_digest(secret_key, SEAL_PURPOSE, seed)


async def issue_sealed_link(secret_key: str, referral_id: int, partner_id: int, now: datetime,
                            valid_for: timedelta) -> SealedLink:
    """A new link for an email that waits in the outbox, in the caller's transaction. This is
    the only way a link is issued (or `seal` with `INSERT_LINKS_OF`): the token itself exists
    only in the sent email."""
    link, stored = seal(secret_key, now, valid_for)
    await fetch(INSERT_LINK, referral_id, partner_id, *stored)
    return link


def seal(secret_key: str, now: datetime, valid_for: timedelta
         ) -> tuple[SealedLink, tuple[str, datetime, datetime]]:
    """A new sealed link, not stored yet, and what its row stores after its referral and
    partner (`LINK_COLUMNS`: the token's hash, created, expires)."""
    seed = new_secret()
    expires_at = now + valid_for
    return (SealedLink(f"[[partner-link:{seed}]]", expires_at),
            (digest(sealed_token(secret_key, seed)), now, expires_at))


def fill_links(text: str, base_url: str, secret_key: str) -> str:
    """The email as sent: each placeholder replaced by the link's URL."""
    return PLACEHOLDER.sub(
        lambda found: link_url(base_url, sealed_token(secret_key, found.group(1))), text)


async def find_link(token: str, now: datetime) -> FoundLink:
    """What a presented token opens. An unknown token and an expired one are told apart
    only so the page can offer a fresh link for the latter; neither shows any data."""
    hashed = token_hash(token)
    if hashed is None:
        return FoundLink(LinkState.UNKNOWN)
    row = await PartnerLink.select(
        PartnerLink.id, PartnerLink.referral_id, PartnerLink.partner_id, PartnerLink.expires_at,
    ).where(PartnerLink.token_hash == hashed).first()
    return found_link(row, now)


def token_hash(token: str) -> str | None:
    """What a presented token is looked up by (None: it cannot be a token)."""
    if not token or len(token) > 200:
        return None
    return digest(token)


def found_link(row: dict | None, now: datetime) -> FoundLink:
    """The link of a stored row (`id`, `referral_id`, `partner_id`, `expires_at`) at `now`."""
    if row is None:
        return FoundLink(LinkState.UNKNOWN)
    state = LinkState.VALID if row["expires_at"] > now else LinkState.EXPIRED
    return FoundLink(state, row["id"], row["referral_id"], row["partner_id"], row["expires_at"])


async def mark_used(link_id: int, now: datetime) -> None:
    await fetch(MARK_USED, now, link_id)
