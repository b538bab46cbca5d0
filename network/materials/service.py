"""The catalogue as the program sees it: items (without their file), one item's file, and
what a client was handed out. Reads only; the changes are in `actions`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from network.errors import NotFound
from network.materials.tables import Material as M
from network.materials.tables import MaterialHandout as H

_COLUMNS = (M.id, M.title, M.topic, M.languages, M.file_type, M.link, M.partner_id,
            M.review_on, M.retired_at)


@dataclass(frozen=True)
class Material:
    id: int
    title: str
    topic: str
    languages: tuple[str, ...]
    file_type: str | None
    link: str | None
    partner_id: int | None  # None: the Integration Point itself
    review_on: date
    retired_at: datetime | None


@dataclass(frozen=True)
class Handout:
    id: int
    material_id: int
    title: str
    language: str
    at: datetime
    file_type: str | None
    link: str | None


def _material(row: dict) -> Material:
    return Material(row["id"], row["title"], row["topic"], tuple(row["languages"]),
                    row["file_type"], row["link"], row["partner_id"], row["review_on"],
                    row["retired_at"])


async def list_materials() -> list[Material]:
    rows = await M.select(*_COLUMNS).order_by(M.title)
    return [_material(r) for r in rows]


async def get_material(material_id: int) -> Material:
    row = await M.select(*_COLUMNS).where(M.id == material_id).first()
    if row is None:
        raise NotFound("material", material_id)
    return _material(row)


async def file_of(material_id: int) -> tuple[bytes, str] | None:
    row = await M.select(M.file_data, M.file_type).where(M.id == material_id).first()
    if row is None:
        raise NotFound("material", material_id)
    return None if row["file_data"] is None else (bytes(row["file_data"]), row["file_type"])


async def handouts_of(client_id: int) -> list[Handout]:
    rows = await H.select().where(H.client_id == client_id).order_by(H.at).order_by(H.id)
    found = {m.id: m for m in await list_materials()}
    return [Handout(r["id"], r["material_id"], found[r["material_id"]].title, r["language"],
                    r["at"], found[r["material_id"]].file_type, found[r["material_id"]].link)
            for r in rows]


async def providers() -> dict[int, str]:
    """The partners of the directory that may provide material: id -> name."""
    from network.partners.tables import Partner

    rows = await Partner.select(Partner.id, Partner.name).order_by(Partner.name)
    return {r["id"]: r["name"] for r in rows}
