"""An outbox row as the bytes handed to the SMTP server (pure: no I/O).

A message is built once, when its row is queued (`storable`), and stored with the row; the
dispatcher sends those bytes (`filled`), building at sending time only what could not be
stored (`sendable`): rows queued before the column existed, and the rare message whose body
must be quoted-printable or base64.

Both write the message's bytes directly (`network.mail.mime.compose`, microseconds) and leave
to the email library (`build_message`, milliseconds) only what `compose` does not write: a
body that must be quoted-printable or base64, an unusual attachment name.

What only sending may know (the sealed partner, sign-in and password-reset links) is filled in
at sending time by the mailer's `resolve` (`network.composition.build_mailer`), on the stored
bytes' body as on a body built then. That works because a body part sent as 7bit or 8bit holds
its text verbatim, placeholders included: the parts are encoded so whenever their lines fit
SMTP's limit of 998 octets (`mime.text_part`, `BODY_POLICY`), which every template's do. A
stored message whose filled-in lines would pass that limit is built again at sending time,
from the filled-in text.

The Date header is the row's `created_at`, the clock reading of the change that queued it: it
is known at queueing, the same whichever way the message is built, and a message sent again
after a lost connection is the same message (its Message-ID is fixed as well).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from network.mail.headers import header_text
from network.mail.mime import SMTP_LINE_LIMIT, compose

# Body parts stay 7bit/8bit (readable, and their placeholders intact) up to SMTP's line
# limit; only longer lines make the email library choose quoted-printable or base64.
# Headers are still folded at 78 by policy.SMTP when the message is serialised.
BODY_POLICY = policy.default.clone(max_line_length=SMTP_LINE_LIMIT)
VERBATIM = frozenset({"7bit", "8bit"})
HEADER_END = b"\r\n\r\n"


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email (the monthly report's PDF), stored beside the outbox row."""

    filename: str
    content_type: str
    content: bytes


def storable(row: Mapping[str, Any], mail_from: str, date: datetime,
             attachments: Sequence[Attachment] = ()) -> bytes | None:
    """The bytes to store with a queued row, or None when they cannot be stored verbatim
    (`prerendered`)."""
    return compose(row, mail_from, date, attachments) or prerendered(
        build_message(row, mail_from, date, attachments))


def sendable(row: Mapping[str, Any], mail_from: str, date: datetime,
             attachments: Sequence[Attachment] = ()) -> bytes:
    """The bytes to send for a row built at sending time."""
    return compose(row, mail_from, date, attachments) or as_bytes(
        build_message(row, mail_from, date, attachments))


def build_message(row: Mapping[str, Any], mail_from: str, date: datetime,
                  attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """The email as the library builds it (what `compose` leaves to it). Every header is set
    here, each through `header_text`: data in a subject or name can never add a header or
    break a line."""
    message = EmailMessage(policy=BODY_POLICY)
    message["From"] = header_text(mail_from)
    message["To"] = ", ".join(header_text(recipient) for recipient in row["recipients"])
    message["Subject"] = header_text(row["subject"])
    message["Date"] = format_datetime(date)
    message["Message-ID"] = header_text(row["message_id"])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row["body_text"])
    message.add_alternative(row["body_html"], subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                               filename=header_text(attachment.filename))
    return message


def as_bytes(message: EmailMessage) -> bytes:
    """What the SMTP server is handed: CRLF line ends, headers folded for SMTP."""
    return message.as_bytes(policy=policy.SMTP)


def prerendered(message: EmailMessage) -> bytes | None:
    """The bytes to store with a queued row, or None when a body part is quoted-printable or
    base64: its text, and any placeholder in it, is not verbatim in the bytes, so that
    message is built at sending time instead."""
    for part in message.walk():
        if (not part.is_multipart() and not part.is_attachment()
                and part["Content-Transfer-Encoding"] not in VERBATIM):
            return None
    return as_bytes(message)


def filled(stored: bytes, resolve: Callable[[str], str]) -> bytes | None:
    """The stored message as sent: `resolve` (the same as for a body built at sending time)
    applied to everything after the message's headers, which hold no placeholders. None when
    a filled-in line would pass SMTP's line limit: then the message is built again."""
    headers, end, body = stored.partition(HEADER_END)
    text = body.decode("utf-8", "surrogateescape")  # round-trips any octets exactly
    sent = resolve(text)
    if sent == text:
        return stored
    encoded = sent.encode("utf-8", "surrogateescape")
    if max(len(line) for line in encoded.split(b"\r\n")) > SMTP_LINE_LIMIT:
        return None
    return headers + end + encoded
