"""The `network` command: clear one-line errors for bad configuration, real work otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_process import environment, free_port, run

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("nonsense", "DATABASE_URL: must look like postgresql://"),
        (f"postgresql://postgres@127.0.0.1:{free_port()}/network", "cannot reach the database"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "migrate", "check"])
def test_bad_configuration_gives_one_clear_line_and_a_failing_exit_code(
    tmp_path: Path, command: str, database_url: str, expected: str
) -> None:
    result = run(command, env=environment(tmp_path, DATABASE_URL=database_url))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert expected in result.stderr


def test_migrate_and_check_work_against_a_database(tmp_path: Path, db: str) -> None:
    env = environment(tmp_path, DATABASE_URL=db)
    migrated = run("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "applied 0 migration(s)" in migrated.stdout
    checked = run("check", env=env)
    assert checked.returncode == 0, checked.stderr
    assert "database: ok, PostgreSQL" in checked.stdout
    assert "migrations: 0 pending" in checked.stdout
