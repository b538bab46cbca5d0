"""The accounts' hand-written SQL: what the query builder cannot say. The tables' user_id
columns are plain BigInts (no ForeignKey in the table classes), so the builder has no join to
app_user; the sign-in throttle locks its counters (creating missing ones) and writes them
back in one statement; the first-run setup locks a table.
Each is one round trip where the builder would need two or more."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from network.accounts.tables import ApiToken, AppUser, LoginThrottle, UserSession

USER_COLUMNS = "u.id, u.email, u.display_name, u.role, u.legal_circle"


async def live_session(id_hash: str, now: datetime, idle_since: datetime,
                       touch_before: datetime) -> dict[str, Any] | None:
    """The session with this hash and its active user, unless expired or idle too long; in
    the same statement its `last_seen_at` set to `now` when it is older than `touch_before`
    (the row returned still shows the old value)."""
    rows = await UserSession.raw(
        f"""
        WITH s AS (SELECT s.id AS session_id, s.last_seen_at, {USER_COLUMNS}
                   FROM user_session s JOIN app_user u ON u.id = s.user_id
                   WHERE s.id_hash = {{}} AND u.active AND s.expires_at > {{}}
                   AND s.last_seen_at > {{}}),
             touched AS (UPDATE user_session SET last_seen_at = {{}} FROM s
                         WHERE user_session.id = s.session_id AND s.last_seen_at <= {{}})
        SELECT * FROM s
        """, id_hash, now, idle_since, now, touch_before)
    return rows[0] if rows else None


async def live_token(token_hash: str, now: datetime, touch_before: datetime
                     ) -> dict[str, Any] | None:
    """The unrevoked API token with this hash and its active owner; in the same statement its
    `last_used_at` set to `now` when it was never used or before `touch_before` (the row
    returned still shows the old value). One round trip and one pooled connection per API
    request instead of two of each."""
    rows = await ApiToken.raw(
        f"""
        WITH t AS (SELECT t.id AS token_id, t.last_used_at, {USER_COLUMNS}
                   FROM api_token t JOIN app_user u ON u.id = t.user_id
                   WHERE t.token_hash = {{}} AND t.revoked_at IS NULL AND u.active),
             touched AS (UPDATE api_token SET last_used_at = {{}} FROM t
                         WHERE api_token.id = t.token_id
                         AND (t.last_used_at IS NULL OR t.last_used_at <= {{}}))
        SELECT * FROM t
        """, token_hash, now, touch_before)
    return rows[0] if rows else None


async def lock_throttle_counters(subjects: list[str], now: datetime) -> list[dict[str, Any]]:
    """Within the caller's transaction: the sign-in counters of these subjects, each created
    (empty) if missing and locked, in subject order (so two attempts never deadlock)."""
    await LoginThrottle.raw(
        "INSERT INTO login_throttle (subject, attempts, window_start)"
        " SELECT subject, 0, {} FROM unnest({}::text[]) AS s (subject) ORDER BY subject"
        " ON CONFLICT (subject) DO NOTHING", now, subjects)
    return await LoginThrottle.raw(
        "SELECT subject, attempts, window_start, not_before FROM login_throttle"
        " WHERE subject = ANY({}) ORDER BY subject FOR UPDATE", subjects)


async def write_throttle_counters(rows: list[tuple[str, int, datetime, datetime | None]]
                                  ) -> None:
    """Within the caller's transaction: store (subject, attempts, window_start, not_before)."""
    if not rows:
        return
    subjects, attempts, starts, not_before = (list(column) for column in zip(*rows, strict=True))
    await LoginThrottle.raw(
        "UPDATE login_throttle AS t SET attempts = v.attempts, window_start = v.window_start,"
        " not_before = v.not_before"
        " FROM unnest({}::text[], {}::integer[], {}::timestamptz[], {}::timestamptz[])"
        " AS v (subject, attempts, window_start, not_before) WHERE t.subject = v.subject",
        subjects, attempts, starts, not_before)


async def drop_old_throttle_counters(started_before: datetime) -> None:
    """Delete sign-in counters whose window began before then, skipping any an attempt holds
    locked right now (never waits for one, so never deadlocks with one)."""
    await LoginThrottle.raw(
        "DELETE FROM login_throttle WHERE subject IN (SELECT subject FROM login_throttle"
        " WHERE window_start < {} FOR UPDATE SKIP LOCKED)", started_before)


async def lock_users_table() -> None:
    """Within the caller's transaction: no account is created alongside the first one."""
    await AppUser.raw("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE")
