"""The tests' PostgreSQL: which database a checkout uses, and making and emptying it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent.parent
# pytest-xdist's worker ("gw0", "gw1", ...): each worker process has a database of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_DATABASE = ("network_test_" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
                 + (f"_{WORKER}" if WORKER else ""))
# Not emptied between tests: Piccolo's bookkeeping and reference data seeded by migrations.
# A test that changes reference data puts it back.
KEEP_TABLES = {"migration", "prospect_countries"}


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


async def recreate_database(server_url: str, name: str) -> str:
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server_url, name)


# The sequences behind the tables' serial columns, per database and table list.
_SEQUENCES: dict[tuple[str, tuple[str, ...]], list[str]] = {}
SEQUENCES = """
    SELECT seq FROM (
        SELECT pg_get_serial_sequence(format('%I', table_name), column_name) AS seq
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ANY($1::text[])
    ) found WHERE seq IS NOT NULL ORDER BY seq
"""


async def empty_tables(database_url: str, tables: list[str],
                       connection: asyncpg.Connection | None = None) -> None:
    """Empty every table and restart its ids, in one round trip: DELETE, not TRUNCATE (a
    TRUNCATE of 30-odd tables rewrites each one's files and took most of a small test's
    time; deleting the few rows a test wrote is a fraction of it). On `connection` when given
    (the `db` fixture keeps one open for the session: opening one per test cost more than the
    reset), else on a connection of its own.

    The append-only tables refuse DELETE and TRUNCATE by trigger (migration
    m2026_11_29_2210_integrity); this reset connection, as the superuser the tests run as,
    switches triggers (and with them the foreign-key checks) off for itself alone
    (`session_replication_role = replica`), the deliberate bypass README "Append-only tables"
    describes. The app's connections keep them."""
    if not tables:
        return
    if connection is None:
        connection = await asyncpg.connect(database_url)
        try:
            await _empty(connection, database_url, tables)
        finally:
            await connection.close()
        return
    await _empty(connection, database_url, tables)


async def _empty(connection: asyncpg.Connection, database_url: str, tables: list[str]) -> None:
    key = (database_url, tuple(tables))
    if key not in _SEQUENCES:
        _SEQUENCES[key] = [row["seq"] for row in await connection.fetch(SEQUENCES, tables)]
    statements = ["SET session_replication_role = replica"]
    statements += [f'DELETE FROM "{name}"' for name in tables]
    statements += [f"SELECT setval('{seq}', 1, false)" for seq in _SEQUENCES[key]]
    await connection.execute(";\n".join(statements))
