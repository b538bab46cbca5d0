"""The `network` command: serve, migrate, check, seed (later issues add their own commands here).

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from network import database
from network.embedded_postgres import EmbeddedPostgresError, embedded_postgres
from network.log_setup import configure_logging
from network.settings import ConfigError, Settings


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
        except (database.DatabaseUnreachable, EmbeddedPostgresError) as error:
            _fail(str(error))
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
def database_ready(settings: Settings) -> Iterator[Settings]:
    """Settings with a reachable database: the configured one, or the embedded one."""
    if settings.database_url is not None:
        asyncio.run(database.server_version(settings.database_url))
        yield settings
        return
    with embedded_postgres(settings.data_dir) as url:
        yield settings.with_database_url(url)


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
@friendly_errors
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Apply pending migrations, then serve HTTP until Ctrl-C or SIGTERM."""
    import uvicorn

    from network.app import create_app

    settings = load_settings()
    with database_ready(settings) as ready:
        asyncio.run(database.migrate(ready.database_url))
        options: dict[str, Any] = {
            "host": host or ready.host,
            "port": port or ready.port,
            "log_config": None,
            "access_log": False,
            "server_header": False,
        }
        click.echo(f"network: serving on http://{options['host']}:{options['port']}", err=True)
        if workers == 1 and not reload:
            uvicorn.run(create_app(ready), **options)
            return
        # Workers and the reloader import the app afresh and read settings from the
        # environment: hand them the database we resolved (the embedded one, too).
        os.environ["DATABASE_URL"] = ready.database_url
        uvicorn.run("network.app:app_from_environment", factory=True, workers=workers,
                    reload=reload, reload_dirs=["network", "email_templates"], **options)


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
        report = asyncio.run(_seed_demo(ready))
    click.echo(f"partners: {report.partners_created} added, {report.partners_existing} there")
    click.echo(f"clients: {report.clients_created} added, {report.clients_existing} there")


async def _seed_demo(settings: Settings) -> Any:
    from network.demo_seed import seed_demo

    for name in ("network.partners", "network.cases"):  # one line per record is noise here
        logging.getLogger(name).setLevel(logging.WARNING)
    await database.start_pool(settings.database_url, settings.database_pool_size)
    try:
        return await seed_demo()
    finally:
        await database.close_pool()


if __name__ == "__main__":
    main()
