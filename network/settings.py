"""The service's configuration: one object, built once from environment variables.

Every value is parsed strictly; a bad value raises ConfigError naming the variable, so
the operator sees one clear line instead of a traceback. No other module reads
os.environ: they get a Settings object passed in.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("console", "json")
SMTP_SECURITY = {"smtp": "none", "smtp+starttls": "starttls", "smtps": "tls"}
MIN_SECRET_KEY_LENGTH = 32
_PLAIN_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
DEFAULT_INTEGRATION_POINT = "Integration Point Kreis Heinsberg"


class ConfigError(Exception):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # "none", "starttls" (required, never falls back) or "tls"
    username: str | None = field(default=None)
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AccountPolicy:
    """Session lifetimes and login throttling (see network.accounts.throttle)."""

    session_idle_minutes: int = 60
    session_max_hours: int = 12
    login_delay_after_failures: int = 5
    login_block_after_failures: int = 10
    login_block_minutes: int = 15


@dataclass(frozen=True)
class PartnerInboxPolicy:
    """The partner inbox (network.links.partner_sessions): how long an emailed sign-in link
    works, and how long a partner session lives idle and at most."""

    sign_in_link_minutes: int = 30
    session_idle_minutes: int = 30
    session_max_hours: int = 8


@dataclass(frozen=True)
class DatabaseLimits:
    """How long the service waits for its database (see network.database): a server that
    stops answering turns into an error within seconds, and the pages answer 503."""

    connect_seconds: int = 5  # opening one connection
    acquire_seconds: int = 5  # getting a connection from the pool (a free one or a new one)
    statement_seconds: int = 10  # one statement, from sending it to its answer


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    base_url: str
    secret_key: str = field(repr=False)
    smtp: SmtpConfig
    mail_catcher: bool  # no SMTP_URL: `network serve` catches mail itself (local trial)
    mail_from: str
    integration_point: str  # the name every email, page and report carries
    log_level: str
    log_format: str
    host: str
    port: int
    database_pool_size: int
    scheduler_enabled: bool
    mail_dispatch_seconds: int
    smtp_timeout_seconds: int
    retention_years: int  # closed cases are pseudonymised this many years after closing
    partner_link_days: int  # how long a link in a partner's email works
    report_min_cell: int = 3  # counts below this are shown as "< N" in reports
    report_recipients: tuple[str, ...] = ()  # who gets the monthly report by email
    accounts: AccountPolicy = field(default_factory=AccountPolicy)
    reminder_tick_seconds: int = 60  # how often due reminders become outbox rows
    reminder_plan_minutes: int = 60  # how often open barriers/cases/coordinators get theirs
    database_limits: DatabaseLimits = field(default_factory=DatabaseLimits)
    partner_inbox: PartnerInboxPolicy = field(default_factory=PartnerInboxPolicy)
    # outreach (issue 19): the invitation letter's sender block; never-converted prospects
    # are erased this many months after being added (or parked)
    integration_point_address: str = ""  # lines separated by ";" on the letter
    integration_point_phone: str = ""
    prospect_retention_months: int = 6
    outreach_max_attempts: int = 3  # contact attempts without contact before parking

    @property
    def mail_catcher_dir(self) -> Path:
        return self.data_dir / "caught-mail"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    def with_database_url(self, url: str) -> Settings:
        return replace(self, database_url=url)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        env = _Env(environ)
        data_dir = Path(env.text("DATA_DIR", "data")).expanduser().resolve()
        catcher_port = env.integer("MAIL_CATCHER_PORT", 2525, minimum=1, maximum=65535)
        host = env.text("HOST", "127.0.0.1")
        port = env.integer("PORT", 8000, minimum=1, maximum=65535)
        return cls(
            database_url=env.database_url("DATABASE_URL"),
            data_dir=data_dir,
            base_url=env.http_url("BASE_URL", local_base_url(host, port)),
            secret_key=env.secret_key("SECRET_KEY", data_dir),
            smtp=env.smtp("SMTP_URL", f"smtp://127.0.0.1:{catcher_port}"),
            mail_catcher=env.raw("SMTP_URL") is None,
            mail_from=env.mail_address("MAIL_FROM", "Integration Point <noreply@localhost>"),
            integration_point=env.text("INTEGRATION_POINT_NAME", DEFAULT_INTEGRATION_POINT),
            log_level=env.choice("LOG_LEVEL", "INFO", LOG_LEVELS, upper=True),
            log_format=env.choice("LOG_FORMAT", "console", LOG_FORMATS),
            host=host,
            port=port,
            database_pool_size=env.integer("DATABASE_POOL_SIZE", 10, minimum=1, maximum=500),
            scheduler_enabled=env.boolean("SCHEDULER_ENABLED", True),
            mail_dispatch_seconds=env.integer("MAIL_DISPATCH_SECONDS", 15, minimum=1, maximum=3600),
            smtp_timeout_seconds=env.integer("SMTP_TIMEOUT_SECONDS", 30, minimum=1, maximum=600),
            retention_years=env.integer("RETENTION_YEARS", 2, minimum=1, maximum=30),
            partner_link_days=env.integer("PARTNER_LINK_DAYS", 60, minimum=7, maximum=365),
            report_min_cell=env.integer("REPORT_MIN_CELL", 3, minimum=3, maximum=100),
            report_recipients=env.address_list("REPORT_RECIPIENTS"),
            accounts=AccountPolicy(
                session_idle_minutes=env.integer("SESSION_IDLE_MINUTES", 60, 1, 24 * 60),
                session_max_hours=env.integer("SESSION_MAX_HOURS", 12, 1, 24 * 30),
                login_delay_after_failures=env.integer("LOGIN_DELAY_AFTER_FAILURES", 5, 1, 100),
                login_block_after_failures=env.integer("LOGIN_BLOCK_AFTER_FAILURES", 10, 1, 1000),
                login_block_minutes=env.integer("LOGIN_BLOCK_MINUTES", 15, 1, 24 * 60),
            ),
            reminder_tick_seconds=env.integer("REMINDER_TICK_SECONDS", 60, 1, 3600),
            reminder_plan_minutes=env.integer("REMINDER_PLAN_MINUTES", 60, 1, 24 * 60),
            database_limits=DatabaseLimits(
                connect_seconds=env.integer("DATABASE_CONNECT_TIMEOUT_SECONDS", 5, 1, 120),
                acquire_seconds=env.integer("DATABASE_ACQUIRE_TIMEOUT_SECONDS", 5, 1, 120),
                statement_seconds=env.integer("DATABASE_STATEMENT_TIMEOUT_SECONDS", 10, 1, 3600),
            ),
            partner_inbox=PartnerInboxPolicy(
                sign_in_link_minutes=env.integer("PARTNER_SIGN_IN_LINK_MINUTES", 30, 5, 24 * 60),
                session_idle_minutes=env.integer("PARTNER_SESSION_IDLE_MINUTES", 30, 1, 24 * 60),
                session_max_hours=env.integer("PARTNER_SESSION_MAX_HOURS", 8, 1, 24 * 7),
            ),
            integration_point_address=env.text("INTEGRATION_POINT_ADDRESS", ""),
            integration_point_phone=env.text("INTEGRATION_POINT_PHONE", ""),
            prospect_retention_months=env.integer("PROSPECT_RETENTION_MONTHS", 6, 1, 120),
            outreach_max_attempts=env.integer("OUTREACH_MAX_ATTEMPTS", 3, 1, 20),
        )


# Addresses a server binds to that are not where a browser finds it: links say "localhost".
_ANY_OR_LOOPBACK = frozenset({"127.0.0.1", "0.0.0.0", "::", "::1", "localhost", ""})


def local_base_url(host: str, port: int) -> str:
    """Where links point when BASE_URL is unset: the address `serve` listens on."""
    name = "localhost" if host in _ANY_OR_LOOPBACK else host
    if ":" in name:  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}:{port}"


class _Env:
    """Strict readers for one environment mapping. Secrets may come from `<NAME>_FILE`."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ

    def raw(self, name: str) -> str | None:
        file_name = self.environ.get(f"{name}_FILE", "").strip()
        if file_name:
            try:
                return Path(file_name).read_text().strip()
            except OSError as error:
                reason = error.strerror
                raise ConfigError(f"{name}_FILE: cannot read {file_name}: {reason}") from None
        value = self.environ.get(name, "").strip()
        return value or None

    def text(self, name: str, default: str) -> str:
        return self.raw(name) or default

    def choice(self, name: str, default: str, allowed: tuple[str, ...], upper: bool = False) -> str:
        value = self.raw(name) or default
        value = value.upper() if upper else value.lower()
        if value not in allowed:
            raise ConfigError(f"{name}: must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() not in ("true", "false"):
            raise ConfigError(f"{name}: must be true or false, not {value!r}")
        return value.lower() == "true"

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name}: must be a whole number, not {value!r}") from None
        if not minimum <= number <= maximum:
            raise ConfigError(f"{name}: must be between {minimum} and {maximum}, not {number}")
        return number

    def database_url(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("postgres", "postgresql"):
            raise ConfigError(
                f"{name}: must look like postgresql://user:password@host:5432/database"
                + (f", not {parts.scheme}://..." if parts.scheme else "")
            )
        try:
            parts.port  # noqa: B018 - raises ValueError on a malformed port
        except ValueError:
            raise ConfigError(f"{name}: the port is not a number") from None
        if not parts.path.strip("/") and "dbname=" not in parts.query:
            raise ConfigError(f"{name}: names no database (add /database_name at the end)")
        return value

    def http_url(self, name: str, default: str) -> str:
        value = self.raw(name) or default
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"{name}: must be an http:// or https:// address, not {value!r}")
        return value.rstrip("/")

    def secret_key(self, name: str, data_dir: Path) -> str:
        value = self.raw(name)
        if value is not None:
            if len(value) < MIN_SECRET_KEY_LENGTH:
                raise ConfigError(f"{name}: must be at least {MIN_SECRET_KEY_LENGTH} characters")
            return value
        return _local_secret_key(data_dir, name)

    def smtp(self, name: str, default: str) -> SmtpConfig:
        value = self.raw(name) or default
        parts = urlsplit(value)
        security = SMTP_SECURITY.get(parts.scheme)
        if security is None or not parts.hostname:
            raise ConfigError(
                f"{name}: must look like smtp://host:25, smtp+starttls://user:password@host:587"
                f" or smtps://user:password@host:465"
            )
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"{name}: the port is not a number") from None
        default_port = {"none": 25, "starttls": 587, "tls": 465}[security]
        return SmtpConfig(
            host=parts.hostname,
            port=port or default_port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    def address_list(self, name: str) -> tuple[str, ...]:
        """Comma-separated plain addresses (`a@x.de, b@y.de`); an empty item, a display name,
        a duplicate or anything that is not an address is refused."""
        value = self.raw(name)
        if value is None:
            return ()
        addresses: list[str] = []
        for position, item in enumerate(value.split(","), start=1):
            address = item.strip()
            if not address:
                raise ConfigError(f"{name}: address {position} is empty (stray comma?)")
            if not _PLAIN_ADDRESS.match(address):
                raise ConfigError(f"{name}: {address!r} is not an email address like"
                                  " name@example.org")
            if address.lower() in (known.lower() for known in addresses):
                raise ConfigError(f"{name}: {address!r} is listed twice")
            addresses.append(address)
        return tuple(addresses)

    def mail_address(self, name: str, default: str) -> str:
        value = self.raw(name) or default
        _display, address = parseaddr(value)
        if "@" not in address:
            raise ConfigError(f"{name}: must be an email address, like 'Name <ip@example.org>'")
        return value


def _local_secret_key(data_dir: Path, name: str) -> str:
    """For local use: a key generated once and kept in DATA_DIR, so sessions survive restarts."""
    path = data_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key
    except OSError as error:
        raise ConfigError(
            f"{name} is not set and {path} cannot be used to keep a generated one:"
            f" {error.strerror}"
        ) from None
