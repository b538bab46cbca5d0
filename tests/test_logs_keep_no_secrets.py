"""No secret and no email address reaches the log, in either LOG_FORMAT, on the error paths:
the service runs under uvicorn on a real port, its database behind a TCP relay that the test
cuts, and what the configured log handler writes is searched for every secret the test used.

The paths provoked: an unhandled error in a handler whose locals hold the bearer token, the
session cookie, the CSRF token and a password (and whose message holds a database URL with
its password); fields named like secrets passed to the logger, nested request headers among
them, and top-level ones (authorization, cookie, api_key); sign-ins (right, wrong, and while
the database is cut); a service that starts while its database URL leads nowhere.
"""

from __future__ import annotations

import asyncio
import io
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import uvicorn
from litestar import Request, post
from uvicorn.lifespan.on import LifespanOn

from network.accounts.access import PUBLIC
from network.accounts.sessions import SESSION_COOKIE
from network.app import create_app
from network.request_log import request_log_middleware
from network.settings import Settings
from tests.support.app import MakeUser, make_settings
from tests.support.cli_process import free_port
from tests.support.polling import until
from tests.support.tcp_relay import TcpRelay

DB_PASSWORD = "db-pass-" + secrets.token_hex(8)
SMTP_PASSWORD = "smtp-pass-" + secrets.token_hex(8)
LOCAL_PASSWORD = "local-pass-" + secrets.token_hex(8)

log = logging.getLogger("network.tests.failing")


@post("/test/boom", opt=PUBLIC, include_in_schema=False)
async def boom(request: Request) -> None:
    """A handler that fails with secrets in its locals, its log fields and its message."""
    authorization = request.headers.get("authorization")
    cookie = request.headers.get("cookie")
    body = await request.json()
    password = body["password"]
    log.warning("about to fail", extra={
        "password": password, "headers": dict(request.headers),
        "smtp_url": f"smtps://mailer:{SMTP_PASSWORD}@mail.example.org:465",
        "form": {"email": body["email"], "csrf_token": body["csrf"]}})
    log.error("secret-named fields", extra={
        "authorization": authorization, "cookie": cookie, "api_key": LOCAL_PASSWORD})
    raise RuntimeError(
        f"lost postgresql://network:{DB_PASSWORD}@db.internal:5432/network ({password=})")


def with_password(database_url: str, port: int) -> str:
    """The test database, reached through the relay on `port`, with a password in its URL
    (the test server trusts local connections, so any password is accepted)."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", f"{parts.username or 'postgres'}:{DB_PASSWORD}"
                       f"@127.0.0.1:{port}", parts.path, "", ""))


@asynccontextmanager
async def uvicorn_serving(settings: Settings) -> AsyncIterator[tuple[str, io.StringIO]]:
    """The app as `network serve` runs it (request log outside, uvicorn on a real port, its
    loggers through ours), with the log handler writing into a buffer the test reads."""
    app = create_app(settings)
    app.register(boom)
    written = io.StringIO()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)
    server = uvicorn.Server(uvicorn.Config(
        request_log_middleware(app), host="127.0.0.1", port=free_port(), log_config=None,
        access_log=False, lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        await until(lambda: server.started or task.done(), what="uvicorn starting")
        yield f"http://127.0.0.1:{server.config.port}", written
    finally:
        server.should_exit = True
        await task


async def failed_startup(settings: Settings) -> str:
    app = create_app(settings)
    written = io.StringIO()
    logging.getLogger().handlers[0].setStream(written)  # type: ignore[attr-defined]
    config = uvicorn.Config(request_log_middleware(app), log_config=None, lifespan="on")
    config.load()
    lifespan = LifespanOn(config)
    await lifespan.startup()
    assert lifespan.should_exit
    return written.getvalue()


@pytest.mark.parametrize("log_format", ["console", "json"])
async def test_the_log_holds_no_secret_on_any_error_path(
        log_format: str, db: str, tmp_path: Path, make_user: MakeUser) -> None:
    relay = TcpRelay(db)
    database_url = with_password(db, await relay.start())
    settings = make_settings(tmp_path, DATABASE_URL=database_url, LOG_FORMAT=log_format,
                             LOG_LEVEL="INFO", SMTP_URL=f"smtp://mailer:{SMTP_PASSWORD}@localhost:25")
    async with uvicorn_serving(settings) as (url, written), httpx.AsyncClient(
            base_url=url) as http:
        user = await make_user(email="maria.musterfrau@jobcenter.example")
        wrong = await http.post("/api/v1/auth/login", json={
            "email": user.email, "password": "wrong-" + user.password})
        assert wrong.status_code == 401
        signed_in = await http.post("/api/v1/auth/login", json={
            "email": user.email, "password": user.password})
        assert signed_in.status_code == 200, signed_in.text
        session, csrf = signed_in.cookies[SESSION_COOKIE], signed_in.json()["csrf_token"]

        failed = await http.post("/test/boom", headers={**user.headers, "X-CSRF-Token": csrf},
                                 json={"email": user.email, "password": LOCAL_PASSWORD,
                                       "csrf": csrf})
        assert failed.status_code == 500

        await relay.cut()  # the database is gone: sign-in and a page fail
        during = await http.post("/api/v1/auth/login", json={
            "email": user.email, "password": user.password})
        assert during.status_code >= 500
        await http.get("/clients")
    # The relay is closed: the database URL leads nowhere, startup fails (uvicorn's lifespan
    # logs it; its server would then exit the process).
    written_at_start = await failed_startup(settings)

    logged = written.getvalue() + written_at_start
    assert "Traceback" in logged and "RuntimeError" in logged
    assert "about to fail" in logged and "secret-named fields" in logged, logged
    secret_values = {
        "database password": DB_PASSWORD, "smtp password": SMTP_PASSWORD,
        "password in a local": LOCAL_PASSWORD, "user's password": user.password,
        "api token": user.token, "session cookie": session, "csrf token": csrf,
        "email address (personal data)": "maria.musterfrau",
    }
    leaked = {name for name, value in secret_values.items() if value in logged}
    assert leaked == set(), logged
    assert "[redacted]" in logged
    if log_format == "console":  # no frame's variables, whatever formatter is installed
        assert "locals" not in logged and "request = <" not in logged, logged
