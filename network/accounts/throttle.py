"""Login throttling, decided without I/O: after some failures a caller must wait before the
next try (doubling each time), after more it is blocked for a while.

Failures are counted twice: per account (an attack on one person) and per client address
(one machine trying many accounts). The staff of an office often share one address, so the
address limits are ADDRESS_FACTOR times the account limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from network.settings import AccountPolicy

ADDRESS_FACTOR = 5
MAX_DELAY_SECONDS = 60


@dataclass(frozen=True)
class ThrottlePolicy:
    delay_after: int  # failures in the window after which each try must wait
    block_after: int  # failures in the window after which tries are refused for `block`
    block: timedelta  # also the window in which failures count

    @classmethod
    def for_account(cls, policy: AccountPolicy) -> ThrottlePolicy:
        return cls(policy.login_delay_after_failures,
                   max(policy.login_block_after_failures, policy.login_delay_after_failures),
                   timedelta(minutes=policy.login_block_minutes))

    @classmethod
    def for_address(cls, policy: AccountPolicy) -> ThrottlePolicy:
        account = cls.for_account(policy)
        return cls(account.delay_after * ADDRESS_FACTOR, account.block_after * ADDRESS_FACTOR,
                   account.block)


def wait_seconds(failures: Sequence[datetime], now: datetime, policy: ThrottlePolicy) -> int:
    """Seconds the caller must wait before the next login attempt (0: may try now).

    `failures` are the times of recent failures (at least those within `memory(policy)`
    before `now`). They are counted in the window of length `policy.block` that ends at the
    latest one, so a block lasts its full length after the failure that caused it.
    """
    if not failures:
        return 0
    last = max(failures)
    count = sum(1 for failed_at in failures if failed_at > last - policy.block)
    if count < policy.delay_after:
        return 0
    if count >= policy.block_after:
        pause = policy.block
    else:
        pause = timedelta(seconds=min(2 ** (count - policy.delay_after + 1), MAX_DELAY_SECONDS))
    return max(0, math.ceil((last + pause - now).total_seconds()))


def memory(policy: ThrottlePolicy) -> timedelta:
    """How long failures matter: the counting window plus the block that may follow it."""
    return 2 * policy.block
