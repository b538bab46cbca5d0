"""The `network` command: clear one-line errors for bad configuration, real work otherwise."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import httpx
import pytest

from network.demo_seed import CLIENT_COUNT
from network.mail.catcher import caught_mails
from tests.support.cli_process import Service, environment, free_port, run
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("nonsense", "DATABASE_URL: must look like postgresql://"),
        (f"postgresql://postgres@127.0.0.1:{free_port()}/network", "cannot reach the database"),
    ],
    ids=["malformed", "unreachable"],  # the same names in every process (the port is not)
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


def test_mail_test_and_status_talk_to_the_configured_server(tmp_path: Path, db: str) -> None:
    server = SmtpServer().start()
    try:
        env = environment(tmp_path, DATABASE_URL=db, SMTP_URL=server.url)
        sent = run("mail", "test", "--to", "it@kreis-heinsberg.de", env=env)
        assert sent.returncode == 0, sent.stderr
        assert "sent 1" in sent.stdout
        [message] = server.messages
        assert message["To"] == "it@kreis-heinsberg.de"
        status = run("mail", "status", env=env)
        assert "sent: 1" in status.stdout and "failed: 0" in status.stdout
    finally:
        server.stop()


def test_without_smtp_url_serve_catches_the_mail_itself(tmp_path: Path, db: str) -> None:
    port = str(free_port())
    data_dir = tmp_path / "data"
    service = Service(data_dir, tmp_path / "serve.log", DATABASE_URL=db,
                      MAIL_CATCHER_PORT=port, SCHEDULER_ENABLED="false")
    try:
        service.wait_healthy()
        sent = run("mail", "test", "--to", "partner@example.org",
                   env=environment(data_dir, DATABASE_URL=db, MAIL_CATCHER_PORT=port))
        assert "sent 1" in sent.stdout, sent.stderr
    finally:
        service.stop(signal.SIGTERM)
    [caught] = caught_mails(data_dir / "caught-mail")
    assert caught.recipients == "partner@example.org"
    assert caught.subject.startswith("Test-E-Mail")
    assert "Test-E-Mail" in caught.text and "<!DOCTYPE html>" in caught.html


def test_serve_demo_seeds_an_empty_database_and_prints_a_login_that_works(
    tmp_path: Path, db: str
) -> None:
    service = Service(tmp_path / "data", tmp_path / "serve.log", "--demo", DATABASE_URL=db,
                      SCHEDULER_ENABLED="false")
    try:
        service.wait_healthy(deadline_seconds=300)
        login = re.search(r"demo login: (\S+) / (\S+)", service.output())
        assert login, service.output()
        signed_in = httpx.post(service.url + "/api/v1/auth/login",
                               json={"email": login[1], "password": login[2]})
        assert signed_in.status_code == 200, signed_in.text
        clients = httpx.get(service.url + "/api/v1/clients", params={"limit": 200},
                            cookies=signed_in.cookies).json()["items"]
        # a coordinator's login: the demo cases of their own legal circle, not the other's
        assert 0 < len(clients) < CLIENT_COUNT
        assert {c["legal_circle"] for c in clients} == {"sgb2"}
        assert "no account exists yet" not in service.output()
    finally:
        service.stop(signal.SIGTERM)
    again = Service(tmp_path / "data", tmp_path / "again.log", "--demo", DATABASE_URL=db,
                    SCHEDULER_ENABLED="false")
    try:
        again.wait_healthy()
        assert "holds data already; no demo added" in again.output()
    finally:
        again.stop(signal.SIGTERM)
