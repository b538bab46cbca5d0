"""Debian's Chromium for the browser tests: where it is, the flags it runs with, and the rule
that a missing browser skips the tests, unless REQUIRE_BROWSER=1 (CI) makes that a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def require_chromium() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)
