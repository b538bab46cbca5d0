"""A small world for every test: a real PostgreSQL with the real migrations applied.

The server is DATABASE_URL's when set (CI points it at the machine's PostgreSQL), else a
private one from `pgserver` kept in .test-data/. Each checkout gets its own database, named
after its path, so two working copies on one machine never share tables. Every test starts
from empty tables.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import hypothesis
import pytest
from playwright.async_api import Browser, async_playwright

from network import database
from network.accounts import actions, passwords, service, sessions
from network.accounts.access import LegalCircle, Role
from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.composition import compose
from network.embedded_postgres import embedded_postgres
from network.settings import Settings
from tests.support.app import MadeUser, MakeUser, make_settings, serving
from tests.support.browser import FLAGS, require_chromium, stop_shared_services
from tests.support.database import (
    KEEP_TABLES,
    ROOT,
    TEST_DATABASE,
    WORKER,
    empty_tables,
    recreate_database,
)
from tests.support.smtp_server import SmtpServer

# Property tests: the same examples on every run and machine, no first-example deadlines (the
# first example pays for imports and connections). Every @given test runs under this profile;
# per-test @settings only set how many examples and which health checks to skip.
hypothesis.settings.register_profile("network", derandomize=True, deadline=None, database=None)
hypothesis.settings.load_profile("network")

# Bytecode caches on, for this process and every one it starts (xdist's workers, `network`
# commands, `network serve`): with PYTHONDONTWRITEBYTECODE set in the environment each of those
# compiled the app and its libraries from source again, most of a second of CPU apiece.
# __pycache__ is ignored by git.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# make_user's passwords: the same few in every test of this process (numbered within a test,
# so a test's users still have different passwords), each hashed once with the production
# parameters and reused; a secret per process, so no password is written down anywhere.
USER_PASSWORD_SECRET = secrets.token_urlsafe(18)
_USER_PASSWORD_HASHES: dict[str, str] = {}


async def _user_password_hash(password: str) -> str:
    """The production Argon2id hash of a make_user password, computed once per process."""
    if password not in _USER_PASSWORD_HASHES:
        _USER_PASSWORD_HASHES[password] = await passwords.hash_password_async(password)
    return _USER_PASSWORD_HASHES[password]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A maintenance URL of the PostgreSQL server the tests use."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    with embedded_postgres(ROOT / ".test-data" / (WORKER or "main")) as url:
        yield url


@pytest.fixture(scope="session")
async def database_url(server_url: str) -> str:
    url = await recreate_database(server_url, TEST_DATABASE)
    await database.migrate(url)
    return url


@pytest.fixture(scope="session")
async def app_tables(database_url: str) -> list[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    finally:
        await connection.close()
    return [row["tablename"] for row in rows if row["tablename"] not in KEEP_TABLES]


@pytest.fixture(scope="session")
async def reset_connection(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """The connection `db` empties the tables on, one for the session."""
    connection = await asyncpg.connect(database_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
async def db(database_url: str, app_tables: list[str],
             reset_connection: asyncpg.Connection) -> str:
    """The test database, with every table emptied: each test starts from nothing."""
    await empty_tables(database_url, app_tables, reset_connection)
    return database_url


@pytest.fixture
def settings(tmp_path: Path, db: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The app's settings on the test database. DATA_DIR (where the local mail catcher keeps
    mail) is the same folder in every test of the process, emptied before each, so the
    settings are equal from test to test and `client` can reuse its app."""
    data_dir = tmp_path_factory.getbasetemp() / "app-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    return make_settings(tmp_path, DATABASE_URL=db, DATA_DIR=str(data_dir))


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(settings) as test_client:
        yield test_client


@pytest.fixture
async def pool(db: str, tmp_path: Path) -> AsyncIterator[str]:
    """Piccolo's engine bound to the emptied test database with a pool open and the program
    composed (events wired), for tests of service functions that need no HTTP. (The `client`
    fixture opens the app's own pool: a test that uses `client` calls service functions
    through that one.)"""
    compose(make_settings(tmp_path, DATABASE_URL=db))
    await database.start_pool(db, 4)
    try:
        yield db
    finally:
        await database.close_pool()


@pytest.fixture
def make_user(db: str, monkeypatch: pytest.MonkeyPatch) -> MakeUser:
    """`await make_user(role="coordinator", legal_circle="sgb2", email=None)`: an active user
    with a password and an API token. Needs an open pool: use it with `client` or `pool`.

    Hashing a password with the production parameters takes a quarter to half a second; the
    users' passwords repeat from test to test, so their hashes are made once per process and
    handed to `create_user` (every other password the test sets is hashed as usual)."""
    numbers = itertools.count(1)
    hash_as_usual = actions.hash_password_async

    async def hash_password(password: str) -> str:
        if password in _USER_PASSWORD_HASHES:
            return _USER_PASSWORD_HASHES[password]
        return await hash_as_usual(password)

    monkeypatch.setattr(actions, "hash_password_async", hash_password)

    async def make(role: str = "coordinator", legal_circle: str = "sgb2",
                   email: str | None = None) -> MadeUser:
        number = next(numbers)
        email = email or f"{role}.{number}@jobcenter.example"
        password = f"pw-{number}-{USER_PASSWORD_SECRET}"
        await _user_password_hash(password)
        user = await actions.create_user(Actor.system("tests"), SYSTEM_CLOCK, service.NewUser(
            email, f"Test {role.title()} {number}", Role(role), LegalCircle(legal_circle),
            password))
        _token_id, token = await sessions.create_api_token(user.id, "tests", SYSTEM_CLOCK.now())
        return MadeUser(user, email, password, token, {"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port, recording what it receives."""
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """One Chromium per test process (skips without it unless REQUIRE_BROWSER=1): launching
    it is a second or two of CPU. Tests get it through `browser`, which gives each test its
    own contexts (cookies, storage) and closes them afterwards."""
    path = require_chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def browser(pool: str, chromium: Browser) -> AsyncIterator[Browser]:
    """Debian's Chromium driven by Playwright (skips without it unless REQUIRE_BROWSER=1);
    `pool` first, so the pages' database is composed and empty. The browser is shared by the
    process's tests; the contexts a test opened are closed after it, so none sees another's
    cookies or pages."""
    assert not chromium.contexts, "a previous test left a browser context open"
    try:
        yield chromium
    finally:
        for context in chromium.contexts:
            await context.close()


@pytest.fixture(scope="session", autouse=True)
def shared_services() -> Iterator[None]:
    """Stops the `network serve` processes that browser tests share (tests.support.browser
    `served`) at the end of the session."""
    yield
    stop_shared_services()
