"""ASGI middleware that logs one line per HTTP request: method, path, status, duration."""

from __future__ import annotations

import logging
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("network.request")

LINK_PREFIX = "/p/"
SIGN_IN_PREFIX = "/partner/anmelden/"  # a partner's emailed sign-in link: the token is a key
CLIENT_PAGE_PREFIX = "/k/"  # a client's own page (network.cases.client_page): the token is a key
RESET_PREFIX = "/passwort-neu/"  # a password-reset link (network.accounts.password_reset)


def redacted_path(path: str) -> str:
    """The path as it may be logged: a partner link's token is a key, so `/p/<token>/neu`
    becomes `/p/…/neu`."""
    if path.startswith(SIGN_IN_PREFIX):
        return f"{SIGN_IN_PREFIX}…"
    if path.startswith(CLIENT_PAGE_PREFIX):
        return f"{CLIENT_PAGE_PREFIX}…"
    if path.startswith(RESET_PREFIX):
        return f"{RESET_PREFIX}…"
    if not path.startswith(LINK_PREFIX):
        return path
    _token, slash, rest = path[len(LINK_PREFIX):].partition("/")
    return f"{LINK_PREFIX}…{slash}{rest}"


def request_log_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    # never the query string, never a link's token: they are keys
                    "path": redacted_path(scope["path"]),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )

    return middleware
