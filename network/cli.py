"""The `network` command: serve, migrate, check, users, mail, seed, report (later issues add
their own commands here).

Every command turns the errors an operator can fix (bad configuration, unreachable
database) into one line on stderr and a non-zero exit code, without a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from litestar.exceptions import HTTPException

from network import database
from network.composition import compose
from network.embedded_postgres import EmbeddedPostgresError, embedded_postgres
from network.log_setup import configure_logging
from network.mail import outbox
from network.mail.catcher import MailCatcherError, mail_catcher
from network.mail.dispatcher import send_all_due
from network.settings import ConfigError, Settings

T = TypeVar("T")


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"network: error: {message}", err=True)
    sys.exit(code)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # Until uvicorn installs its own handlers, SIGTERM unwinds like Ctrl-C, so the
        # embedded PostgreSQL is stopped by the `with` blocks below either way.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            _fail(f"configuration: {error}", 2)
        except (database.DatabaseUnreachable, database.MigrationFailed,
                EmbeddedPostgresError, MailCatcherError) as error:
            _fail(str(error))
        except HTTPException as error:  # a service refused the input (e.g. a weak password)
            _fail(error.detail)
        except KeyboardInterrupt:
            sys.exit(130)

    return wrapper


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    sys.exit(128 + signum)


def load_settings() -> Settings:
    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level, settings.log_format)
    return settings


@contextmanager
def mail_catcher_if_local(settings: Settings) -> Iterator[None]:
    """With no SMTP_URL, catch our own emails (see network.mail.catcher)."""
    if not settings.mail_catcher:
        yield
        return
    with mail_catcher(settings.mail_catcher_dir, settings.smtp.port):
        click.echo(f"network: no SMTP_URL set, emails are caught locally: {settings.base_url}"
                   "/dev/mail", err=True)
        yield


@contextmanager
def database_ready(settings: Settings) -> Iterator[Settings]:
    """Settings with a reachable database: the configured one, or the embedded one."""
    if settings.database_url is not None:
        asyncio.run(database.server_version(settings.database_url))
        yield settings
        return
    with embedded_postgres(settings.data_dir) as url:
        yield settings.with_database_url(url)


def with_pool(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run one piece of async service work with the database pool open around it."""

    async def run() -> T:
        await database.start_pool(settings.database_url, 2)
        compose(settings)  # the event subscribers: a seeded referral emails like any other
        try:
            return await work()
        finally:
            await database.close_pool()

    return asyncio.run(run())


@click.group()
@click.version_option(package_name="network")
def main() -> None:
    """Partner network and referral tracking for the Integration Point."""


@main.command()
@click.option("--host", default=None, help="Address to listen on [default: HOST or 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [default: PORT or 8000].")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option("--demo", is_flag=True,
              help="On an empty database, add the demo network and print a demo login first.")
@friendly_errors
def serve(host: str | None, port: int | None, workers: int, reload: bool, demo: bool) -> None:
    """Apply pending migrations, then serve HTTP until Ctrl-C or SIGTERM."""
    import uvicorn

    from network.app import served_app

    settings = load_settings()
    with database_ready(settings) as ready, mail_catcher_if_local(ready):
        asyncio.run(database.migrate(ready.database_url))
        options: dict[str, Any] = {
            "host": host or ready.host,
            "port": port or ready.port,
            "log_config": None,
            "access_log": False,
            "server_header": False,
        }
        if demo:
            _serve_demo(ready)
        _announce_first_run(ready)
        click.echo(f"network: serving on http://{options['host']}:{options['port']}", err=True)
        if workers == 1 and not reload:
            uvicorn.run(served_app(ready), **options)
            return
        # Workers and the reloader import the app afresh and read settings from the
        # environment: hand them the database we resolved (the embedded one, too).
        os.environ["DATABASE_URL"] = ready.database_url
        uvicorn.run("network.app:app_from_environment", factory=True, workers=workers,
                    reload=reload, reload_dirs=["network", "email_templates"], **options)


def _serve_demo(settings: Settings) -> None:
    report = with_pool(settings, _seed_demo_if_empty)
    if report is None:
        click.echo("network: --demo: the database holds data already; no demo added"
                   " (`network seed --demo` adds it anyway and prints the logins).", err=True)
        return
    _print_seed_report(report)
    email = report.logins[0][0]
    click.echo(f"network: demo login: {email} / {report.password}", err=True)


def _announce_first_run(settings: Settings) -> None:
    """While nobody has an account, print a one-time link to create the first administrator
    (valid until used, and only for this start: the next start replaces it)."""
    from network.accounts import service, views

    token = with_pool(settings, service.issue_setup_token)
    if token is not None:
        click.echo("network: no account exists yet. Create the first administrator here"
                   " (the link works once, and only until the next restart):\n"
                   f"  {views.setup_link(settings, token)}", err=True)


