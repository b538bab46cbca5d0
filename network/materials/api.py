"""JSON API for the information material: the catalogue (list, add with a file as multipart
or a link, replace the file, retire: administrators and coordinators), what fits a client and
handing it out (coordinators of the client's legal circle). A thin adapter: the actions own
the transaction and the audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.body_limit import KIB, LIMIT_OPTION
from network.materials import actions, files
from network.materials import service as catalogue
from network.materials.offer import Offer

UPLOAD = {**allow(Role.ADMIN, Role.COORDINATOR), LIMIT_OPTION: files.MAX_FILE_BYTES + 64 * KIB}


@dataclass
class MaterialUpload:
    title: str
    topic: str  # a barrier kind, or "arrival" / "work"
    languages: str  # ISO 639-1 codes, comma-separated: "ar,de"
    review_on: date
    link: str | None = None  # https://…; or a file
    partner_id: int | None = None  # None: the Integration Point itself
    file: UploadFile | None = None  # PDF, PNG or JPEG, at most 2 MiB (judged by content)


@dataclass
class FileUpload:
    file: UploadFile


Multipart = Body(media_type=RequestEncodingType.MULTI_PART)


async def _read(upload: UploadFile | None) -> bytes | None:
    return None if upload is None else (await upload.read() or None)


class MaterialController(Controller):
    path = "/api/v1/materials"
    tags = ["materials"]
    opt = allow(Role.ADMIN, Role.COORDINATOR)

    @get("/", summary="The catalogue, retired items included (see retired_at, review_on)")
    async def list_materials(self) -> list[catalogue.Material]:
        return await catalogue.list_materials()

    @post("/", opt=UPLOAD, status_code=HTTP_201_CREATED,
          summary="Add an item: a file (multipart) or a link")
    async def add(self, data: Annotated[MaterialUpload, Multipart], actor: ActorDep,
                  clock: ClockDep) -> catalogue.Material:
        return await actions.add_material(
            actor, clock, title=data.title, topic=data.topic,
            languages=[c.strip() for c in data.languages.split(",") if c.strip()],
            review_on=data.review_on, file=await _read(data.file), link=data.link,
            partner_id=data.partner_id)

    @post("/{material_id:int}/file", opt=UPLOAD, status_code=HTTP_200_OK,
          summary="Replace an item's file")
    async def replace(self, material_id: FromPath[int], data: Annotated[FileUpload, Multipart],
                      actor: ActorDep, clock: ClockDep) -> catalogue.Material:
        return await actions.replace_file(actor, clock, material_id,
                                          await _read(data.file) or b"")

    @post("/{material_id:int}/retire", status_code=HTTP_200_OK,
          summary="Retire an item: never offered again")
    async def retire(self, material_id: FromPath[int], actor: ActorDep, clock: ClockDep
                     ) -> catalogue.Material:
        return await actions.retire_material(actor, clock, material_id)


class ClientMaterialController(Controller):
    path = "/api/v1/clients/{client_id:int}/materials"
    tags = ["materials"]
    opt = allow(Role.COORDINATOR)  # of the client's legal circle (network.cases.scope)

    @get("/offers", summary="What fits the client: open barriers' kinds and general topics,"
                            " in the client's languages (main first), German as fallback")
    async def offers(self, client_id: FromPath[int], actor: ActorDep, clock: ClockDep
                     ) -> list[Offer]:
        return await actions.offers_for(actor, clock, client_id)

    @post("/{material_id:int}/hand-out", status_code=HTTP_201_CREATED,
          summary="Record that the item was handed out to the client")
    async def hand_out(self, client_id: FromPath[int], material_id: FromPath[int],
                       actor: ActorDep, clock: ClockDep) -> catalogue.Handout:
        return await actions.hand_out(actor, clock, client_id, material_id)


ROUTE_HANDLERS = [MaterialController, ClientMaterialController]
