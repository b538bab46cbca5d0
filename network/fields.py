"""Checks for single input values, shared by the domain services. Each raises RuleViolation
naming the field and a code of `network.words.refusals.common`, so bad input becomes a 4xx
that says what is wrong (in English for the API, in German on the pages), never a 500."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar

from network.errors import RuleViolation

E = TypeVar("E", bound=StrEnum)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()/-]{3,40}$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2200, 1, 1, tzinfo=UTC)


def text(field: str, value: object, max_length: int, required: bool = False) -> str | None:
    """Trimmed text; empty counts as absent."""
    if value is None:
        if required:
            raise RuleViolation(field, "required")
        return None
    if not isinstance(value, str):
        raise RuleViolation(field, "not_text")
    value = value.strip()
    if not value:
        if required:
            raise RuleViolation(field, "must_not_be_empty")
        return None
    if len(value) > max_length:
        raise RuleViolation(field, "too_long", max=max_length)
    if "\x00" in value:
        raise RuleViolation(field, "contains_nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RuleViolation(field, "not_unicode") from None
    return value


def required_text(field: str, value: object, max_length: int) -> str:
    result = text(field, value, max_length, required=True)
    assert result is not None
    return result


def pattern(field: str, value: object, regex: re.Pattern[str], example: str) -> str | None:
    result = text(field, value, 200)
    if result is not None and not regex.match(result):
        raise RuleViolation(field, "invalid_format", example=example)
    return result


def email(field: str, value: object) -> str | None:
    return pattern(field, value, EMAIL, "name@example.org")


def phone(field: str, value: object) -> str | None:
    return pattern(field, value, PHONE, "+49 2452 1234-0")


def postal_code(field: str, value: object) -> str | None:
    return pattern(field, value, POSTAL_CODE, "52525")


def country(field: str, value: object, required: bool = True) -> str | None:
    if isinstance(value, str):
        value = value.strip().upper()
    if value is None and not required:
        return None
    result = pattern(field, value, COUNTRY, "SY (ISO 3166-1 alpha-2)")
    if result is None:
        raise RuleViolation(field, "required")
    return result


def language(field: str, value: object) -> str:
    if isinstance(value, str):
        value = value.strip().lower()
    result = pattern(field, value, LANGUAGE, "ar (ISO 639-1)")
    if result is None:
        raise RuleViolation(field, "required")
    return result


def choice(field: str, value: object, kind: type[E]) -> E:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise RuleViolation(field, "not_one_of", allowed=allowed) from None


def choices(field: str, values: Iterable[object], kind: type[E]) -> tuple[E, ...]:
    if isinstance(values, str):
        raise RuleViolation(field, "not_a_list")
    result: list[E] = []
    for value in values:
        item = choice(field, value, kind)
        if item not in result:
            result.append(item)
    return tuple(result)


def whole_number(field: str, value: object, minimum: int, maximum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(field, "whole_number")
    if not minimum <= value <= maximum:
        raise RuleViolation(field, "between", low=minimum, high=maximum)
    return value


def day(field: str, value: object, earliest: date, latest: date) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RuleViolation(field, "not_a_date")
    if not earliest <= value <= latest:
        raise RuleViolation(field, "between", low=str(earliest), high=str(latest))
    return value


def moment(field: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise RuleViolation(field, "not_a_moment")
    try:
        in_utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise RuleViolation(field, "out_of_range") from None
    if not EARLIEST_MOMENT <= in_utc <= LATEST_MOMENT:
        raise RuleViolation(field, "years_between", low=EARLIEST_MOMENT.year,
                            high=LATEST_MOMENT.year)
    return value


def identifier(field: str, value: object) -> int | None:
    return whole_number(field, value, 1, 2**63 - 1)



def only_fields(changes: Iterable[str], allowed: Iterable[str], code: str) -> None:
    """A change names only fields it may change; the first other one is refused with `code`."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], code)
