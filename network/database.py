"""The database: one Piccolo engine, migrations under an advisory lock, reachability checks.

Piccolo finds its engine through the `piccolo_conf` module named by PICCOLO_CONF; ours
(`network.piccolo_conf`) exposes ENGINE below. `bind()` points it at the configured server
before anything touches the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
from piccolo.engine.postgres import PostgresEngine

os.environ["PICCOLO_CONF"] = "network.piccolo_conf"

log = logging.getLogger(__name__)

APP_NAME = "network"
MIGRATIONS_FOLDER = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK_KEY = 0x6E6574776F726B  # "network": one key for every instance of the service
CONNECT_TIMEOUT_SECONDS = 10.0

ENGINE = PostgresEngine(config={})


class DatabaseUnreachable(Exception):
    """The server cannot be reached or refuses us; the message says where and why."""


class MigrationFailed(Exception):
    """A migration raised an error; its transaction was rolled back."""


def bind(database_url: str) -> None:
    ENGINE.config = {"dsn": database_url, "timeout": CONNECT_TIMEOUT_SECONDS}


async def start_pool(database_url: str, size: int) -> None:
    bind(database_url)
    await ENGINE.start_connection_pool(min_size=1, max_size=size)


async def close_pool() -> None:
    if ENGINE.pool is not None:
        await ENGINE.close_connection_pool()


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
    """True when the pool can run a query within the time limit."""
    if ENGINE.pool is None:
        return False
    try:
        async with asyncio.timeout(limit_seconds), ENGINE.pool.acquire() as connection:
            await connection.fetchval("SELECT 1")
        return True
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return False


async def migrate(database_url: str) -> list[str]:
    """Apply pending migrations; return their IDs. Safe when several instances start at once:
    the first takes the advisory lock and migrates, the others wait and then find nothing to do.
    """
    bind(database_url)
    lock = await connect(database_url)
    try:
        await lock.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        before = await _applied(lock)
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
    manager = ForwardsMigrationManager(app_name=APP_NAME)
    folder = manager.get_app_config(APP_NAME).resolved_migrations_folder_path
    available = manager.get_migration_modules(folder)
    return sorted(set(available) - applied)


async def _applied(connection: asyncpg.Connection) -> set[str]:
    exists = await connection.fetchval("SELECT to_regclass('migration') IS NOT NULL")
    if not exists:
        return set()
    rows = await connection.fetch("SELECT name FROM migration WHERE app_name = $1", APP_NAME)
    return {row["name"] for row in rows}


def sql_migration(migration_id: str, description: str, *statements: str) -> MigrationManager:
    """A migration made of plain SQL statements, run in one transaction by Piccolo."""
    manager = MigrationManager(
        migration_id=migration_id, app_name=APP_NAME, description=description
    )
    for statement in statements:
        manager.add_raw(_executor(statement))
    return manager


def _executor(statement: str):
    async def run() -> None:
        await ENGINE.run_ddl(statement)  # inside the migration's transaction

    return run
