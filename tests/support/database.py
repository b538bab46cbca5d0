"""The tests' PostgreSQL: which database a checkout uses, and making and emptying it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent.parent
TEST_DATABASE = "network_test_" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]
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


async def empty_tables(database_url: str, tables: list[str]) -> None:
    """TRUNCATE every table. The append-only tables refuse TRUNCATE by trigger (migration
    m2026_11_29_2210_integrity); this reset connection, as the superuser the tests run as,
    switches triggers off for itself alone (`session_replication_role = replica`), the
    deliberate bypass README "Append-only tables" describes. The app's connections keep it."""
    if not tables:
        return
    connection = await asyncpg.connect(database_url)
    try:
        names = ", ".join(f'"{name}"' for name in tables)
        await connection.execute("SET session_replication_role = replica")
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
