"""Sign-in throttling that holds under concurrency (counted in PostgreSQL before the password
is checked): the pair of account and address is refused after a few attempts, the account
alone only slowed, so a stranger cannot lock its owner out."""

from __future__ import annotations

import asyncio
from collections import Counter as Tally
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from network.accounts import actions
from network.accounts.tables import AuditLog
from network.accounts.throttle import (
    MAX_DELAY_SECONDS,
    Counter,
    Kind,
    Limit,
    admit,
    limits,
    succeeded,
)
from network.clock import FixedClock
from network.errors import Throttled, WrongCredentials
from network.settings import AccountPolicy
from network.words import sign_in
from tests.support.addresses import from_address
from tests.support.app import MakeUser, make_settings, serving

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)
PAIR = Limit(hard=True, after=3, window=WINDOW)
ACCOUNT = Limit(hard=False, after=3, window=WINDOW)
LOGIN = "/api/v1/auth/login"


def run(rules: dict[Kind, Limit], times: list[datetime]) -> list[int]:
    """Admit attempts at these times (all of them failing); the waits answered."""
    counters: dict[Kind, Counter | None] = dict.fromkeys(rules)
    waits = []
    for now in times:
        wait, after = admit(counters, rules, now)
        waits.append(wait)
        counters = dict(after)
    return waits


# --- the rules ------------------------------------------------------------------------------

def test_the_pair_is_refused_after_its_limit_until_the_window_ends() -> None:
    waits = run({Kind.PAIR: PAIR}, [T0, T0, T0, T0, T0 + timedelta(minutes=10),
                                    T0 + WINDOW])
    assert waits == [0, 0, 0, 15 * 60, 5 * 60, 0]


def test_the_account_alone_is_only_slowed_and_never_longer_than_the_cap() -> None:
    counters: dict[Kind, Counter | None] = {Kind.ACCOUNT: None}
    now, waited = T0, []
    for _ in range(12):
        wait, counters = admit(counters, {Kind.ACCOUNT: ACCOUNT}, now)
        if wait:
            waited.append(wait)
            now += timedelta(seconds=wait)
            wait, counters = admit(counters, {Kind.ACCOUNT: ACCOUNT}, now)
        assert wait == 0  # after waiting as told, the attempt is always admitted
    assert waited == [2, 4, 8, 16, 30, 30, 30, 30, 30]
    assert max(waited) == MAX_DELAY_SECONDS


def test_a_refused_attempt_does_not_count() -> None:
    counters: dict[Kind, Counter | None] = {Kind.PAIR: Counter(3, T0)}
    wait, after = admit(counters, {Kind.PAIR: PAIR}, T0)
    assert wait == 15 * 60 and after[Kind.PAIR] == Counter(3, T0)


def test_a_success_clears_the_pair_and_gives_the_account_its_attempt_back() -> None:
    assert succeeded(Counter(2, T0), PAIR) is None
    slowed = Counter(3, T0, not_before=T0 + timedelta(seconds=2))
    assert succeeded(slowed, ACCOUNT) == Counter(2, T0, None)
    assert succeeded(Counter(5, T0, T0), ACCOUNT) == Counter(4, T0, T0)


def test_an_address_may_fail_more_often_than_an_account_before_it_is_slowed() -> None:
    rules = limits(AccountPolicy(login_delay_after_failures=5, login_block_after_failures=10))
    assert rules[Kind.PAIR].hard and not rules[Kind.ACCOUNT].hard
    assert not rules[Kind.ADDRESS].hard
    assert rules[Kind.ADDRESS].after > rules[Kind.ACCOUNT].after


# --- the served app, attempts sent at once --------------------------------------------------

async def failed_logins() -> int:
    return await AuditLog.count().where(AuditLog.action == "login.failed")


async def test_of_40_wrong_passwords_sent_at_once_only_the_limit_is_checked(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_BLOCK_AFTER_FAILURES="5",
                             LOGIN_DELAY_AFTER_FAILURES="100")
    async with serving(settings, FixedClock(T0)) as client:
        alice = await make_user()
        wrong = {"email": alice.email, "password": "not her password"}
        answers = await asyncio.gather(*[client.post(LOGIN, json=wrong) for _ in range(40)])
        statuses = Tally(answer.status_code for answer in answers)
        assert statuses == {401: 5, 429: 35}
        assert await failed_logins() == 5  # the others' passwords were never checked
        for refused in (answer for answer in answers if answer.status_code == 429):
            assert refused.headers["content-type"] == "application/problem+json"
            assert int(refused.headers["retry-after"]) == 15 * 60
            assert "Too many failed sign-ins" in refused.json()["detail"]


async def test_of_150_guesses_sent_at_once_the_right_one_is_refused_once_the_limit_is_reached(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_BLOCK_AFTER_FAILURES="5",
                             LOGIN_DELAY_AFTER_FAILURES="100")
    clock = FixedClock(T0)
    async with serving(settings, clock) as client:
        alice = await make_user()
        guesses = [asyncio.create_task(client.post(
            LOGIN, json={"email": alice.email, "password": f"guess number {n}"}))
            for n in range(149)]
        pending = set(guesses)
        while pending:  # until the first refusal: from then on the limit is reached
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            if any(task.result().status_code == 429 for task in done):
                break
        right = await client.post(LOGIN, json={"email": alice.email, "password": alice.password})
        await asyncio.gather(*guesses)
        statuses = Tally(task.result().status_code for task in guesses)
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
        assert statuses[401] <= 5 and statuses[401] + statuses[429] == 149
        clock.advance(WINDOW)
        later = await client.post(LOGIN, json={"email": alice.email, "password": alice.password})
    assert later.status_code == 200


