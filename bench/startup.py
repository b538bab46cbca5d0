"""8. Starting: how long the commands an operator types take, against the bare minimum.

- bare: `python -c` importing litestar and asyncpg and making one database round trip;
- `network check`, `network mail status`, `network reminders preview --at ...`: the whole
  command, process start to exit;
- `network serve` with an existing data directory: process start until `/health` answers;
- `network report build --month M` against the report's own build time in one process
  (`network.reports.actions.build_version`, measured in a fresh process, after its imports).

Each command runs once to warm up, then `--runs` times, alternating, against the scale's
database; the median counts. Every process keeps and reuses its compiled modules, as Python
does by default and as the image deploys them (`UV_COMPILE_BYTECODE`, `compileall` in the
Dockerfile): an inherited PYTHONDONTWRITEBYTECODE is dropped, or every start compiles
Litestar, Pydantic and our modules from source (~0.7 s of CPU; `--no-bytecode` measures that).

    uv run python -m bench.startup --scale district [--runs 5] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import common

TARGET_RATIO = 1.5
SERVE_TARGET_S = 3.0
REPORT_TARGET_RATIO = 2.0
MONTH = "2026-10"

BARE = """
import asyncio, sys
import litestar, asyncpg
async def main():
    connection = await asyncpg.connect(sys.argv[1])
    await connection.fetchval("SELECT 1")
    await connection.close()
asyncio.run(main())
"""

REPORT_ALONE = """
import asyncio, os, sys, time
from network import database
from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.composition import compose
from network.reports import actions
from network.reports.period import ReportMonth
from network.settings import Settings

async def main():
    settings = Settings.from_env(os.environ)
    compose(settings)
    await database.start_pool(settings.database_url, 2)
    try:
        started = time.perf_counter()
        await actions.build_version(Actor.system("bench"), SYSTEM_CLOCK, settings,
                                    ReportMonth.parse(sys.argv[1]))
        print(time.perf_counter() - started)
    finally:
        await database.close_pool()
asyncio.run(main())
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def serve_until_health(env: dict[str, str], data_dir: Path) -> float:
    port = common.free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "network.cli", "serve", "--port", str(port)],
        env={**env, "DATA_DIR": str(data_dir), "SCHEDULER_ENABLED": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + 60
        while time.perf_counter() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.02)  # polling the port with a deadline
        raise RuntimeError("serve did not answer /health within 60 s")
    finally:
        process.terminate()
        process.wait(10)


def measure(url: str, runs: int, bytecode: bool) -> None:
    env = {**os.environ, **common.app_env(url, pool_size=2), "LOG_LEVEL": "WARNING"}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"compiled modules kept: {'PYTHONDONTWRITEBYTECODE' not in env}")
    network = [sys.executable, "-m", "network.cli"]
    commands = {
        "bare: import litestar, asyncpg + 1 query": [sys.executable, "-c", BARE, url],
        "network check": [*network, "check"],
        "network mail status": [*network, "mail", "status"],
        "network reminders preview": [*network, "reminders", "preview", "--at",
                                      "2026-12-01T10:00"],
        "network report build": [*network, "report", "build", "--month", MONTH],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    times["report build alone (in process)"] = []
    times["network serve until /health"] = []
    data_dir = Path(tempfile.mkdtemp())
    serve_until_health(env, data_dir)  # the data directory exists from here on
    for command in commands.values():  # warm-up: compiled modules and the OS's file cache
        timed(command, env)
    for _ in range(runs):  # alternate, so drift hits every command
        for name, command in commands.items():
            times[name].append(timed(command, env))
        alone = subprocess.run([sys.executable, "-c", REPORT_ALONE, MONTH], env=env,
                               check=True, capture_output=True, text=True)
        times["report build alone (in process)"].append(float(alone.stdout.strip()))
        times["network serve until /health"].append(serve_until_health(env, data_dir))
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"{name:44} median {value:6.2f} s  (runs: "
              + ", ".join(f"{v:.2f}" for v in times[name]) + ")")
    bare = median["bare: import litestar, asyncpg + 1 query"]
    for name in ("network check", "network mail status", "network reminders preview"):
        ratio = median[name] / bare
        print(f"{name}: {ratio:.2f}x bare (target <= {TARGET_RATIO}x:"
              f" {'met' if ratio <= TARGET_RATIO else 'missed'})")
    serve = median["network serve until /health"]
    print(f"serve until /health: {serve:.2f} s (target <= {SERVE_TARGET_S:g} s:"
          f" {'met' if serve <= SERVE_TARGET_S else 'missed'})")
    ratio = median["network report build"] / median["report build alone (in process)"]
    print(f"report build: {ratio:.2f}x its own build time (target <= {REPORT_TARGET_RATIO}x:"
          f" {'met' if ratio <= REPORT_TARGET_RATIO else 'missed'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep an inherited PYTHONDONTWRITEBYTECODE: compile at every start")
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    measure(url, args.runs, bytecode=not args.no_bytecode)


if __name__ == "__main__":
    main()
