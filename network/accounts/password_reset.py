"""Password-reset links: an administrator sends one, the user sets a new password with it.

Sealed like the partners' links (network.links.tokens): the queued email holds a placeholder
with a random seed, the dispatcher turns it into the token HMAC(SECRET_KEY, seed) when it sends
(`fill_reset_links`, wired in network.composition). The database holds the token's SHA-256
only, so neither the outbox nor the table can open the page. A link works once and for
VALID_FOR; sending a new one ends the user's older ones. GET only shows the form (mail
scanners open links); the POST that sets the password uses the link up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from network.accounts.tables import PasswordResetLink
from network.accounts.tokens import digest, keyed_digest, new_secret

RESET_PATH = "/passwort-neu/"
PURPOSE = "password-reset"
PLACEHOLDER = re.compile(r"\[\[password-reset:([A-Za-z0-9_-]{43})\]\]")
VALID_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class SealedReset:
    link_id: int
    placeholder: str  # goes into the queued email; the dispatcher makes it the URL
    expires_at: datetime


async def issue(secret_key: str, user_id: int, by: int | None, now: datetime) -> SealedReset:
    """A new link for the user (the caller's transaction); their older unused links end."""
    await PasswordResetLink.update({PasswordResetLink.used_at: now}).where(
        (PasswordResetLink.user_id == user_id) & PasswordResetLink.used_at.is_null())
    seed = new_secret()
    token = keyed_digest(secret_key, PURPOSE, seed)
    expires_at = now + VALID_FOR
    rows = await PasswordResetLink.insert(PasswordResetLink(
        user_id=user_id, token_hash=digest(token), created_at=now, created_by=by,
        expires_at=expires_at)).returning(PasswordResetLink.id)
    return SealedReset(rows[0]["id"], f"[[password-reset:{seed}]]", expires_at)


def fill_reset_links(text: str, base_url: str, secret_key: str) -> str:
    """The email as sent: each placeholder replaced by its URL."""
    return PLACEHOLDER.sub(
        lambda found: base_url + RESET_PATH + keyed_digest(secret_key, PURPOSE, found.group(1)),
        text)


@dataclass(frozen=True)
class UsableReset:
    id: int
    user_id: int


async def usable(token: str, now: datetime, *, lock: bool = False) -> UsableReset | None:
    """The link a token opens while it is unused and valid; None otherwise (an unknown, used
    and expired link are not told apart)."""
    if not token or len(token) > 200:
        return None
    query = PasswordResetLink.select(PasswordResetLink.id, PasswordResetLink.user_id).where(
        (PasswordResetLink.token_hash == digest(token)) & PasswordResetLink.used_at.is_null()
        & (PasswordResetLink.expires_at > now))
    if lock:
        query = query.lock_rows("NO KEY UPDATE")
    row = await query.first()
    return UsableReset(row["id"], row["user_id"]) if row else None


async def use(link: UsableReset, now: datetime) -> None:
    """Mark the link used (the caller's transaction, which locked it)."""
    await PasswordResetLink.update({PasswordResetLink.used_at: now}).where(
        PasswordResetLink.id == link.id)


async def end_links(user_id: int, now: datetime) -> None:
    """A deactivated user's pending links end with their sessions."""
    await PasswordResetLink.update({PasswordResetLink.used_at: now}).where(
        (PasswordResetLink.user_id == user_id) & PasswordResetLink.used_at.is_null())
