"""Settings are read once from the environment, strictly, and errors name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from network.settings import ConfigError, Settings


def settings_from(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_env({"DATA_DIR": str(tmp_path), **environ})


def test_it_has_defaults_for_local_use(tmp_path: Path) -> None:
    settings = settings_from(tmp_path)
    assert settings.database_url is None and settings.uses_embedded_database
    assert settings.base_url == "http://localhost:8000"
    assert settings.mail_catcher  # no SMTP_URL: serve catches its own mail
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security) == (
        "127.0.0.1", 2525, "none")
    assert settings.scheduler_enabled
    assert settings.log_level == "INFO" and settings.port == 8000
    assert not settings.secure_cookies


def test_it_generates_a_secret_key_once_and_keeps_it_in_the_data_dir(tmp_path: Path) -> None:
    first = settings_from(tmp_path).secret_key
    assert len(first) >= 32
    assert settings_from(tmp_path).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_it_reads_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "db_url"
    secret.write_text("postgresql://app:s3cret@db:5432/network\n")
    settings = settings_from(tmp_path, DATABASE_URL_FILE=str(secret))
    assert settings.database_url == "postgresql://app:s3cret@db:5432/network"


def test_it_parses_smtp_urls(tmp_path: Path) -> None:
    smtp = settings_from(tmp_path, SMTP_URL="smtp+starttls://ip%40kreis.de:p%40ss@mail:587").smtp
    assert (smtp.host, smtp.port, smtp.security) == ("mail", 587, "starttls")
    assert (smtp.username, smtp.password) == ("ip@kreis.de", "p@ss")
    assert "p@ss" not in repr(smtp)
    assert settings_from(tmp_path, SMTP_URL="smtps://mail").smtp.port == 465


def test_an_smtp_url_turns_the_mail_catcher_off(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, SMTP_URL="smtp://mailpit:1025", MAIL_CATCHER_PORT="2626")
    assert not settings.mail_catcher and settings.smtp.host == "mailpit"
    assert settings_from(tmp_path, MAIL_CATCHER_PORT="2626").smtp.port == 2626


def test_https_base_url_makes_cookies_secure(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, BASE_URL="https://ip.kreis-heinsberg.de/")
    assert settings.base_url == "https://ip.kreis-heinsberg.de"
    assert settings.secure_cookies


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "nonsense", "DATABASE_URL: must look like postgresql://"),
        ("DATABASE_URL", "mysql://root@db/network", "DATABASE_URL: must look like"),
        ("DATABASE_URL", "postgresql://db:port/x", "DATABASE_URL: the port is not a number"),
        ("DATABASE_URL", "postgresql://db:5432", "DATABASE_URL: names no database"),
        ("BASE_URL", "ip.kreis.de", "BASE_URL: must be an http:// or https:// address"),
        ("SECRET_KEY", "short", "SECRET_KEY: must be at least 32 characters"),
        ("SMTP_URL", "mail.kreis.de:25", "SMTP_URL: must look like smtp://"),
        ("SMTP_URL", "smtp://mail:abc", "SMTP_URL: the port is not a number"),
        ("MAIL_FROM", "Integration Point", "MAIL_FROM: must be an email address"),
        ("LOG_LEVEL", "verbose", "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT: must be one of console, json"),
        ("PORT", "eighty", "PORT: must be a whole number"),
        ("PORT", "70000", "PORT: must be between 1 and 65535"),
        ("DATABASE_POOL_SIZE", "0", "DATABASE_POOL_SIZE: must be between"),
        ("SCHEDULER_ENABLED", "yes", "SCHEDULER_ENABLED: must be true or false"),
        ("MAIL_CATCHER_PORT", "0", "MAIL_CATCHER_PORT: must be between 1 and 65535"),
        ("SECRET_KEY_FILE", "/no/such/file", "SECRET_KEY_FILE: cannot read /no/such/file"),
        ("REPORT_MIN_CELL", "2", "REPORT_MIN_CELL: must be between 3 and 100"),
        ("REPORT_RECIPIENTS", "a@kreis.de,,b@kreis.de", "REPORT_RECIPIENTS: address 2 is empty"),
        ("REPORT_RECIPIENTS", "a@kreis.de,", "REPORT_RECIPIENTS: address 2 is empty"),
        ("REPORT_RECIPIENTS", "a@kreis.de; b@kreis.de", "REPORT_RECIPIENTS: 'a@kreis.de; b@"),
        ("REPORT_RECIPIENTS", "Amt <a@kreis.de>", "REPORT_RECIPIENTS: 'Amt <a@kreis.de>' is not"),
        ("REPORT_RECIPIENTS", "kreis.de", "REPORT_RECIPIENTS: 'kreis.de' is not an email"),
        ("REPORT_RECIPIENTS", "a@kreis.de, A@kreis.de", "REPORT_RECIPIENTS: 'A@kreis.de' is"),
    ],
)
def test_it_rejects_bad_values_naming_the_variable(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        settings_from(tmp_path, **{name: value})
    assert str(error.value).startswith(message)


def test_it_reads_the_report_settings(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, REPORT_MIN_CELL="5",
                             REPORT_RECIPIENTS=" ka@kreis-hs.de ,sozial@kreis-hs.de ")
    assert settings.report_min_cell == 5
    assert settings.report_recipients == ("ka@kreis-hs.de", "sozial@kreis-hs.de")
    defaults = settings_from(tmp_path)
    assert (defaults.report_min_cell, defaults.report_recipients) == (3, ())


def test_it_never_puts_the_database_password_in_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        settings_from(tmp_path, DATABASE_URL="mysql://root:hunter2@db/network")
    assert "hunter2" not in str(error.value)
