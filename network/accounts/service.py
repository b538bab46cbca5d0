"""Accounts: creating and changing users, logging in and out, changing passwords, the first
administrator. Each write is one transaction and leaves an audit entry in it.

Errors are Litestar exceptions naming the field, so the API renders them as problem
details and the CLI prints their message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)

from network.accounts import audit, sessions
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.accounts.passwords import (
    HASHER,
    hash_password_async,
    password_problem,
    verify_password_async,
)
from network.accounts.tables import ApiToken, AppUser, LoginFailure, SetupToken
from network.accounts.throttle import ThrottlePolicy, memory, wait_seconds
from network.accounts.tokens import digest, keyed_digest, new_secret
from network.database import ENGINE
from network.settings import Settings

log = logging.getLogger(__name__)

USER_FIELDS = "id, email, display_name, role, legal_circle, active, created_at"


def invalid(field: str, message: str) -> ValidationException:
    return ValidationException(f"{field}: {message}", extra=[{"key": field, "message": message}])


class Conflict(ClientException):
    status_code = 409


class LoginThrottled(HTTPException):
    status_code = 429

    def __init__(self, retry_after: int):
        minutes = -(-retry_after // 60)
        wait = f"{retry_after} seconds" if retry_after < 120 else f"{minutes} minutes"
        super().__init__(
            detail=f"Too many failed sign-ins. Please wait {wait} before trying again.",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    role: Role
    legal_circle: LegalCircle
    password: str


def _check_new_user(new: NewUser) -> None:
    email = new.email.strip()
    if not (3 <= len(email) <= 254) or email.count("@") != 1 or email.startswith("@") \
            or email.endswith("@") or any(c.isspace() for c in email):
        raise invalid("email", "is not an email address")
    if not new.display_name.strip() or len(new.display_name.strip()) > 200:
        raise invalid("display_name", "must be 1 to 200 characters")
    problem = password_problem(new.password, email)
    if problem:
        raise invalid("password", problem)


async def count_users() -> int:
    return await AppUser.count()


async def create_user(actor: CurrentUser | None, new: NewUser) -> CurrentUser:
    """Create an active user; 409 when the email (in any case) is taken."""
    _check_new_user(new)
    password_hash = await hash_password_async(new.password)
    async with ENGINE.transaction():
        user = await _insert_user(new, password_hash)
        await audit.record(actor, "user.created", "user", user.id,
                           {"role": user.role.value, "legal_circle": user.legal_circle.value,
                            "by": "administrator" if actor else "command line"})
    log.info("user created", extra={"user_id": user.id, "role": user.role.value})
    return user


async def _insert_user(new: NewUser, password_hash: str) -> CurrentUser:
    try:
        rows = await AppUser.raw(
            "INSERT INTO app_user (email, display_name, role, legal_circle, password_hash)"
            " VALUES ({}, {}, {}, {}, {}) RETURNING id, email, display_name, role, legal_circle",
            new.email.strip(), new.display_name.strip(), Role(new.role).value,
            LegalCircle(new.legal_circle).value, password_hash,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict("email: a user with this email address already exists") from None
    return sessions.user_from_row(rows[0])


async def list_users(limit: int, offset: int) -> tuple[list[dict], int]:
    rows = await AppUser.raw(
        f"SELECT {USER_FIELDS} FROM app_user ORDER BY lower(email) LIMIT {{}} OFFSET {{}}",
        limit, offset)
    return rows, await AppUser.count()


async def get_user(user_id: int) -> dict:
    rows = await AppUser.raw(f"SELECT {USER_FIELDS} FROM app_user WHERE id = {{}}", user_id)
    if not rows:
        raise NotFoundException(f"There is no user {user_id}.")
    return rows[0]


async def change_user(actor: CurrentUser, user_id: int, *, role: Role | None = None,
                      active: bool | None = None, display_name: str | None = None,
                      legal_circle: LegalCircle | None = None) -> dict:
    """Change a user's role, active flag, name or legal circle. The last active administrator
    can be neither demoted nor deactivated; a deactivated user's sessions end."""
    if display_name is not None and not 1 <= len(display_name.strip()) <= 200:
        raise invalid("display_name", "must be 1 to 200 characters")
    async with ENGINE.transaction():
        # Lock the administrators first: two admins demoting each other at once wait in line.
        admins = await AppUser.raw(
            "SELECT id FROM app_user WHERE role = 'admin' AND active FOR UPDATE")
        before = await get_user(user_id)
        after = {
            "role": Role(role).value if role is not None else before["role"],
            "active": active if active is not None else before["active"],
            "display_name": display_name.strip() if display_name is not None
            else before["display_name"],
            "legal_circle": LegalCircle(legal_circle).value if legal_circle is not None
            else before["legal_circle"],
        }
        still_admin = after["role"] == Role.ADMIN and after["active"]
        if before["role"] == Role.ADMIN and before["active"] and not still_admin \
                and len(admins) <= 1:
            raise Conflict("role: the last active administrator cannot be demoted or deactivated")
        changes = {key: [before[key], value] for key, value in after.items()
                   if before[key] != value and key != "display_name"}
        if display_name is not None and before["display_name"] != after["display_name"]:
            changes["display_name"] = "changed"  # names are personal data: not in the log
        if not changes:
            return before
        await AppUser.raw(
            "UPDATE app_user SET role = {}, active = {}, display_name = {}, legal_circle = {},"
            " updated_at = now() WHERE id = {}",
            after["role"], after["active"], after["display_name"], after["legal_circle"], user_id)
        if not after["active"]:
            await sessions.end_user_sessions(user_id)
        await audit.record(actor, "user.changed", "user", user_id, {"changes": changes})
    return await get_user(user_id)


