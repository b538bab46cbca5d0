"""Rendering pages: the Jinja environment, the page response, form state that keeps what was
typed with an error next to each field, redirects after a successful POST, pagination, and
the HTML answer to errors (a sign-in redirect instead of 401, a German page for 403/404)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect
from markupsafe import Markup, escape

from network import problems, words
from network.accounts.middleware import sign_in_location, sign_in_redirect
from network.accounts.sessions import Authenticated
from network.clock import BERLIN
from network.errors import (
    DomainError,
    LinkUsed,
    NotFound,
    RuleViolation,
    Throttled,
    WrongCredentials,
)
from network.request_log import redacted_path
from network.words import NOTICES, partner_pages
from network.words.refusals import refusal

log = logging.getLogger(__name__)

__all__ = ["BERLIN", "NOTICES"]  # still imported from here by the views
PAGE_SIZE = 25

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates ship with the code: no look at their files per page
)


# The pages take every German word from the catalogue: `{{ x|label("gender") }}`,
# `{{ code|country }}`, `{{ at|day }}`, `{{ at|local }}`, and `words.GENDERS` for the options.
TEMPLATES.filters.update(local=words.clock_time, day=words.day, moment=words.moment,
                         label=words.label, duration=words.duration, country=words.country,
                         language=words.language)
TEMPLATES.globals.update(words=words)


def option_tags(options: Mapping[Any, Any] | Options, chosen: object) -> Markup:
    """The `<option>` lines of the `select` macro, `chosen` selected: a loop in Python, as a
    Jinja loop over a picker of 300 partners was half the referral list page's rendering.
    Lists of plain strings (the pickers of partners and staff) are escaped once and kept
    (`_string_options`, `options_from_json`): escaping 300 partners' names cost the list
    page 0.9 ms a request."""
    current = str(chosen)
    if isinstance(options, Options):
        return options.with_selected(current)
    items = tuple(options.items())
    if set(map(type, options)) | set(map(type, options.values())) <= {str}:
        return _string_options(items).with_selected(current)
    return Markup("".join(_option_line(value, text, current == str(value))
                          for value, text in items))


def _option_line(value: object, text: object, selected: bool) -> str:
    return (f'    <option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(text)}</option>\n")


@dataclass(frozen=True)
class Options:
    """A list of options rendered once: every line unselected, and where each value is."""

    items: tuple[tuple[str, str], ...]
    lines: tuple[str, ...]
    unselected: str
    at: dict[str, int]

    @classmethod
    def of(cls, items: tuple[tuple[str, str], ...]) -> Options:
        lines = tuple(_option_line(value, text, False) for value, text in items)
        return cls(items, lines, "".join(lines),
                   {value: index for index, (value, _text) in enumerate(items)})

    def with_selected(self, current: str) -> Markup:
        index = self.at.get(current)
        if index is None:
            return Markup(self.unselected)
        value, text = self.items[index]
        return Markup("".join((*self.lines[:index], _option_line(value, text, True),
                               *self.lines[index + 1:])))


@lru_cache(maxsize=64)
def _string_options(items: tuple[tuple[str, str], ...]) -> Options:
    """Keyed by the options themselves (strings only: 1 == True would mix up lists of
    other values), so a renamed partner is a new entry and the oldest lists drop out."""
    return Options.of(items)


@lru_cache(maxsize=8)
def options_from_json(text: str) -> Options:
    """The options of a JSON object `{"value": "text", ...}` in its order, kept by the text
    itself (hashing one string is cheaper than decoding and comparing 300 pairs): the
    partner picker of the referral list (network.web.queries.list_page_names)."""
    return Options.of(tuple(json.loads(text).items()))


def directory_options(directory: Sequence[Any]) -> dict[str, str]:
    """A handoff's directory entries as the partner select's options, "name (kind)" by id
    (at most `network.links.service.DIRECTORY_LISTED` of them: a longer directory is
    searched), rendered by `option_tags` like every other picker."""
    return {str(entry.id): f"{entry.name} ({words.label(entry.kind, 'partner_kind')})"
            for entry in directory}


TEMPLATES.globals.update(option_tags=option_tags, directory_options=directory_options,
                         directory_hint=partner_pages.directory_hint, partner_words=partner_pages)


def csrf_token(request: Request) -> str:
    auth = request.scope.get("auth")
    return auth.csrf_token if isinstance(auth, Authenticated) and auth.csrf_token else ""


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response[str]:
    user = request.scope.get("user")
    html = TEMPLATES.get_template(template).render(
        user=user, csrf_token=csrf_token(request), path=request.url.path,
        notice=NOTICES.get(request.query_params.get("hinweis", "")), **context)
    return Response(html, media_type=MediaType.HTML, status_code=status,
                    headers={"Cache-Control": "no-store"})


def redirect(path: str, notice: str | None = None) -> Redirect:
    """After a successful POST: 303 to the page to show (so a reload does not post again)."""
    if notice:
        path, mark, fragment = path.partition("#")
        path += ("&" if "?" in path else "?") + urlencode({"hinweis": notice}) + mark + fragment
    return Redirect(path, status_code=303)


@dataclass
class Form:
    """What was typed and what is wrong with it, for re-showing a form."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: Any = "") -> Any:
        found = self.values.get(name)
        return default if found is None else found

    def chosen(self, name: str) -> list[str]:
        found = self.values.get(name) or []
        return [str(v) for v in found] if isinstance(found, list | tuple) else [str(found)]

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    def fail(self, name: str, text: str) -> None:
        self.errors.setdefault(name, text)

    def refuse(self, name: str, code: str, **params: object) -> None:
        """The field's error, worded by the catalogue (network.words.refusals)."""
        self.fail(name, refusal(code, params, "de"))

    def fail_with(self, violation: RuleViolation, aliases: dict[str, str] | None = None) -> None:
        name = (aliases or {}).get(violation.field, violation.field)
        self.fail(name, violation.german)

    @property
    def ok(self) -> bool:
        return not self.errors


