"""Every change to accounts, one function each: `(actor, clock, ...)`, owning its transaction
and its audit entry. Signing in is the exception that proves the rule: before it nobody is
known, so `login` and `create_first_admin` take the clock only and record the user they
found or made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from network import words
from network.accounts import attempts, audit, password_reset, queries, sessions
from network.accounts import service as data
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.accounts.passwords import HASHER, hash_password_async, verify_password_async
from network.accounts.service import NewUser, invalid
from network.accounts.tables import SetupToken
from network.accounts.tokens import digest, new_secret
from network.actors import Actor, ActorKind
from network.clock import Clock
from network.errors import Conflict, LinkUsed, NotFound, Throttled, WrongCredentials
from network.mail.outbox import enqueue
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)


def _by(actor: Actor, person: str) -> str:
    """Who made an account change, for the audit details: a person or the command line."""
    return person if actor.kind is ActorKind.USER else "command line"


async def create_user(actor: Actor, clock: Clock, new: NewUser) -> CurrentUser:
    """Create an active user; 409 when the email (in any case) is taken."""
    data.check_new_user(new)
    password_hash = await hash_password_async(new.password)
    now = clock.now()
    async with transaction():
        user = await data.insert_user(new, password_hash, now)
        await audit.record(actor, "user.created", "user", user.id,
                           {"role": user.role.value, "legal_circle": user.legal_circle.value,
                            "by": _by(actor, "administrator")}, at=now)
    log.info("user created", extra={"user_id": user.id, "role": user.role.value})
    return user


async def change_user(actor: Actor, clock: Clock, user_id: int, *, role: Role | None = None,
                      active: bool | None = None, display_name: str | None = None,
                      legal_circle: LegalCircle | None = None) -> dict:
    """Change a user's role, active flag, name or legal circle. The last active administrator
    can be neither demoted nor deactivated, and nobody deactivates their own account; a
    deactivated user's sessions, API tokens and password-reset links end at once (a token
    would otherwise come back to life with a reactivation)."""
    if display_name is not None and not 1 <= len(display_name.strip()) <= 200:
        raise invalid("display_name", "length_between", min=1, max=200)
    now = clock.now()
    async with transaction():
        admins = await data.lock_active_admins()
        before = await data.get_user(user_id)
        after = {
            "role": Role(role).value if role is not None else before["role"],
            "active": active if active is not None else before["active"],
            "display_name": display_name.strip() if display_name is not None
            else before["display_name"],
            "legal_circle": LegalCircle(legal_circle).value if legal_circle is not None
            else before["legal_circle"],
        }
        if before["active"] and not after["active"] and actor.user_id == user_id:
            raise Conflict("active", "own_account")
        still_admin = after["role"] == Role.ADMIN and after["active"]
        if before["role"] == Role.ADMIN and before["active"] and not still_admin \
                and len(admins) <= 1:
            raise Conflict("role", "last_admin")
        changes = {key: [before[key], value] for key, value in after.items()
                   if before[key] != value and key != "display_name"}
        if display_name is not None and before["display_name"] != after["display_name"]:
            changes["display_name"] = "changed"  # names are personal data: not in the log
        if not changes:
            return before
        await data.write_user(user_id, after, now)
        details: dict = {"changes": changes}
        if not after["active"]:
            details["sessions_ended"] = await sessions.end_user_sessions(user_id)
            # (audit keys may not say "token")
            details["api_credentials_revoked"] = await sessions.revoke_api_tokens(user_id, now)
            await password_reset.end_links(user_id, now)
        await audit.record(actor, "user.changed", "user", user_id, details, at=now)
    return await data.get_user(user_id)


# --- signing in and out ---------------------------------------------------------------------

async def check_password(clock: Clock, settings: Settings, email: str, password: str,
                         address: str | None) -> CurrentUser:
    """The active user with this email and password, throttled (network.accounts.throttle):
    the attempt is counted before its password is checked, and raises Throttled instead
    while this account, address or pair of both must wait; WrongCredentials (audited) when
    the email or password is wrong."""
    now = clock.now()
    try:
        attempt = await attempts.admit_attempt(settings, email, address, now)
    except Throttled as refused:
        log.warning("login throttled", extra={"retry_after": refused.retry_after})
        raise
    row = await data.find_user_by_email(email)
    known = row is not None and row["active"]
    if not await verify_password_async(row["password_hash"] if known else None, password):
        async with transaction():
            await audit.record(None, "login.failed", "user", row["id"] if row else None, at=now)
        log.info("login failed", extra={"user_id": row["id"] if row else None})
        raise WrongCredentials
    await attempts.settle_success(attempt, now)
    if HASHER.check_needs_rehash(row["password_hash"]):
        await data.write_password(row["id"], await hash_password_async(password), now)
    return sessions.user_from_row(row)


async def login(clock: Clock, settings: Settings, email: str, password: str,
                address: str | None, replacing: str | None = None) -> tuple[CurrentUser, str]:
    """Sign in with a password: a new session (its id is always fresh, so a session id planted
    before login is useless; the browser's previous session, `replacing`, ends). Returns the
    user and the session secret for the cookie."""
    user = await check_password(clock, settings, email, password, address)
    now = clock.now()
    async with transaction():
        if replacing:
            await sessions.end_session(replacing)
        secret = await sessions.start_session(user.id, settings.accounts, now)
        await audit.record(user, "login", "user", user.id, {"method": "password"}, at=now)
    await sessions.drop_expired_sessions(settings.accounts, now)
    log.info("login", extra={"user_id": user.id})
    return user, secret


async def start_session_without_password(actor: Actor, clock: Clock, settings: Settings,
                                         method: str) -> str:
    """A session for a user who has just proven themselves otherwise (the setup link)."""
    assert actor.user is not None
    now = clock.now()
    async with transaction():
        secret = await sessions.start_session(actor.user.id, settings.accounts, now)
        await audit.record(actor, "login", "user", actor.user.id, {"method": method}, at=now)
    return secret


async def logout(actor: Actor, clock: Clock, session_secret: str) -> None:
    async with transaction():
        await sessions.end_session(session_secret)
        await audit.record(actor, "logout", "user", actor.user_id, at=clock.now())


# --- passwords ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PasswordStored:
    sessions_ended: int
    api_tokens_revoked: int


async def change_password(actor: Actor, clock: Clock, settings: Settings, current: str,
                          new: str, keep_session_id: int | None, address: str | None,
                          keep_api_tokens: bool = False) -> PasswordStored:
    """Change one's own password (the current one is checked and throttled like a login);
    every other session of the user ends, and so do their API tokens unless they choose to
    keep them (a token someone may have copied should not outlive the password it was made
    under)."""
    user = actor.user
    assert user is not None
    try:
        await check_password(clock, settings, user.email, current, address)
    except WrongCredentials:
        raise invalid("current_password", "password_wrong") from None
    return await _store_password(actor, clock, user.id, user.email, new, keep_session_id,
                                 field="new_password", keep_api_tokens=keep_api_tokens)


async def set_password(actor: Actor, clock: Clock, email: str, new: str) -> CurrentUser:
    """Set a user's password (a reset by an administrator, from the command line): all their
    sessions and API tokens end."""
    row = await data.find_user_by_email(email)
    if row is None:
        raise NotFound("user", email.strip(),
                       f"There is no user with the email address {email.strip()}.")
    await _store_password(actor, clock, row["id"], row["email"], new, None, field="password",
                          keep_api_tokens=False)
    return sessions.user_from_row(row)


async def _store_password(actor: Actor, clock: Clock, user_id: int, email: str, new: str,
                          keep_session_id: int | None, field: str,
                          keep_api_tokens: bool, via: str | None = None) -> PasswordStored:
    data.refuse_password(new, email, field)
    password_hash = await hash_password_async(new)
    now = clock.now()
    async with transaction():
        await data.write_password(user_id, password_hash, now)
        ended = await sessions.end_user_sessions(user_id, keep_session_id)
        revoked = 0 if keep_api_tokens else await sessions.revoke_api_tokens(user_id, now)
        await audit.record(actor, "password.changed", "user", user_id,
                           {"sessions_ended": ended, "api_credentials_revoked": revoked,
                            "api_credentials_kept": keep_api_tokens,
                            "by": via or _by(actor, "self")},  # (audit keys may not say "token")
                           at=now)
    log.info("password changed", extra={"user_id": user_id, "sessions_ended": ended,
                                        "api_tokens_revoked": revoked})
    return PasswordStored(ended, revoked)


async def send_password_reset(actor: Actor, clock: Clock, settings: Settings,
                              user_id: int) -> dict:
    """An administrator sends a user a one-time link to set a new password (through the
    outbox; sealed, see network.accounts.password_reset). The user's older links end; the
    current password keeps working until the new one is set. Not for a deactivated account."""
    assert actor.user is not None
    now = clock.now()
    async with transaction():
        user = await data.get_user(user_id)
        if not user["active"]:
            raise Conflict("user", "user_inactive")
        link = await password_reset.issue(settings.secret_key, user_id, actor.user_id, now)
        await enqueue(settings, "password_reset", [user["email"]], {
            "display_name": user["display_name"], "admin_name": actor.user.display_name,
            "url": link.placeholder, "expires": words.moment(link.expires_at),
        }, due_at=now)
        await audit.record(actor, "password.reset_sent", "user", user_id,
                           {"link_id": link.link_id}, at=now)
    log.info("password reset link sent", extra={"user_id": user_id})
    return user


async def reset_password(clock: Clock, raw_link: str, new: str) -> CurrentUser:
    """Set a new password with a reset link (once): as `set_password`, every session and API
    token of the user ends. LinkUsed when the link is unknown, used, expired, or its user was
    deactivated meanwhile; the link stays usable when the new password is refused."""
    now = clock.now()
    async with transaction():
        link = await password_reset.usable(raw_link, now, lock=True)
        row = None if link is None else await data.get_user(link.user_id)
        if link is None or row is None or not row["active"]:
            raise LinkUsed
        user = sessions.user_from_row(row)
        await password_reset.use(link, now)
        await _store_password(Actor.of_user(user), clock, user.id, user.email, new, None,
                              field="new_password", keep_api_tokens=False, via="reset link")
    return user


# --- API tokens -----------------------------------------------------------------------------

async def create_api_token(actor: Actor, clock: Clock, name: str) -> tuple[dict, str]:
    user = actor.user
    assert user is not None
    if not 1 <= len(name.strip()) <= 100:
        raise invalid("name", "length_between", min=1, max=100)
    now = clock.now()
    async with transaction():
        token_id, raw = await sessions.create_api_token(user.id, name, now)
        await audit.record(actor, "api_token.created", "api_token", token_id, at=now)
    return await data.get_api_token(user, token_id), raw


async def revoke_api_token(actor: Actor, clock: Clock, token_id: int) -> dict:
    user = actor.user
    assert user is not None
    now = clock.now()
    async with transaction():
        if await sessions.revoke_api_token(user.id, token_id, now):
            await audit.record(actor, "api_token.revoked", "api_token", token_id, at=now)
    return await data.get_api_token(user, token_id)


# --- the first administrator ----------------------------------------------------------------

async def issue_setup_token(clock: Clock) -> str | None:
    """On start: when nobody has an account yet, a fresh one-time token for the page that
    creates the first administrator (older tokens stop working). None once users exist."""
    async with transaction():
        await SetupToken.delete(force=True)
        if await data.count_users():
            return None
        raw = new_secret()
        await SetupToken.insert(SetupToken(token_hash=digest(raw), created_at=clock.now(),
                                           used_at=None))
    return raw


async def create_first_admin(clock: Clock, raw_token: str, new: NewUser) -> CurrentUser:
    """Use the setup token (once) to create the first administrator."""
    new = NewUser(new.email, new.display_name, Role.ADMIN, new.legal_circle, new.password)
    data.check_new_user(new)
    password_hash = await hash_password_async(new.password)
    now = clock.now()
    async with transaction():
        await queries.lock_users_table()
        used = await SetupToken.update({SetupToken.used_at: now}).where(
            (SetupToken.token_hash == digest(raw_token)) & SetupToken.used_at.is_null()
        ).returning(SetupToken.id)
        if not used or await data.count_users():
            raise LinkUsed
        user = await data.insert_user(new, password_hash, now)
        await audit.record(user, "user.created", "user", user.id,
                           {"role": user.role.value, "legal_circle": user.legal_circle.value,
                            "by": "first-run setup"}, at=now)
    log.info("first administrator created", extra={"user_id": user.id})
    return user