@main.command()
@friendly_errors
def migrate() -> None:
    """Apply pending database migrations (safe to run while other instances start)."""
    settings = load_settings()
    with database_ready(settings) as ready:
        applied = asyncio.run(database.migrate(ready.database_url))
    click.echo(f"applied {len(applied)} migration(s)" + "".join(f"\n  {m}" for m in applied))


@main.command()
@friendly_errors
def check() -> None:
    """Check the configuration and that the database answers."""
    settings = load_settings()
    with database_ready(settings) as ready:
        version = asyncio.run(database.server_version(ready.database_url))
        pending = asyncio.run(database.pending_migrations(ready.database_url))
    where = "embedded, in " + str(settings.data_dir) if settings.uses_embedded_database else (
        database.describe(ready.database_url))
    click.echo(f"configuration: ok (base URL {settings.base_url}, data in {settings.data_dir})")
    click.echo(f"database: ok, PostgreSQL {version} ({where})")
    hint = " (run `network migrate`)" if pending else ""
    click.echo(f"migrations: {len(pending)} pending{hint}")


@main.group()
def mail() -> None:
    """The outbox: send what is due, show what waits or failed, send a test email."""


@mail.command("send-due")
@friendly_errors
def mail_send_due() -> None:
    """Send every due email now (one dispatch pass, as the scheduler does)."""
    settings = load_settings()
    with database_ready(settings) as ready:
        result = with_pool(ready,
                           lambda: send_all_due(ready, datetime.now(UTC)))
    click.echo(f"sent {result.sent}, to retry {result.retried}, failed {result.failed}")


@mail.command("status")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@friendly_errors
def mail_status(limit: int) -> None:
    """Count emails by status and list the failed ones."""
    settings = load_settings()

    async def gather() -> tuple[dict[str, int], list[dict[str, Any]]]:
        return await outbox.status_counts(), await outbox.failed_emails(limit)

    with database_ready(settings) as ready:
        counts, failed = with_pool(ready, gather)
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))
    for row in failed:
        click.echo(f"failed #{row['id']} {row['template']} to {', '.join(row['recipients'])}:"
                   f" {row['last_error']}")


@mail.command("test")
@click.option("--to", "recipient", required=True, help="Address to send the test email to.")
@friendly_errors
def mail_test(recipient: str) -> None:
    """Queue a test email and send it right away, to check the SMTP settings."""
    settings = load_settings()

    async def send() -> str:
        await outbox.enqueue(settings, "test_message", [recipient],
                             {"requested_by": "Die IT", "recipient": recipient})
        result = await send_all_due(settings, datetime.now(UTC))
        return f"sent {result.sent}, to retry {result.retried}, failed {result.failed}"

    with database_ready(settings) as ready:
        click.echo(with_pool(ready, send))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@main.command("create-user")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--name", "display_name", required=True, help="Name shown in the UI.")
@click.option("--role", type=click.Choice(["admin", "coordinator", "viewer"]),
              default="coordinator", show_default=True)
