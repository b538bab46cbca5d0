"""Password hashing (Argon2id, OWASP parameters) and the rules a new password must meet.

Hashing takes tens of milliseconds on purpose; the async wrappers run it in a thread so the
event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from network.words.refusals import refusal

MIN_LENGTH = 12
MAX_LENGTH = 512  # long enough for any passphrase, short enough not to be a hashing DoS

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32,
                        salt_len=16, type=Type.ID)

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip())


def password_refusal(password: str, email: str | None = None
                     ) -> tuple[str, dict[str, int]] | None:
    """Why this password may not be used, as a refusal code and its parameters (worded by
    network.words.refusals.accounts), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return "password_too_short", {"min": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return "password_too_long", {"max": MAX_LENGTH}
    folded = password.casefold()
    if folded in common_passwords() or folded.rstrip("0123456789!.?") in common_passwords():
        return "password_common", {}
    if len(set(folded)) < 4:
        return "password_monotonous", {}
    if email:
        local = email.casefold().split("@", 1)[0]
        if email.casefold() in folded or (len(local) >= 4 and local in folded):
            return "password_contains_email", {}
    return None


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why this password may not be used (the English sentence), or None when it is fine."""
    found = password_refusal(password, email)
    return None if found is None else refusal(found[0], found[1], "en")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return HASHER.hash("a password nobody has, for equal timing")


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """Verify; with no hash (unknown account) verify against a dummy so the answer takes
    as long as for a real account and does not reveal which emails exist."""
    if password_hash is None:
        await asyncio.to_thread(verify_password, _dummy_hash(), password)
        return False
    return await asyncio.to_thread(verify_password, password_hash, password)
