"""Pagination for every list in the API: `?limit=&offset=` in, `{"items", "total", "limit",
"offset"}` out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from litestar.params import QueryParameter

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, QueryParameter(ge=0, description="Items to skip")]


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
