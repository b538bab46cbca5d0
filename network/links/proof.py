"""The CSRF proof of a partner page: an HMAC of the link's id and a per-render nonce, keyed
with SECRET_KEY. A POST must carry the proof of a page rendered for the same link within
MAX_AGE, so no other site can make a partner's browser act, and no form of one link works
for another. No I/O."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from network.accounts.tokens import keyed_digest, same

MAX_AGE = timedelta(hours=12)
PURPOSE = "partner-page"


@dataclass(frozen=True)
class PageProof:
    nonce: str
    proof: str


def page_proof(secret_key: str, link_id: int, now: datetime) -> PageProof:
    nonce = f"{int(now.timestamp())}.{secrets.token_urlsafe(12)}"
    return PageProof(nonce, keyed_digest(secret_key, PURPOSE, f"{link_id}:{nonce}"))


def proof_holds(secret_key: str, link_id: int, nonce: str, proof: str, now: datetime) -> bool:
    issued, _, _rest = nonce.partition(".")
    if not issued.isdigit() or len(nonce) > 100 or len(proof) > 100:
        return False
    age = now.timestamp() - int(issued)
    if not -60 <= age <= MAX_AGE.total_seconds():
        return False
    return same(proof, keyed_digest(secret_key, PURPOSE, f"{link_id}:{nonce}"))
