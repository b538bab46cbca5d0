"""`network create-user` and `network set-password` (sync tests: the CLI runs its own loop)."""

from __future__ import annotations

import asyncio

import asyncpg
from click.testing import CliRunner

from network.cli import main


def run(db: str, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin,
                              env={"DATABASE_URL": db, "LOG_LEVEL": "WARNING",
                                   "SECRET_KEY": "k" * 40})


async def stored_user(db: str) -> asyncpg.Record | None:
    connection = await asyncpg.connect(db)
    try:
        return await connection.fetchrow("SELECT email, role, legal_circle, password_hash,"
                                         " password_changed_at FROM app_user")
    finally:
        await connection.close()


def test_it_creates_a_user_with_a_password_from_stdin(db: str) -> None:
    result = run(db, "create-user", "--email", "Anna@Jobcenter.example", "--name", "Anna",
                 "--role", "admin", "--legal-circle", "sgb3", "--password-stdin",
                 stdin="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    assert "created admin Anna@Jobcenter.example" in result.output
    row = asyncio.run(stored_user(db))
    assert (row["role"], row["legal_circle"]) == ("admin", "sgb3")
    assert row["password_hash"].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_it_prompts_for_the_password_twice(db: str) -> None:
    result = run(db, "create-user", "--email", "b@jobcenter.example", "--name", "B",
                 "--legal-circle", "sgb2", stdin="a long enough passphrase\n"
                 "a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    assert (asyncio.run(stored_user(db)))["role"] == "coordinator"


def test_it_refuses_a_weak_password_and_a_taken_email_in_one_line(db: str) -> None:
    weak = run(db, "create-user", "--email", "c@jobcenter.example", "--name", "C",
               "--legal-circle", "sgb2", "--password-stdin", stdin="123456789012\n")
    assert weak.exit_code == 1
    assert "password: is one of the most common passwords" in weak.output
    ok = ["create-user", "--email", "c@jobcenter.example", "--name", "C", "--legal-circle",
          "sgb2", "--password-stdin"]
    assert run(db, *ok, stdin="a long enough passphrase\n").exit_code == 0
    ok[2] = "C@JOBCENTER.example"
    taken = run(db, *ok, stdin="a long enough passphrase\n")
    assert taken.exit_code == 1 and "already exists" in taken.output


def test_it_sets_a_password(db: str) -> None:
    run(db, "create-user", "--email", "d@jobcenter.example", "--name", "D",
        "--legal-circle", "sgb2", "--password-stdin", stdin="a long enough passphrase\n")
    before = asyncio.run(stored_user(db))
    result = run(db, "set-password", "--email", "D@jobcenter.example", "--password-stdin",
                 stdin="another long passphrase\n")
    assert result.exit_code == 0, result.output
    after = asyncio.run(stored_user(db))
    assert after["password_hash"] != before["password_hash"]
    unknown = run(db, "set-password", "--email", "nobody@example.org", "--password-stdin",
                  stdin="another long passphrase\n")
    assert unknown.exit_code == 1 and "no user" in unknown.output
