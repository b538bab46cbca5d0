"""`network report build` and `network report send`, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from tests.support.cli_process import environment, run
from tests.support.smtp_server import SmtpServer


def test_build_stores_a_new_version_each_time(tmp_path: Path, db: str) -> None:
    env = environment(tmp_path, DATABASE_URL=db)
    first = run("report", "build", "--month", "2026-10", env=env)
    assert first.returncode == 0, first.stderr
    assert "report 2026-10 version 1 stored" in first.stdout
    second = run("report", "build", "--month", "2026-10", env=env)
    assert "report 2026-10 version 2 stored" in second.stdout


async def test_a_command_acts_as_the_system_and_leaves_an_audit_entry(
    tmp_path: Path, db: str
) -> None:
    built = run("report", "build", "--month", "2026-10", env=environment(tmp_path,
                                                                         DATABASE_URL=db))
    assert built.returncode == 0, built.stderr
    connection = await asyncpg.connect(db)
    try:
        entry = await connection.fetchrow(
            "SELECT actor_kind, actor_id, job, entity FROM audit_log WHERE action = $1",
            "report.built")
        stored = await connection.fetchrow("SELECT generated_by, generated_by_user_id"
                                           " FROM reports")
    finally:
        await connection.close()
    assert tuple(entry) == ("system", None, "cli.report.build", "report")
    assert tuple(stored) == ("command", None)


def test_send_emails_the_month_once(tmp_path: Path, db: str) -> None:
    server = SmtpServer().start()
    try:
        env = environment(tmp_path, DATABASE_URL=db, SMTP_URL=server.url,
                          REPORT_RECIPIENTS="kreisausschuss@kreis-heinsberg.example")
        sent = run("report", "send", "--month", "2026-10", env=env)
        assert sent.returncode == 0, sent.stderr
        assert "email queued; sent 1" in sent.stdout
        again = run("report", "send", "--month", "2026-10", env=env)
        assert "was queued before" in again.stdout and "sent 0" in again.stdout
        [message] = server.messages
        assert message["Subject"].startswith("Monatsbericht Oktober 2026")
    finally:
        server.stop()


def test_it_refuses_a_malformed_month_and_a_send_without_recipients(
    tmp_path: Path, db: str
) -> None:
    env = environment(tmp_path, DATABASE_URL=db)
    bad = run("report", "build", "--month", "10/2026", env=env)
    assert bad.returncode == 2 and "--month" in bad.stderr
    nobody = run("report", "send", "--month", "2026-10", env=env)
    assert nobody.returncode == 2 and "REPORT_RECIPIENTS" in nobody.stderr
