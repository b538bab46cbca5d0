"""7. One instance under load: each page's peak rate, its latency at half that rate, and the
server's memory (RSS) through minutes of mixed load.

Pages: the coordinator's referral list as JSON (`GET /api/v1/referrals`, open referrals of
the busiest coordinator), the dashboard `/` (signed in as a browser), and a partner's link
page `GET /p/{token}`. The partner pages are rate-limited per link (30 a minute) and per
address (120 a minute), as in production: the load spreads over 200 links and comes from 64
loopback addresses (127.0.0.2-65), like many partners' offices, so no request is refused.

1. peak: each page alone, closed loop (`--concurrency` clients, `--requests` requests);
2. half: each page alone, open loop at half its peak rate for `--half-seconds`: p50/p99;
3. mixed: all three at once, each at half its peak rate divided by three, for `--minutes`;
   the server's RSS sampled every 10 s; p99 of each page over the whole phase.

    uv run python -m bench.soak --scale district [--minutes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import psutil

from bench import common
from bench.accounts import busiest_coordinator
from bench.dashboard_page import sign_in
from bench.link_accept import issue_links
from network.referrals.lifecycle import OPEN_STATUSES
from network.settings import Settings

P99_TARGET_MS = 100.0
RSS_TARGET_MB = 250.0
LINKS = 200
ADDRESSES = [f"127.0.0.{n}" for n in range(2, 66)]

Get = Callable[[int], Awaitable[bool]]


def server_process(port: int) -> psutil.Process:
    """The uvicorn process serving `port` (started by common.uvicorn_process)."""
    for process in psutil.process_iter(["cmdline"]):
        command = process.info["cmdline"] or []
        if "uvicorn" in " ".join(command) and str(port) in command:
            return process
    raise RuntimeError(f"no uvicorn process on port {port}")


async def open_loop(name: str, get: Get, *, rate: float, seconds: float) -> common.Figures:
    """Requests started at a fixed `rate` (not waiting for answers) for `seconds`; latency of
    each from its start. At most 500 in flight: beyond that the server has fallen behind."""
    latencies: list[float] = []
    errors = 0
    in_flight: set[asyncio.Task[None]] = set()

    async def one(index: int) -> None:
        nonlocal errors
        started = time.perf_counter()
        ok = await get(index)
        latencies.append(time.perf_counter() - started)
        errors += not ok

    begun = time.perf_counter()
    count = int(rate * seconds)
    for index in range(count):
        delay = begun + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)  # the load's schedule, not a wait for a result
        if len(in_flight) >= 500:
            errors += 1
            continue
        task = asyncio.create_task(one(index))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    await asyncio.gather(*in_flight)
    return common.Figures(name, len(latencies), time.perf_counter() - begun, latencies, errors)


async def measure(url: str, *, requests: int, concurrency: int, half_seconds: float,
                  minutes: float) -> None:
    coordinator = await busiest_coordinator(url)
    statuses = "&".join(f"status={s.value}" for s in sorted(OPEN_STATUSES))
    env = common.app_env(url, pool_size=10)
    settings = Settings.from_env(env)
    tokens = [token for _, token in await issue_links(url, settings, LINKS)]
    port = common.free_port()
    with common.uvicorn_process("network.app:app_from_environment", port, env,
                                factory=True) as base:
        server = server_process(port)
        headers = await sign_in(url, base, coordinator)
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        staff = httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30)
        partners = [httpx.AsyncClient(base_url=base, timeout=30, transport=(
            httpx.AsyncHTTPTransport(local_address=address, limits=httpx.Limits(
                max_connections=4, max_keepalive_connections=4)))) for address in ADDRESSES]

        def staff_get(path: str) -> Get:
            async def get(_: int) -> bool:
                return (await staff.get(path)).status_code == 200
            return get

        async def partner_get(index: int) -> bool:
            client = partners[index % len(partners)]
            response = await client.get(f"/p/{tokens[index % len(tokens)]}")
            return response.status_code == 200

        pages: dict[str, Get] = {
            "JSON /api/v1/referrals": staff_get(
                f"/api/v1/referrals?coordinator_id={coordinator}&{statuses}"),
            "HTML / (dashboard)": staff_get("/"),
            "HTML /p/{token}": partner_get,
        }
        try:
            print(f"server pid {server.pid}, RSS at start"
                  f" {server.memory_info().rss / 2**20:.0f} MB")
            peaks: dict[str, float] = {}
            for name, get in pages.items():
                for index in range(30):  # warm up
                    await get(index)
                figures = await common.run_concurrently(
                    f"{name} peak", get, requests=requests, concurrency=concurrency)
                peaks[name] = figures.per_second
                print(figures.line())
            for name, get in pages.items():
                figures = await open_loop(f"{name} at half", get, rate=peaks[name] / 2,
                                          seconds=half_seconds)
                verdict = "met" if figures.percentile(99) < P99_TARGET_MS else "missed"
                print(f"{figures.line()}  (p99 target < {P99_TARGET_MS:.0f} ms: {verdict})")
            rss: list[float] = []

            async def sample() -> None:
                while True:
                    rss.append(server.memory_info().rss / 2**20)
                    await asyncio.sleep(10)  # the sampling period, not a wait for a result

            sampler = asyncio.create_task(sample())
            mixed = await asyncio.gather(*(
                open_loop(f"{name} mixed", get, rate=peaks[name] / 6, seconds=minutes * 60)
                for name, get in pages.items()))
            sampler.cancel()
            rss.append(server.memory_info().rss / 2**20)
            for figures in mixed:
                print(figures.line())
            verdict = "met" if rss[-1] < RSS_TARGET_MB else "missed"
            print(f"RSS over {minutes:g} min of mixed load: start {rss[0]:.0f} MB, max"
                  f" {max(rss):.0f} MB, end {rss[-1]:.0f} MB (target < {RSS_TARGET_MB:.0f} MB:"
                  f" {verdict})")
        finally:
            await staff.aclose()
            for client in partners:
                await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--half-seconds", type=float, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    asyncio.run(measure(url, requests=args.requests, concurrency=args.concurrency,
                        half_seconds=args.half_seconds, minutes=args.minutes))


if __name__ == "__main__":
    main()
