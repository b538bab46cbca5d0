"""Our emails' bytes, written directly (pure: no I/O).

Every email we send has one of two fixed shapes: a text and an HTML alternative of it, and
optionally files attached (multipart/mixed around the two). The standard library's
`EmailMessage` builds them through header objects, a content manager and a generator, 1.5-9 ms
of CPU a message, and that time sits inside the transaction of the change that queues it
(issue 18). `compose` writes the same message, 7bit/8bit bodies as the library writes them,
in a few dozen microseconds; tests/test_mail_mime.py parses both back with the library's
parser and compares every header, body and attachment.

What `compose` does not write itself it leaves to the library, so nothing odd is written by
hand: a body line past SMTP's limit (the library quotes that body) and an unusual attachment
name or type make it return None, and the caller builds that message with the library
(`network.mail.message`); an address header other than plain addresses (the sender's display
name, an address with quotes) is folded by the library, the sender's once per value.

Header lines: ASCII only (encoded words, RFC 2047, for the rest), folded at spaces to at most
78 characters (RFC 5322 2.1.1); body lines at most SMTP_LINE_LIMIT octets, CRLF line ends.
"""

from __future__ import annotations

import binascii
import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from email import policy
from email.utils import format_datetime
from functools import lru_cache
from typing import Any

from network.mail.headers import header_text