async def find_user_by_email(email: str) -> dict | None:
    rows = await AppUser.raw(
        "SELECT id, email, display_name, role, legal_circle, active, password_hash"
        " FROM app_user WHERE lower(email) = lower({})", email.strip())
    return rows[0] if rows else None


# --- signing in -----------------------------------------------------------------------------

def _subjects(settings: Settings, email: str, address: str | None) -> dict[str, ThrottlePolicy]:
    """The throttle keys of a login attempt (keyed hashes: what people type into the email
    field is sometimes their password) with the policy for each."""
    policy = settings.accounts
    subjects = {keyed_digest(settings.secret_key, "login-account", email.strip().casefold()):
                ThrottlePolicy.for_account(policy)}
    if address:
        subjects[keyed_digest(settings.secret_key, "login-address", address)] = (
            ThrottlePolicy.for_address(policy))
    return subjects


async def _throttle_wait(subjects: dict[str, ThrottlePolicy], now: datetime) -> int:
    since = now - max(memory(policy) for policy in subjects.values())
    rows = await LoginFailure.raw(
        "SELECT subject, array_agg(failed_at) AS failures FROM login_failure"
        " WHERE subject = ANY({}) AND failed_at > {} AND failed_at <= {} GROUP BY subject",
        list(subjects), since, now)
    return max([wait_seconds(row["failures"], now, subjects[row["subject"]]) for row in rows],
               default=0)


async def _note_failure(subjects: dict[str, ThrottlePolicy], now: datetime) -> None:
    forget_before = now - max(memory(policy) for policy in subjects.values())
    await LoginFailure.raw("DELETE FROM login_failure WHERE failed_at <= {}", forget_before)
    for subject in subjects:
        await LoginFailure.raw(
            "INSERT INTO login_failure (subject, failed_at) VALUES ({}, {})", subject, now)


async def check_password(settings: Settings, email: str, password: str, address: str | None,
                         now: datetime) -> CurrentUser:
    """The active user with this email and password, throttled: raises LoginThrottled while
    this account or address must wait, NotAuthorizedException (and counts a failure) when
    the email or password is wrong."""
    subjects = _subjects(settings, email, address)
    wait = await _throttle_wait(subjects, now)
    if wait:
        log.warning("login throttled", extra={"retry_after": wait})
        raise LoginThrottled(wait)
    row = await find_user_by_email(email)
    known = row is not None and row["active"]
    if not await verify_password_async(row["password_hash"] if known else None, password):
        async with ENGINE.transaction():
            await _note_failure(subjects, now)
            await audit.record(None, "login.failed", "user", row["id"] if row else None)
        log.info("login failed", extra={"user_id": row["id"] if row else None})
        raise NotAuthorizedException("The email address or the password is wrong.")
    await LoginFailure.raw("DELETE FROM login_failure WHERE subject = {}", next(iter(subjects)))
    if HASHER.check_needs_rehash(row["password_hash"]):
        new_hash = await hash_password_async(password)
        await AppUser.raw("UPDATE app_user SET password_hash = {} WHERE id = {}",
                          new_hash, row["id"])
    return sessions.user_from_row(row)


async def login(settings: Settings, email: str, password: str, address: str | None,
                now: datetime | None = None,
                replacing: str | None = None) -> tuple[CurrentUser, str]:
    """Sign in with a password: a new session (its id is always fresh, so a session id planted
    before login is useless; the browser's previous session, `replacing`, ends). Returns the
    user and the session secret for the cookie."""
    now = now or sessions.utcnow()
    user = await check_password(settings, email, password, address, now)
    async with ENGINE.transaction():
        if replacing:
            await sessions.end_session(replacing)
        secret = await sessions.start_session(user.id, settings.accounts, now)
        await audit.record(user, "login", "user", user.id, {"method": "password"})
    await sessions.drop_expired_sessions(settings.accounts, now)
    log.info("login", extra={"user_id": user.id})
    return user, secret


async def start_session_without_password(settings: Settings, user: CurrentUser,
                                         method: str) -> str:
    """A session for a user who has just proven themselves otherwise (the setup link)."""
    async with ENGINE.transaction():
        secret = await sessions.start_session(user.id, settings.accounts)
        await audit.record(user, "login", "user", user.id, {"method": method})
    return secret


