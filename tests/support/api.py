"""The client API's helpers: a client's fields, opening a case, the field a problem names."""

from __future__ import annotations

import httpx

CLIENT = {
    "first_name": "Amal", "last_name": "Haddad", "date_of_birth": "1990-05-17",
    "gender": "female", "country_of_origin": "SY", "residence_status": "residence_permit",
    "legal_circle": "sgb2", "phone": "+49 2452 555 01", "email": "amal@example.org",
    "languages": [{"language": "ar", "level": "C2"}, {"language": "de", "level": "A2"}],
}


async def open_case(client: httpx.AsyncClient, headers: dict, **changes) -> dict:
    response = await client.post("/api/v1/clients", headers=headers, json={**CLIENT, **changes})
    assert response.status_code == 201, response.text
    return response.json()


def field_of(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    body = response.json()
    field = body["errors"][0]["field"]
    assert body["detail"].startswith(field)
    return field
