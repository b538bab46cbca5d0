"""Debian's Chromium for the browser tests: where it is, the flags it runs with, and the rule
that a missing browser skips the tests, unless REQUIRE_BROWSER=1 (CI) makes that a failure."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli_process import Service

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def require_chromium() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


SECRET_KEY = "browser-test-secret-" + "y" * 32
# The one `network serve` per test process, database and settings that browser tests share
# (stopped by the `shared_services` fixture at the end of the session).
_SHARED: dict[tuple[str, tuple[tuple[str, str], ...]], Service] = {}


@contextmanager
def served(tmp_path: Path, database_url: str, **env: str) -> Iterator[Service]:
    """`network serve` for a browser test, healthy, on the test database; what it printed
    during the test must hold no traceback.

    Tests with the same settings share one process: starting it (importing the app, checking
    the migrations) cost seconds per test. It keeps nothing of a test but what is in the
    database, which every test starts empty: sessions, sign-in counters and mail are all rows.
    Settings that change what the service does in the background (its scheduler) get a
    process of their own, stopped after the test."""
    if env.get("SCHEDULER_ENABLED") != "false":
        with _own_service(tmp_path, database_url, **env) as service:
            yield service
        return
    service = _shared_service(tmp_path, database_url, **env)
    start = len(service.output())
    yield service
    during = service.output()[start:]
    assert "Traceback" not in during, during


def _shared_service(tmp_path: Path, database_url: str, **env: str) -> Service:
    key = (database_url, tuple(sorted(env.items())))
    service = _SHARED.get(key)
    if service is not None and service.process.poll() is None:
        return service
    home = tmp_path.parent / f"shared-serve-{len(_SHARED)}-{os.getpid()}"
    home.mkdir(exist_ok=True)
    service = Service(home / "data", home / "serve.log", DATABASE_URL=database_url,
                      SECRET_KEY=SECRET_KEY, **env)
    _SHARED[key] = service
    service.wait_healthy()
    return service


@contextmanager
def _own_service(tmp_path: Path, database_url: str, **env: str) -> Iterator[Service]:
    service = Service(tmp_path / "data", tmp_path / "serve.log", DATABASE_URL=database_url,
                      SECRET_KEY=SECRET_KEY, **env)
    try:
        service.wait_healthy()
        yield service
    finally:
        service.stop(signal.SIGTERM)
    assert "Traceback" not in service.output(), service.output()


def stop_shared_services() -> None:
    """Stop the shared services; their whole output must hold no traceback."""
    outputs = []
    while _SHARED:
        _key, service = _SHARED.popitem()
        if service.process.poll() is None:
            service.stop(signal.SIGTERM)
        outputs.append(service.output())
    for output in outputs:
        assert "Traceback" not in output, output
