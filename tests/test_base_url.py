"""Printed and emailed links follow HOST and PORT when BASE_URL is not set."""

from __future__ import annotations

from pathlib import Path

import pytest

from network.settings import Settings


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_env({"DATA_DIR": str(tmp_path), **environ})


def test_it_follows_port_when_base_url_is_unset(tmp_path: Path) -> None:
    assert settings_from(tmp_path, PORT="8123").base_url == "http://localhost:8123"


@pytest.mark.parametrize(("host", "expected"), [
    ("0.0.0.0", "http://localhost:9000"), ("::", "http://localhost:9000"),
    ("ip.kreis-heinsberg.de", "http://ip.kreis-heinsberg.de:9000"),
    ("192.168.1.20", "http://192.168.1.20:9000"), ("fd00::5", "http://[fd00::5]:9000"),
])
def test_it_follows_host_when_base_url_is_unset(tmp_path: Path, host: str,
                                                 expected: str) -> None:
    assert settings_from(tmp_path, HOST=host, PORT="9000").base_url == expected


def test_a_set_base_url_wins_over_host_and_port(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, HOST="0.0.0.0", PORT="8123",
                             BASE_URL="https://ip.kreis-heinsberg.de/")
    assert settings.base_url == "https://ip.kreis-heinsberg.de"