async def logout(user: CurrentUser, session_secret: str) -> None:
    async with ENGINE.transaction():
        await sessions.end_session(session_secret)
        await audit.record(user, "logout", "user", user.id)


async def change_password(settings: Settings, user: CurrentUser, current: str, new: str,
                          keep_session_id: int | None, address: str | None) -> int:
    """Change one's own password (the current one is checked and throttled like a login);
    every other session of the user ends. Returns how many sessions ended."""
    try:
        await check_password(settings, user.email, current, address, sessions.utcnow())
    except NotAuthorizedException:
        raise invalid("current_password", "is wrong") from None
    return await _store_password(user.id, user.email, new, keep_session_id, actor=user,
                                 field="new_password")


async def set_password(email: str, new: str) -> CurrentUser:
    """Set a user's password from the command line (a reset): all their sessions end."""
    row = await find_user_by_email(email)
    if row is None:
        raise NotFoundException(f"There is no user with the email address {email.strip()}.")
    await _store_password(row["id"], row["email"], new, None, actor=None, field="password")
    return sessions.user_from_row(row)


async def _store_password(user_id: int, email: str, new: str, keep_session_id: int | None,
                          actor: CurrentUser | None, field: str) -> int:
    problem = password_problem(new, email)
    if problem:
        raise invalid(field, problem)
    password_hash = await hash_password_async(new)
    async with ENGINE.transaction():
        await AppUser.raw(
            "UPDATE app_user SET password_hash = {}, password_changed_at = now(),"
            " updated_at = now() WHERE id = {}", password_hash, user_id)
        ended = await sessions.end_user_sessions(user_id, keep_session_id)
        await audit.record(actor, "password.changed", "user", user_id,
                           {"sessions_ended": ended, "by": "self" if actor else "command line"})
    log.info("password changed", extra={"user_id": user_id, "sessions_ended": ended})
    return ended


# --- API tokens -----------------------------------------------------------------------------

async def create_api_token(user: CurrentUser, name: str) -> tuple[dict, str]:
    if not 1 <= len(name.strip()) <= 100:
        raise invalid("name", "must be 1 to 100 characters")
    async with ENGINE.transaction():
        token_id, raw = await sessions.create_api_token(user.id, name)
        await audit.record(user, "api_token.created", "api_token", token_id)
    return await get_api_token(user, token_id), raw


async def get_api_token(user: CurrentUser, token_id: int) -> dict:
    rows = await ApiToken.raw(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_token"
        " WHERE id = {} AND user_id = {}", token_id, user.id)
    if not rows:
        raise NotFoundException(f"You have no API token {token_id}.")
    return rows[0]


async def list_api_tokens(user: CurrentUser, limit: int, offset: int) -> tuple[list[dict], int]:
    rows = await ApiToken.raw(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_token"
        " WHERE user_id = {} ORDER BY created_at DESC, id DESC LIMIT {} OFFSET {}",
        user.id, limit, offset)
    return rows, await ApiToken.count().where(ApiToken.user_id == user.id)


async def revoke_api_token(user: CurrentUser, token_id: int) -> dict:
    async with ENGINE.transaction():
        if await sessions.revoke_api_token(user.id, token_id):
            await audit.record(user, "api_token.revoked", "api_token", token_id)
    return await get_api_token(user, token_id)


# --- the first administrator ----------------------------------------------------------------

async def issue_setup_token() -> str | None:
    """On start: when nobody has an account yet, a fresh one-time token for the page that
    creates the first administrator (older tokens stop working). None once users exist."""
    async with ENGINE.transaction():
        await SetupToken.raw("DELETE FROM setup_token")
        if await count_users():
            return None
        raw = new_secret()
        await SetupToken.raw("INSERT INTO setup_token (token_hash) VALUES ({})", digest(raw))
    return raw


async def setup_token_usable(raw: str) -> bool:
    rows = await SetupToken.raw(
        "SELECT id FROM setup_token WHERE token_hash = {} AND used_at IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM app_user)", digest(raw))
    return bool(rows)


async def create_first_admin(raw_token: str, new: NewUser) -> CurrentUser:
    """Use the setup token (once) to create the first administrator."""
    new = NewUser(new.email, new.display_name, Role.ADMIN, new.legal_circle, new.password)
    _check_new_user(new)
    password_hash = await hash_password_async(new.password)
    async with ENGINE.transaction():
        await AppUser.raw("LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE")
        used = await SetupToken.raw(
            "UPDATE setup_token SET used_at = now() WHERE token_hash = {} AND used_at IS NULL"
            " RETURNING id", digest(raw_token))
        if not used or await count_users():
            raise PermissionDeniedException("This setup link is no longer valid.")
        user = await _insert_user(new, password_hash)
        await audit.record(user, "user.created", "user", user.id,
                           {"role": user.role.value, "legal_circle": user.legal_circle.value,
                            "by": "first-run setup"})
    log.info("first administrator created", extra={"user_id": user.id})
    return user

