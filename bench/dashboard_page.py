"""2. HTML pages against the JSON endpoints, signed in as a browser (session cookie).

The like-for-like pair is the referral list page `/referrals?status=offen&coordinator=ID`
against `GET /api/v1/referrals` with the same filter (the coordinator's open referrals, first
page of 50): both run `list_referrals` (count + page) and write one audit row; the page adds
the names it shows (clients of the page, partner and staff pickers) and the template.

The dashboard `/` is measured against the JSON calls that return what it shows, made one
after the other by one client (one "request" of that side = the whole set; DASHBOARD_JSON):
the coordinator's open cases, the overdue referrals, the referrals waiting for an answer, the
pending handovers between legal circles and the email counts (of which the page shows the
failed). Parts of the dashboard without a JSON counterpart are not in the set, so the page
does more than its baseline: the barriers without an open referral (`/api/v1/barriers`
lists all unfinished barriers, a different list), the partners' answers of the last 7 days,
the upcoming appointments, today's reminders, the data requests due, and the client names.
The old comparison against the one JSON list is printed too.

    uv run python -m bench.dashboard_page --scale district [--requests 2000 --concurrency 16]
"""

from __future__ import annotations

import asyncpg
import httpx

from bench import common
from bench.accounts import busiest_coordinator
from network.accounts.passwords import hash_password
from network.referrals.lifecycle import OPEN_STATUSES

PASSWORD = "benchmark-password-1234"
SHOWN = 10  # network.web.dashboard.SHOWN: rows per dashboard list


def dashboard_json(coordinator: int) -> list[str]:
    """The JSON calls that return what the dashboard shows (see the module's text)."""
    return [f"/api/v1/clients?status=open&coordinator_id={coordinator}&limit={SHOWN}",
            f"/api/v1/referrals?coordinator_id={coordinator}&overdue=true&limit={SHOWN}",
            f"/api/v1/referrals?coordinator_id={coordinator}&status=sent&overdue=false"
            f"&limit={SHOWN}",
            "/api/v1/circle-handovers", "/api/v1/mail/status"]


async def load_set(name: str, base: str, paths: list[str], *, headers: dict[str, str],
                   requests: int, concurrency: int) -> common.Figures:
    """Like common.load_http, but one request = GET every path in turn (a client that
    gathers a page's contents from the JSON API)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as client:
        async def get_all(_: int) -> bool:
            ok = True
            for path in paths:
                ok &= (await client.get(path)).status_code == 200
            return ok

        for _ in range(min(50, requests)):  # warm up, as load_http does
            await get_all(0)
        return await common.run_concurrently(name, get_all, requests=requests,
                                             concurrency=concurrency)
RATE_TARGET = 0.80
SET = "JSON set for the dashboard"


async def sign_in(url: str, base: str, user_id: int) -> dict[str, str]:
    """Give the coordinator a known password, sign in like a browser, return the cookie."""
    connection = await asyncpg.connect(url)
    try:
        email = await connection.fetchval(
            "UPDATE app_user SET password_hash = $2 WHERE id = $1 RETURNING email",
            user_id, hash_password(PASSWORD))
    finally:
        await connection.close()
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/api/v1/auth/login",
                                     json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}


async def measure(url: str, *, requests: int, concurrency: int, rounds: int) -> None:
    coordinator = await busiest_coordinator(url)
    statuses = sorted(s.value for s in OPEN_STATUSES)
    json_query = f"coordinator_id={coordinator}&" + "&".join(f"status={s}" for s in statuses)
    env = common.app_env(url, pool_size=10)
    with common.uvicorn_process("network.app:app_from_environment", common.free_port(), env,
                                factory=True) as base:
        headers = await sign_in(url, base, coordinator)
        sides = {
            "JSON /api/v1/referrals": f"{base}/api/v1/referrals?{json_query}",
            "HTML /referrals": f"{base}/referrals?status=offen&coordinator={coordinator}",
            "HTML / (dashboard)": f"{base}/",
        }
        json_set = dashboard_json(coordinator)
        print(f"coordinator {coordinator}, open statuses {statuses}")
        print("dashboard's JSON set: " + ", ".join(json_set))
        results: dict[str, list[common.Figures]] = {name: [] for name in [*sides, SET]}
        for _ in range(rounds):  # alternate, so drift in the machine hits every side
            for name, target in sides.items():
                results[name].append(await common.load_http(
                    name, target, headers=headers, requests=requests,
                    concurrency=concurrency))
            results[SET].append(await load_set(
                SET, base, json_set, headers=headers, requests=requests,
                concurrency=concurrency))
    for figures in (f for runs in results.values() for f in runs):
        print(figures.line())
    best = {name: max(runs, key=lambda f: f.per_second) for name, runs in results.items()}
    print("best rounds: HTML list vs JSON list: " + common.compare(
        best["HTML /referrals"], best["JSON /api/v1/referrals"], rate_target=RATE_TARGET,
        p99_target=None))
    print(f"dashboard vs its JSON set ({len(dashboard_json(coordinator))} calls): "
          + common.compare(best["HTML / (dashboard)"], best[SET], rate_target=RATE_TARGET,
                           p99_target=None))
    print("dashboard vs one JSON list (the old baseline, not like for like): " + common.compare(
        best["HTML / (dashboard)"], best["JSON /api/v1/referrals"], rate_target=RATE_TARGET,
        p99_target=None))


def main() -> None:
    common.run_http_benchmark(__doc__ or "", measure, default_requests=2000)


if __name__ == "__main__":
    main()