SMTP_LINE_LIMIT = 998  # octets, without the CRLF (RFC 5321, 4.5.3.1.6)
FOLD_AT = 78  # characters a header line should not pass (RFC 5322 2.1.1)
# A header value's words are at most this long, so that "Subject: " and any one word fit on
# a line: a longer word is written as encoded words, which may be folded between them.
WORD_LIMIT = 60
ENCODED_OCTETS = 39  # of UTF-8 in one encoded word: 52 base64 characters, 64 in all
BASE64_OCTETS = 57  # per body line: 76 characters (RFC 2045 6.8)
CRLF = b"\r\n"
# A plain address (dot-atom@domain), written as it is; anything else the library folds.
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                           r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z")
TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`{|}~-]+\Z")  # a MIME type's halves (RFC 2045 5.1)
# A file name written as a quoted string on one line of FOLD_AT; any other (non-ASCII, with
# quotes, backslashes or an encoded-word look-alike, longer) is left to the library.
# What `header_text` leaves as it is (re's \s is str.isspace; Cc is U+0000-001F and
# U+007F-009F, Zl U+2028, Zp U+2029: tests/test_mail_mime.py checks every code point).
SOLID_RUN = r"[^\s\x00-\x1f\x7f-\x9f\u2028\u2029]+"
ONE_LINE = re.compile(f"{SOLID_RUN}(?: {SOLID_RUN})*")
PLAIN_FILENAME = re.compile(r"(?!.*=\?)[ !#-\[\]-~]{1,34}\Z")


def compose(row: Mapping[str, Any], mail_from: str, date: datetime,
            attachments: Sequence[Any] = ()) -> bytes | None:
    """The message as `network.mail.message.build_message` builds it, as bytes: a row's
    recipients, subject, Message-ID and bodies, the sender, the date, and files (each with
    `filename`, `content_type`, `content`). None when the library must build it."""
    text = text_part("plain", row["body_text"])
    html = text_part("html", row["body_html"])
    if text is None or html is None:
        return None
    body = multipart("alternative", [text, html])
    if attachments:
        files = [attachment_part(attachment) for attachment in attachments]
        if any(part is None for part in files):
            return None
        body = multipart("mixed", [body, *files])
    return message_headers(row, mail_from, date) + body


def message_headers(row: Mapping[str, Any], mail_from: str, date: datetime) -> bytes:
    """Every header of the message but its Content-Type, each value through `header_text`
    (`one_line`):
    data in a subject or name can never add a header or break a line."""
    return b"".join((
        sender_header(one_line(mail_from)),
        address_header("To", [one_line(recipient) for recipient in row["recipients"]]),
        unstructured_header("Subject", one_line(row["subject"])),
        header("Date", format_datetime(date)),
        header("Message-ID", one_line(row["message_id"])),
        b"Auto-Submitted: auto-generated\r\n",
        b"MIME-Version: 1.0\r\n",
    ))


def one_line(value: str) -> str:
    """`header_text(value)`, found at once (a match instead of a look-up per character, 6 of
    the 50 microseconds a message took) for a value it leaves as it is: words of characters
    neither white space nor breaking (Cc, Zl, Zp), one space between them."""
    return value if ONE_LINE.fullmatch(value) else header_text(value)


def text_part(subtype: str, text: str) -> bytes | None:
    """A text part as the library writes it when its lines fit SMTP's limit: 7bit when
    ASCII, else 8bit, the text verbatim with CRLF line ends (and one at its end). None when a
    line is longer: the library writes that body quoted-printable or base64."""
    lines = text.encode("utf-8").splitlines()
    if max(map(len, lines), default=0) > SMTP_LINE_LIMIT:
        return None
    body = CRLF.join(lines) + CRLF
    encoding = b"7bit" if body.isascii() else b"8bit"
    return (b"Content-Type: text/" + subtype.encode("ascii") + b'; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: " + encoding + b"\r\n\r\n" + body)


def attachment_part(attachment: Any) -> bytes | None:
    """A file, base64 in lines of 76 characters. None for a type or name the library must
    write (not a plain type, or a name that needs quoting or RFC 2231's encoding)."""
    maintype, _, subtype = attachment.content_type.partition("/")
    filename = header_text(attachment.filename)
    if not (TOKEN.match(maintype) and TOKEN.match(subtype) and PLAIN_FILENAME.match(filename)):
        return None
    return (f"Content-Type: {maintype}/{subtype}\r\nContent-Transfer-Encoding: base64\r\n"
            f'Content-Disposition: attachment; filename="{filename}"\r\n\r\n'.encode("ascii")
            + base64_lines(attachment.content))


def base64_lines(content: bytes) -> bytes:
    return b"".join(binascii.b2a_base64(content[start:start + BASE64_OCTETS], newline=False)
                    + CRLF for start in range(0, len(content), BASE64_OCTETS))


def multipart(subtype: str, parts: Sequence[bytes]) -> bytes:
    """A multipart entity (its Content-Type and body) around `parts`, each headers and body."""
    boundary = new_boundary(parts)
    return (b'Content-Type: multipart/' + subtype.encode("ascii") + b'; boundary="' + boundary
            + b'"\r\n\r\n' + b"".join(b"--" + boundary + CRLF + part + CRLF for part in parts)
            + b"--" + boundary + b"--\r\n")


def new_boundary(parts: Sequence[bytes]) -> bytes:
    """A random boundary found in none of the parts (a repeat is all but impossible: 96
    random bits; checked all the same). "=_" cannot start a quoted-printable or base64 line."""
    while True:
        boundary = b"=_" + secrets.token_hex(12).encode("ascii")
        if not any(boundary in part for part in parts):
            return boundary


def header(name: str, value: str) -> bytes:
    """A structured header: written as it is when short and plain (ASCII, no encoded-word
    look-alike), else folded by the library."""
    if len(name) + 2 + len(value) <= FOLD_AT and value.isascii() and "=?" not in value:
        return f"{name}: {value}\r\n".encode("ascii")
    return library_header(name, value)


def address_header(name: str, addresses: Sequence[str]) -> bytes:
    """Plain addresses, folded after their commas; any other is the library's to write."""
    if not all(PLAIN_ADDRESS.match(address) for address in addresses):
        return library_header(name, ", ".join(addresses))
    return folded(name, [f"{address}," for address in addresses[:-1]] + list(addresses[-1:]))


@lru_cache(maxsize=16)
def sender_header(mail_from: str) -> bytes:
    """The From header: one configured value (often with a display name), folded once."""
    return header("From", mail_from)


def unstructured_header(name: str, value: str) -> bytes:
    """A text header (the subject): its words as they are where they are plain, the runs of
    words that are not (non-ASCII, an encoded-word look-alike, too long for a line) as
    encoded words, the spaces between those words inside them (RFC 2047 6.2: white space
    between two encoded words is not part of the text)."""
    tokens: list[str] = []
    run: list[str] = []
    for word in value.split(" ") if value else ():
        if word.isascii() and "=?" not in word and len(word) <= WORD_LIMIT:
            tokens.extend(encoded_words(" ".join(run)))
            run.clear()
            tokens.append(word)
        else:
            run.append(word)
    tokens.extend(encoded_words(" ".join(run)))
    return folded(name, tokens)


def encoded_words(text: str) -> list[str]:
    """`text` as base64 encoded words (RFC 2047) of at most ENCODED_OCTETS octets each,
    never splitting a character between two."""
    data = text.encode("utf-8")
    words, start = [], 0
    while start < len(data):
        end = min(start + ENCODED_OCTETS, len(data))
        while end < len(data) and 0x80 <= data[end] < 0xC0:  # a continuation octet
            end -= 1
        words.append("=?utf-8?b?" + binascii.b2a_base64(data[start:end], newline=False)
                     .decode("ascii") + "?=")
        start = end
    return words


def folded(name: str, tokens: Sequence[str]) -> bytes:
    """A header line of `tokens` separated by spaces, a line break before the space where
    the next token would pass FOLD_AT (every token fits a line of its own)."""
    prefix = f"{name}:"
    lines = [prefix]
    for token in tokens:
        if lines[-1] != prefix and len(lines[-1]) + 1 + len(token) > FOLD_AT:
            lines.append(f" {token}")
        else:
            lines[-1] += f" {token}"
    if not tokens:
        lines[-1] += " "
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def library_header(name: str, value: str) -> bytes:
    """The header as the email library folds it for SMTP (what `build_message` sent)."""
    return policy.SMTP.fold_binary(name, policy.SMTP.header_factory(name, value))
