"""Without Chromium the browser tests skip, with the reason; with REQUIRE_BROWSER=1 (CI) a
missing browser fails them, so CI can never pass them silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import browser


def test_it_skips_without_chromium_and_fails_when_the_browser_is_required(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        browser.require_chromium()
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER=1"):
        browser.require_chromium()


def test_ci_installs_chromium_and_requires_the_browser_tests() -> None:
    script = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "apt-get install -y --no-install-recommends chromium" in script
    assert "export REQUIRE_BROWSER=1" in script
