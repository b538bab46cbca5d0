"""A private PostgreSQL in DATA_DIR, for running on a bare machine with no DATABASE_URL.

The binaries come from the `pgserver` package. The server does not stop by itself when
our process gets a signal, so the process that started it stops it explicitly on exit.
An owner file records which process that is: a later start that finds the server still
running under a dead owner (after `kill -9`) adopts it, and stops it in turn; a second
command started while the service runs (`network migrate`) leaves it alone.
"""

from __future__ import annotations

import logging
import os
import signal
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

log = logging.getLogger(__name__)

STOP_TIMEOUT_SECONDS = 30.0


class EmbeddedPostgresError(Exception):
    pass


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[str]:
    """Start (or adopt) the private server and yield its connection URL; stop it on exit."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver  # imported here: it is only needed when no DATABASE_URL is set

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    owner_file = data_dir / "postgres.owner"
    try:
        server = pgserver.get_server(data_dir / "postgres", cleanup_mode=None)
    except Exception as error:  # pgserver raises bare subprocess/assert errors
        raise EmbeddedPostgresError(
            f"the embedded PostgreSQL in {data_dir / 'postgres'} did not start ({error});"
            f" its log is {data_dir / 'postgres' / 'log'}"
        ) from None
    owns = _claim(owner_file)
    postmaster_pid = server.get_pid()
    log.info("embedded postgres ready", extra={"pid": postmaster_pid, "owner": owns})
    try:
        yield server.get_uri()
    finally:
        if owns:
            stop_postmaster(postmaster_pid)
            owner_file.unlink(missing_ok=True)


def _claim(owner_file: Path) -> bool:
    """Become the owner unless a live process already is one."""
    import psutil  # here, not at the top: commands on an external database never need it

    try:
        current = int(owner_file.read_text().strip())
    except (OSError, ValueError):
        current = None
    if current is not None and current != os.getpid() and psutil.pid_exists(current):
        return False
    owner_file.write_text(str(os.getpid()))
    return True


def stop_postmaster(pid: int | None, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit), then wait."""
    import psutil

    if pid is None or not psutil.pid_exists(pid):
        return
    process = psutil.Process(pid)
    os.kill(pid, signal.SIGINT)
    try:
        process.wait(timeout)
    except psutil.TimeoutExpired:
        log.warning("embedded postgres did not stop in time; killing it")
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown; the next start recovers from WAL
        with suppress(psutil.TimeoutExpired):
            process.wait(5)
