"""The local mail catcher: with no SMTP_URL, `network serve` receives its own emails with
aiosmtpd into a Maildir in DATA_DIR, and coordinators read them at /dev/mail. It lets a
newcomer click through a partner's email without any mail server."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.header import decode_header, make_header
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
    return CaughtMail(key=key, sender=str(message["From"] or ""),
                      recipients=str(message["To"] or ""), subject=_header(message["Subject"]),
                      date=date, text=text, html=html)


def _header(value: str | None) -> str:
    return str(make_header(decode_header(value or "")))


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
