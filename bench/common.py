"""What every benchmark shares: its own database, the scale option, a bounded HTTP load
client, latency statistics, and the real app served by uvicorn in a child process."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from bench.statements import recorded_statements  # noqa: F401  (the benchmarks use it)
from network import database

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
# One database per scale: network_bench_district, ..._national; BENCH_DATABASE gives another
# prefix, so two people (or worktrees) can benchmark on one server without meeting.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "network_bench")
ROOT = Path(__file__).resolve().parent.parent


def scale_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=("tiny", "district", "national"), default="district")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SERVER_URL", SERVER),
                        help="a maintenance URL of the server; the benchmarks use their own "
                             f"database {BENCH_DATABASE}_<scale> on it")


def run_http_benchmark(description: str, measure: Callable[..., Awaitable[None]],
                       default_requests: int) -> None:
    """The command line of an HTTP load benchmark: scale, requests, concurrency, rounds."""
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    scale_argument(parser)
    parser.add_argument("--requests", type=int, default=default_requests)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = asyncio.run(prepare_database(args.database_url, args.scale))
    asyncio.run(measure(url, requests=args.requests, concurrency=args.concurrency,
                        rounds=args.rounds))


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


async def prepare_database(server_url: str, scale: str) -> str:
    """Create the benchmarks' database of this scale when missing; apply the migrations."""
    name = f"{BENCH_DATABASE}_{scale}"
    if not server_url.startswith("postgresql://postgres@127.0.0.1"):
        print(f"note: benchmarking against {database.describe(server_url)}", file=sys.stderr)
    admin = await asyncpg.connect(server_url)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = with_database(server_url, name)
    await database.migrate(url)
    return url


def app_env(url: str, pool_size: int) -> dict[str, str]:
    """Environment for the service under benchmark: quiet logs, no scheduler ticking."""
    return {"DATABASE_URL": url, "SCHEDULER_ENABLED": "false", "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "benchmark-secret-key-" + "x" * 32, "DATA_DIR": tempfile.mkdtemp(),
            "DATABASE_POOL_SIZE": str(pool_size)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Figures:
    """Requests/s and latency of one side of a comparison."""

    name: str
    count: int
    seconds: float
    latencies: list[float]
    errors: int = 0

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def line(self) -> str:
        return (f"{self.name:28} {self.per_second:8.0f}/s  p50 {self.percentile(50):7.2f} ms"
                f"  p99 {self.percentile(99):7.2f} ms  n={self.count} errors={self.errors}")


def compare(ours: Figures, bare: Figures, *, rate_target: float, p99_target: float | None
            ) -> str:
    rate = ours.per_second / bare.per_second
    text = f"ratio {rate:.0%} of the bare rate (target >= {rate_target:.0%})"
    if p99_target is not None:
        p99 = ours.percentile(99) / bare.percentile(99)
        text += f", p99 {p99:.2f}x the bare p99 (target <= {p99_target}x)"
    return text


async def run_concurrently(name: str, call: Callable[[int], Awaitable[bool]], *,
                           requests: int, concurrency: int) -> Figures:
    """`requests` calls of `call(i)` with `concurrency` workers; a call returns success."""
    latencies: list[float] = []
    errors = 0
    next_index = 0

    async def worker() -> None:
        nonlocal next_index, errors
        while next_index < requests:
            index = next_index
            next_index += 1
            started = time.perf_counter()
            ok = await call(index)
            latencies.append(time.perf_counter() - started)
            errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Figures(name, requests, time.perf_counter() - started, latencies, errors)


async def load_http(name: str, url: str, *, headers: dict[str, str], requests: int,
                    concurrency: int) -> Figures:
    """GET `url` `requests` times from `concurrency` clients sharing a keep-alive pool."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:
        async def get(_: int) -> bool:
            response = await client.get(url)
            return response.status_code == 200

        for _ in range(min(50, requests)):  # warm up: connections, caches, JIT-less paths
            await get(0)
        return await run_concurrently(name, get, requests=requests, concurrency=concurrency)


async def client_cost(url: str, *, headers: dict[str, str], requests: int,
                      concurrency: int) -> float:
    """CPU seconds the load client itself spends per request (it shares the 2 cores)."""
    before = time.process_time()
    await load_http("client", url, headers=headers, requests=requests, concurrency=concurrency)
    return (time.process_time() - before) / requests


@contextmanager
def uvicorn_process(target: str, port: int, env: dict[str, str],
                    factory: bool = False) -> Iterator[str]:
    """Serve `target` (module:attribute) with one uvicorn worker on 127.0.0.1:`port`."""
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port",
               str(port), "--no-access-log", "--log-level", "warning", "--loop", "uvloop"
               if _has_uvloop() else "asyncio"]
    if factory:
        command.append("--factory")
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{target} exited with {process.returncode}")
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{target} did not start within 60 s") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True