@click.option("--legal-circle", type=click.Choice(["sgb2", "sgb3"]), required=True,
              help="sgb2 (Jobcenter) or sgb3 (employment agency).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@friendly_errors
def create_user(email: str, display_name: str, role: str, legal_circle: str,
                password_stdin: bool) -> None:
    """Create an account (asks for its password)."""
    from network.accounts import service
    from network.accounts.access import LegalCircle, Role

    password = _read_password(password_stdin)
    new = service.NewUser(email, display_name, Role(role), LegalCircle(legal_circle), password)
    settings = load_settings()
    with database_ready(settings) as ready:
        asyncio.run(database.migrate(ready.database_url))
        user = with_pool(ready, lambda: service.create_user(None, new))
    click.echo(f"created {user.role.value} {user.email} (id {user.id})")


@main.command("set-password")
@click.option("--email", required=True, help="The account's email address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@friendly_errors
def set_password(email: str, password_stdin: bool) -> None:
    """Set an account's password (asks for it); the account's sessions end."""
    from network.accounts import service

    password = _read_password(password_stdin)
    settings = load_settings()
    with database_ready(settings) as ready:
        user = with_pool(ready, lambda: service.set_password(email, password))
    click.echo(f"password set for {user.email}; their sessions have ended")


@main.command()
@click.option("--demo", is_flag=True, help="Add the demo network: partners and ~150 clients.")
@friendly_errors
def seed(demo: bool) -> None:
    """Fill the database with made-up data for trying the product (safe to run twice)."""
    if not demo:
        raise click.UsageError("say what to seed: --demo")
    settings = load_settings()
    with database_ready(settings) as ready:
        asyncio.run(database.migrate(ready.database_url))
        report = with_pool(ready, _seed_demo)
    _print_seed_report(report)


def _print_seed_report(report: Any) -> None:
    click.echo(f"partners: {report.partners_created} added, {report.partners_existing} there")
    click.echo(f"clients: {report.clients_created} added, {report.clients_existing} there")
    click.echo(f"referrals: {report.referrals_created} added, "
               f"{report.referrals_existing} there")
    click.echo(f"demo accounts ({report.users_created} added), all with the password"
               f" {report.password} (made for this run):")
    for email, role in report.logins:
        click.echo(f"  {email}  ({role})")


@main.group()
def report() -> None:
    """The monthly report for the district committee: build a version, send it."""


def _report_month(value: str) -> Any:
    from network.errors import RuleViolation
    from network.reports.period import ReportMonth

    try:
        return ReportMonth.parse(value)
    except RuleViolation as error:
        raise click.BadParameter(error.message, param_hint="--month") from None


@report.command("build")
@click.option("--month", "month_text", required=True, help="The month, like 2026-10.")
@friendly_errors
def report_build(month_text: str) -> None:
    """Build and store a new version of a month's report (the emailed one stays as it is)."""
    from network.reports import service as reports

    month = _report_month(month_text)
    settings = load_settings()
    with database_ready(settings) as ready:
        stored = with_pool(ready, lambda: reports.build_version(ready, month))
    click.echo(f"report {stored.month} version {stored.version} stored")


@report.command("send")
@click.option("--month", "month_text", required=True, help="The month, like 2026-10.")
@friendly_errors
def report_send(month_text: str) -> None:
    """Issue a month's report to REPORT_RECIPIENTS now, as the scheduler does on the first
    working day (once per month: a second run says it was sent already)."""
    from network.reports import service as reports

    month = _report_month(month_text)
    settings = load_settings()
    if not settings.report_recipients:
        raise click.UsageError("REPORT_RECIPIENTS is not set: nobody to send the report to")

    async def send(ready: Settings) -> str:
        stored, queued = await reports.issue_and_queue(ready, month, generated_by="command")
        result = await send_all_due(ready, datetime.now(UTC))
        state = "queued" if queued else "was queued before (sent once per month)"
        return (f"report {stored.month} version {stored.version}: email {state};"
                f" sent {result.sent}, to retry {result.retried}, failed {result.failed}")

    with database_ready(settings) as ready, mail_catcher_if_local(ready):
        click.echo(with_pool(ready, lambda: send(ready)))


async def _seed_demo() -> Any:
    from network.demo_seed import seed_demo

    for name in ("network.partners", "network.cases", "network.referrals",
                 "network.accounts"):  # one line per record is noise here
        logging.getLogger(name).setLevel(logging.WARNING)
    return await seed_demo()


async def _seed_demo_if_empty() -> Any:
    """`serve --demo`: the demo goes only into a database without clients, partners and
    accounts, so it never mixes with real data."""
    from network.accounts.tables import AppUser
    from network.transactions import transaction

    async with transaction() as connection:
        used = await connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM clients) OR EXISTS (SELECT 1 FROM partners)")
    if used or await AppUser.count():
        return None
    return await _seed_demo()


@main.group()
def reminders() -> None:
    """Reminders and escalation: run a tick by hand, preview what would go out."""


@reminders.command("tick")
@friendly_errors
def reminders_tick() -> None:
    """Plan missing reminders and turn every due one into an email (the dispatcher sends)."""
    from network.reminders import planning
    from network.reminders import service as reminder_service

    settings = load_settings()

    async def run() -> str:
        now = datetime.now(UTC)
        planned = await planning.plan(now)
        result = await reminder_service.tick(settings, now)
        return (f"planned {planned}, queued {result.sent}, cancelled as moot "
                f"{result.cancelled}, busy {result.deferred}, failed {result.failed}")

    with database_ready(settings) as ready:
        click.echo(with_pool(ready, run))


@reminders.command("preview")
@click.option("--at", "at", required=True,
              help="ISO time, e.g. 2026-12-28T10:00+01:00 (no zone: Europe/Berlin).")
@friendly_errors
def reminders_preview(at: str) -> None:
    """Show the pending reminders due by --at; sends nothing, changes nothing."""
    from network.reminders import controls
    from network.reminders.calendar import BERLIN

    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {at!r}", param_hint="--at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BERLIN)
    settings = load_settings()
    with database_ready(settings) as ready:
        due = with_pool(ready, lambda: controls.due_by(moment))
    click.echo(f"{len(due)} reminder(s) due by {moment.astimezone(BERLIN):%Y-%m-%d %H:%M %Z}")
    for item in due:
        about = (f"referral {item.referral_id}" if item.referral_id else
                 f"barrier {item.barrier_id}" if item.barrier_id else
                 f"client {item.client_id}" if item.client_id else
                 f"coordinator {item.coordinator_id}")
        click.echo(f"#{item.id} {item.due_at.astimezone(BERLIN):%Y-%m-%d %H:%M} {item.kind}"
                   f" #{item.sequence} to {item.recipient} ({about})")


if __name__ == "__main__":
    main()
