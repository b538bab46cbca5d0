"""Every change to a case, one function each: `(actor, clock, ...)`. Each opens the one
transaction (joining the caller's when there is one), applies the rules of the pure modules
(enrolment, education, consent, closing, barrier_status, prospects), writes, writes its audit
entry, emits the case events (network.cases.events) and returns what the caller shows.

The reminders and the referrals react to the events; this module imports neither.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Literal

from network import fields as check
from network.accounts import audit
from network.actors import Actor
from network.cases import barriers as barrier_data
from network.cases import consent_forms, erasure, finding, handovers, history, queries, scope
from network.cases import service as data
from network.cases.barrier_status import check_change, is_finished
from network.cases.barriers import Barrier
from network.cases.changes import differences
from network.cases.closing import check_closing
from network.cases.education import default_barrier_kinds
from network.cases.events import (
    BarrierFinished,
    BarrierOpened,
    BarrierReopened,
    CaseClosed,
    CaseHandedOver,
    CircleHandoverDecided,
    CircleHandoverProposed,
    ClientChangedCircle,
    ClientPseudonymised,
)
from network.cases.handovers import Handover
from network.cases.prospects import ProspectEntry
from network.cases.retention import DEFAULT_RETENTION_YEARS, retention_cutoff
from network.cases.service import (
    CLIENT_FIELDS,
    CLOCK_SKEW,
    EARLIEST_BIRTH,
    Client,
    ClientData,
    Consent,
    PotentialAnalysis,
    PotentialAnalysisData,
)
from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CaseStatus,
    LegalCircle,
    Outcome,
)
from network.clock import BERLIN, Clock
from network.errors import Conflict, NotPermitted, RuleViolation
from network.events import emit
from network.partners.kinds import PartnerKind
from network.transactions import in_batches, transaction

log = logging.getLogger(__name__)


# --- prospects of staying (reference data) ------------------------------------------------


async def set_prospect(
    actor: Actor, clock: Clock, country_code: str, valid_from: date, good_prospects: bool,
    note: str | None = None,
) -> ProspectEntry:
    """Add (or correct) the entry for a country from a date on."""
    code = check.country("country_code", country_code)
    valid_from = check.day("valid_from", valid_from, EARLIEST_BIRTH, date(2200, 1, 1))
    if not isinstance(good_prospects, bool):
        raise RuleViolation("good_prospects", "not_boolean")
    note = check.text("note", note, 500)
    async with transaction():
        await data.write_prospect(code, valid_from, good_prospects, note)
        await audit.record(actor, "prospect.set", "prospect_country", code,
                           {"valid_from": valid_from.isoformat(),
                            "good_prospects": good_prospects}, at=clock.now())
    log.info("prospect entry set", extra={"country": code, **actor.describe()})
    return ProspectEntry(code, valid_from, good_prospects)  # type: ignore[arg-type]


# --- clients ------------------------------------------------------------------------------


async def create_client(
    actor: Actor, clock: Clock, client: ClientData, *,
    barrier_kinds: Sequence[BarrierKind] | None = None,
    on_duplicate: Literal["refuse", "confirmed"] | None = None,
) -> Client:
    """Open a case. `barrier_kinds` are opened as barriers; None means the defaults (the
    education track's for clients under 25). `on_duplicate`: "refuse" refuses (Conflict,
    with the ids) while the circle has a possible duplicate (`finding.possible_duplicates`:
    same birth date, similar name); "confirmed" opens it anyway, the ids in the audit entry;
    None does not look (imports, the API)."""
    now = clock.now()
    client = data.checked_client(client, now.date())
    if barrier_kinds is None:
        barrier_kinds = default_barrier_kinds(client.date_of_birth, now.date())
    kinds = check.choices("barrier_kinds", barrier_kinds, BarrierKind)
    scope.check_own_circle(actor, client.legal_circle.value)
    async with transaction():
        await data.check_enrolment(client, now.date())
        await data.check_coordinator(client.coordinator_id, client.legal_circle.value)
        await data.refuse_duplicate_case_number(client.case_number, None)
        duplicates: list[int] = []
        if on_duplicate is not None:
            await queries.lock_intake(client.legal_circle.value, client.date_of_birth)
            duplicates = [row["id"] for row in await finding.possible_duplicates(
                actor, client.first_name, client.last_name, client.date_of_birth)]
        if duplicates and on_duplicate == "refuse":
            raise Conflict("duplicate_confirmed", "possible_duplicate",
                           client_ids=", ".join(map(str, duplicates)))
        enrolled_at = now if client.case_kind is CaseKind.ENROLLED else None
        client_id = await data.insert_client(client, enrolled_at, now)
        await data.case_event(client_id, "opened", actor.user_id, now)
        if enrolled_at:
            await data.case_event(client_id, "enrolled", actor.user_id, now)
        for kind in kinds:
            barrier_id = await barrier_data.insert_barrier(client_id, kind, None,
                                                           actor.user_id, now)
            await emit(BarrierOpened(barrier_id, client_id, actor, now))
        await audit.record(actor, "client.created", "client", client_id,
                           {"case_kind": client.case_kind.value, "barriers": len(kinds),
                            **({"possible_duplicates": duplicates} if duplicates else {})},
                           at=now)
        made = await data.load_client(client_id)
    log.info("client created", extra={"client_id": client_id, **actor.describe()})
    return made


async def update_client(
    actor: Actor, clock: Clock, client_id: int, changes: Mapping[str, Any], *,
    unchanged_since: datetime | None = None,
) -> Client:
    """Apply the given fields (any of ClientData's) over the stored case. Enrolling applies the
    enrolment rule on today's date; an enrolled case stays enrolled. With `unchanged_since`
    (the case's updated_at when the form was opened) a case changed since is refused, so
    nobody overwrites a colleague's edit unseen. What changed is kept with before and after
    in the case history; the audit entry names the fields and that entry."""
    now = clock.now()
    check.only_fields(changes, CLIENT_FIELDS, "not_a_client_field")
    async with transaction():
        current = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(current)
        if unchanged_since is not None and current.updated_at != unchanged_since:
            raise Conflict("updated_at", "client_changed_meanwhile")
        before = data.data_of(current)
        after = data.checked_client(replace(before, **changes), now.date())
        if after.legal_circle != before.legal_circle:
            raise RuleViolation("legal_circle", "circle_changes_by_handover")
        if before.case_kind is CaseKind.ENROLLED and after.case_kind is not CaseKind.ENROLLED:
            raise RuleViolation("case_kind", "enrolled_stays_enrolled")
        enrolling = before.case_kind is not CaseKind.ENROLLED and (
            after.case_kind is CaseKind.ENROLLED)
        enrolled_at = now if enrolling else current.enrolled_at
        if enrolling or after.case_kind is CaseKind.ENROLLED and (
            after.country_of_origin != before.country_of_origin
            or after.enrolment_reason != before.enrolment_reason
        ):
            await data.check_enrolment(after, (enrolled_at or now).date())
        if after.coordinator_id != before.coordinator_id:
            await data.check_coordinator(after.coordinator_id, after.legal_circle.value)
        await data.refuse_duplicate_case_number(after.case_number, client_id)
        await data.write_client(client_id, after, enrolled_at, now,
                                languages="languages" in changes)
        if enrolling:
            await data.case_event(client_id, "enrolled", actor.user_id, now)
        handed = after.coordinator_id != before.coordinator_id and after.coordinator_id
        if handed:  # the same handover as from the case page: the open referrals follow
            await data.case_event(client_id, "handed_over", actor.user_id, now)
            await emit(CaseHandedOver(client_id, before.coordinator_id, after.coordinator_id,
                                      actor, now))
        changed_fields = differences(before, after, CLIENT_FIELDS)
        change_id = await history.record_change(client_id, None, changed_fields,
                                                actor.user_id, now)
        await audit.record(actor, "client.changed", "client", client_id,
                           {"fields": sorted(changes), "change_id": change_id}, at=now)
        changed = await data.load_client(client_id)
    log.info("client updated", extra={"client_id": client_id, "fields": sorted(changes),
                                      **actor.describe()})
    return changed


async def close_case(
    actor: Actor, clock: Clock, client_id: int, outcome: Outcome | str | None, *,
    note: str | None = None,
) -> Client:
    """Close when no barrier is open or in progress; the outcome is required."""
    now = clock.now()
    checked_outcome = None if outcome is None else check.choice("outcome", outcome, Outcome)
    note = check.text("note", note, 2000)
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        check_closing(client.status, checked_outcome,
                      await barrier_data.statuses_of(client_id))
        assert checked_outcome is not None
        await data.mark_closed(client_id, checked_outcome, now)
        await data.case_event(client_id, "closed", actor.user_id, now, note)
        await audit.record(actor, "client.closed", "client", client_id,
                           {"outcome": checked_outcome.value}, at=now)
        await emit(CaseClosed(client_id, actor, now))
        client = await data.load_client(client_id)
    log.info("case closed", extra={"client_id": client_id, "outcome": checked_outcome.value,
                                   **actor.describe()})
    return client


# --- consultation notes (Beratungsvermerke) ------------------------------------------------

EARLIEST_NOTE = date(2000, 1, 1)


async def add_case_note(
    actor: Actor, clock: Clock, client_id: int, noted_on: date | None, body: str | None,
) -> history.Note:
    """A dated consultation note with its author, for the case's history. `noted_on` is the
    day of the consultation (today when None), never a day after today (Berlin)."""
    now = clock.now()
    today = now.astimezone(BERLIN).date()
    noted_on = check.day("noted_on", today if noted_on is None else noted_on, EARLIEST_NOTE,
                         today)
    body = check.required_text("body", body, 10000)
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        note = await history.insert_note(client_id, noted_on, body, actor.user_id, now)
        await audit.record(actor, "case_note.added", "client", client_id,
                           {"note_id": note.id}, at=now)
    log.info("case note added", extra={"client_id": client_id, "note_id": note.id,
                                       **actor.describe()})
    return note


# --- potential analysis -------------------------------------------------------------------


async def record_potential_analysis(
    actor: Actor, clock: Clock, client_id: int, analysis: PotentialAnalysisData,
) -> PotentialAnalysis:
    """Record (or replace) the client's potential analysis, with its qualifications and,
    when given, the language levels."""
    now = clock.now()
    analysis = data.checked_analysis(analysis)
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        await data.write_analysis(client_id, analysis, actor.user_id, now)
        await audit.record(actor, "potential_analysis.recorded", "client", client_id, at=now)
        recorded = await data.load_analysis(client_id)
    assert recorded is not None
    log.info("potential analysis recorded", extra={"client_id": client_id,
                                                   **actor.describe()})
    return recorded


# --- consent ------------------------------------------------------------------------------


async def give_consent(
    actor: Actor, clock: Clock, client_id: int, partner_kinds: Iterable[PartnerKind | str], *,
    given_at: Any = None,
) -> Consent:
    """Record a consent to share the client's data with partners of the given kinds.
    `given_at` may lie in the past (a form signed earlier), not in the future."""
    now = clock.now()
    given_at = now if given_at is None else check.moment("given_at", given_at)
    if given_at > now + CLOCK_SKEW:
        raise RuleViolation("given_at", "in_future")
    kinds = check.choices("partner_kinds", partner_kinds, PartnerKind)
    if not kinds:
        raise RuleViolation("partner_kinds", "no_partner_kind")
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        consent_id = await data.insert_consent(client_id, given_at, actor.user_id, kinds)
        await audit.record(actor, "consent.given", "client", client_id,
                           {"consent_id": consent_id}, at=now)
        consent = await data.load_consent(consent_id)
    log.info("consent given", extra={"client_id": client_id, "consent_id": consent_id,
                                     **actor.describe()})
    return consent


async def withdraw_consent(
    actor: Actor, clock: Clock, consent_id: int, *, at: Any = None,
) -> Consent:
    now = clock.now()
    at = now if at is None else check.moment("withdrawn_at", at)
    if at > now + CLOCK_SKEW:
        raise RuleViolation("withdrawn_at", "in_future")
    async with transaction():
        consent = await data.load_consent(consent_id, lock=True)
        scope.require(actor, await scope.circle_of_client(consent.client_id), "consent",
                      consent_id)
        if consent.withdrawn_at is not None:
            raise RuleViolation("withdrawn_at", "consent_withdrawn_already")
        if at < consent.given_at:
            raise RuleViolation("withdrawn_at", "withdrawn_before_given")
        await data.mark_consent_withdrawn(consent_id, at, actor.user_id)
        await audit.record(actor, "consent.withdrawn", "client", consent.client_id,
                           {"consent_id": consent_id}, at=now)
        consent = await data.load_consent(consent_id)
    log.info("consent withdrawn", extra={"consent_id": consent_id, **actor.describe()})
    return consent


async def attach_consent_form(actor: Actor, clock: Clock, consent_id: int, file: object
                              ) -> consent_forms.AttachedForm:
    """Attach the signed form (PDF or photo, size-limited) to its consent record; attaching
    again replaces it. The audit entry names the consent and the file's type, nothing of
    its content."""
    now = clock.now()
    body, kind = consent_forms.checked_file(file)
    async with transaction():
        consent = await data.load_consent(consent_id)
        client = await data.load_for(actor, consent.client_id, lock=True)
        data.refuse_pseudonymised(client)
        await consent_forms.save(consent_id, consent.client_id, body, kind, now, actor.user_id)
        await audit.record(actor, "consent.form_attached", "client", consent.client_id,
                           {"consent_id": consent_id, "type": kind}, at=now)
    log.info("consent form attached", extra={"consent_id": consent_id, **actor.describe()})
    return consent_forms.AttachedForm(consent_id, kind, now)


async def open_consent_form(actor: Actor, clock: Clock, consent_id: int) -> tuple[bytes, str]:
    """The signed form of a consent, for a coordinator of the client's circle; every
    opening is an audited read."""
    consent = await data.load_consent(consent_id)
    await scope.require_client(actor, consent.client_id)
    async with audited_read(actor, clock, "consent.form_opened", consent.client_id,
                            {"consent_id": consent_id}):
        found = await consent_forms.file_of(consent_id)
    if found is None:
        raise RuleViolation("consent", "consent_form_missing")
    return found


async def print_consent_form(actor: Actor, clock: Clock, client_id: int) -> Client:
    """The client's master data for the blank consent form to print (network.web.
    consent_form): an audited read of the record."""
    async with audited_read(actor, clock, "consent.form_printed", client_id):
        client = await data.load_for(actor, client_id)
    data.refuse_pseudonymised(client)  # nobody left to sign
    return client


# --- barriers -----------------------------------------------------------------------------


async def add_barrier(
    actor: Actor, clock: Clock, client_id: int, kind: BarrierKind | str,
    description: str | None = None,
) -> Barrier:
    now = clock.now()
    checked_kind = check.choice("kind", kind, BarrierKind)
    description = check.text("description", description, 5000)
    async with transaction():
        await barrier_data.lock_open_case(actor, client_id)
        barrier_id = await barrier_data.insert_barrier(client_id, checked_kind, description,
                                                       actor.user_id, now)
        barrier = await barrier_data.load_barrier(barrier_id)
        await audit.record(actor, "barrier.added", "barrier", barrier_id,
                           {"client_id": client_id}, at=now)
        await emit(BarrierOpened(barrier_id, client_id, actor, now))
    log.info("barrier added", extra={"client_id": client_id, "barrier_id": barrier_id,
                                     **actor.describe()})
    return barrier


async def update_barrier(
    actor: Actor, clock: Clock, barrier_id: int, changes: Mapping[str, Any],
) -> Barrier:
    """Change the kind or the description; the status changes through change_barrier_status."""
    now = clock.now()
    unknown = set(changes) - set(barrier_data.EDITABLE)
    if unknown:
        raise RuleViolation(sorted(unknown)[0], "not_changeable_here")
    async with transaction():
        barrier = await barrier_data.load_barrier(barrier_id)
        await barrier_data.lock_open_case(actor, barrier.client_id, ("barrier", barrier_id))
        kind = check.choice("kind", changes.get("kind", barrier.kind), BarrierKind)
        description = check.text("description", changes.get("description",
                                                             barrier.description), 5000)
        await barrier_data.write_barrier(barrier_id, kind, description, now)
        before, barrier = barrier, await barrier_data.load_barrier(barrier_id)
        change_id = await history.record_change(
            barrier.client_id, barrier_id, differences(before, barrier, barrier_data.EDITABLE),
            actor.user_id, now)
        await audit.record(actor, "barrier.changed", "barrier", barrier_id,
                           {"client_id": barrier.client_id, "fields": sorted(changes),
                            "change_id": change_id}, at=now)
    log.info("barrier updated", extra={"barrier_id": barrier_id, **actor.describe()})
    return barrier


async def change_barrier_status(
    actor: Actor, clock: Clock, barrier_id: int, status: BarrierStatus | str, *,
    reason: str | None = None, note: str | None = None,
) -> Barrier:
    """Move a barrier to a new status (see barrier_status.TRANSITIONS); `reason` is required
    for `unresolvable`; `note` goes into the event. Joins the caller's transaction when there
    is one (a completed referral resolves its barrier)."""
    now = clock.now()
    target = check.choice("status", status, BarrierStatus)
    reason = check.text("unresolvable_reason", reason, 2000)
    note = check.text("note", note, 2000)
    async with transaction():
        barrier = await barrier_data.load_barrier(barrier_id, lock=True)
        await barrier_data.lock_open_case(actor, barrier.client_id, ("barrier", barrier_id))
        check_change(barrier.status, target, reason)
        finished = is_finished(target)
        await barrier_data.write_status(
            barrier_id, target, reason if target is BarrierStatus.UNRESOLVABLE else None,
            now if finished else None, now)
        await barrier_data.insert_event(barrier_id, barrier.status, target, actor.user_id,
                                        now, note)
        await audit.record(actor, "barrier.status_changed", "barrier", barrier_id,
                           {"client_id": barrier.client_id, "from": barrier.status.value,
                            "to": target.value}, at=now)
        if finished:
            await emit(BarrierFinished(barrier_id, barrier.client_id, actor, now))
        elif is_finished(barrier.status):
            await emit(BarrierReopened(barrier_id, barrier.client_id, actor, now))
        barrier = await barrier_data.load_barrier(barrier_id)
    log.info("barrier status changed", extra={"barrier_id": barrier_id, "status": target.value,
                                              **actor.describe()})
    return barrier


async def resolve_barrier(
    actor: Actor, clock: Clock, barrier_id: int, *, note: str | None = None,
) -> Barrier:
    """The barrier is resolved (a coordinator's word, or a completed referral's: then the actor
    is the partner or the system, inside the referral's transaction)."""
    return await change_barrier_status(actor, clock, barrier_id, BarrierStatus.RESOLVED,
                                       note=note)


# --- the responsible coordinator ---------------------------------------------------------


async def hand_case_to_colleague(actor: Actor, clock: Clock, client_id: int,
                                 coordinator_id: int | None) -> Client:
    """A coordinator hands an open case to a colleague of the same legal circle (holiday,
    workload): the colleague is responsible from now on, the case history says so, and the
    open referrals follow (CaseHandedOver). Between circles it is the circle handover."""
    now = clock.now()
    to = check.identifier("coordinator_id", coordinator_id)
    if to is None:
        raise RuleViolation("coordinator_id", "required")
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        if to == client.coordinator_id:
            raise RuleViolation("coordinator_id", "responsible_already")
        await data.check_coordinator(to, client.legal_circle.value)
        await data.set_coordinator(client_id, to, now)
        await data.case_event(client_id, "handed_over", actor.user_id, now)
        await audit.record(actor, "client.handed_over", "client", client_id,
                           {"from": client.coordinator_id, "to": to}, at=now)
        await emit(CaseHandedOver(client_id, client.coordinator_id, to, actor, now))
        handed = await data.load_client(client_id)
    log.info("case handed to a colleague", extra={"client_id": client_id,
                                                  "to_coordinator_id": to,
                                                  **actor.describe()})
    return handed


# --- handovers between legal circles --------------------------------------------------------

async def pending_handovers(actor: Actor, clock: Clock) -> list[Handover]:
    """The handovers pending into or out of the actor's circle, the read audited (when there
    is something to read)."""
    async with transaction():
        pending = await handovers.pending(actor)
        if pending:
            await audit.record(actor, "circle_handovers.listed", "client", None,
                               {"handover_ids": [h.id for h in pending]}, at=clock.now())
    return pending


async def read_handover(actor: Actor, clock: Clock, handover_id: int) -> Handover:
    """One handover the actor may see, the read audited."""
    async with transaction():
        found = await handovers.get(actor, handover_id)
        await audit.record(actor, "circle_handovers.listed", "client", found.client_id,
                           {"handover_ids": [handover_id]}, at=clock.now())
    return found



def _other_circle(circle: str) -> str:
    return next(c.value for c in LegalCircle if c.value != circle)


async def propose_circle_handover(actor: Actor, clock: Clock, client_id: int,
                                  reason: str | None) -> Handover:
    """A coordinator of the client's circle proposes moving the client to the other circle
    (asylum granted: SGB III -> SGB II). The client stays where it is until a coordinator of
    the receiving circle accepts; at most one handover is pending per client."""
    now = clock.now()
    reason = check.required_text("reason", reason, 2000)
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        pending = await handovers.pending_of(client_id)
        if pending is not None:
            raise Conflict("client_id", "handover_pending", handover_id=pending)
        to_circle = _other_circle(client.legal_circle.value)
        handover_id = await handovers.insert(client_id, client.legal_circle.value, to_circle,
                                             reason, actor.user_id, now)
        await audit.record(actor, "client.handover_proposed", "client", client_id,
                           {"handover_id": handover_id, "to": to_circle}, at=now)
        await emit(CircleHandoverProposed(handover_id, client_id, actor, now))
        proposed = await handovers.load(handover_id)
    log.info("circle handover proposed", extra={"client_id": client_id,
                                                "handover_id": handover_id,
                                                **actor.describe()})
    return proposed


async def _pending_handover(actor: Actor, handover_id: int, side: str) -> Handover:
    """The pending handover, locked, for the `side` ("to": the receiving circle decides,
    "from": the sending circle withdraws)."""
    handover = await handovers.load_for(actor, handover_id, lock=True)
    if handover.status != handovers.PENDING:
        raise Conflict("status", "handover_decided", status=handover.status)
    circle = handover.to_circle if side == "to" else handover.from_circle
    if actor.user is not None and circle not in scope.circles(actor):
        raise NotPermitted("actor", "handover_receiving_side" if side == "to"
                           else "handover_sending_side")
    return handover


async def accept_circle_handover(actor: Actor, clock: Clock, handover_id: int, *,
                                 coordinator_id: int | None = None) -> Handover:
    """The receiving circle takes the client over: its legal circle and its coordinator
    (`coordinator_id`, by default the accepting coordinator) change in this one transaction,
    with the case history, the audit entry and ClientChangedCircle (the open referrals
    follow the client to its new coordinator)."""
    now = clock.now()
    async with transaction():
        handover = await _pending_handover(actor, handover_id, "to")
        coordinator = check.identifier("coordinator_id", coordinator_id or actor.user_id)
        if coordinator is None:
            raise RuleViolation("coordinator_id", "required")
        client = await data.load_client(handover.client_id, lock=True)
        data.refuse_pseudonymised(client)
        data.refuse_closed(client)
        await data.check_coordinator(coordinator, handover.to_circle)
        await handovers.move_client(client.id, handover.to_circle, coordinator, now)
        await handovers.decide(handover_id, "accepted", actor.user_id, now,
                               coordinator_id=coordinator)
        await data.case_event(client.id, "circle_changed", actor.user_id, now)
        await audit.record(actor, "client.handover_accepted", "client", client.id,
                           {"handover_id": handover_id, "from": handover.from_circle,
                            "to": handover.to_circle, "coordinator_id": coordinator}, at=now)
        await emit(ClientChangedCircle(client.id, handover_id, handover.from_circle,
                                       handover.to_circle, coordinator, actor, now))
        await emit(CircleHandoverDecided(handover_id, client.id, True, actor, now))
        accepted = await handovers.load(handover_id)
    log.info("circle handover accepted", extra={"client_id": client.id,
                                                "handover_id": handover_id,
                                                **actor.describe()})
    return accepted


async def decline_circle_handover(actor: Actor, clock: Clock, handover_id: int,
                                  reason: str | None) -> Handover:
    """The receiving circle does not take the client (with a reason); it stays where it is."""
    now = clock.now()
    reason = check.required_text("reason", reason, 2000)
    async with transaction():
        handover = await _pending_handover(actor, handover_id, "to")
        await handovers.decide(handover_id, "declined", actor.user_id, now, reason=reason)
        await audit.record(actor, "client.handover_declined", "client", handover.client_id,
                           {"handover_id": handover_id}, at=now)
        await emit(CircleHandoverDecided(handover_id, handover.client_id, False, actor, now))
        declined = await handovers.load(handover_id)
    log.info("circle handover declined", extra={"handover_id": handover_id,
                                                **actor.describe()})
    return declined


async def withdraw_circle_handover(actor: Actor, clock: Clock, handover_id: int) -> Handover:
    """The sending circle takes its proposal back while it is pending."""
    now = clock.now()
    async with transaction():
        handover = await _pending_handover(actor, handover_id, "from")
        await handovers.decide(handover_id, "withdrawn", actor.user_id, now)
        await audit.record(actor, "client.handover_withdrawn", "client", handover.client_id,
                           {"handover_id": handover_id}, at=now)
        withdrawn = await handovers.load(handover_id)
    log.info("circle handover withdrawn", extra={"handover_id": handover_id,
                                                 **actor.describe()})
    return withdrawn


# --- pseudonymisation and erasure ---------------------------------------------------------


async def pseudonymise_client(actor: Actor, clock: Clock, client_id: int) -> Client:
    """Remove a closed case's personal data; it keeps counting in every report. Running it
    again on a pseudonymised client changes nothing. (An open case is erased, not this.)"""
    now = clock.now()
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        if client.status is not CaseStatus.CLOSED:
            raise RuleViolation("status", "only_closed_pseudonymised")
        if client.pseudonymised_at is None:
            await _pseudonymise(actor, client_id, now)
            await data.case_event(client_id, "pseudonymised", actor.user_id, now)
            await audit.record(actor, "client.pseudonymised", "client", client_id, at=now)
        client = await data.load_client(client_id)
    log.info("client pseudonymised", extra={"client_id": client_id, **actor.describe()})
    return client


async def erase_client(actor: Actor, clock: Clock, client_id: int) -> Client:
    """An admin erases a client on request (GDPR Art. 17), open case or not. The same removal
    as pseudonymisation, with the erasure recorded."""
    now = clock.now()
    async with transaction():
        client = await data.load_for(actor, client_id, lock=True)
        if client.pseudonymised_at is None:
            await _pseudonymise(actor, client_id, now)
        if client.erased_at is None:
            await data.mark_erased(client_id, now)
            await data.case_event(client_id, "erased", actor.user_id, now)
            await audit.record(actor, "client.erased", "client", client_id, at=now)
        client = await data.load_client(client_id)
    log.info("client erased", extra={"client_id": client_id, **actor.describe()})
    return client


async def pseudonymise_due(
    actor: Actor, clock: Clock, retention_years: int = DEFAULT_RETENTION_YEARS,
    batch_size: int = 500,
) -> list[int]:
    """The retention job: pseudonymise every closed case whose retention period has run out.
    Returns the client ids done. Safe to run in several instances at once (SKIP LOCKED)."""
    now = clock.now()
    cutoff = retention_cutoff(now, retention_years)

    async def pseudonymise(ids: list[int]) -> None:
        for client_id in ids:
            await _pseudonymise(actor, client_id, now)
            await data.case_event(client_id, "pseudonymised", actor.user_id, now,
                                  "retention period over")
            await audit.record(actor, "client.pseudonymised", "client", client_id,
                               {"by": "retention job"}, at=now)

    done = await in_batches(lambda: erasure.claim_due(cutoff, batch_size), pseudonymise,
                            batch_size)
    if done:
        log.info("retention: clients pseudonymised", extra={"count": len(done)})
    return done


async def _pseudonymise(actor: Actor, client_id: int, now: Any) -> None:
    """The others scrub their copies first (referral texts, reminder reasons), then the case's
    own texts go."""
    await emit(ClientPseudonymised(client_id, actor, now))
    await erasure.scrub(client_id, now)


# --- reads of a client's record: each leaves an audit entry -------------------------------


@asynccontextmanager
async def audited_read(actor: Actor, clock: Clock, action: str, client_id: int | None,
                       details: dict | None = None) -> AsyncIterator[None]:
    """One transaction for a read of a client's record and its audit entry (ids only)."""
    async with transaction():
        await audit.record(actor, action, "client", client_id, details, at=clock.now())
        yield
