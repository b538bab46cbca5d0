"""Random secrets (session ids, API tokens, setup tokens) and the hashes we store instead.

These secrets are 256 random bits, so a plain SHA-256 is enough to store them: nobody can
guess an input, and looking one up by its hash stays a single index probe. Only the holder
ever sees the raw value.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
API_TOKEN_PREFIX = "nwk_"  # recognisable in a config file or a secret scanner


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + new_secret()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def keyed_digest(key: str, purpose: str, value: str) -> str:
    """HMAC of a value for one purpose: for things we must recognise but not keep readable
    (the email or address a failed login came from) and for tokens derived from a secret."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
