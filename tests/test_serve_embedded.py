"""With no DATABASE_URL, `network serve` runs on a private PostgreSQL and leaves none behind."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.cli_process import Service, alive, postmaster_pid

pytestmark = pytest.mark.slow


def test_it_serves_on_a_bare_machine_and_stops_its_postgres_on_sigterm_and_ctrl_c(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    service = Service(data_dir, tmp_path / "first.log")
    seconds = service.wait_healthy()
    print(f"first start (initdb, migrations) healthy after {seconds:.1f} s")
    pid = postmaster_pid(data_dir)
    assert alive(pid)
    assert service.stop(signal.SIGTERM) != -signal.SIGKILL
    assert not alive(pid), "SIGTERM left the embedded PostgreSQL running"

    service = Service(data_dir, tmp_path / "second.log")
    service.wait_healthy()
    pid = postmaster_pid(data_dir)
    service.stop(signal.SIGINT)
    assert not alive(pid), "Ctrl-C left the embedded PostgreSQL running"
    assert "Traceback" not in service.output()


def test_it_recovers_after_kill_9_and_then_stops_the_server_it_adopted(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    service = Service(data_dir, tmp_path / "first.log")
    service.wait_healthy()
    orphan = postmaster_pid(data_dir)
    service.stop(signal.SIGKILL)
    assert alive(orphan)  # nobody was left to stop it

    service = Service(data_dir, tmp_path / "second.log")
    service.wait_healthy()
    pid = postmaster_pid(data_dir)
    service.stop(signal.SIGTERM)
    assert not alive(pid) and not alive(orphan)
