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
    if not tables:
        return
    connection = await asyncpg.connect(database_url)
    try:
        names = ", ".join(f'"{name}"' for name in tables)
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
