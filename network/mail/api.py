"""JSON API on the outbox: what waits, what went out, what failed (with the server's answer),
and retrying a failed email once the cause is fixed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery

from network.accounts.access import STAFF, allow
from network.api_types import ActorDep, ClockDep
from network.mail import actions, outbox, queries
from network.pagination import DEFAULT_LIMIT, Limit, Offset, Page

Status = Literal["queued", "sending", "sent", "failed"]


class OutboxEmail(msgspec.Struct):
    id: int
    template: str
    recipients: list[str]
    subject: str
    status: Status
    attempts: int
    last_error: str | None
    due_at: datetime
    created_at: datetime
    sent_at: datetime | None
    referral_id: int | None


class OutboxCounts(msgspec.Struct):
    queued: int
    sending: int
    sent: int
    failed: int


class MailController(Controller):
    path = "/api/v1/mail"
    tags = ["mail"]
    opt = allow(*STAFF)

    @get("/outbox", summary="Emails in the outbox, newest first; filter by status")
    async def list_outbox(self, status: FromQuery[Status | None] = None,
                          limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Page[OutboxEmail]:
        rows, total = await outbox.list_emails(status, limit, offset)
        return Page([msgspec.convert(row, OutboxEmail) for row in rows], total, limit, offset)

    @get("/status", summary="How many emails are queued, being sent, sent and failed")
    async def counts(self) -> OutboxCounts:
        return OutboxCounts(**await queries.status_counts())

    @post("/outbox/{email_id:int}/retry", status_code=200,
          summary="Queue a failed email again (after its cause was fixed)")
    async def retry(self, email_id: FromPath[int], actor: ActorDep,
                    clock: ClockDep) -> OutboxEmail:
        row = await actions.retry(actor, clock, email_id)
        return msgspec.convert(row, OutboxEmail)


ROUTE_HANDLERS = [MailController]
