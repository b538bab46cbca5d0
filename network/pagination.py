"""Pagination for every list: `?limit=&offset=` in, `{"items", "total", "limit", "offset"}` out.

The HTTP side declares `limit: Limit = DEFAULT_LIMIT, offset: Offset = 0` (checked by Litestar,
documented in the OpenAPI schema); services call `limit_and_offset` so a caller that is not
HTTP gets the same bounds, with a RuleViolation naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from litestar.params import QueryParameter

from network.fields import whole_number

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")]


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


def limit_and_offset(limit: object, offset: object) -> tuple[int, int]:
    checked_limit = whole_number("limit", limit, 1, MAX_LIMIT)
    checked_offset = whole_number("offset", offset, 0, MAX_OFFSET)
    if checked_limit is None or checked_offset is None:
        raise AssertionError("limit and offset have defaults")
    return checked_limit, checked_offset
