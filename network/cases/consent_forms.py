"""The signed consent form, attached to its consent record: a PDF or a photo (PNG, JPEG,
known by its first bytes), at most MAX_BYTES, kept in PostgreSQL (one per consent, replaced
when attached again). The actions (network.cases.actions) audit attaching and every opening;
this module checks the file and reads and writes the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network.cases import tables as t
from network.materials import files

MAX_BYTES = 5 * 1024 * 1024  # a phone photo of one page, or a scanned PDF
FIELD = "form_file"


@dataclass(frozen=True)
class AttachedForm:
    consent_id: int
    file_type: str
    attached_at: datetime


def checked_file(data: object) -> tuple[bytes, str]:
    """The file and its type, or a refusal naming the field: empty, too large, or not a
    PDF, PNG or JPEG by its content (network.materials.files, with this upload's limit)."""
    return files.checked_file(data, FIELD, limit=MAX_BYTES,
                              codes=("consent_form_too_large", "consent_form_type"))


async def save(consent_id: int, client_id: int, data: bytes, kind: str, at: datetime,
               by: int | None) -> None:
    Form = t.ConsentForm
    values = {Form.file_data: data, Form.file_type: kind, Form.attached_at: at,
              Form.attached_by: by}
    updated = await Form.update(values).where(Form.consent_id == consent_id).returning(
        Form.consent_id)
    if not updated:
        await Form.insert(Form(consent_id=consent_id, client_id=client_id, file_data=data,
                               file_type=kind, attached_at=at, attached_by=by))


async def attached_to(client_id: int) -> dict[int, AttachedForm]:
    """The forms of a client's consents by consent id (without their bytes)."""
    Form = t.ConsentForm
    rows = await Form.select(Form.consent_id, Form.file_type, Form.attached_at).where(
        Form.client_id == client_id)
    return {row["consent_id"]: AttachedForm(**row) for row in rows}


async def file_of(consent_id: int) -> tuple[bytes, str] | None:
    Form = t.ConsentForm
    row = await Form.select(Form.file_data, Form.file_type).where(
        Form.consent_id == consent_id).first()
    return None if row is None else (bytes(row["file_data"]), row["file_type"])


async def remove_of_client(client_id: int) -> None:
    """Erasure: a signed form names and pictures the client; it goes with the name."""
    await t.ConsentForm.delete().where(t.ConsentForm.client_id == client_id)
