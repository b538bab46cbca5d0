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
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from network import database
from network.actors import Actor
from network.clock import SYSTEM_CLOCK, Clock
from network.embedded_postgres import EmbeddedPostgresError, embedded_postgres
from network.errors import NotFound, RuleViolation
from network.log_setup import configure_logging
from network.mail.catcher import MailCatcherError, mail_catcher
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
        except RuleViolation as error:  # an action refused the input (e.g. a weak password)
            _fail(str(error))
        except NotFound as error:
            _fail(error.message)
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


@dataclass(frozen=True)
class Command:
    """What a database-backed command works with: the settings (with the resolved database),
    the clock every business timestamp comes from, and the command as the acting system."""

    settings: Settings
    clock: Clock
    actor: Actor


def run_with_database(settings: Settings, work: Callable[[Command], Awaitable[T]], *,
                      migrate: bool = False, catch_mail: bool = False,
                      program: bool = True, pool: bool = True) -> T:
    """THE runner of the database-backed commands: resolve the database (the embedded one
    without DATABASE_URL), optionally apply migrations and catch mail locally, then run
    `work` as `run_on_database` does, and stop everything again."""
    with ExitStack() as stack:
        ready = stack.enter_context(database_ready(settings))
        if catch_mail:
            stack.enter_context(mail_catcher_if_local(ready))
        return run_on_database(ready, work, migrate=migrate, program=program, pool=pool)


def run_on_database(ready: Settings, work: Callable[[Command], Awaitable[T]], *,
                    migrate: bool = False, job: str | None = None, program: bool = True,
                    pool: bool = True) -> T:
    """Run `work` against a database that is up (`ready.database_url`): Piccolo's pool bound
    and open, the program composed (event subscriptions wired) unless `program` is False
    (commands that only read: they start without importing every domain), the pool not opened
    when `pool` is False (a command that asks the server on its own connection), the system clock,
    and the actor `Actor.system("cli.<command>")`; the pool is closed afterwards."""
    actor = Actor.system(job or _job_name())

    async def run() -> T:
        if migrate:
            await database.migrate(ready.database_url)
        if program:
            from network.composition import compose

            compose(ready)
        if not pool:
            return await work(Command(ready, SYSTEM_CLOCK, actor))
        await database.start_pool(ready.database_url, 2, ready.database_limits)
        try:
            return await work(Command(ready, SYSTEM_CLOCK, actor))
        finally:
            await database.close_pool()

    return asyncio.run(run())


def _job_name() -> str:
    """`network report build` -> "cli.report.build"."""
    context = click.get_current_context(silent=True)
    words = context.command_path.split()[1:] if context is not None else []
    return ".".join(["cli", *words]) if words else "cli"


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
    report = run_on_database(settings, _seed_demo_if_empty, job="cli.serve.demo")
    if report is None:
        click.echo("network: --demo: the database holds data already; no demo added"
                   " (`network seed --demo` adds it anyway and prints the logins).", err=True)
        return
    _print_seed_report(report)
    # A coordinator's: administrators manage accounts, not cases, so they would see no client.
    email = next(email for email, role in report.logins if role == "coordinator")
    click.echo(f"network: demo login: {email} / {report.password}", err=True)


def _announce_first_run(settings: Settings) -> None:
    """While nobody has an account, print a one-time link to create the first administrator
    (valid until used, and only for this start: the next start replaces it)."""
    from network.accounts import actions, views

    token = run_on_database(settings, lambda run: actions.issue_setup_token(run.clock),
                            job="cli.serve.setup")
    if token is not None:
        click.echo("network: no account exists yet. Create the first administrator here"
                   " (the link works once, and only until the next restart):\n"
                   f"  {views.setup_link(settings, token)}", err=True)


@main.command()
@friendly_errors
def migrate() -> None:
    """Apply pending database migrations (safe to run while other instances start)."""
    applied = run_with_database(load_settings(),
                                lambda run: database.migrate(run.settings.database_url))
    click.echo(f"applied {len(applied)} migration(s)" + "".join(f"\n  {m}" for m in applied))


@main.command()
@friendly_errors
def check() -> None:
    """Check the configuration and that the database answers."""
    settings = load_settings()

    async def inspect(run: Command) -> tuple[str, list[str], str]:
        url = run.settings.database_url
        return (await database.server_version(url), await database.pending_migrations(url),
                database.describe(url))

    version, pending, described = run_with_database(settings, inspect, program=False,
                                                    pool=False)
    where = ("embedded, in " + str(settings.data_dir) if settings.uses_embedded_database
             else described)
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
    from network.composition import build_mailer
    from network.mail.dispatcher import send_all_due

    result = run_with_database(
        load_settings(), lambda run: send_all_due(build_mailer(run.settings), run.clock.now()))
    click.echo(f"sent {result.sent}, to retry {result.retried}, failed {result.failed}")


