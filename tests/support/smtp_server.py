"""A real SMTP server for tests (aiosmtpd in its own thread) that records what it accepts and
can be told to answer the next messages with an error code."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.cli_process import free_port


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.replies: list[str] = []  # answers for the next DATA commands, then "250 OK"
        self.tls_used: list[bool] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.replies:
                return self.replies.pop(0)
            self.envelopes.append(envelope)
            self.tls_used.append(session.ssl is not None)
            self.messages.append(email.message_from_bytes(
                envelope.original_content or envelope.content, policy=email.policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self, tls_context: ssl.SSLContext | None = None,
                 require_starttls: bool = False, smtputf8: bool = False) -> None:
        self.handler = RecordingHandler()
        self.smtputf8 = smtputf8  # offers SMTPUTF8 (RFC 6531): non-ASCII addresses
        self.port = free_port()
        self.tls_context = tls_context
        self.require_starttls = require_starttls
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        scheme = "smtp+starttls" if self.tls_context else "smtp"
        return f"{scheme}://localhost:{self.port}"

    def start(self) -> SmtpServer:
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, tls_context=self.tls_context,
            require_starttls=self.require_starttls, server_hostname="localhost",
            enable_SMTPUTF8=self.smtputf8,
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return list(self.handler.messages)


class SilentServer:
    """Accepts TCP connections and never says a word: a hung mail server."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()
