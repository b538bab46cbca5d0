"""The accounts' hand-written SQL: what the query builder cannot say. The tables' user_id
columns are plain BigInts (no ForeignKey in the table classes), so the builder has no join to
app_user; the throttle groups failures with array_agg; the first-run setup locks a table.
Each is one round trip where the builder would need two or more."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from network.accounts.tables import ApiToken, AppUser, LoginFailure, UserSession

USER_COLUMNS = "u.id, u.email, u.display_name, u.role, u.legal_circle"


async def live_session(id_hash: str, now: datetime, idle_since: datetime) -> dict[str, Any] | None:
    """The session with this hash and its active user, unless expired or idle too long."""
    rows = await UserSession.raw(
        f"SELECT s.id AS session_id, s.last_seen_at, {USER_COLUMNS}"
        " FROM user_session s JOIN app_user u ON u.id = s.user_id"
        " WHERE s.id_hash = {} AND u.active AND s.expires_at > {} AND s.last_seen_at > {}",
        id_hash, now, idle_since)
    return rows[0] if rows else None


async def live_token(token_hash: str) -> dict[str, Any] | None:
    """The unrevoked API token with this hash and its active owner."""
    rows = await ApiToken.raw(
        f"SELECT t.id AS token_id, t.last_used_at, {USER_COLUMNS}"
        " FROM api_token t JOIN app_user u ON u.id = t.user_id"
        " WHERE t.token_hash = {} AND t.revoked_at IS NULL AND u.active", token_hash)
    return rows[0] if rows else None


async def failures_by_subject(subjects: list[str], since: datetime, now: datetime
                              ) -> list[dict[str, Any]]:
    """For each throttle subject, its failed sign-ins in (since, now]."""
    return await LoginFailure.raw(
        "SELECT subject, array_agg(failed_at) AS failures FROM login_failure"
        " WHERE subject = ANY({}) AND failed_at > {} AND failed_at <= {} GROUP BY subject",
        subjects, since, now)


async def lock_users_table() -> None:
    """Within the caller's transaction: no account is created alongside the first one."""
    await AppUser.raw("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE")