async def read_form(request: Request) -> tuple[dict[str, Any], Any]:
    """The posted fields: single values as trimmed-free strings; the multi-dict for lists."""
    data = await request.form()
    values = {key: str(data.get(key, "")) for key in data}
    values.pop("csrf_token", None)
    return values, data


@dataclass(frozen=True)
class Pager:
    total: int
    number: int  # 1-based page number
    size: int
    query: dict[str, str]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def link(self, number: int) -> str:
        return "?" + urlencode({**{k: v for k, v in self.query.items() if v}, "seite": number})


def pager(request: Request, total_hint: int = 0, size: int = PAGE_SIZE) -> Pager:
    raw = request.query_params.get("seite", "1")
    number = int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1
    query = {k: v for k, v in request.query_params.items() if k not in ("seite", "hinweis")}
    return Pager(total_hint, number, size, query)


def with_total(p: Pager, total: int) -> Pager:
    return Pager(total, p.number, p.size, p.query)


def html_error_handler(request: Request, exc: Exception) -> Response:
    """Errors on the HTML pages: sign in instead of 401, German pages instead of JSON."""
    if isinstance(exc, NotAuthorizedException):
        redirect_ = sign_in_redirect(request)
        if redirect_ is not None:  # a browser or htmx: to the sign-in page
            return redirect_
        response = page(request, "error.html", 401, title="Bitte anmelden",
                        text="Diese Seite ist nur nach der Anmeldung zu sehen.")
        response.headers["Location"] = sign_in_location(request) or "/login"
        return response
    if isinstance(exc, NotFound):
        return page(request, "error.html", 404, title="Nicht gefunden",
                    text="Diese Seite oder dieser Eintrag existiert nicht.")
    if isinstance(exc, RuleViolation):
        return page(request, "error.html", 422, title="Nicht möglich",
                    text=exc.german)
    if isinstance(exc, WrongCredentials | LinkUsed | Throttled):
        status = 401 if isinstance(exc, WrongCredentials) else (
            403 if isinstance(exc, LinkUsed) else 429)
        return page(request, "error.html", status, title="Nicht möglich",
                    text="Die Anmeldung oder der Link ist so nicht möglich. Bitte später"
                         " erneut versuchen.")
    if isinstance(exc, HTTPException):
        texts = {403: ("Kein Zugriff", "Ihre Rolle darf diese Seite nicht sehen oder diese"
                       " Aktion nicht ausführen. Laden Sie die Seite neu und versuchen Sie es"
                       " erneut, falls Sie gerade angemeldet wurden."),
                 404: ("Nicht gefunden", "Diese Seite oder dieser Eintrag existiert nicht."),
                 503: ("Vorübergehend nicht erreichbar",
                       "Der Dienst ist gerade nicht erreichbar. Bitte gleich noch einmal.")}
        title, text = texts.get(exc.status_code, ("Fehler", "Die Anfrage war nicht möglich."))
        return page(request, "error.html", exc.status_code, title=title, text=text)
    if (status := problems.caller_status(exc)) == 400:
        return page(request, "error.html", 400, title="Nicht lesbar",
                    text="Die Anfrage war so nicht lesbar. Bitte das Formular neu laden.")
    if status == 409:
        return page(request, "error.html", 409, title="Gleichzeitige Änderung",
                    text="Im selben Moment wurde etwas anderes geändert; nichts wurde"
                         " gespeichert. Bitte noch einmal senden.")
    log.exception("unhandled error on a page", extra={"path": redacted_path(request.url.path)})
    return page(request, "error.html", 500, title="Interner Fehler",
                text="Etwas ist bei uns schiefgegangen; der Fehler ist protokolliert.")


# Keyed like the app's handlers (network.problems), so on these routes the page wins:
# Litestar picks the handler of the most specific class over all layers.
EXCEPTION_HANDLERS = {**dict.fromkeys(problems.EXCEPTION_HANDLERS, html_error_handler),
                      DomainError: html_error_handler}
