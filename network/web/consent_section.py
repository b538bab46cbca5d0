"""What the case page's consent section needs for the signed forms: which consents have one,
and the languages the blank form prints in (the slip's), the client's first one chosen."""

from __future__ import annotations

from typing import Any

from network.cases import consent_forms
from network.cases.service import Client
from network.web import slip


async def case_section(client: Client) -> dict[str, Any]:
    return {
        "attached": await consent_forms.attached_to(client.id),
        "languages": slip.languages(),
        "language": slip.language_for([s.language for s in client.languages]),
        "max_mb": consent_forms.MAX_BYTES // (1024 * 1024),
    }
