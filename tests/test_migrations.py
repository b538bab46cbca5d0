"""Migrations run once, in order, even when several instances start at the same moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from network import database
from network.piccolo_app import APP_CONFIG
from tests.support.database import TEST_DATABASE, recreate_database
from tests.support.polling import until

PROBE_MIGRATIONS = {
    "m_probe_1_table.py": '''
from network.database import sql_migration
ID = "2000-01-01T00:00:01:000000"
async def forwards():
    return sql_migration(ID, "probe table", "CREATE TABLE probe (n int PRIMARY KEY)")
''',
    "m_probe_2_row.py": '''
from network.database import sql_migration
ID = "2000-01-01T00:00:02:000000"
async def forwards():
    return sql_migration(ID, "probe row", "INSERT INTO probe VALUES (1)", "SELECT 1")
''',
}


@pytest.fixture
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    yield await recreate_database(server_url, TEST_DATABASE + "_fresh")


@pytest.fixture
def probe_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in PROBE_MIGRATIONS.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(APP_CONFIG, "migrations_folder_path", str(tmp_path))
    monkeypatch.setattr(database, "MIGRATIONS_FOLDER", tmp_path)  # read by pending_migrations
    return tmp_path


async def test_it_applies_the_project_migrations_once(fresh_database: str) -> None:
    first = await database.migrate(fresh_database)
    assert first == sorted(first)
    assert await database.migrate(fresh_database) == []
    assert await database.pending_migrations(fresh_database) == []


async def test_concurrent_starts_wait_for_each_other_and_migrate_once(
    fresh_database: str, probe_migrations: Path
) -> None:
    holder = await asyncpg.connect(fresh_database)
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", database.MIGRATION_LOCK_KEY)
        starts = [asyncio.create_task(database.migrate(fresh_database)) for _ in range(3)]
        await wait_for_lock_waiters(holder, 3)
        assert not any(start.done() for start in starts)
        await holder.execute("SELECT pg_advisory_unlock($1)", database.MIGRATION_LOCK_KEY)
        results = await asyncio.gather(*starts)
        assert sorted(len(applied) for applied in results) == [0, 0, 2]
        assert await holder.fetchval("SELECT count(*) FROM probe") == 1
        names = await holder.fetch("SELECT name FROM migration ORDER BY id")
        assert [row["name"] for row in names] == [
            "2000-01-01T00:00:01:000000", "2000-01-01T00:00:02:000000"]
    finally:
        await holder.close()


async def test_a_failing_migration_leaves_nothing_half_done(
    fresh_database: str, probe_migrations: Path
) -> None:
    (probe_migrations / "m_probe_3_broken.py").write_text('''
from network.database import sql_migration
ID = "2000-01-01T00:00:03:000000"
async def forwards():
    return sql_migration(ID, "broken", "INSERT INTO probe VALUES (2)", "SELECT no_such_column")
''')
    with pytest.raises(database.MigrationFailed, match="no_such_column"):
        await database.migrate(fresh_database)
    connection = await asyncpg.connect(fresh_database)
    try:
        assert await connection.fetchval("SELECT count(*) FROM probe") == 1
        assert await database.pending_migrations(fresh_database) == ["2000-01-01T00:00:03:000000"]
    finally:
        await connection.close()


async def wait_for_lock_waiters(connection: asyncpg.Connection, count: int) -> None:
    query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"

    async def waiting() -> bool:
        return await connection.fetchval(query) >= count

    await until(waiting, what=f"{count} sessions waiting for the migration lock")


def test_every_migration_file_has_its_own_id() -> None:
    """Piccolo keys migrations by ID: two files with one ID would silently skip one."""
    folder = Path(APP_CONFIG.migrations_folder_path)
    ids = [line.split("=", 1)[1].strip().strip('"')
           for path in sorted(folder.glob("m*.py"))
           for line in path.read_text().splitlines() if line.startswith("ID = ")]
    assert len(ids) == len(list(folder.glob("m*.py"))) == len(set(ids))


def test_the_migration_ids_read_from_the_files_are_the_modules_ids() -> None:
    """`network check` lists pending migrations without importing them (and Piccolo's
    migration machinery); the IDs it reads must be the ones the modules declare."""
    import importlib.util

    declared = []
    for path in database.MIGRATIONS_FOLDER.glob("m*.py"):
        spec = importlib.util.spec_from_file_location(f"_migration_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        declared.append(module.ID)
    assert database.migration_ids() == sorted(declared)
    assert len(declared) == len(set(declared)) > 20


def test_a_start_with_nothing_pending_loads_no_migration_machinery(database_url: str) -> None:
    """The usual start (`serve`, `check`) finds every migration applied with one query and
    never imports Piccolo's migration machinery (half a second; it pulls in black)."""
    import subprocess
    import sys

    probe = ("import asyncio, sys\n"
             "from network import database\n"
             "assert asyncio.run(database.migrate(sys.argv[1])) == []\n"
             "print(sorted(m for m in sys.modules if m.startswith('piccolo.apps.migrations')"
             " or m == 'black'))\n")
    done = subprocess.run([sys.executable, "-c", probe, database_url], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
