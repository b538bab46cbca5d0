"""`GET /api/v1/referrals` (a coordinator's open work, first page) through the real app, side
by side with a bare Litestar + asyncpg handler doing the same work written out (the caller's
token looked up, the page read within their legal circle, the read audited, one transaction)
and with the old baseline, the bare handler's two reads alone (no caller, no audit).

    uv run python -m bench.referrals_list --scale district [--requests 3000 --concurrency 16]

Both run as one uvicorn worker on 127.0.0.1 against the same database; the load client is
httpx (async) in this process, on the same 2 cores; its own CPU cost per request is printed.
"""

from __future__ import annotations

from bench import common
from bench.accounts import api_token, busiest_coordinator

STATUSES = ("sent", "accepted", "in_progress")
RATE_TARGET, P99_TARGET = 0.60, 1.5


async def measure(url: str, *, requests: int, concurrency: int, rounds: int) -> None:
    coordinator = await busiest_coordinator(url)
    token = await api_token(url, coordinator)
    query = f"coordinator_id={coordinator}&" + "&".join(f"status={s}" for s in STATUSES)
    env = common.app_env(url, pool_size=10)
    headers = {"Authorization": f"Bearer {token}"}
    with common.uvicorn_process("network.app:app_from_environment", common.free_port(), env,
                                factory=True) as app_base, \
         common.uvicorn_process("bench.bare_app:app", common.free_port(), env) as bare_base:
        ours_url = f"{app_base}/api/v1/referrals?{query}"
        bare_url = f"{bare_base}/bare/referrals?{query}"
        same_url = f"{bare_base}/bare/referrals/same-work?{query}"
        print(f"filter: {query} (first page of 50)")
        ours, bare, same = [], [], []
        for _ in range(rounds):  # alternate, so drift in the machine hits every side
            ours.append(await common.load_http("service GET /api/v1/referrals", ours_url,
                                               headers=headers, requests=requests,
                                               concurrency=concurrency))
            same.append(await common.load_http("bare, same work (token, scope, audit)",
                                               same_url, headers=headers, requests=requests,
                                               concurrency=concurrency))
            bare.append(await common.load_http("bare Litestar + asyncpg (two reads)", bare_url,
                                               headers={}, requests=requests,
                                               concurrency=concurrency))
        cost = await common.client_cost(bare_url, headers={}, requests=requests // 2,
                                        concurrency=concurrency)
    best_ours = max(ours, key=lambda f: f.per_second)
    for figures in ours + same + bare:
        print(figures.line())
    for name, side in (("same work", same), ("two reads, the old baseline", bare)):
        ratio = common.compare(best_ours, max(side, key=lambda f: f.per_second),
                               rate_target=RATE_TARGET, p99_target=P99_TARGET)
        print(f"best rounds vs bare, {name}: {ratio}")
    print(f"load client CPU: {cost * 1000:.2f} ms per request (same cores as the servers)")


def main() -> None:
    common.run_http_benchmark(__doc__ or "", measure, default_requests=3000)


if __name__ == "__main__":
    main()
