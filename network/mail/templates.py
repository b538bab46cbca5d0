"""Emails rendered from `email_templates/` by naming convention, three parts each:
`<name>.subject.txt`, `<name>.txt` (plain text) and `<name>.html` (HTML, autoescaped, with
inline styles from the shared layout so it survives Outlook)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES_FOLDER = Path(__file__).resolve().parent.parent.parent / "email_templates"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_FOLDER),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,  # a missing value is an error, never an empty gap in a letter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates ship with the code: no look at their files per email
        # and all of them stay loaded, in a plain dict: the default LRU cache took a lock and
        # moved the name in its queue for every template an email uses (six or more each,
        # with the layouts and includes; ~5-10 % of rendering one)
        cache_size=-1,
    )


def render(name: str, context: dict[str, Any]) -> RenderedEmail:
    env = _environment()
    subject = env.get_template(f"{name}.subject.txt").render(context)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # one line, whatever the template's whitespace
        text=env.get_template(f"{name}.txt").render(context),
        html=env.get_template(f"{name}.html").render(context),
    )


def template_names() -> list[str]:
    subjects = TEMPLATES_FOLDER.glob("*.subject.txt")
    return sorted(path.name.removesuffix(".subject.txt") for path in subjects)
