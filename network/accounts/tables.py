"""Piccolo mirrors of the accounts tables (created by migrations/m2026_11_26_0642_accounts.py;
constraints live there, in SQL)."""

from __future__ import annotations

from piccolo.columns import JSONB, BigInt, BigSerial, Boolean, Integer, Text, Timestamptz
from piccolo.table import Table

from network.database import ENGINE


class AppUser(Table, tablename="app_user", db=ENGINE):
    id = BigSerial(primary_key=True)
    email = Text()
    display_name = Text()
    role = Text()
    legal_circle = Text()
    active = Boolean(default=True)
    password_hash = Text(secret=True)
    password_changed_at = Timestamptz()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class UserSession(Table, tablename="user_session", db=ENGINE):
    id = BigSerial(primary_key=True)
    user_id = BigInt()
    id_hash = Text(secret=True)  # sha256 of the cookie value; the value itself is never stored
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    expires_at = Timestamptz()


class ApiToken(Table, tablename="api_token", db=ENGINE):
    id = BigSerial(primary_key=True)
    user_id = BigInt()
    name = Text()
    token_hash = Text(secret=True)
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class SetupToken(Table, tablename="setup_token", db=ENGINE):
    id = BigSerial(primary_key=True)
    token_hash = Text(secret=True)
    created_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class LoginThrottle(Table, tablename="login_throttle", db=ENGINE):
    """Sign-in attempt counters (network.accounts.throttle); created by
    migrations/m2026_11_29_2230_sign_in_throttle.py."""

    subject = Text(primary_key=True)  # "pair:", "account:" or "address:" + a keyed hash
    attempts = Integer()
    window_start = Timestamptz()
    not_before = Timestamptz(null=True, default=None)


class AuditLog(Table, tablename="audit_log", db=ENGINE):
    id = BigSerial(primary_key=True)
    at = Timestamptz()
    actor_id = BigInt(null=True, default=None)
    action = Text()
    entity = Text()
    entity_id = Text(null=True, default=None)
    client_address = Text(null=True, default=None)
    details = JSONB()
    actor_kind = Text(null=True, default=None)  # user, partner, system (NULL: before 2026-11-29)
    partner_id = BigInt(null=True, default=None)
    link_id = BigInt(null=True, default=None)
    job = Text(null=True, default=None)
    partner_session_id = BigInt(null=True, default=None)  # a partner's inbox session


class PasswordResetLink(Table, tablename="password_reset_links", db=ENGINE):
    """A password-reset link an administrator sent (network.accounts.password_reset; created
    by migrations/m2026_11_30_0130_password_reset_links.py): the token's hash only."""

    id = BigSerial(primary_key=True)
    user_id = BigInt()
    token_hash = Text(secret=True)
    created_at = Timestamptz()
    created_by = BigInt(null=True, default=None)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
