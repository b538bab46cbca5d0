"""The outbox tables (created by migrations/m2026_11_26_0655_outbox.py,
m2026_11_26_0707_reports.py and m2026_11_30_0430_outbox_message_bytes.py)."""

from piccolo.columns import (
    Array,
    BigInt,
    BigSerial,
    Bytea,
    Integer,
    Text,
    Timestamptz,
)
from piccolo.table import Table

from network.database import ENGINE


class Outbox(Table, tablename="outbox", db=ENGINE):
    id = BigSerial(primary_key=True)
    message_id = Text()
    template = Text()
    recipients = Array(Text())
    subject = Text()
    body_text = Text()
    body_html = Text()
    status = Text(default="queued")  # queued, sending, sent, failed
    due_at = Timestamptz()
    lease_until = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    last_error = Text(null=True, default=None)
    dedupe_key = Text(null=True, default=None)
    client_id = BigInt(null=True, default=None)
    referral_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    # the message as sent, built when queued (network/mail/message.py); NULL: built at sending
    message_bytes = Bytea(null=True, default=None)


class OutboxAttachment(Table, tablename="outbox_attachment", db=ENGINE):
    """A file sent with an email (the monthly report's PDF)."""

    id = BigSerial(primary_key=True)
    outbox_id = BigInt()
    position = Integer()
    filename = Text()
    content_type = Text()
    content = Bytea()