@mail.command("status")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@friendly_errors
def mail_status(limit: int) -> None:
    """Count emails by status and list the failed ones."""
    from network.mail import queries  # plain SQL: no Jinja, no query builder to import

    async def gather(_: Command) -> tuple[dict[str, int], list[dict[str, Any]]]:
        return await queries.status_counts(), await queries.failed_emails(limit)

    counts, failed = run_with_database(load_settings(), gather, program=False)
    click.echo("  ".join(f"{status}: {count}" for status, count in counts.items()))
    for row in failed:
        click.echo(f"failed #{row['id']} {row['template']} to {', '.join(row['recipients'])}:"
                   f" {row['last_error']}")


@mail.command("test")
@click.option("--to", "recipient", required=True, help="Address to send the test email to.")
@friendly_errors
def mail_test(recipient: str) -> None:
    """Queue a test email and send it right away, to check the SMTP settings."""
    from network.composition import build_mailer
    from network.mail import outbox
    from network.mail.dispatcher import send_all_due

    async def send(run: Command) -> str:
        await outbox.enqueue(run.settings, "test_message", [recipient],
                             {"requested_by": "Die IT", "recipient": recipient},
                             due_at=run.clock.now())
        result = await send_all_due(build_mailer(run.settings), run.clock.now())
        return f"sent {result.sent}, to retry {result.retried}, failed {result.failed}"

    click.echo(run_with_database(load_settings(), send))


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
    from network.accounts import actions, service
    from network.accounts.access import LegalCircle, Role

    password = _read_password(password_stdin)
    new = service.NewUser(email, display_name, Role(role), LegalCircle(legal_circle), password)
    user = run_with_database(
        load_settings(), lambda run: actions.create_user(run.actor, run.clock, new),
        migrate=True)
    click.echo(f"created {user.role.value} {user.email} (id {user.id})")


