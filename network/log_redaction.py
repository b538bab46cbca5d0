"""What a log line may not hold, taken out before it is written: secrets by the name of their
field, and anywhere in any text (messages, field values, exception text) passwords in URLs,
bearer tokens, `password=...`-style pairs, cookie and authorization header lines, partner
link tokens, and the personal part of email addresses.

Pure functions; `network.log_setup` runs `redact_event` on every event, in both formats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"

# Field names (lower case, `-` as `_`) whose values are secrets, or that hold any of these
# words as a part: `password`, `new_password`, `smtp_password`, `x_csrf_token`, `set_cookie`...
SECRET_WORDS = frozenset({
    "password", "passwd", "passphrase", "pwd", "secret", "token", "cookie", "cookies",
    "authorization", "csrf", "credentials", "apikey", "session", "sessionid", "dsn",
})
SECRET_NAMES = frozenset({"secret_key", "api_key", "private_key", "set_cookie",
                          "proxy_authorization"})

_WORD = "|".join(sorted(SECRET_WORDS | SECRET_NAMES | {"set-cookie", "secret-key", "api-key"},
                        key=len, reverse=True))
_SECRET_PAIR = re.compile(  # key=value (no spaces: not code), "key": value, 'key': value
    rf"(?<![a-z0-9])((?:[a-z0-9]+[_-])*(?:{_WORD})(?:=|[\"']\s*[:=]\s*))"
    r"(?:([\"'])(?:\\.|(?!\2).)*\2|[^\s\"',;&)}\]]+)", re.IGNORECASE)
_SECRET_HEADER = re.compile(  # a header line: "Cookie: a=1; b=2", "Authorization: Basic x"
    r"(?<![a-z0-9-])((?:proxy-)?authorization|cookie|set-cookie|x-csrf-token)(:\s*)[^\r\n\"']+",
    re.IGNORECASE)
_NOT_SECRET = frozenset({"none", "true", "false", "null", "''", '""', REDACTED.lower()})


def _pair(match: re.Match[str]) -> str:
    """`password=hunter2` -> `password=[redacted]`, quotes kept: `"token": "[redacted]"`."""
    name, quote, value = match.group(1), match.group(2) or "", match.group(0)[len(match.group(1)):]
    inner = value[1:-1] if quote else value
    if (value.lower() in _NOT_SECRET or inner.lower() in _NOT_SECRET
            or inner.startswith(REDACTED[:-1])):
        return match.group(0)
    return f"{name}{quote}{REDACTED}{quote}"


TEXT_RULES: tuple[tuple[re.Pattern[str], Any], ...] = (
    # scheme://user:PASSWORD@host (postgresql://, smtp://, smtps://, redis://, http://...)
    (re.compile(r"([a-z][a-z0-9+.-]*://[^\s/@:?#]*:)[^\s@/?#]+@", re.IGNORECASE),
     rf"\g<1>{REDACTED}@"),
    # Authorization: Bearer/Basic/Token <credentials>
    (re.compile(r"\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE),
     rf"\g<1> {REDACTED}"),
    # password=..., 'password': '...', "token": "a b c", session=..., ?token=...
    (_SECRET_PAIR, _pair),
    (_SECRET_HEADER, rf"\g<1>\g<2>{REDACTED}"),
    # a partner link's token in a path or URL: /p/<token>
    (re.compile(r"(/p/)[A-Za-z0-9_-]{16,}"), "\\g<1>…"),
    # a client's own page: /k/<token>
    (re.compile(r"(/k/)[A-Za-z0-9_-]{16,}"), "\\g<1>…"),
    # a partner's sign-in link: /partner/anmelden/<token>
    (re.compile(r"(/partner/anmelden/)[A-Za-z0-9_-]{16,}"), "\\g<1>…"),
    # a password-reset link: /passwort-neu/<token>
    (re.compile(r"(/passwort-neu/)[A-Za-z0-9_-]{16,}"), "\\g<1>…"),
    # personal data: an email address keeps only its domain
    (re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"),
     "…@\\g<1>"),
)


def secret_name(name: str) -> bool:
    normal = name.lower().replace("-", "_").strip("_")
    if normal in SECRET_NAMES:
        return True
    return any(part in SECRET_WORDS for part in normal.split("_"))


def redact_text(text: str) -> str:
    for pattern, replacement in TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any) -> Any:
    """`value` with every secret in it replaced; numbers, booleans and None stay (ids and
    counts are not secrets), other objects become their redacted repr."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, bytes | bytearray):
        return redact_text(bytes(value).decode("latin-1"))
    if isinstance(value, Mapping):
        return {key: _redact_field(key, item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        if (isinstance(value, tuple) and len(value) == 2
                and isinstance(value[0], str | bytes) and _secret_key(value[0])):
            return (redact_value(value[0]), REDACTED)  # a header pair: (b"cookie", b"...")
        return [redact_value(item) for item in value]
    return redact_text(repr(value))


def redact_event(logger: Any, method_name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Every field of a log event (network.log_setup), the message and exception text too.
    (The signature of a structlog processor, which it was.)"""
    return {key: _redact_field(key, value) for key, value in event_dict.items()}


def _secret_key(key: object) -> bool:
    if isinstance(key, bytes | bytearray):
        key = bytes(key).decode("latin-1")
    return isinstance(key, str) and secret_name(key)


def _redact_field(key: object, value: Any) -> Any:
    if _secret_key(key) and not (value is None or isinstance(value, bool | int | float)):
        return REDACTED
    return redact_value(value)
