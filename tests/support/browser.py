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


@contextmanager
def served(tmp_path: Path, database_url: str, **env: str) -> Iterator[Service]:
    """`network serve` for a browser test, healthy, on the test database; stopped afterwards,
    and its output must hold no traceback."""
    service = Service(tmp_path / "data", tmp_path / "serve.log", DATABASE_URL=database_url,
                      SECRET_KEY="browser-test-secret-" + "y" * 32, **env)
    try:
        service.wait_healthy()
        yield service
    finally:
        service.stop(signal.SIGTERM)
    assert "Traceback" not in service.output(), service.output()
