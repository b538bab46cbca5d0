"""Sign-in attempts counted in PostgreSQL (so the limits hold across instances and under
concurrency), by the rules of network.accounts.throttle.

`admit` runs before the password is checked: in one short transaction it locks the attempt's
counters (pair, account, address), decides with the pure rules and writes them back, so of N
attempts sent at once no more are admitted than the rules allow. Nothing waits while a lock or
a connection is held: a refused attempt raises `Throttled` with the seconds to wait (answered
as 429 with Retry-After). `settle` records a success; a failure needs no second write (the
admitted attempt stays counted).

Subjects are keyed hashes: neither the email typed (sometimes a password) nor the client's
address is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.accounts import queries
from network.accounts.tables import LoginThrottle
from network.accounts.throttle import Counter, Kind, Limit, admit, limits, succeeded
from network.accounts.tokens import keyed_digest
from network.errors import Throttled
from network.settings import Settings
from network.transactions import transaction


@dataclass(frozen=True)
class Attempt:
    """An admitted attempt: its subjects and the rules they follow."""

    subjects: dict[str, Kind]
    rules: dict[Kind, Limit]


def subjects(secret_key: str, email: str, address: str | None) -> dict[str, Kind]:
    """The counters one attempt touches, by their stored keys."""
    account = email.strip().casefold()
    found = {"account:" + keyed_digest(secret_key, "login-account", account): Kind.ACCOUNT}
    if address:
        pair = keyed_digest(secret_key, "login-pair", account + "\n" + address)
        found["pair:" + pair] = Kind.PAIR
        found["address:" + keyed_digest(secret_key, "login-address", address)] = Kind.ADDRESS
    return found


async def admit_attempt(settings: Settings, email: str, address: str | None, now: datetime
                        ) -> Attempt:
    """Count one attempt, or raise Throttled (the attempt is not counted) while one of its
    counters must wait."""
    attempt = Attempt(subjects(settings.secret_key, email, address), limits(settings.accounts))
    async with transaction():
        rows = await queries.lock_throttle_counters(sorted(attempt.subjects), now)
        stored = {attempt.subjects[row["subject"]]: _counter(row) for row in rows}
        wait, counters = admit(stored, attempt.rules, now)
        if not wait:
            await queries.write_throttle_counters(_rows(attempt, counters))
    if any(counter.attempts == 0 for counter in stored.values()):
        # A counter started afresh: a good moment to drop those whose window is long over.
        await queries.drop_old_throttle_counters(
            now - 2 * max(limit.window for limit in attempt.rules.values()))
    if wait:
        raise Throttled(wait)
    return attempt


async def settle_success(attempt: Attempt, now: datetime) -> None:
    """The attempt's password was right: the pair starts afresh, account and address get the
    attempt back."""
    async with transaction():
        rows = await queries.lock_throttle_counters(sorted(attempt.subjects), now)
        keep: dict[Kind, Counter] = {}
        for row in rows:
            kind = attempt.subjects[row["subject"]]
            after = succeeded(_counter(row), attempt.rules[kind])
            if after is not None:
                keep[kind] = after
        gone = [subject for subject, kind in attempt.subjects.items() if kind not in keep]
        if gone:
            await LoginThrottle.delete().where(LoginThrottle.subject.is_in(gone))
        await queries.write_throttle_counters(_rows(attempt, keep))


def _counter(row: dict) -> Counter:
    return Counter(row["attempts"], row["window_start"], row["not_before"])


def _rows(attempt: Attempt, counters: dict[Kind, Counter]
          ) -> list[tuple[str, int, datetime, datetime | None]]:
    return [(subject, counters[kind].attempts, counters[kind].window_start,
             counters[kind].not_before)
            for subject, kind in attempt.subjects.items() if kind in counters]
