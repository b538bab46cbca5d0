"""The client's own status page link (issue 17): a coordinator of the client's circle creates
it from the case page, it is printed on the slip as a short link and a QR code, and it opens
GET /k/{token} (network.web.client_page_views) while the case is open.

The token is HMAC(SECRET_KEY, seed) (160 bits shown, hex); the database holds the random seed
and the token's SHA-256, never the token, so a copy of the database opens nothing, while the
service can print the same link on every slip. One live link per client: creating a new one
revokes the old. Closing or pseudonymising the case ends it (checked when the page is opened).
Created and revoked links are audited; so is every view of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.accounts import audit
from network.accounts.tokens import digest, keyed_digest, new_secret
from network.actors import Actor
from network.cases import service as data
from network.cases.tables import ClientPageLink
from network.cases.values import CaseStatus
from network.clock import Clock
from network.transactions import transaction

PATH = "/k/"
PURPOSE = "client-page"
TOKEN_CHARS = 40  # hex: 160 bits
PAGE_ACTOR = Actor.system("client page")


def token_of(secret_key: str, seed: str) -> str:
    return keyed_digest(secret_key, PURPOSE, seed)[:TOKEN_CHARS]


def url_of(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{PATH}{token}"


@dataclass(frozen=True)
class LiveLink:
    id: int
    token: str
    created_at: object


async def create_link(actor: Actor, clock: Clock, secret_key: str, client_id: int) -> LiveLink:
    """A new link for an open case of the actor's circle; the old live one is revoked."""
    now = clock.now()
    seed = new_secret()
    token = token_of(secret_key, seed)
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        await _revoke_live(actor, client_id, now)
        row = (await ClientPageLink.insert(ClientPageLink(
            client_id=client_id, seed=seed, token_hash=digest(token), created_at=now,
            created_by=actor.user_id)).returning(ClientPageLink.id))[0]
        await audit.record(actor, "client_page.created", "client", client_id,
                           {"link_id": row["id"]}, at=now)
    return LiveLink(row["id"], token, now)


async def revoke_link(actor: Actor, clock: Clock, client_id: int) -> bool:
    """Revoke the client's live link; False when there was none."""
    now = clock.now()
    async with transaction():
        await data.load_for(actor, client_id, lock=True)
        return await _revoke_live(actor, client_id, now)


async def _revoke_live(actor: Actor, client_id: int, now: object) -> bool:
    rows = await ClientPageLink.update({ClientPageLink.revoked_at: now}).where(
        (ClientPageLink.client_id == client_id) & ClientPageLink.revoked_at.is_null()
    ).returning(ClientPageLink.id)
    for row in rows:
        await audit.record(actor, "client_page.revoked", "client", client_id,
                           {"link_id": row["id"]}, at=now)
    return bool(rows)


async def live_link(actor: Actor, secret_key: str, client_id: int) -> LiveLink | None:
    """The client's live link, to print (the slip) or show (the case page); None when there
    is none or the case is no longer open (its link then opens nothing)."""
    client = await data.load_for(actor, client_id)
    if client.status is not CaseStatus.OPEN or client.pseudonymised_at is not None:
        return None
    row = await ClientPageLink.select(
        ClientPageLink.id, ClientPageLink.seed, ClientPageLink.created_at,
    ).where((ClientPageLink.client_id == client_id)
            & ClientPageLink.revoked_at.is_null()).first()
    if row is None:
        return None
    return LiveLink(row["id"], token_of(secret_key, row["seed"]), row["created_at"])


async def client_of_token(clock: Clock, token: str, *, viewed: bool = True) -> int | None:
    """The client a presented token opens, with the view audited (the page's own actor, no
    address) when it is shown (`viewed`; a HEAD shows nothing): None for an unknown or revoked
    token and for a case no longer open."""
    if len(token) != TOKEN_CHARS:
        return None
    now = clock.now()
    async with transaction():
        row = await ClientPageLink.select(ClientPageLink.id, ClientPageLink.client_id).where(
            (ClientPageLink.token_hash == digest(token))
            & ClientPageLink.revoked_at.is_null()).first()
        if row is None:
            return None
        client = await data.load_client(row["client_id"])
        if client.status is not CaseStatus.OPEN or client.pseudonymised_at is not None:
            return None
        if not viewed:
            return row["client_id"]
        unknown_address = audit.CLIENT_ADDRESS.set(None)  # the client's phone: not stored
        try:
            await audit.record(PAGE_ACTOR, "client.viewed", "client", row["client_id"],
                               {"by": "client page", "link_id": row["id"]}, at=now)
        finally:
            audit.CLIENT_ADDRESS.reset(unknown_address)
    return row["client_id"]
