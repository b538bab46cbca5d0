"""Logs: every stdlib logger (ours, uvicorn's, Litestar's, asyncpg's, APScheduler's) renders
through one formatter.

Modules log with `logging.getLogger(__name__)` and pass fields as `extra={...}`; the
output is one JSON object a line (LOG_FORMAT=json) or aligned key=value text (console).
Either way, before a line is written:
- an exception becomes plain traceback text, never with local variables;
- `network.log_redaction` takes out secrets by field name and from any text.

Plain `logging` with a formatter of our own: a structured-logging library would bring a
console renderer that prints every frame's locals (request headers, cookies, passwords, the
database URL) unless told otherwise, and half a second of imports to every command.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from network.log_redaction import redact_event

# What every LogRecord has; anything else on a record came in through `extra={...}`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "color_message",  # uvicorn's ANSI-coloured copy of the message
    "taskName"}


class EventFormatter(logging.Formatter):
    """A record as an event (timestamp, level, logger, event, the extra fields, exception),
    redacted, then rendered as JSON or as console text."""

    def __init__(self, log_format: str) -> None:
        super().__init__()
        self.json = log_format == "json"

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "event": record.getMessage(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="microseconds").replace("+00:00", "Z"),
        }
        event.update((key, value) for key, value in vars(record).items()
                     if key not in _STANDARD and key not in event)
        if record.stack_info:
            event["stack"] = record.stack_info
        if record.exc_info:
            event["exception"] = "".join(traceback.format_exception(*record.exc_info))
        event = redact_event(None, record.levelname, event)
        return _json(event) if self.json else _console(event)


def _json(event: dict[str, Any]) -> str:
    return json.dumps(event, default=repr, ensure_ascii=False)


def _console(event: dict[str, Any]) -> str:
    fields = {key: value for key, value in event.items()
              if key not in ("event", "level", "logger", "timestamp", "exception", "stack")}
    line = (f"{event['timestamp']} [{event['level']:<9}] {event['event']:<30}"
            + "".join(f" {key}={value!r}" for key, value in sorted(fields.items()))
            + f" [{event['logger']}]")
    for part in ("stack", "exception"):
        if part in event:
            line += "\n" + str(event[part]).rstrip("\n")
    return line


def configure_logging(level: str, log_format: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(EventFormatter(log_format))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # Our middleware logs each request once, with its duration: no uvicorn access log.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    quiet_libraries(level)


# Libraries that say at INFO what only someone debugging wants: every scheduler run, every
# line of an SMTP conversation, every font subset of a report. Their warnings still show.
CHATTY_LIBRARIES = ("apscheduler", "mail.log", "aiosmtpd", "aiosmtplib", "fontTools", "fpdf",
                    "matplotlib", "PIL")


def quiet_libraries(level: str) -> None:
    """At LOG_LEVEL=DEBUG every library speaks; otherwise only from WARNING on."""
    debugging = logging.getLevelName(level) <= logging.DEBUG
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if debugging else logging.WARNING)
