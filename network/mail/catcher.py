"""The local mail catcher: with no SMTP_URL, `network serve` receives its own emails with
aiosmtpd into a Maildir in DATA_DIR, and coordinators read them at /dev/mail. It lets a
newcomer click through a partner's email without any mail server."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path


class MailCatcherError(Exception):
    pass


@dataclass(frozen=True)
class CaughtMail:
    key: str
    sender: str
    recipients: str
    subject: str
    date: str
    text: str
    html: str


@contextmanager
def mail_catcher(folder: Path, port: int) -> Iterator[None]:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    for part in ("tmp", "new", "cur"):  # a Maildir
        (folder / part).mkdir(parents=True, exist_ok=True)
    controller = Controller(Mailbox(str(folder)), hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except (OSError, RuntimeError) as error:
        raise MailCatcherError(
            f"MAIL_CATCHER_PORT: the mail catcher cannot listen on 127.0.0.1:{port} ({error});"
            " choose another port or set SMTP_URL"
        ) from None
    try:
        yield
    finally:
        controller.stop()


def caught_mails(folder: Path, limit: int = 100) -> list[CaughtMail]:
    """Newest first."""
    if not folder.exists():
        return []
    box = mailbox.Maildir(str(folder), create=False)
    mails = [_caught(key, message) for key, message in box.iteritems()]
    mails.sort(key=lambda mail: mail.date, reverse=True)
    return mails[:limit]


def caught_mail(folder: Path, key: str) -> CaughtMail | None:
    if not folder.exists():
        return None
    box = mailbox.Maildir(str(folder), create=False)
    try:
        return _caught(key, box[key])
    except KeyError:
        return None


def _caught(key: str, message: Message) -> CaughtMail:
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not text:
            text = _decoded(part)
        elif part.get_content_type() == "text/html" and not html:
            html = _decoded(part)
    try:
        date = parsedate_to_datetime(message["Date"]).isoformat() if message["Date"] else ""
    except (TypeError, ValueError):
        date = ""
    return CaughtMail(key=key, sender=_header("From", message["From"]),
                      recipients=_header("To", message["To"]),
                      subject=_header("Subject", message["Subject"]), date=date, text=text,
                      html=html)


def _header(name: str, value: str | None) -> str:
    """A header as written before it was encoded and folded. The current parser, not
    `email.header.decode_header`: that one loses the space before an encoded word at the
    start of a folded line when the text before it ends in a parenthesis."""
    return str(policy.default.header_fetch_parse(name, value)) if value else ""


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
