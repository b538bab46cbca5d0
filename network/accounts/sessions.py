"""The credentials a request can carry: a browser session (cookie) or a personal API token
(`Authorization: Bearer`). Both live in PostgreSQL as hashes, so they survive restarts, work
on every instance, and end on the server the moment a row goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from network.accounts import queries
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.accounts.tables import ApiToken, UserSession
from network.accounts.tokens import digest, keyed_digest, new_api_token, new_secret
from network.settings import AccountPolicy

SESSION_COOKIE = "network_session"
TOUCH_EVERY = timedelta(minutes=1)  # write last_seen/last_used at most this often


@dataclass(frozen=True)
class Authenticated:
    """What the authentication middleware puts in scope["auth"] next to scope["user"]."""

    kind: Literal["session", "token"]
    credential_id: int  # user_session.id or api_token.id
    csrf_token: str | None = None  # sessions only: unsafe requests must echo it


def user_from_row(row: dict[str, Any]) -> CurrentUser:
    return CurrentUser(id=row["id"], email=row["email"], display_name=row["display_name"],
                       role=Role(row["role"]), legal_circle=LegalCircle(row["legal_circle"]))


def csrf_token_for(secret_key: str, session_secret: str) -> str:
    """The session's CSRF token: derived from its secret, so nothing more is stored, and
    useless without the cookie it belongs to."""
    return keyed_digest(secret_key, "csrf", session_secret)


async def start_session(user_id: int, policy: AccountPolicy, now: datetime) -> str:
    """A new session for the user; returns the secret for the cookie (never stored)."""
    secret = new_secret()
    await UserSession.insert(UserSession(
        user_id=user_id, id_hash=digest(secret), created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=policy.session_max_hours)))
    return secret


async def session_user(secret: str, policy: AccountPolicy,
                       now: datetime) -> tuple[CurrentUser, int] | None:
    """The active user of a live session and the session's id, or None when the session is
    unknown, ended, idle too long or past its absolute lifetime."""
    row = await queries.live_session(
        digest(secret), now, now - timedelta(minutes=policy.session_idle_minutes),
        now - TOUCH_EVERY)
    if row is None:
        return None
    return user_from_row(row), row["session_id"]


async def end_session(secret: str) -> int | None:
    """End one session (logout); returns its user's id when it existed."""
    rows = await UserSession.delete().where(UserSession.id_hash == digest(secret)).returning(
        UserSession.user_id)
    return rows[0]["user_id"] if rows else None


async def end_user_sessions(user_id: int, keep_session_id: int | None = None) -> int:
    """End every session of a user (but the one to keep); returns how many ended."""
    query = UserSession.delete().where(UserSession.user_id == user_id)
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    rows = await query.returning(UserSession.id)
    return len(rows)


async def drop_expired_sessions(policy: AccountPolicy, now: datetime) -> None:
    await UserSession.delete().where(
        (UserSession.expires_at <= now)
        | (UserSession.last_seen_at <= now - timedelta(minutes=policy.session_idle_minutes)))


async def create_api_token(user_id: int, name: str, now: datetime) -> tuple[int, str]:
    """A new personal API token; returns its id and the raw token, shown to the user once."""
    raw = new_api_token()
    rows = await ApiToken.insert(ApiToken(
        user_id=user_id, name=name.strip(), token_hash=digest(raw), created_at=now,
    )).returning(ApiToken.id)
    return rows[0]["id"], raw


async def token_user(raw: str, now: datetime) -> tuple[CurrentUser, int] | None:
    """The active owner of an unrevoked API token and the token's id, or None (the token's
    last use noted in the same statement)."""
    row = await queries.live_token(digest(raw), now, now - TOUCH_EVERY)
    if row is None:
        return None
    return user_from_row(row), row["token_id"]


async def revoke_api_tokens(user_id: int, now: datetime) -> int:
    """Revoke every live API token of the user; how many there were."""
    rows = await ApiToken.update({ApiToken.revoked_at: now}).where(
        (ApiToken.user_id == user_id) & ApiToken.revoked_at.is_null()).returning(ApiToken.id)
    return len(rows)


async def revoke_api_token(user_id: int, token_id: int, now: datetime) -> bool:
    """Revoke one of the user's own tokens; False when the user has no such live token."""
    rows = await ApiToken.update({ApiToken.revoked_at: now}).where(
        (ApiToken.id == token_id) & (ApiToken.user_id == user_id)
        & ApiToken.revoked_at.is_null()).returning(ApiToken.id)
    return bool(rows)
