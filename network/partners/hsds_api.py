"""The HSDS 3.0 API's read endpoints for the partner directory (Open Referral): organizations
and services, paged as the HSDS API describes (total_items, total_pages, page_number, size,
first_page, last_page, empty, contents). For signed-in administrators and coordinators and
their API tokens; the directory holds no client data. Records as network.partners.hsds maps
them; the directory is small, so a page is cut from all of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import FromPath, FromQuery, Parameter

from network.accounts.access import Role, allow
from network.api_types import ClockDep, problems
from network.errors import NotFound
from network.partners import hsds, hsds_directory
from network.partners.hsds import Entry

PageNumber = Annotated[int, Parameter(ge=1, le=100_000, description="From 1")]
PerPage = Annotated[int, Parameter(ge=1, le=500, description="Entries a page")]
Search = Annotated[str | None, Parameter(max_length=200, description="Words in the name")]
Full = Annotated[bool, Parameter(description="Fully nested records")]
DEFAULT_PER_PAGE = 50


def paged(items: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    total = len(items)
    pages = max(1, -(-total // per_page))
    contents = list(items[(page - 1) * per_page: page * per_page])
    return {"total_items": total, "total_pages": pages, "page_number": page,
            "size": len(contents), "first_page": page == 1, "last_page": page >= pages,
            "empty": not contents, "contents": contents}


def _matching(entries: Sequence[Entry], search: str | None) -> list[Entry]:
    words = (search or "").casefold().split()
    return [e for e in entries if all(w in e.name.casefold() for w in words)]


async def _entries() -> list[Entry]:
    return [entry for _id, entry in await hsds_directory.directory()]


def _find(entries: Sequence[Entry], key: Callable[[Entry], str], wanted: str,
          what: str) -> Entry:
    for entry in entries:
        if key(entry) == wanted:
            return entry
    raise NotFound(what, wanted)


class HsdsController(Controller):
    path = "/api/v1/hsds"
    tags = ["hsds"]
    opt = allow(Role.ADMIN, Role.COORDINATOR)

    @get("/organizations", summary="HSDS: organizations, paged")
    async def organizations(self, clock: ClockDep, page: PageNumber = 1,
                            per_page: PerPage = DEFAULT_PER_PAGE, search: Search = None,
                            full: Full = False) -> dict[str, Any]:
        """The partners as HSDS organizations, by name; `full` nests phones, contacts,
        locations, attributes and services."""
        today = hsds_directory.today(clock)
        shape = hsds.organization_document if full else hsds.organization_summary
        entries = _matching(await _entries(), search)
        return paged([shape(e, today) for e in entries], page, per_page)

    @get("/organizations/{organization_id:str}", summary="HSDS: one organization, nested",
         responses=problems(404))
    async def organization(self, clock: ClockDep, organization_id: FromPath[str]) -> dict[str, Any]:
        entry = _find(await _entries(), lambda e: str(e.organization_id),
                      organization_id.lower(), "organization")
        return hsds.organization_document(entry, hsds_directory.today(clock))

    @get("/services", summary="HSDS: services, paged")
    async def services(self, clock: ClockDep, page: PageNumber = 1,
                       per_page: PerPage = DEFAULT_PER_PAGE, search: Search = None,
                       organization_id: FromQuery[UUID | None] = None,
                       full: Full = False) -> dict[str, Any]:
        """The partners' services (one each), by name; `organization_id` picks one
        organization's; `full` nests schedules, areas, languages, contacts, locations,
        attributes and the organization."""
        today = hsds_directory.today(clock)
        shape = hsds.service_document if full else hsds.service_summary
        entries = [e for e in _matching(await _entries(), search)
                   if organization_id is None or e.organization_id == organization_id]
        return paged([shape(e, today) for e in entries], page, per_page)

    @get("/services/{service_id:str}", summary="HSDS: one service, nested",
         responses=problems(404))
    async def service(self, clock: ClockDep, service_id: FromPath[str]) -> dict[str, Any]:
        today = hsds_directory.today(clock)
        entry = _find(await _entries(), lambda e: hsds.service_summary(e, today)["id"],
                      service_id.lower(), "service")
        return hsds.service_document(entry, today)


ROUTE_HANDLERS = [HsdsController]
