"""Structured logs: every stdlib logger (ours, uvicorn's, Piccolo's) renders through structlog.

Modules log with `logging.getLogger(__name__)` and pass fields as `extra={...}`; the
output is one JSON object a line (LOG_FORMAT=json) or aligned key=value text (console).
"""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str, log_format: str) -> None:
    renderer = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
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
            structlog.processors.format_exc_info if log_format == "json" else _keep,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # Our middleware logs each request once, with its duration: no uvicorn access log.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("pgserver").setLevel(logging.WARNING)


def _keep(logger, method_name, event_dict):
    return event_dict


def _drop_color_message(logger, method_name, event_dict):
    event_dict.pop("color_message", None)  # uvicorn's ANSI-coloured copy of the message
    return event_dict
