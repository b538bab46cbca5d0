"""Data requests (GDPR Art. 15, § 83 SGB X): recording one, its due date, producing the report.

The answer is due one calendar month after the request came in (Art. 12(3) GDPR): the same
day of the next month, or that month's last day when it has no such day (31 January: 28 or
29 February). Recording a request and producing the report are actions `(actor, clock, ...)`
with their own transaction and audit entry (ids and dates only). After pseudonymisation or
erasure the report cannot be produced: 409 with the code "client_data_removed"; the
data_requests rows (ids and dates) keep that a request was answered.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from network.accounts import audit
from network.actors import Actor
from network.cases import scope, subject_access
from network.cases import service as data
from network.clock import BERLIN, Clock
from network.errors import Conflict, NotPermitted, RuleViolation
from network.transactions import transaction


def due_on(received_on: date) -> date:
    """One calendar month later, clamped to the month's last day."""
    year, month = (received_on.year + 1, 1) if received_on.month == 12 else (
        received_on.year, received_on.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(received_on.day, last))


@dataclass(frozen=True)
class DataRequest:
    id: int
    client_id: int
    received_on: date
    due_on: date
    answered_at: datetime | None


@dataclass(frozen=True)
class DataReport:
    request: DataRequest
    json: bytes
    pdf: bytes


def _request(row: dict) -> DataRequest:
    return DataRequest(row["id"], row["client_id"], row["received_on"], row["due_on"],
                       row["answered_at"])


async def _coordinator_client(actor: Actor, client_id: int, lock: bool = False) -> data.Client:
    if not scope.circles(actor) or actor.user_id is None:
        raise NotPermitted("actor", "data_request_for_coordinators")
    return await data.load_for(actor, client_id, lock=lock)


async def record_request(actor: Actor, clock: Clock, client_id: int,
                         received_on: date) -> DataRequest:
    """Record that a client's data request came in; its answer is due a month later. A
    request already open for the client is returned as it is."""
    now = clock.now()
    if received_on > now.astimezone(BERLIN).date():
        raise RuleViolation("request_received", "in_future")
    async with transaction():
        await _coordinator_client(actor, client_id, lock=True)
        open_rows = await _open_requests(client_id)
        if open_rows:
            return open_rows[0]
        rows = await subject_access.Barrier.raw(
            "INSERT INTO data_requests (client_id, received_on, due_on, recorded_by,"
            " recorded_at) VALUES ({}, {}, {}, {}, {}) RETURNING id, client_id, received_on,"
            " due_on, answered_at", client_id, received_on, due_on(received_on),
            actor.user_id, now)
        request = _request(rows[0])
        await audit.record(actor, "client.data_request", "client", client_id,
                           {"data_request_id": request.id,
                            "due_on": request.due_on.isoformat()}, at=now)
    return request


async def _open_requests(client_id: int) -> list[DataRequest]:
    rows = await subject_access.Barrier.raw(
        "SELECT id, client_id, received_on, due_on, answered_at FROM data_requests"
        " WHERE client_id = {} AND answered_at IS NULL ORDER BY received_on, id", client_id)
    return [_request(row) for row in rows]


async def requests_of(client_id: int) -> list[DataRequest]:
    rows = await subject_access.Barrier.raw(
        "SELECT id, client_id, received_on, due_on, answered_at FROM data_requests"
        " WHERE client_id = {} ORDER BY received_on DESC, id DESC", client_id)
    return [_request(row) for row in rows]


async def requests_for_dashboard(coordinator_id: int, legal_circle: str,
                                 answered_since: datetime) -> list[DataRequest]:
    """The coordinator's clients' open data requests (the earliest due first), then those
    answered since `answered_since` (shown as done, with the date)."""
    rows = await subject_access.Barrier.raw(
        "SELECT d.id, d.client_id, d.received_on, d.due_on, d.answered_at FROM data_requests d"
        " JOIN clients c ON c.id = d.client_id WHERE c.coordinator_id = {}"
        " AND c.legal_circle = {} AND (d.answered_at IS NULL OR d.answered_at >= {})"
        " ORDER BY d.answered_at IS NOT NULL, d.due_on, d.id",
        coordinator_id, legal_circle, answered_since)
    return [_request(row) for row in rows]


async def produce_data_report(actor: Actor, clock: Clock, client_id: int,
                              request_received: date) -> DataReport:
    """The full report about one client, as JSON and as PDF; the open request (or a new one
    received on `request_received`) is marked answered."""
    now = clock.now()
    if request_received > now.astimezone(BERLIN).date():
        raise RuleViolation("request_received", "in_future")
    async with transaction():
        client = await _coordinator_client(actor, client_id, lock=True)
        if client.pseudonymised_at is not None:
            raise Conflict("id", "client_data_removed")
        open_rows = await _open_requests(client_id)
        if open_rows:
            request = open_rows[0]
        else:
            request = await record_request(actor, clock, client_id, request_received)
        await subject_access.Barrier.raw(
            "UPDATE data_requests SET answered_at = {}, answered_by = {} WHERE id = {}",
            now, actor.user_id, request.id)
        request = DataRequest(request.id, client_id, request.received_on, request.due_on, now)
        sections = await subject_access.gather(client_id)
        await audit.record(actor, "client.data_report", "client", client_id,
                           {"data_request_id": request.id,
                            "sections": len(sections)}, at=now)
    # fpdf and matplotlib's font path load on the first report, not when the app starts
    # (tests/test_architecture.py)
    from network.cases import subject_access_pdf

    return DataReport(
        request,
        subject_access.as_json(client_id, now, request.received_on, sections),
        subject_access_pdf.render_pdf(sections, now, request.received_on))
