"""Retention of prospects: a prospect who never became a client keeps its personal data for
PROSPECT_RETENTION_MONTHS (default 6), counted from being added, or from being parked when it
was; then the retention job that pseudonymises closed cases (network.scheduler) erases it. A
prospect converted into a client follows its client: erasing or pseudonymising the client
blanks the prospect row too (`blank_converted`, called from network.cases.erasure).

Erasing blanks every personal field of the prospect row (names and their search keys, the exact
birth date, residence since, shelter, address, phone, the source's note) and the free texts of
its contact attempts (note, appointment place), and sets `erased_at`. What stays, for the
report: legal circle, birth year, country, residence status, languages, source, status, the
parking reason (a code) and the dates of adding, first contact, parking and converting. The
rows themselves stay, so the monthly report's outreach figures do not change afterwards."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Sequence
from datetime import datetime

from network.accounts import audit
from network.actors import Actor
from network.clock import Clock
from network.outreach.tables import Prospect, ProspectContact
from network.transactions import in_batches

log = logging.getLogger(__name__)

DEFAULT_RETENTION_MONTHS = 6
NEVER_CONVERTED = ("waiting", "parked")


def retention_cutoff(now: datetime, months: int) -> datetime:
    """Prospects added (or parked) at or before this moment are due. The day steps back to
    the month's last day where the month is shorter (31 August - 6 months: 28/29 February)."""
    if months < 0:
        raise ValueError("retention months cannot be negative")
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return now.replace(year=year, month=month,
                       day=min(now.day, calendar.monthrange(year, month)[1]))


def is_due(status: str, added_at: datetime, parked_at: datetime | None,
           erased_at: datetime | None, now: datetime, months: int) -> bool:
    """Due when never converted, not yet erased, and the period since being added (or since
    being parked, for a parked prospect) has run out."""
    if status not in NEVER_CONVERTED or erased_at is not None:
        return False
    since = parked_at if status == "parked" and parked_at is not None else added_at
    return since <= retention_cutoff(now, months)


async def claim_due(cutoff: datetime, batch_size: int) -> list[int]:
    """Never-converted prospects not yet erased whose period ran out by `cutoff`, locked for
    this transaction; rows another instance holds are skipped."""
    rows = await Prospect.select(Prospect.id).where(
        Prospect.erased_at.is_null() & Prospect.client_id.is_null()
        & (((Prospect.status == "waiting") & (Prospect.added_at <= cutoff))
           | ((Prospect.status == "parked") & (Prospect.parked_at <= cutoff)))
    ).order_by(Prospect.added_at, Prospect.id).limit(batch_size).lock_rows(skip_locked=True)
    return [row["id"] for row in rows]


async def blank(prospect_ids: Sequence[int], now: datetime) -> None:
    """Remove the personal data of these prospects and of their contact attempts (in the
    caller's transaction)."""
    if not prospect_ids:
        return
    await ProspectContact.update({
        ProspectContact.note: None, ProspectContact.appointment_place: None,
    }).where(ProspectContact.prospect_id.is_in(list(prospect_ids)))
    await Prospect.update({
        Prospect.first_name: None, Prospect.last_name: None, Prospect.name_words: None,
        Prospect.name_codes: None, Prospect.date_of_birth: None, Prospect.residence_since: None,
        Prospect.shelter: None, Prospect.address: None, Prospect.phone: None,
        Prospect.source_note: None,
        Prospect.erased_at: now, Prospect.updated_at: now,
        Prospect.version: Prospect.version + 1,
    }).where(Prospect.id.is_in(list(prospect_ids)) & Prospect.erased_at.is_null())


async def blank_converted(client_id: int, now: datetime) -> None:
    """The prospect a client was opened from loses its personal data with the client's."""
    rows = await Prospect.select(Prospect.id).where(Prospect.client_id == client_id)
    await blank([row["id"] for row in rows], now)


async def erase_due(actor: Actor, clock: Clock, months: int = DEFAULT_RETENTION_MONTHS,
                    batch_size: int = 500) -> list[int]:
    """The retention job's part for prospects: erase every never-converted prospect whose
    period has run out, each audited. Returns the prospect ids done. Safe to run in several
    instances at once (SKIP LOCKED)."""
    now = clock.now()
    cutoff = retention_cutoff(now, months)

    async def erase(ids: list[int]) -> None:
        await blank(ids, now)
        for prospect_id in ids:
            await audit.record(actor, "prospect.erased", "prospect", prospect_id,
                               {"by": "retention job"}, at=now)

    done = await in_batches(lambda: claim_due(cutoff, batch_size), erase, batch_size)
    if done:
        log.info("retention: prospects erased", extra={"count": len(done)})
    return done
