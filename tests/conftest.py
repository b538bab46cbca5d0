"""A small world for every test: a real PostgreSQL with the real migrations applied.

The server is DATABASE_URL's when set (CI points it at the machine's PostgreSQL), else a
private one from `pgserver` kept in .test-data/. Each checkout gets its own database, named
after its path, so two working copies on one machine never share tables. Every test starts
from empty tables.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import hypothesis
import pytest

from network import database
from network.accounts import actions, service, sessions
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.actors import Actor
from network.app import create_app
from network.clock import SYSTEM_CLOCK
from network.composition import compose
from network.embedded_postgres import embedded_postgres
from network.settings import Settings

# Property tests: the same examples on every run and machine, no first-example deadlines (the
# first example pays for imports and connections). Every @given test runs under this profile;
# per-test @settings only set how many examples and which health checks to skip.
hypothesis.settings.register_profile("network", derandomize=True, deadline=None, database=None)
hypothesis.settings.load_profile("network")

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE = "network_test_" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
# Not emptied between tests: Piccolo's bookkeeping and reference data seeded by migrations.
# A test that changes reference data puts it back.
KEEP_TABLES = {"migration", "prospect_countries"}


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A maintenance URL of the PostgreSQL server the tests use."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    with embedded_postgres(ROOT / ".test-data") as url:
        yield url


async def recreate_database(server_url: str, name: str) -> str:
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server_url, name)


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


@pytest.fixture
async def db(database_url: str, app_tables: list[str]) -> str:
    """The test database, with every table emptied: each test starts from nothing."""
    await empty_tables(database_url, app_tables)
    return database_url


async def empty_tables(database_url: str, tables: list[str]) -> None:
    if not tables:
        return
    connection = await asyncpg.connect(database_url)
    try:
        names = ", ".join(f'"{name}"' for name in tables)
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    environ = {
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_ENABLED": "false",  # tests call the jobs' steps themselves
        **overrides,
    }
    return Settings.from_env(environ)


@pytest.fixture
def settings(tmp_path: Path, db: str) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db)


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan run on the test's own event loop, so tests can call service
    functions and the app's pool alike; requests go through httpx's ASGI transport."""
    app = create_app(settings)
    started, stop = asyncio.Event(), asyncio.Event()

    async def run_lifespan() -> None:
        # One task enters and leaves the lifespan: pytest-asyncio runs a fixture's setup and
        # teardown in different tasks, which anyio's cancel scopes inside it do not allow.
        async with app.lifespan():
            started.set()
            await stop.wait()

    lifespan = asyncio.create_task(run_lifespan())
    await asyncio.wait([lifespan, asyncio.create_task(started.wait())],
                       return_when=asyncio.FIRST_COMPLETED)
    if lifespan.done():
        await lifespan  # startup failed: raise its error
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as client:
            yield client
    finally:
        stop.set()
        await lifespan


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


@dataclass(frozen=True)
class MadeUser:
    """A user made by `make_user`: sign in with email/password, or call the API with
    `headers` (its personal API token as `Authorization: Bearer`)."""

    user: CurrentUser
    email: str
    password: str
    token: str
    headers: dict[str, str]


MakeUser = Callable[..., Awaitable[MadeUser]]


@pytest.fixture
def make_user(db: str) -> MakeUser:
    """`await make_user(role="coordinator", legal_circle="sgb2", email=None)`: an active user
    with a password and an API token. Needs an open pool: use it with `client` or `pool`."""
    numbers = itertools.count(1)

    async def make(role: str = "coordinator", legal_circle: str = "sgb2",
                   email: str | None = None) -> MadeUser:
        number = next(numbers)
        email = email or f"{role}.{number}@jobcenter.example"
        password = "pw-" + secrets.token_urlsafe(18)
        user = await actions.create_user(Actor.system("tests"), SYSTEM_CLOCK, service.NewUser(
            email, f"Test {role.title()} {number}", Role(role), LegalCircle(legal_circle),
            password))
        _token_id, token = await sessions.create_api_token(user.id, "tests", SYSTEM_CLOCK.now())
        return MadeUser(user, email, password, token, {"Authorization": f"Bearer {token}"})

    return make


async def login_browser(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign the client in like a browser: it keeps the session cookie; returns the CSRF token
    to send as X-CSRF-Token on unsafe requests."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]
