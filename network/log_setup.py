"""Structured logs: every stdlib logger (ours, uvicorn's, Litestar's, asyncpg's, APScheduler's)
and structlog's own render through one structlog formatter.

Modules log with `logging.getLogger(__name__)` and pass fields as `extra={...}`; the
output is one JSON object a line (LOG_FORMAT=json) or aligned key=value text (console).
Either way, before a line is written:
- an exception becomes plain traceback text, never with local variables (structlog's console
  renderer would otherwise use rich or better-exceptions and print every frame's locals:
  request headers, cookies, bodies, passwords, the database URL);
- `network.log_redaction` takes out secrets by field name and from any text.
"""

from __future__ import annotations

import logging
import sys

import structlog

from network.log_redaction import redact_event


def configure_logging(level: str, log_format: str) -> None:
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        # exception_formatter: only a fallback, format_exc_info below has made the text
        else structlog.dev.ConsoleRenderer(colors=False,
                                           exception_formatter=structlog.dev.plain_traceback)
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            _drop_color_message,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,  # plain text: no locals, in both formats
            redact_event,  # after the traceback became text, so its text is redacted too
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # structlog's own loggers (if a library uses them) go through the same handler, instead
    # of structlog's default: a console renderer with locals in its tracebacks.
    structlog.configure(
        processors=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
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


def _drop_color_message(logger, method_name, event_dict):
    event_dict.pop("color_message", None)  # uvicorn's ANSI-coloured copy of the message
    return event_dict
