"""The redaction step of the log, on its own: secrets by field name and inside any text."""

from __future__ import annotations

import pytest

from network.log_redaction import REDACTED, redact_text, redact_value


@pytest.mark.parametrize(("text", "kept"), [
    ("postgresql://network:S3cret-pw@db:5432/network", "postgresql://network:[redacted]@db"),
    ("smtp+starttls://mailer%40kreis.de:p%3Aw@mail:587", "smtp+starttls://mailer%40kreis.de:"),
    ("Authorization: Bearer nwk_abcdefghijklmnop", "Authorization: [redacted]"),
    ("cookie: network_session=abc123; csrf=zzz", "cookie: [redacted]"),
    ("{'email': 'x', 'password': 'correct horse battery'}", "'password': '[redacted]'"),
    ('{"new_password": "a \\" b", "n": 1}', '"new_password": "[redacted]"'),
    ("Settings(secret_key='abcdefgh', port=8000)", "secret_key='[redacted]', port=8000"),
    ("https://ip.example.org/setup?token=SeTuP-ToKeN&x=1", "setup?token=[redacted]&x=1"),
    ("GET /p/AbCdEfGhIjKlMnOpQrStUv/neu", "GET /p/…/neu"),
    ("550 <maria.musterfrau@kreis.example>: unknown", "550 <…@kreis.example>: unknown"),
])
def test_secrets_in_any_text_are_taken_out(text: str, kept: str) -> None:
    redacted = redact_text(text)
    assert kept in redacted
    for secret in ("S3cret-pw", "p%3Aw", "nwk_abc", "abc123", "horse", '\\" b', "abcdefgh",
                   "SeTuP", "AbCdEfGh", "maria"):
        assert secret not in redacted


@pytest.mark.parametrize("text", [
    "cannot check credentials: database unreachable",
    "user, secret = await actions.login(clock, settings, data.email, data.password)",
    "password=None", "referral 12 sent to partner 4", "http://127.0.0.1:8000/health",
])
def test_plain_text_and_code_stay_as_they_are(text: str) -> None:
    assert redact_text(text) == text


def test_fields_named_like_secrets_are_redacted_at_any_depth() -> None:
    fields = {"password": "pw", "X-CSRF-Token": "c", "smtp_password": "s", "token_id": 7,
              "headers": {"authorization": "Bearer t", "accept": "text/html"},
              "raw": [(b"cookie", b"network_session=v"), (b"host", b"x")], "count": 3}
    assert redact_value(fields) == {
        "password": REDACTED, "X-CSRF-Token": REDACTED, "smtp_password": REDACTED,
        "token_id": 7, "headers": {"authorization": REDACTED, "accept": "text/html"},
        "raw": [("cookie", REDACTED), ["host", "x"]], "count": 3}
