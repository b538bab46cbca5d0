"""Issuing and looking up partner action links.

A link carries 256 random bits; only their SHA-256 is stored, bound to one referral and the
partner it was sent to, with an expiry. Every email to a partner issues a fresh link valid for
PARTNER_LINK_DAYS (default 60), well past the next reminder, so the partner can accept today
and report the outcome weeks later from the latest email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import asyncpg

from network.accounts.tokens import digest, new_secret

LINK_PATH = "/p/"


@dataclass(frozen=True)
class IssuedLink:
    token: str  # the raw secret: goes into the email only, never stored or logged
    url: str
    expires_at: datetime


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


async def issue_link(connection: asyncpg.Connection, base_url: str, referral_id: int,
                     partner_id: int, now: datetime, valid_for: timedelta) -> IssuedLink:
    """A new link for the referral's partner, in the caller's transaction (the one that
    queues the email carrying it)."""
    token = new_secret()
    expires_at = now + valid_for
    await connection.execute(
        "INSERT INTO partner_links (referral_id, partner_id, token_hash, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        referral_id, partner_id, digest(token), now, expires_at,
    )
    return IssuedLink(token, link_url(base_url, token), expires_at)


async def find_link(connection: asyncpg.Connection, token: str, now: datetime) -> FoundLink:
    """What a presented token opens. An unknown token and an expired one are told apart
    only so the page can offer a fresh link for the latter; neither shows any data."""
    if not token or len(token) > 200:
        return FoundLink(LinkState.UNKNOWN)
    row = await connection.fetchrow(
        "SELECT id, referral_id, partner_id, expires_at FROM partner_links WHERE token_hash = $1",
        digest(token),
    )
    if row is None:
        return FoundLink(LinkState.UNKNOWN)
    state = LinkState.VALID if row["expires_at"] > now else LinkState.EXPIRED
    return FoundLink(state, row["id"], row["referral_id"], row["partner_id"], row["expires_at"])


async def mark_used(connection: asyncpg.Connection, link_id: int, now: datetime) -> None:
    await connection.execute(
        "UPDATE partner_links SET last_used_at = $2 WHERE id = $1", link_id, now)
