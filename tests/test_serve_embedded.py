"""With no DATABASE_URL, `network serve` runs on a private PostgreSQL and leaves none behind."""

from __future__ import annotations

import shutil
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli_process import Service, alive, postmaster_pid
from tests.support.database import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """Outside pytest's temporary tree: the embedded PostgreSQL runs as its own system user
    when we are root and needs to traverse the path, and pytest resets its tree to 0700."""
    path = ROOT / ".test-data" / f"serve-{uuid.uuid4().hex[:8]}"
    path.parent.mkdir(exist_ok=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_it_serves_on_a_bare_machine_and_stops_its_postgres_on_sigterm_and_ctrl_c(
    tmp_path: Path, data_dir: Path
) -> None:
    service = Service(data_dir, tmp_path / "first.log")
    seconds = service.wait_healthy()
    print(f"first start (initdb, migrations) healthy after {seconds:.1f} s")
    pid = postmaster_pid(data_dir)
    assert alive(pid)
    assert service.stop(signal.SIGTERM) in (0, 128 + signal.SIGTERM)
    assert not alive(pid), "SIGTERM left the embedded PostgreSQL running"

    service = Service(data_dir, tmp_path / "second.log")
    service.wait_healthy()
    pid = postmaster_pid(data_dir)
    service.stop(signal.SIGINT)
    assert not alive(pid), "Ctrl-C left the embedded PostgreSQL running"
    assert "Traceback" not in service.output()


def test_it_recovers_after_kill_9_and_then_stops_the_server_it_adopted(
    tmp_path: Path, data_dir: Path
) -> None:
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