@main.command("set-password")
@click.option("--email", required=True, help="The account's email address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@friendly_errors
def set_password(email: str, password_stdin: bool) -> None:
    """Set an account's password (asks for it); the account's sessions and API tokens end."""
    from network.accounts import actions

    password = _read_password(password_stdin)
    user = run_with_database(
        load_settings(), lambda run: actions.set_password(run.actor, run.clock, email, password))
    click.echo(f"password set for {user.email}; their sessions and API tokens have ended")


@main.command()
@click.option("--demo", is_flag=True, help="Add the demo network: partners and ~150 clients.")
@friendly_errors
def seed(demo: bool) -> None:
    """Fill the database with made-up data for trying the product (safe to run twice)."""
    if not demo:
        raise click.UsageError("say what to seed: --demo")
    report = run_with_database(load_settings(), _seed_demo, migrate=True)
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
    from network.reports import actions

    month = _report_month(month_text)
    stored = run_with_database(load_settings(), lambda run: actions.build_version(
        run.actor, run.clock, run.settings, month))
    provisional = " (provisional: the month is not over)" if stored.provisional else ""
    click.echo(f"report {stored.month} version {stored.version} stored{provisional}")


@report.command("send")
@click.option("--month", "month_text", required=True, help="The month, like 2026-10.")
@friendly_errors
def report_send(month_text: str) -> None:
    """Issue a month's report to REPORT_RECIPIENTS now, as the scheduler does on the first
    working day (once per month: a second run says it was sent already)."""
    from network.composition import build_mailer
    from network.mail.dispatcher import send_all_due
    from network.reports import actions

    month = _report_month(month_text)
    settings = load_settings()
    if not settings.report_recipients:
        raise click.UsageError("REPORT_RECIPIENTS is not set: nobody to send the report to")

    async def send(run: Command) -> str:
        stored, queued = await actions.issue_monthly(run.actor, run.clock, run.settings, month)
        result = await send_all_due(build_mailer(run.settings), run.clock.now())
        state = "queued" if queued else "was queued before (sent once per month)"
        return (f"report {stored.month} version {stored.version}: email {state};"
                f" sent {result.sent}, to retry {result.retried}, failed {result.failed}")

    click.echo(run_with_database(settings, send, catch_mail=True))


async def _seed_demo(_: Command) -> Any:
    from network.demo_seed import seed_demo

    for name in ("network.partners", "network.cases", "network.referrals",
                 "network.accounts"):  # one line per record is noise here
        logging.getLogger(name).setLevel(logging.WARNING)
    return await seed_demo()


async def _seed_demo_if_empty(run: Command) -> Any:
    """`serve --demo`: the demo goes only into a database without clients, partners and
    accounts, so it never mixes with real data."""
    from network.accounts.tables import AppUser
    from network.cases.tables import Client
    from network.partners.tables import Partner

    for table in (Client, Partner, AppUser):
        if await table.exists():
            return None
    return await _seed_demo(run)


@main.group()
def reminders() -> None:
    """Reminders and escalation: run a tick by hand, preview what would go out."""


@reminders.command("tick")
@friendly_errors
def reminders_tick() -> None:
    """Plan missing reminders and turn every due one into an email (the dispatcher sends)."""
    from network.reminders import actions as reminder_actions
    from network.reminders import planning

    async def tick(run: Command) -> str:
        planned = await planning.plan(run.clock.now())
        result = await reminder_actions.tick(reminder_actions.TICK, run.clock, run.settings)
        return (f"planned {planned}, queued {result.sent} in {result.emails} email(s),"
                f" cancelled as moot {result.cancelled}, busy {result.deferred},"
                f" failed {result.failed}, waiting for the next working day {result.postponed}")

    click.echo(run_with_database(load_settings(), tick))


@reminders.command("preview")
@click.option("--at", "at", required=True,
              help="ISO time, e.g. 2026-12-28T10:00+01:00 (no zone: Europe/Berlin).")
@friendly_errors
def reminders_preview(at: str) -> None:
    """Show the pending reminders due by --at; sends nothing, changes nothing."""
    from network.reminders import controls, mailing_days
    from network.reminders.calendar import BERLIN

    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise click.BadParameter(f"not an ISO time: {at!r}", param_hint="--at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BERLIN)

    async def preview(run: Command) -> tuple[list[Any], int]:
        due = await controls.due_by(moment)
        return due, await mailing_days.emails_for(due, run.clock.now())

    due, emails = run_with_database(load_settings(), preview, program=False)
    click.echo(f"{len(due)} reminder(s) due by {moment.astimezone(BERLIN):%Y-%m-%d %H:%M %Z},"
               f" in {emails} email(s): at most one per recipient and working day")
    for item in due:
        about = (f"referral {item.referral_id}" if item.referral_id else
                 f"barrier {item.barrier_id}" if item.barrier_id else
                 f"client {item.client_id}" if item.client_id else
                 f"coordinator {item.coordinator_id}")
        click.echo(f"#{item.id} {item.due_at.astimezone(BERLIN):%Y-%m-%d %H:%M} {item.kind}"
                   f" #{item.sequence} to {item.recipient} ({about})")


@main.group()
def directory() -> None:
    """The partner directory as an HSDS 3.0 tabular data package (Open Referral)."""


@directory.command("export")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@friendly_errors
def directory_export(target: Path) -> None:
    """Write the directory into TARGET: datapackage.json and one CSV per resource."""
    from network.partners import hsds, hsds_directory, hsds_io

    async def export(run: Command) -> int:
        entries = [entry for _id, entry in await hsds_directory.directory()]
        tables = hsds.package_tables(entries, hsds_directory.today(run.clock))
        hsds_io.write_package(target, tables)
        return len(entries)

    count = run_with_database(load_settings(), export)
    click.echo(f"{count} partner(s) written to {target}")


@directory.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Apply without asking.")
@friendly_errors
def directory_import(source: Path, yes: bool) -> None:
    """Read an HSDS package (a directory or its datapackage.json), show what it would add or
    change, and apply it on confirmation, in one transaction."""
    from network.partners import hsds, hsds_directory, hsds_io
    from network.words import directory_import as words

    try:
        imported = hsds.entries_from(hsds_io.read_package(source))
    except hsds.PackageError as error:
        _fail(f"malformed package, nothing imported: {error}")

    async def work(run: Command) -> dict[str, int] | None:
        plans = await hsds_directory.plan_import(imported)
        for plan in plans:
            click.echo(_planned_line(plan, words))
        counts = {o: sum(p.outcome == o for p in plans) for o in words.OUTCOMES}
        click.echo(words.SUMMARY.format(**counts))
        if not counts["new"] and not counts["changed"] and not any(
                p.store_hsds_id for p in plans):
            return counts
        if not yes and not click.confirm(words.CONFIRM, default=False):
            click.echo(words.NOTHING)
            return None
        await hsds_directory.apply_import(Actor.system("directory.import"), run.clock, plans)
        click.echo(words.APPLIED)
        return counts

    try:
        run_with_database(load_settings(), work)
    except hsds.PackageError as error:
        _fail(f"malformed package, nothing imported: {error}")


def _planned_line(plan: Any, words: Any) -> str:
    german, english = words.OUTCOMES[plan.outcome]
    line = f"{german} / {english}: {plan.entry.name} ({plan.source})"
    if plan.reason:
        line += f": {plan.reason}"
    for name, (old, new) in plan.changes.items():
        line += f"\n    {words.FIELDS.get(name, name)} ({name}): {_shown(old)} -> {_shown(new)}"
    return line


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if hasattr(value, "value"):
        return str(value.value)
    if hasattr(value, "__dataclass_fields__"):
        return " ".join(str(v) for v in vars(value).values() if v)
    return repr(value)


if __name__ == "__main__":
    main()
