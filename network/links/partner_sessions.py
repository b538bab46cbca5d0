"""The partner inbox without passwords: a sign-in link by email, then a partner session.

A partner enters an address on /partner/anmelden; when it is one of a partner's referral
addresses or a contact's address, a sign-in link goes to that address through the outbox,
sealed like the action links (the queued email holds a seed, the dispatcher turns it into the
token HMAC(SECRET_KEY, seed); the database holds the token's SHA-256 only). The link works for
PARTNER_SIGN_IN_LINK_MINUTES and once: opening it shows a button (mail scanners open links),
the POST signs in.

A partner session is its own table and cookie, never a staff session: the staff middleware
reads only its own cookie, and these pages read only this one. It ends after
PARTNER_SESSION_IDLE_MINUTES without a request, after PARTNER_SESSION_MAX_HOURS at most, and on
sign-out. Its forms carry a proof derived from the session's secret (`form_proof`).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from piccolo.query.functions.string import Lower

from network.accounts.tokens import digest, keyed_digest, new_secret, same
from network.links.tables import PartnerSession, PartnerSignInLink
from network.partners.tables import Partner, PartnerContact
from network.settings import PartnerInboxPolicy

SIGN_IN_PATH = "/partner/anmelden/"
SIGN_IN_PURPOSE = "partner-sign-in"
SIGN_IN_PLACEHOLDER = re.compile(r"\[\[partner-sign-in:([A-Za-z0-9_-]{43})\]\]")
SESSION_COOKIE = "network_partner_session"
COOKIE_PATH = "/partner"
TOUCH_EVERY = timedelta(minutes=1)
PROOF_PURPOSE = "partner-inbox-form"
PROOF_MAX_AGE = timedelta(hours=12)


async def partners_of_address(address: str) -> list[int]:
    """The active partners that have this address on file (referral address or contact)."""
    wanted = address.strip().casefold()
    if not wanted or len(wanted) > 254:
        return []
    direct = await Partner.select(Partner.id).where(
        (Partner.active == True)  # noqa: E712 (a query expression)
        & Partner.referral_emails.any(wanted))
    found = {row["id"] for row in direct}
    if not found:  # addresses on file are stored as typed: compare without case as well
        rows = await Partner.select(Partner.id, Partner.referral_emails).where(
            Partner.active == True)  # noqa: E712
        found = {row["id"] for row in rows
                 if wanted in {email.casefold() for email in row["referral_emails"]}}
    contacts = await PartnerContact.select(PartnerContact.partner_id).where(
        Lower(PartnerContact.email) == wanted)
    active = await Partner.select(Partner.id).where(
        Partner.id.is_in([row["partner_id"] for row in contacts] or [0])
        & (Partner.active == True))  # noqa: E712
    found |= {row["id"] for row in active}
    return sorted(found)


@dataclass(frozen=True)
class SealedSignIn:
    link_id: int
    placeholder: str
    expires_at: datetime


async def issue_sign_in_link(secret_key: str, partner_id: int, now: datetime,
                             policy: PartnerInboxPolicy) -> SealedSignIn:
    """A new sign-in link for an email waiting in the outbox (the caller's transaction)."""
    seed = new_secret()
    token = keyed_digest(secret_key, SIGN_IN_PURPOSE, seed)
    expires_at = now + timedelta(minutes=policy.sign_in_link_minutes)
    rows = await PartnerSignInLink.insert(PartnerSignInLink(
        partner_id=partner_id, token_hash=digest(token), created_at=now,
        expires_at=expires_at)).returning(PartnerSignInLink.id)
    return SealedSignIn(rows[0]["id"], f"[[partner-sign-in:{seed}]]", expires_at)


def fill_sign_in_links(text: str, base_url: str, secret_key: str) -> str:
    """The email as sent: each sign-in placeholder replaced by its URL."""
    return SIGN_IN_PLACEHOLDER.sub(
        lambda found: base_url + SIGN_IN_PATH
        + keyed_digest(secret_key, SIGN_IN_PURPOSE, found.group(1)), text)


@dataclass(frozen=True)
class SignInLink:
    id: int
    partner_id: int


async def usable_sign_in_link(token: str, now: datetime, *, lock: bool = False
                              ) -> SignInLink | None:
    """The link a token opens, while it is unused and valid; else None (nothing told apart)."""
    if not token or len(token) > 200:
        return None
    query = PartnerSignInLink.select(PartnerSignInLink.id, PartnerSignInLink.partner_id).where(
        (PartnerSignInLink.token_hash == digest(token)) & PartnerSignInLink.used_at.is_null()
        & (PartnerSignInLink.expires_at > now))
    if lock:
        query = query.lock_rows("NO KEY UPDATE")
    row = await query.first()
    return SignInLink(row["id"], row["partner_id"]) if row else None


@dataclass(frozen=True)
class StartedSession:
    id: int
    secret: str  # for the cookie; never stored


async def redeem(link: SignInLink, now: datetime, policy: PartnerInboxPolicy
                 ) -> StartedSession:
    """Use the link (once) and open a session for its partner; the caller's transaction,
    which locked the link (`usable_sign_in_link(lock=True)`)."""
    await PartnerSignInLink.update({PartnerSignInLink.used_at: now}).where(
        PartnerSignInLink.id == link.id)
    secret = new_secret()
    rows = await PartnerSession.insert(PartnerSession(
        partner_id=link.partner_id, sign_in_link_id=link.id, id_hash=digest(secret),
        created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=policy.session_max_hours))).returning(PartnerSession.id)
    return StartedSession(rows[0]["id"], secret)


