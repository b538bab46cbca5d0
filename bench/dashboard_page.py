"""2. HTML pages against the JSON endpoint, signed in as a browser (session cookie).

The like-for-like pair is the referral list page `/referrals?status=offen&coordinator=ID`
against `GET /api/v1/referrals` with the same filter (the coordinator's open referrals, first
page of 50): both run `list_referrals` (count + page) and write one audit row; the page adds
the names it shows (clients of the page, partner and staff pickers) and the template.
The dashboard `/` is printed alongside: it runs seven queries (open cases, overdue referrals,
referrals waiting for an answer, the audit row, barriers without an open referral, client
names, failed email count), so it is no like-for-like partner of one JSON call.

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
RATE_TARGET = 0.80


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
        print(f"coordinator {coordinator}, open statuses {statuses}")
        results: dict[str, list[common.Figures]] = {name: [] for name in sides}
        for _ in range(rounds):  # alternate, so drift in the machine hits every side
            for name, target in sides.items():
                results[name].append(await common.load_http(
                    name, target, headers=headers, requests=requests,
                    concurrency=concurrency))
    for figures in (f for runs in results.values() for f in runs):
        print(figures.line())
    best = {name: max(runs, key=lambda f: f.per_second) for name, runs in results.items()}
    print("best rounds: HTML list vs JSON list: " + common.compare(
        best["HTML /referrals"], best["JSON /api/v1/referrals"], rate_target=RATE_TARGET,
        p99_target=None))
    print("dashboard vs JSON list (not like for like): " + common.compare(
        best["HTML / (dashboard)"], best["JSON /api/v1/referrals"], rate_target=RATE_TARGET,
        p99_target=None))


def main() -> None:
    common.run_http_benchmark(__doc__ or "", measure, default_requests=2000)


if __name__ == "__main__":
    main()
