"""Sign-in throttling rules, decided without I/O (network.accounts.attempts keeps the counters
in PostgreSQL and applies these rules under a row lock).

Every attempt is counted against three counters before its password is checked:

- the pair (account, client address), hard: at most `pair_limit` attempts in a window; after
  that the pair is refused (429, Retry-After: the end of the window) and its passwords are
  not even checked. A successful sign-in clears the pair.
- the account alone, by delays only: after `delay_after` attempts in the window, each further
  attempt (from any address) may start only `delay(n)` after the previous one: 2, 4, 8 ...
  seconds, never more than MAX_DELAY_SECONDS. A stranger can slow an account down, never lock
  it: from another address the right password gets in after at most that long.
- the client address alone (one machine trying many accounts), by delays too, with
  ADDRESS_FACTOR times the account's threshold (an office shares one address).

An attempt counts from the moment it is admitted, not when its password turns out wrong, so
attempts sent at once cannot outrun the count. A success gives its attempt back (account,
address) or clears the counter (pair); a failure leaves it counted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from network.settings import AccountPolicy

ADDRESS_FACTOR = 5
MAX_DELAY_SECONDS = 30


class Kind(StrEnum):
    PAIR = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class Limit:
    hard: bool  # True: refuse after `after` attempts; False: space attempts out after it
    after: int
    window: timedelta  # attempts count in a window that starts with the first of them


@dataclass(frozen=True)
class Counter:
    attempts: int  # admitted in this window, less the successes
    window_start: datetime
    not_before: datetime | None = None  # delays: the next attempt may start then


def limits(policy: AccountPolicy) -> dict[Kind, Limit]:
    window = timedelta(minutes=policy.login_block_minutes)
    return {
        Kind.PAIR: Limit(True, policy.login_block_after_failures, window),
        Kind.ACCOUNT: Limit(False, policy.login_delay_after_failures, window),
        Kind.ADDRESS: Limit(False, policy.login_delay_after_failures * ADDRESS_FACTOR, window),
    }


def delay(excess: int) -> timedelta:
    """The spacing after the `excess`-th attempt at or beyond the threshold (1, 2, ...)."""
    return timedelta(seconds=min(2 ** min(excess, 16), MAX_DELAY_SECONDS))


def current(counter: Counter | None, limit: Limit, now: datetime) -> Counter:
    """The counter as it stands at `now`: a fresh one once its window is over."""
    if counter is None or now >= counter.window_start + limit.window:
        return Counter(0, now)
    return counter


def wait_seconds(counter: Counter, limit: Limit, now: datetime) -> int:
    """Seconds before this counter admits another attempt (0: now)."""
    if limit.hard:
        if counter.attempts < limit.after:
            return 0
        return max(1, math.ceil((counter.window_start + limit.window - now).total_seconds()))
    if counter.not_before is None or counter.not_before <= now:
        return 0
    return max(1, math.ceil((counter.not_before - now).total_seconds()))


def admitted(counter: Counter, limit: Limit, now: datetime) -> Counter:
    """The counter after admitting one attempt at `now`."""
    attempts = counter.attempts + 1
    if limit.hard or attempts < limit.after:
        return replace(counter, attempts=attempts)
    return replace(counter, attempts=attempts,
                   not_before=now + delay(attempts - limit.after + 1))


def succeeded(counter: Counter, limit: Limit) -> Counter | None:
    """The counter after an admitted attempt succeeded (None: forget it)."""
    if limit.hard:
        return None
    attempts = max(0, counter.attempts - 1)
    return replace(counter, attempts=attempts,
                   not_before=counter.not_before if attempts >= limit.after else None)


def admit(counters: dict[Kind, Counter | None], rules: dict[Kind, Limit], now: datetime
          ) -> tuple[int, dict[Kind, Counter]]:
    """Decide one attempt: (0, the counters with it admitted) or (seconds to wait, the
    counters unchanged; a refused attempt does not count)."""
    present = {kind: current(counter, rules[kind], now) for kind, counter in counters.items()}
    wait = max((wait_seconds(counter, rules[kind], now) for kind, counter in present.items()),
               default=0)
    if wait:
        return wait, present
    return 0, {kind: admitted(counter, rules[kind], now) for kind, counter in present.items()}
