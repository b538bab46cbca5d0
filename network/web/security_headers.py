"""The security headers of every response the service writes, set in one place: a Litestar
`before_send` hook, so pages, the API, downloads, error answers and unmatched paths all get
them.

- No framing (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), no MIME sniffing.
- `Referrer-Policy: no-referrer` under /p/ (a partner link's path is its key), same-origin
  elsewhere.
- `Cache-Control: no-store` on everything but the static assets (stylesheets, htmx): any
  other answer may carry personal data (JSON, pages, the report's PDF and CSV).
- A Content-Security-Policy: pages may load scripts, styles and images from this origin
  only (htmx and the stylesheets are static files; no inline script or style), talk to this
  origin only (htmx) and submit forms to it only. A handler that sets a stricter policy of
  its own (the partner pages) keeps it. Everything else gets `default-src 'none'`.
- Control characters (C0, DEL) are taken out of every header value, whatever data it was
  built from (a file name, a redirect target).
"""

from __future__ import annotations

from litestar.types import Message, Scope

STATIC_PREFIX = "/static/"
LINK_PREFIX = "/p/"
CLIENT_PAGE_PREFIX = "/k/"  # the client's own page: its path is its key too
RESET_PREFIX = "/passwort-neu/"  # a password-reset link: its path is its key too

STAFF_PAGE = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
              " connect-src 'self'; form-action 'self'; frame-ancestors 'none';"
              " base-uri 'none'")
# The report page shows its charts as PNG data: URIs (it is one self-contained document).
REPORT_PAGE = STAFF_PAGE.replace("img-src 'self';", "img-src 'self' data:;")
# The local mail catcher (/dev/mail, only without SMTP_URL) shows a caught email's HTML in a
# sandboxed srcdoc frame, which inherits this policy: emails carry inline styles (Outlook).
CAUGHT_MAIL_PAGE = STAFF_PAGE.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';")
NOT_A_PAGE = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"

# Bytes that may not stand in a header value: C0 controls but TAB (CR and LF above all:
# they would start a header of their own), and DEL.
_CONTROL = bytes(range(0x20)).replace(b"\t", b"") + b"\x7f"

_SET_ALWAYS = (b"x-content-type-options", b"x-frame-options", b"referrer-policy",
               b"cache-control")


def clean_header_value(value: bytes) -> bytes:
    return value.translate(None, _CONTROL)


def content_security_policy(path: str, content_type: str) -> str:
    if not content_type.startswith("text/html"):
        return NOT_A_PAGE
    if path.startswith("/reports/"):
        return REPORT_PAGE
    if path.startswith("/dev/mail"):
        return CAUGHT_MAIL_PAGE
    return STAFF_PAGE


def security_headers(path: str, headers: list[tuple[bytes, bytes]]
                     ) -> list[tuple[bytes, bytes]]:
    """`headers` of a response to `path`, cleaned, with the security headers set."""
    kept = [(name, clean_header_value(value)) for name, value in headers
            if name.lower() not in _SET_ALWAYS]
    names = {name.lower() for name, _ in kept}
    content_type = next((value.decode("latin-1").lower() for name, value in kept
                         if name.lower() == b"content-type"), "")
    added = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy",
         b"no-referrer" if path.startswith((LINK_PREFIX, CLIENT_PAGE_PREFIX, RESET_PREFIX))
         else b"same-origin"),
    ]
    if not path.startswith(STATIC_PREFIX):
        added.append((b"cache-control", b"no-store"))
    else:  # assets keep the caching headers they were served with
        added += [(name, value) for name, value in headers if name.lower() == b"cache-control"]
    if b"content-security-policy" not in names:
        added.append((b"content-security-policy",
                      content_security_policy(path, content_type).encode("latin-1")))
    return kept + added


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar `before_send` hook (registered in `network.app.create_app`)."""
    if message["type"] != "http.response.start":
        return
    message["headers"] = security_headers(scope.get("path", ""),
                                          [(bytes(name), bytes(value))
                                           for name, value in message.get("headers", [])])
