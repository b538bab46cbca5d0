"""Accounts, the data side: users, API tokens and the setup token as
stored, and the reads and writes the actions (network.accounts.actions) are made of.

Refusals are domain errors with catalogue codes (network.words.refusals.accounts): a malformed
value is `Malformed` (400, as the accounts API has always answered), a clash `Conflict` (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from piccolo.columns.combination import WhereRaw
from piccolo.query import OrderByRaw

from network.accounts import sessions
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.accounts.passwords import password_refusal
from network.accounts.tables import ApiToken, AppUser, SetupToken
from network.accounts.tokens import digest
from network.errors import Conflict, Malformed, NotFound

USER_COLUMNS = (AppUser.id, AppUser.email, AppUser.display_name, AppUser.role,
                AppUser.legal_circle, AppUser.active, AppUser.created_at)


def invalid(field: str, code: str, **params: Any) -> Malformed:
    return Malformed(field, code, **params)


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle
    password: str


def check_new_user(new: NewUser) -> None:
    email = new.email.strip()
    if not (3 <= len(email) <= 254) or email.count("@") != 1 or email.startswith("@") \
            or email.endswith("@") or any(c.isspace() for c in email):
        raise invalid("email", "not_an_email")
    if not new.display_name.strip() or len(new.display_name.strip()) > 200:
        raise invalid("display_name", "length_between", min=1, max=200)
    refuse_password(new.password, email, "password")


def refuse_password(password: str, email: str, field: str) -> None:
    problem = password_refusal(password, email)
    if problem:
        raise invalid(field, problem[0], **problem[1])


async def count_users() -> int:
    return await AppUser.count()


async def insert_user(new: NewUser, password_hash: str, now: datetime) -> CurrentUser:
    """Within the caller's transaction: the new active user; 409 when the email is taken."""
    try:
        rows = await AppUser.insert(AppUser(
            email=new.email.strip(), display_name=new.display_name.strip(),
            role=Role(new.role).value, legal_circle=LegalCircle(new.legal_circle).value,
            active=True, password_hash=password_hash, password_changed_at=now, created_at=now,
            updated_at=now,
        )).returning(AppUser.id, AppUser.email, AppUser.display_name, AppUser.role,
                     AppUser.legal_circle)
    except asyncpg.UniqueViolationError:
        raise Conflict("email", "email_taken") from None
    return sessions.user_from_row(rows[0])


async def list_users(limit: int, offset: int) -> tuple[list[dict], int]:
    rows = await AppUser.select(*USER_COLUMNS).order_by(
        OrderByRaw("lower(email)")).limit(limit).offset(offset)
    return rows, await AppUser.count()


async def get_user(user_id: int) -> dict:
    row = await AppUser.select(*USER_COLUMNS).where(AppUser.id == user_id).first()
    if row is None:
        raise NotFound("user", user_id, f"There is no user {user_id}.")
    return row


async def lock_active_admins() -> list[dict]:
    """Lock the active administrators: two admins demoting each other at once wait in line."""
    return await AppUser.select(AppUser.id).where(
        (AppUser.role == Role.ADMIN.value) & (AppUser.active == True)  # noqa: E712
    ).lock_rows()


async def write_user(user_id: int, values: dict[str, Any], now: datetime) -> None:
    await AppUser.update({AppUser.role: values["role"], AppUser.active: values["active"],
                          AppUser.display_name: values["display_name"],
                          AppUser.legal_circle: values["legal_circle"],
                          AppUser.updated_at: now}).where(AppUser.id == user_id)


async def write_password(user_id: int, password_hash: str, now: datetime) -> None:
    await AppUser.update({AppUser.password_hash: password_hash,
                          AppUser.password_changed_at: now, AppUser.updated_at: now}).where(
        AppUser.id == user_id)


async def find_user_by_email(email: str) -> dict | None:
    return await AppUser.select(*USER_COLUMNS, AppUser.password_hash).where(
        WhereRaw("lower(email) = lower({})", email.strip())).first()


# --- API tokens -----------------------------------------------------------------------------

TOKEN_COLUMNS = (ApiToken.id, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at,
                 ApiToken.revoked_at)


async def get_api_token(user: CurrentUser, token_id: int) -> dict:
    row = await ApiToken.select(*TOKEN_COLUMNS).where(
        (ApiToken.id == token_id) & (ApiToken.user_id == user.id)).first()
    if row is None:
        raise NotFound("api_token", token_id, f"You have no API token {token_id}.")
    return row


async def list_api_tokens(user: CurrentUser, limit: int, offset: int) -> tuple[list[dict], int]:
    rows = await ApiToken.select(*TOKEN_COLUMNS).where(ApiToken.user_id == user.id).order_by(
        ApiToken.created_at, ApiToken.id, ascending=False).limit(limit).offset(offset)
    return rows, await ApiToken.count().where(ApiToken.user_id == user.id)


# --- the first administrator ----------------------------------------------------------------

async def setup_token_usable(raw: str) -> bool:
    return await SetupToken.exists().where(
        (SetupToken.token_hash == digest(raw)) & SetupToken.used_at.is_null()
        & WhereRaw("NOT EXISTS (SELECT 1 FROM app_user)"))
