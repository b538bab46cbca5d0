"""What an uploaded file is, by its first bytes (never by its name or the browser's word),
and how large it may be."""

from __future__ import annotations

from network.errors import RuleViolation

MAX_FILE_BYTES = 2 * 1024 * 1024
PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def sniff(data: bytes) -> str | None:
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def checked_file(data: object, field: str = "file", *, limit: int = MAX_FILE_BYTES,
                 codes: tuple[str, str] = ("material_file_too_large", "material_file_type"),
                 ) -> tuple[bytes, str]:
    """The file and its type, or a refusal: too large, empty, or not a PDF/PNG/JPEG. Other
    uploads (the signed consent form) name their own `limit` and refusal `codes` (too large,
    wrong type)."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise RuleViolation(field, "required")
    if len(data) > limit:
        raise RuleViolation(field, codes[0], limit=limit)
    kind = sniff(bytes(data))
    if kind is None:
        raise RuleViolation(field, codes[1])
    return bytes(data), kind
