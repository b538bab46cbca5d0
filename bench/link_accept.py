"""3b. A partner accepts a referral through the link page, against raw asyncpg doing the same
writes.

Links are issued with `network.links.tokens.issue_sealed_link` (filled in as an email would
be) for `sent` referrals (one per accept; each accept uses one up). Sides, alternating in
rounds, on distinct referrals:
- service: what `POST /p/{token}` does with the database, in one transaction as the POST
  does: `open_page` (find the link, load the referral) and `links.service.act` with action
  accept (transition with the lock, event, audit row, coordinator email rendered into the
  outbox, reminders cancelled and the follow-up planned, the link marked used, the page
  after it), 8 concurrent, in this process;
- raw: one transaction with the same writes in hand-written SQL (lock the referral, update
  status + version, insert the event and the audit row, cancel the pending reminders, insert
  the follow-up, cancel the barrier's uncovered reminder, insert the outbox row with a
  pre-rendered body, mark the link used).
Then through HTTP like a browser: GET the page, parse the hidden `nonce`/`proof`, POST
`aktion=accept`; sequential and few (the link pages allow 120 requests per minute and
address, and each accept is two), so only its latency is printed.

    uv run python -m bench.link_accept --scale district [--accepts 200 --rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from bench import common
from network import database
from network.clock import FixedClock
from network.composition import compose
from network.links import service as links
from network.links.tokens import fill_links, issue_sealed_link, link_url
from network.settings import Settings
from network.transactions import transaction

RATE_TARGET = 0.50
CONCURRENCY = 8
HTTP_ACCEPTS = 40
WARM_UP = 10
BODY = "x" * 1500  # about the size of the rendered status email


async def issue_links(url: str, settings: Settings, count: int) -> list[tuple[int, str]]:
    """`count` fresh links on `sent` referrals, newest first: (referral id, token)."""
    await database.start_pool(url, 2)
    try:
        async with transaction() as connection:
            rows = await connection.fetch(
                "SELECT id, partner_id FROM referrals WHERE status = 'sent' ORDER BY id DESC"
                " LIMIT $1", count)
            if len(rows) < count:
                raise SystemExit(f"only {len(rows)} sent referrals left: run bench.generate")
            now = datetime.now(UTC)
            prefix = link_url(settings.base_url, "")
            return [(row["id"], fill_links((await issue_sealed_link(
                settings.secret_key, row["id"], row["partner_id"], now,
                timedelta(days=60))).placeholder, settings.base_url,
                settings.secret_key).removeprefix(prefix)) for row in rows]
    finally:
        await database.close_pool()


async def service_side(settings: Settings, tokens: list[tuple[int, str]]) -> common.Figures:
    async def accept(index: int) -> bool:
        now = datetime.now(UTC)
        async with transaction():  # the POST's one transaction
            page = await links.open_page(tokens[index][1], now, full=False)
            acted = await links.act(page, links.ActionForm("accept"), FixedClock(now))
        return acted.changed

    return await common.run_concurrently("service open_page + act", accept,
                                         requests=len(tokens), concurrency=CONCURRENCY)


async def raw_side(pool: asyncpg.Pool, tokens: list[tuple[int, str]]) -> common.Figures:
    async def accept(index: int) -> bool:
        referral_id = tokens[index][0]
        now = datetime.now(UTC)
        async with pool.acquire() as connection, connection.transaction():
            row = await connection.fetchrow(
                "SELECT r.status, r.barrier_id, r.client_id, u.email, l.id AS link_id,"
                " l.partner_id FROM referrals r JOIN app_user u ON u.id = r.coordinator_id"
                " JOIN partner_links l ON l.id = (SELECT max(id) FROM partner_links"
                " WHERE referral_id = r.id) WHERE r.id = $1 FOR UPDATE OF r", referral_id)
            await connection.execute(
                "UPDATE referrals SET status = 'accepted', updated_at = $2,"
                " version = version + 1 WHERE id = $1", referral_id, now)
            await connection.execute(
                "INSERT INTO referral_events (referral_id, at, event, actor_kind, from_status,"
                " to_status) VALUES ($1, $2, 'status_changed', 'partner', 'sent', 'accepted')",
                referral_id, now)
            await connection.execute(
                "INSERT INTO audit_log (at, action, entity, entity_id, details, actor_kind,"
                " partner_id, link_id) VALUES ($1, 'referral.transition', 'referral', $2,"
                " '{\"to\": \"accepted\", \"changed\": true}', 'partner', $3, $4)",
                now, str(referral_id), row["partner_id"], row["link_id"])
            await connection.execute(
                "UPDATE reminders SET status = 'cancelled', cancelled_because = 'answered'"
                " WHERE referral_id = $1 AND status = 'pending'", referral_id)
            await connection.execute(
                "INSERT INTO reminders (kind, recipient, referral_id, barrier_id, client_id,"
                " sequence, epoch, due_at, created_at) VALUES ('outcome_follow_up', 'partner',"
                " $1, $2, $3, 1, $4, $5, $4) ON CONFLICT DO NOTHING", referral_id,
                row["barrier_id"], row["client_id"], now, now + timedelta(days=14))
            await connection.execute(
                "UPDATE reminders SET status = 'cancelled', cancelled_because ="
                " 'barrier_covered' WHERE barrier_id = $1 AND kind = 'barrier_uncovered'"
                " AND status = 'pending'", row["barrier_id"])
            await connection.execute(
                "INSERT INTO outbox (message_id, template, recipients, subject, body_text,"
                " body_html, due_at, dedupe_key, client_id, referral_id) VALUES ($1,"
                " 'referral_status_changed', $2, $3, $4, $4, $5, NULL, $6, $7)",
                f"<raw-{referral_id}-{now.timestamp()}@bench>", [row["email"]],
                f"Vermittlung {referral_id}: angenommen", BODY, now, row["client_id"],
                referral_id)
            await connection.execute(
                "UPDATE partner_links SET last_used_at = $2 WHERE id = $1", row["link_id"], now)
        return True

    return await common.run_concurrently("raw asyncpg, same writes", accept,
                                         requests=len(tokens), concurrency=CONCURRENCY)


HIDDEN = re.compile(r'name="(nonce|proof)" value="([^"]*)"')


async def http_side(base: str, tokens: list[tuple[int, str]]) -> common.Figures:
    """Like a browser: GET the page, take the hidden fields of the accept form, POST."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def accept(index: int) -> bool:
            token = tokens[index][1]
            page = await client.get(f"/p/{token}")
            fields = dict(HIDDEN.findall(page.text))
            started = time.perf_counter()
            response = await client.post(f"/p/{token}", data={**fields, "aktion": "accept"})
            post_times.append(time.perf_counter() - started)
            return response.status_code == 200 and "angenommen" in response.text

        post_times: list[float] = []
        figures = await common.run_concurrently("HTTP GET + POST /p/{token}", accept,
                                                requests=len(tokens), concurrency=1)
    return common.Figures("HTTP POST /p/{token} alone", len(tokens), sum(post_times),
                          post_times, figures.errors)


