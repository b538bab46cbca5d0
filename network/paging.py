"""Pagination for every list: a page of items with the total, checked limit and offset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from network.fields import whole_number

T = TypeVar("T")
MAX_LIMIT = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


def limit_and_offset(limit: object, offset: object) -> tuple[int, int]:
    checked_limit = whole_number("limit", limit, 1, MAX_LIMIT)
    checked_offset = whole_number("offset", offset, 0, 2**31 - 1)
    if checked_limit is None or checked_offset is None:
        raise AssertionError("limit and offset have defaults")
    return checked_limit, checked_offset
