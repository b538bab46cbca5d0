"""Repeated failed sign-ins are slowed, then blocked for a while, per account and per address,
with the count kept in PostgreSQL (so it holds across instances)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from network.accounts import actions
from network.accounts.throttle import ThrottlePolicy, wait_seconds
from network.clock import FixedClock
from network.errors import Throttled, WrongCredentials
from network.settings import AccountPolicy
from tests.support.app import MakeUser, make_settings, serving

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(delay_after=3, block_after=6, block=timedelta(minutes=15))


def failures(count: int, last: datetime = T0, every: timedelta = timedelta(0)) -> list[datetime]:
    return [last - every * n for n in range(count)]


def test_it_lets_the_first_failures_pass_without_waiting() -> None:
    assert wait_seconds([], T0, POLICY) == 0
    assert wait_seconds(failures(2), T0, POLICY) == 0


def test_it_doubles_the_wait_after_the_delay_threshold() -> None:
    assert wait_seconds(failures(3), T0, POLICY) == 2
    assert wait_seconds(failures(4), T0, POLICY) == 4
    assert wait_seconds(failures(5), T0 + timedelta(seconds=3), POLICY) == 5
    assert wait_seconds(failures(5), T0 + timedelta(seconds=8), POLICY) == 0


def test_it_blocks_for_the_block_period_after_the_block_threshold() -> None:
    assert wait_seconds(failures(6), T0, POLICY) == 15 * 60
    assert wait_seconds(failures(9), T0 + timedelta(minutes=10), POLICY) == 5 * 60
    assert wait_seconds(failures(9), T0 + timedelta(minutes=15), POLICY) == 0


def test_it_forgets_failures_spread_wider_than_the_window() -> None:
    assert wait_seconds(failures(6, every=timedelta(minutes=4)), T0, POLICY) == 4  # 4 count
    assert wait_seconds(failures(6, every=timedelta(minutes=20)), T0, POLICY) == 0


def test_it_allows_more_failures_from_one_address_than_on_one_account() -> None:
    policy = AccountPolicy(login_delay_after_failures=5, login_block_after_failures=10)
    account, address = ThrottlePolicy.for_account(policy), ThrottlePolicy.for_address(policy)
    assert address.delay_after > account.delay_after
    assert address.block_after > account.block_after


async def test_it_answers_429_with_retry_after_after_repeated_failures(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_DELAY_AFTER_FAILURES="3")
    async with serving(settings) as client:
        alice = await make_user()
        wrong = {"email": alice.email, "password": "not her password"}
        statuses = [(await client.post("/api/v1/auth/login", json=wrong)).status_code
                    for _ in range(3)]
        assert statuses == [401, 401, 401]
        # Even the right password waits: otherwise the wait would tell a guesser nothing.
        right = await client.post("/api/v1/auth/login",
                                  json={"email": alice.email.upper(), "password": alice.password})
    assert right.status_code == 429
    assert right.headers["content-type"] == "application/problem+json"
    assert int(right.headers["retry-after"]) >= 1
    assert "Too many failed sign-ins" in right.json()["detail"]


async def test_it_blocks_an_account_for_a_while_then_lets_it_in(pool: str,
                                                                make_user: MakeUser,
                                                                tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, LOGIN_DELAY_AFTER_FAILURES="2",
                             LOGIN_BLOCK_AFTER_FAILURES="4", LOGIN_BLOCK_MINUTES="10")
    alice = await make_user()
    now = T0
    for _ in range(4):
        with pytest.raises(WrongCredentials):
            await actions.login(FixedClock(now), settings, alice.email, "wrong password",
                                "10.0.0.1")
        now += timedelta(seconds=70)  # past each doubling wait
    now -= timedelta(seconds=70)
    with pytest.raises(Throttled) as blocked:
        await actions.login(FixedClock(now), settings, alice.email, alice.password, "10.0.0.2")
    assert blocked.value.retry_after == 600
    with pytest.raises(Throttled):
        await actions.login(FixedClock(now + timedelta(minutes=9)), settings, alice.email,
                            alice.password, "10.0.0.2")
    user, _secret = await actions.login(FixedClock(now + timedelta(minutes=10, seconds=1)),
                                        settings, alice.email, alice.password, "10.0.0.2")
    assert user.id == alice.user.id


async def test_it_slows_one_address_trying_many_accounts(pool: str, make_user: MakeUser,
                                                         tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, LOGIN_DELAY_AFTER_FAILURES="1",
                             LOGIN_BLOCK_AFTER_FAILURES="100")
    alice = await make_user()
    address_delay = ThrottlePolicy.for_address(settings.accounts).delay_after
    for number in range(address_delay):
        with pytest.raises(WrongCredentials):
            await actions.login(FixedClock(T0), settings, f"guess{number}@example.org",
                                "password guess!", "203.0.113.9")
    with pytest.raises(Throttled):
        await actions.login(FixedClock(T0), settings, alice.email, alice.password, "203.0.113.9")
    user, _ = await actions.login(FixedClock(T0), settings, alice.email, alice.password,
                                  "198.51.100.1")
    assert user.id == alice.user.id