@dataclass(frozen=True)
class LiveSession:
    id: int
    partner_id: int
    secret: str


async def live_session(secret: str | None, now: datetime, policy: PartnerInboxPolicy
                       ) -> LiveSession | None:
    """The live session of a cookie: not ended, not idle too long, not past its limit."""
    if not secret or len(secret) > 200:
        return None
    row = await PartnerSession.select(
        PartnerSession.id, PartnerSession.partner_id, PartnerSession.last_seen_at,
    ).where(
        (PartnerSession.id_hash == digest(secret)) & PartnerSession.ended_at.is_null()
        & (PartnerSession.expires_at > now)
        & (PartnerSession.last_seen_at > now - timedelta(minutes=policy.session_idle_minutes))
    ).first()
    if row is None:
        return None
    if now - row["last_seen_at"] >= TOUCH_EVERY:
        await PartnerSession.update({PartnerSession.last_seen_at: now}).where(
            PartnerSession.id == row["id"])
    return LiveSession(row["id"], row["partner_id"], secret)


async def end_session(session_id: int, now: datetime) -> None:
    await PartnerSession.update({PartnerSession.ended_at: now}).where(
        (PartnerSession.id == session_id) & PartnerSession.ended_at.is_null())


@dataclass(frozen=True)
class FormProof:
    nonce: str
    proof: str


def form_proof(secret_key: str, session: LiveSession, now: datetime) -> FormProof:
    """The CSRF proof of an inbox form: bound to the session's secret (only its cookie holder
    has it) and to a per-render nonce, which also keys a message against being sent twice."""
    nonce = f"{int(now.timestamp())}.{secrets.token_urlsafe(12)}"
    return FormProof(nonce, _proof(secret_key, session.secret, nonce))


def form_proof_holds(secret_key: str, session: LiveSession, nonce: str, proof: str,
                     now: datetime) -> bool:
    issued, _, _rest = nonce.partition(".")
    if not issued.isdigit() or len(nonce) > 100 or len(proof) > 100:
        return False
    age = now.timestamp() - int(issued)
    if not -60 <= age <= PROOF_MAX_AGE.total_seconds():
        return False
    return same(proof, _proof(secret_key, session.secret, nonce))


def _proof(secret_key: str, session_secret: str, nonce: str) -> str:
    return keyed_digest(secret_key, PROOF_PURPOSE, f"{digest(session_secret)}:{nonce}")