async def measure(url: str, accepts: int, rounds: int) -> None:
    env = common.app_env(url, CONCURRENCY)
    settings = Settings.from_env(env)
    compose(settings)  # the emails' and reminders' subscribers
    tokens = await issue_links(url, settings,
                               2 * accepts * rounds + HTTP_ACCEPTS + 2 * WARM_UP)
    await database.start_pool(url, CONCURRENCY)
    pool = await asyncpg.create_pool(url, min_size=CONCURRENCY, max_size=CONCURRENCY,
                                     server_settings=database.PLANNING)
    ours, raw = [], []
    try:
        # not counted: the first accept of a process loads the email templates and the
        # holiday calendar, which the concurrent first ones would all wait for
        await service_side(settings, tokens[-2 * WARM_UP:-WARM_UP])
        for round_ in range(rounds):  # alternate, so drift in the machine hits both sides
            chunk = tokens[2 * accepts * round_:2 * accepts * (round_ + 1)]
            ours.append(await service_side(settings, chunk[:accepts]))
            raw.append(await raw_side(pool, chunk[accepts:]))
    finally:
        await pool.close()
        await database.close_pool()
    with common.uvicorn_process("network.app:app_from_environment", common.free_port(), env,
                                factory=True) as base:
        await http_side(base, tokens[-WARM_UP:])  # the server's first requests: not counted
        http = await http_side(base, tokens[-HTTP_ACCEPTS - 2 * WARM_UP:-2 * WARM_UP])
    for figures in ours + raw + [http]:
        print(figures.line())
    best_ours = max(ours, key=lambda f: f.per_second)
    best_raw = max(raw, key=lambda f: f.per_second)
    print("best rounds: " + common.compare(best_ours, best_raw, rate_target=RATE_TARGET,
                                           p99_target=None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--accepts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    asyncio.run(measure(url, args.accepts, args.rounds))


if __name__ == "__main__":
    main()
