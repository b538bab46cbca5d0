"""Pieces every JSON controller shares: ids in paths and queries that PostgreSQL can hold, and
the problem+json responses a handler can give, documented in the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter, SkipValidation

from network.actors import Actor
from network.clock import Clock
from network.problems import PROBLEM_JSON, Problem

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType  # a PATCH field's type: `str | None | Unset = UNSET`

MAX_ID = 2**63 - 1

# A handler's `actor` (the signed-in user as an Actor) and `clock` (the app's one clock),
# provided by create_app under these parameter names.
# Not validated: the clock is a Protocol (no isinstance check), the actor made by the app.
ActorDep = NamedDependency[SkipValidation[Actor]]
ClockDep = NamedDependency[SkipValidation[Clock]]

RecordId = Annotated[int, Parameter(ge=1, le=MAX_ID, description="The record's id")]
OptionalId = Annotated[int | None, Parameter(ge=1, le=MAX_ID)]

_MEANINGS = {
    400: "The request is malformed: a value has the wrong type or shape (`errors` names it)",
    401: "Not signed in",
    403: "Signed in, but this role may not do this",
    404: "No such record",
    409: "Clashes with what is stored (`errors` names the field)",
    422: "Well-formed but against a rule (`errors` names the field)",
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    """`responses=problems(404, 422)`: the errors a handler documents; 400, 401 and 403 are
    always possible behind the access guard."""
    return {code: ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON,
                               description=_MEANINGS[code], generate_examples=False)
            for code in sorted({400, 401, 403, *codes})}


def present(change: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body names (absent ones stay as they are)."""
    return {name: getattr(change, name) for name in change.__struct_fields__
            if getattr(change, name) is not UNSET}
