"""The database: one Piccolo engine, migrations under an advisory lock, reachability checks.

Every table class names ENGINE below (`db=ENGINE`), so a query never has Piccolo look for
its engine (its finder imports the migration machinery, black included: half a second at a
command's start); Piccolo's own commands find it through `network.piccolo_conf`. `bind()`
points it at the configured server before anything touches the database.

The pool bounds every wait (`DatabaseLimits`): opening a connection, getting one from the pool
(and giving it back), each statement; its TCP connections send keepalives, and the server ends
its sessions left idle in a transaction. A server that stops answering without closing the
connection (a black hole) so becomes an error within seconds, which the pages answer with 503
(network.outage); a connection that failed is discarded and the next request opens a new one,
so the service recovers by itself when the server returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import asyncpg

from network.settings import DatabaseLimits

if TYPE_CHECKING:
    from piccolo.engine.postgres import PostgresEngine

os.environ["PICCOLO_CONF"] = "network.piccolo_conf"

log = logging.getLogger(__name__)

APP_NAME = "network"
MIGRATIONS_FOLDER = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK_KEY = 0x6E6574776F726B  # "network": one key for every instance of the service
CONNECT_TIMEOUT_SECONDS = 10.0
CLOSE_SECONDS = 5.0  # closing the pool at shutdown; then its connections are cut
# TCP keepalive on every pool connection: a peer gone silent is noticed after about a minute
# even while the connection idles, and data left unacknowledged for TCP_USER_TIMEOUT fails it.
KEEPALIVE_IDLE_SECONDS = 30
KEEPALIVE_INTERVAL_SECONDS = 10
KEEPALIVE_PROBES = 3
TCP_USER_TIMEOUT_MS = 30_000
# The server ends a session that sits in an open transaction this long: a client that vanished
# mid-transaction (a black hole) then stops holding its row locks long before the server's own
# TCP would notice (hours). Our transactions never pause that long between statements.
IDLE_IN_TRANSACTION_SECONDS = 60

_engine: PostgresEngine | None = None


def engine() -> PostgresEngine:
    """The one Piccolo engine, made on first use: a command that only asks the server
    something (`network check`) starts without importing Piccolo."""
    global _engine
    if _engine is None:
        from piccolo.engine.postgres import PostgresEngine

        _engine = PostgresEngine(config={})
    return _engine


def __getattr__(name: str) -> Any:
    if name == "ENGINE":  # `from network.database import ENGINE`, as the tables do
        return engine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class DatabaseUnreachable(Exception):
    """The server cannot be reached or refuses us; the message says where and why."""


class MigrationFailed(Exception):
    """A migration raised an error; its transaction was rolled back."""


def bind(database_url: str) -> None:
    engine().config = {"dsn": database_url, "timeout": CONNECT_TIMEOUT_SECONDS}


class BoundedPool(asyncpg.Pool):
    """asyncpg's pool with a time limit on every acquire. Piccolo acquires and releases
    without one; asyncpg applies an acquire's limit to its release too (which waits for a
    timed-out statement to be cancelled), so no request waits on the pool past it."""

    def __init__(self, *args, acquire_seconds: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.acquire_seconds = acquire_seconds
        self.probe: asyncio.Task[bool] | None = None  # the running reachability check

    def acquire(self, *, timeout: float | None = None):
        return super().acquire(timeout=self.acquire_seconds if timeout is None else timeout)


DEFAULT_LIMITS = DatabaseLimits()

# How the service's sessions plan (the benchmarks' bare sides use the same). No JIT: compiling
# took longer than running (5 s for the national report's referral query). Custom plans
# always: asyncpg prepares every statement, and after five runs PostgreSQL may switch to a
# generic plan that knows no coordinator or status; for the lists that plan walks whole
# indexes (referrals waiting for an answer: 26 ms against 2 ms at district scale; barriers
# without an open referral 13 ms against 2 ms).
PLANNING = {"jit": "off", "plan_cache_mode": "force_custom_plan"}


async def start_pool(database_url: str, size: int,
                     limits: DatabaseLimits = DEFAULT_LIMITS) -> None:
    bind(database_url)
    pool = BoundedPool(
        # One connection at the start shows a wrong DATABASE_URL at once; no floor after that
        # (asyncpg would keep reconnecting it during an outage; requests open what they need).
        database_url, acquire_seconds=limits.acquire_seconds, init_size=1, min_size=0,
        max_size=size,
        max_queries=50_000, max_inactive_connection_lifetime=300.0, init=keep_alive,
        connect=None, setup=None, reset=None, loop=None,
        connection_class=asyncpg.Connection, record_class=asyncpg.Record,
        timeout=limits.connect_seconds, command_timeout=limits.statement_seconds,
        server_settings={"idle_in_transaction_session_timeout":
                         f"{IDLE_IN_TRANSACTION_SECONDS * 1000}", **PLANNING},
    )
    engine().pool = await pool


async def close_pool() -> None:
    """Close the pool; connections that do not close within CLOSE_SECONDS (a server that
    stopped answering) are cut, so shutting down never hangs."""
    pool, engine().pool = engine().pool, None
    if pool is None:
        return
    try:
        async with asyncio.timeout(CLOSE_SECONDS):
            await pool.close()
    except TimeoutError:
        log.warning("database pool did not close in time; its connections were cut")
        pool.terminate()


async def keep_alive(connection: asyncpg.Connection) -> None:
    """TCP keepalive for a new pool connection (asyncpg has no option for it)."""
    transport = getattr(connection, "_transport", None)
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # a Unix socket: nothing in between can go silent
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (("TCP_KEEPIDLE", KEEPALIVE_IDLE_SECONDS),
                        ("TCP_KEEPINTVL", KEEPALIVE_INTERVAL_SECONDS),
                        ("TCP_KEEPCNT", KEEPALIVE_PROBES),
                        ("TCP_USER_TIMEOUT", TCP_USER_TIMEOUT_MS)):
        if hasattr(socket, name):  # Linux has all four; others keep their defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)


def describe(database_url: str) -> str:
    """Where a URL points, without its password: for messages and logs."""
    parts = urlsplit(database_url)
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or ''}"


async def connect(database_url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(dsn=database_url, timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error) or type(error).__name__
        raise DatabaseUnreachable(
            f"cannot reach the database at {describe(database_url)}: {reason}"
        ) from None
    except ValueError as error:  # asyncpg's parser rejects malformed DSNs this way
        raise DatabaseUnreachable(f"DATABASE_URL: {error}") from None


async def server_version(database_url: str) -> str:
    connection = await connect(database_url)
    try:
        return await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()


async def ping(limit_seconds: float = 2.0) -> bool:
    """True when the pool runs a query within the time limit; never takes longer than it.

    The check runs as a task of its own: when the server stopped answering, giving the
    connection back (asyncpg waits for the statement's cancellation) can outlast the limit,
    and the caller does not wait for that. While a check is still running, the next caller
    waits for that one instead of starting another, so checks cannot use up the pool."""
    pool = engine().pool
    if not isinstance(pool, BoundedPool):
        return False
    if pool.probe is None or pool.probe.done():
        pool.probe = asyncio.create_task(_select_one(pool, limit_seconds))
        pool.probe.add_done_callback(_consume_error)
    probe = pool.probe
    done, _ = await asyncio.wait({probe}, timeout=limit_seconds)
    return bool(done) and not probe.cancelled() and probe.exception() is None and probe.result()


async def _select_one(pool: BoundedPool, limit_seconds: float) -> bool:
    async with pool.acquire(timeout=limit_seconds) as connection:
        return await connection.fetchval("SELECT 1", timeout=limit_seconds) == 1


def _consume_error(task: asyncio.Task) -> None:
    if not task.cancelled():
        task.exception()  # an unreachable server is the answer, not an error to report


async def migrate(database_url: str) -> list[str]:
    """Apply pending migrations; return their IDs. Safe when several instances start at once:
    the first takes the advisory lock and migrates, the others wait and then find nothing to do.
    """
    bind(database_url)
    lock = await connect(database_url)
    try:
        if not set(migration_ids()) - await _applied(lock):
            return []  # the usual start: nothing to do, and no Piccolo machinery to import
        await lock.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        before = await _applied(lock)
        # Piccolo's migration machinery (it imports black) only when migrating: commands that
        # merely look start in a fraction of the time.
        from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

        manager = ForwardsMigrationManager(app_name=APP_NAME)
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # Piccolo prints emoji
                result = await manager.run()
        except asyncpg.PostgresError as error:
            raise MigrationFailed(f"a migration failed and was rolled back: {error}") from error
        if not result.success:
            raise MigrationFailed(f"migrations failed: {result.message}")
        applied = sorted((await _applied(lock)) - before)
        for migration_id in applied:
            log.info("migration applied", extra={"migration": migration_id})
        return applied
    finally:
        with contextlib.suppress(Exception):
            await lock.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
        await lock.close()


async def pending_migrations(database_url: str) -> list[str]:
    connection = await connect(database_url)
    try:
        applied = await _applied(connection)
    finally:
        await connection.close()
    return sorted(set(migration_ids()) - applied)


_MIGRATION_ID = re.compile(r'^ID = "([^"]+)"$', re.MULTILINE)


def migration_ids() -> list[str]:
    """The IDs of the migrations in MIGRATIONS_FOLDER, read from the files' `ID = "..."`
    lines without importing them (tests/test_migrations.py checks Piccolo sees the same)."""
    found = []
    for path in MIGRATIONS_FOLDER.glob("m*.py"):
        match = _MIGRATION_ID.search(path.read_text(encoding="utf-8"))
        if match:
            found.append(match.group(1))
    return sorted(found)


async def _applied(connection: asyncpg.Connection) -> set[str]:
    exists = await connection.fetchval("SELECT to_regclass('migration') IS NOT NULL")
    if not exists:
        return set()
    rows = await connection.fetch("SELECT name FROM migration WHERE app_name = $1", APP_NAME)
    return {row["name"] for row in rows}


def sql_migration(migration_id: str, description: str, *statements: str) -> Any:
    """A migration made of plain SQL statements, run in one transaction by Piccolo (a
    MigrationManager)."""
    from piccolo.apps.migrations.auto.migration_manager import MigrationManager

    manager = MigrationManager(
        migration_id=migration_id, app_name=APP_NAME, description=description
    )
    for statement in statements:
        manager.add_raw(_executor(statement))
    return manager


def _executor(statement: str):
    async def run() -> None:
        await engine().run_ddl(statement)  # inside the migration's transaction

    return run