async def test_of_40_wrong_passwords_from_40_addresses_at_once_the_account_delay_holds(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_DELAY_AFTER_FAILURES="3")
    async with serving(settings, FixedClock(T0)) as client:
        alice = await make_user()
        wrong = {"email": alice.email, "password": "not her password"}
        callers = [from_address(client, f"198.51.100.{n}") for n in range(1, 41)]
        try:
            answers = await asyncio.gather(*[caller.post(LOGIN, json=wrong)
                                             for caller in callers])
        finally:
            await asyncio.gather(*[caller.aclose() for caller in callers])
        assert Tally(answer.status_code for answer in answers) == {401: 3, 429: 37}
        assert {answer.headers.get("retry-after") for answer in answers
                if answer.status_code == 429} == {"2"}


async def test_a_stranger_failing_from_one_address_does_not_lock_the_owner_out(
        tmp_path: Path, db: str, make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db)  # the defaults: 5 free, pair after 10
    clock = FixedClock(T0)
    async with serving(settings, clock) as client:
        admin = await make_user(role="admin")
        wrong = {"email": admin.email, "password": "a stranger's guess"}
        checked = 0
        async with from_address(client, "203.0.113.66") as stranger:
            for _ in range(50):  # as fast as the service allows
                answer = await stranger.post(LOGIN, json=wrong)
                if answer.status_code == 401:
                    checked += 1
                    continue
                assert answer.status_code == 429
                wait = int(answer.headers["retry-after"])
                if wait > MAX_DELAY_SECONDS:
                    break  # the pair is refused for the rest of its window
                clock.advance(timedelta(seconds=wait))
            assert checked == 10
            owners_try = await stranger.post(
                LOGIN, json={"email": admin.email, "password": admin.password})
            assert owners_try.status_code == 429  # the right password, from the blocked pair
        async with from_address(client, "192.0.2.10") as owner:
            right = {"email": admin.email, "password": admin.password}
            answer = await owner.post(LOGIN, json=right)
            waited = 0
            if answer.status_code == 429:
                waited = int(answer.headers["retry-after"])
                clock.advance(timedelta(seconds=waited))
                answer = await owner.post(LOGIN, json=right)
    assert answer.status_code == 200 and waited <= MAX_DELAY_SECONDS


async def test_the_sign_in_page_answers_429_with_retry_after(tmp_path: Path, db: str,
                                                              make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_BLOCK_AFTER_FAILURES="2",
                             LOGIN_DELAY_AFTER_FAILURES="100")
    async with serving(settings, FixedClock(T0)) as client:
        alice = await make_user()
        wrong = {"email": alice.email, "password": "not her password"}
        first = await asyncio.gather(*[client.post("/login", data=wrong) for _ in range(6)])
        assert Tally(answer.status_code for answer in first) == {401: 2, 429: 4}
        right = await client.post("/login", data={"email": alice.email,
                                                  "password": alice.password})
    assert right.status_code == 429 and right.headers["retry-after"] == str(15 * 60)
    assert "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie 15 Minuten" in right.text


def test_the_sign_in_page_says_seconds_for_a_short_wait() -> None:
    assert "warten Sie 2 Sekunden" in sign_in.throttled(2)
    assert "warten Sie 1 Sekunde " in sign_in.throttled(1)
    assert "warten Sie 3 Minuten" in sign_in.throttled(121)


async def test_a_success_clears_the_pairs_failures(tmp_path: Path, db: str,
                                                   make_user: MakeUser) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=db, LOGIN_BLOCK_AFTER_FAILURES="3",
                             LOGIN_DELAY_AFTER_FAILURES="100")
    async with serving(settings, FixedClock(T0)) as client:
        alice = await make_user()
        wrong = {"email": alice.email, "password": "not her password"}
        right = {"email": alice.email, "password": alice.password}
        statuses = [(await client.post(LOGIN, json=body)).status_code
                    for body in (wrong, wrong, right, wrong, wrong, wrong, wrong)]
    assert statuses == [401, 401, 200, 401, 401, 401, 429]


async def test_one_address_trying_many_accounts_is_slowed(pool: str, make_user: MakeUser,
                                                          tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, LOGIN_DELAY_AFTER_FAILURES="1",
                             LOGIN_BLOCK_AFTER_FAILURES="100")
    alice = await make_user()
    address_delay = limits(settings.accounts)[Kind.ADDRESS].after
    for number in range(address_delay):
        with pytest.raises(WrongCredentials):
            await actions.login(FixedClock(T0), settings, f"guess{number}@example.org",
                                "password guess!", "203.0.113.9")
    with pytest.raises(Throttled):
        await actions.login(FixedClock(T0), settings, alice.email, alice.password, "203.0.113.9")
    user, _ = await actions.login(FixedClock(T0), settings, alice.email, alice.password,
                                  "198.51.100.1")
    assert user.id == alice.user.id



async def test_without_a_client_address_only_the_account_counts(pool: str, make_user: MakeUser,
                                                                 tmp_path: Path) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, LOGIN_DELAY_AFTER_FAILURES="2")
    alice = await make_user()
    with pytest.raises(WrongCredentials):
        await actions.login(FixedClock(T0), settings, alice.email, "not her password", None)
    user, _ = await actions.login(FixedClock(T0), settings, alice.email, alice.password, None)
    assert user.id == alice.user.id
