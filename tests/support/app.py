"""The app under test: its settings, running it in process, its users and signing in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from litestar import Litestar

from network.accounts.access import CurrentUser
from network.app import create_app
from network.clock import SYSTEM_CLOCK, Clock
from network.composition import compose
from network.log_setup import configure_logging
from network.settings import Settings


def make_settings(tmp_path: Path, **overrides: str) -> Settings:
    environ = {
        "DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_ENABLED": "false",  # tests call the jobs' steps themselves
        **overrides,
    }
    return Settings.from_env(environ)


# Apps made for equal settings and the system clock, newest first: building the app (Litestar
# registering some 450 routes) costs a third of a second of CPU, and most tests ask for the
# same settings. An app keeps nothing of a test: its pool opens and closes with each test's
# lifespan, and everything else it knows is in the database, which each test starts empty.
_APPS: list[tuple[Settings, Litestar]] = []
KEPT_APPS = 4


def app_for(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> Litestar:
    """`create_app(settings, clock)`, or the app made before for equal settings when the
    clock is the system's (a test's own clock gets an app of its own). A reused app gets what
    create_app does besides building it: the logging configured and the program composed."""
    if clock is not SYSTEM_CLOCK:
        return create_app(settings, clock)
    for known, app in _APPS:
        if known == settings:
            configure_logging(settings.log_level, settings.log_format)
            compose(settings)
            return app
    app = create_app(settings, clock)
    _APPS.insert(0, (settings, app))
    del _APPS[KEPT_APPS:]
    return app


@asynccontextmanager
async def serving(settings: Settings, clock: Clock = SYSTEM_CLOCK
                  ) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan run on the test's own event loop, so tests can call service
    functions and the app's pool alike; requests go through httpx's ASGI transport."""
    app = app_for(settings, clock)
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


async def login_browser(client: httpx.AsyncClient, email: str, password: str) -> str:
    """Sign the client in like a browser: it keeps the session cookie; returns the CSRF token
    to send as X-CSRF-Token on unsafe requests."""
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]
