"""Run the real `network` command in a child process, as an operator would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

NETWORK = str(Path(sys.executable).with_name("network"))


def environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update({"DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **overrides})
    return env


def run(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([NETWORK, *args], env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    """`network serve` in a child process, with its output in a file."""

    def __init__(self, data_dir: Path, log: Path, *options: str, **env: str):
        self.port = free_port()
        self.data_dir = data_dir
        self.log = log
        self.process = subprocess.Popen(
            [NETWORK, "serve", "--port", str(self.port), *options],
            env=environment(data_dir, **{"MAIL_CATCHER_PORT": str(free_port()), **env}),
            stdout=log.open("w"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, deadline_seconds: float = 120) -> float:
        """Seconds until /health answered 200; fails if the process dies or time runs out."""
        started = time.monotonic()
        while time.monotonic() - started < deadline_seconds:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # polling a child process under a deadline
        raise AssertionError(f"/health did not answer 200 in time:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text()

    def stop(self, signum: int, timeout: float = 60) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout)


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
