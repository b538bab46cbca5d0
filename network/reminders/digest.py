"""Digests: at most one reminder email per recipient and working day (issue 15).

The tick (`service.py`) takes each due reminder as before (checks it is still due, moves its
chain on, lets an unanswered referral expire) but writes no email for it: it marks it sent and
`unmailed`. Then `mail_waiting` puts every unmailed reminder of one recipient into one email:
a partner gets its referrals that wait, each with its own link; a coordinator gets the
escalations, expired referrals, barriers without a referral, quiet cases and (on the first
working day of a week) the overview of what is overdue. A recipient with a single reminder
gets that reminder's own email, as before.

Once per working day: the email's dedupe key is `reminders:<recipient>:<Berlin date>`. A
reminder that comes due for a recipient whose email went out that day already waits for the
next working day's (`mailing_days.postponed_to`): nothing due is left out, nothing comes twice
a day. A recipient is `partner:<id>` (the partner's referral addresses) or `coordinator:<user id>`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from network import words
from network.accounts import audit
from network.accounts.tables import AppUser
from network.actors import Actor
from network.cases.tables import Client
from network.mail.outbox import RenderFailed
from network.referrals.emails import (
    ReferralFacts,
    case_url,
    referral_facts_of,
    referral_number,
)
from network.referrals.overdue import is_overdue
from network.reminders import emails, queries
from network.reminders.mailing_days import dedupe_key, digest_day, mailing_time
from network.reminders.tables import Reminder
from network.settings import Settings
from network.transactions import transaction

log = logging.getLogger(__name__)

REFERRAL_SECTIONS = {"escalation": "escalations", "expire": "expired"}
CASE_KINDS = ("barrier_uncovered", "case_inactive")


def grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The unmailed reminders by recipient, each recipient's in id order."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r["id"]):
        groups[row["key"]].append(row)
    return dict(groups)


@dataclass
class Mailed:
    emails: int = 0  # digests (or single reminder emails) queued
    failed: list[int] = field(default_factory=list)  # reminders whose email cannot be made
    retry: list[int] = field(default_factory=list)  # their email raised: the next tick


async def mail_waiting(settings: Settings, now: datetime, actor: Actor) -> Mailed:
    """Queue one email per recipient for every reminder that waits for one (and whose
    recipient did not get one today); on working days from the opening only."""
    day = digest_day(now)
    done = Mailed()
    if not mailing_time(now):
        return done
    async with transaction() as connection:
        for recipient, rows in grouped(await queries.claim_unmailed(day)).items():
            ids = [row["id"] for row in rows]
            try:
                async with connection.transaction():  # a savepoint per recipient
                    outbox_id = await _mail(settings, recipient, rows, now,
                                            dedupe_key(recipient, day))
                    if outbox_id is None:  # another instance mailed them today: tomorrow
                        raise _MailedToday
                    await Reminder.update({Reminder.outbox_id: outbox_id,
                                           Reminder.unmailed: False}).where(
                        Reminder.id.is_in(ids))
                done.emails += 1
            except _MailedToday:
                continue
            except RenderFailed as failed:
                # Rendering again fails again: failed for good, shown with the reason; their
                # chains went on when they were taken.
                log.warning("reminder email could not be rendered", extra={
                    "reminder_ids": ids, "failure": failed.reason})
                await Reminder.update({
                    Reminder.status: "failed", Reminder.failure: failed.reason[:500],
                    Reminder.sent_at: None, Reminder.unmailed: False,
                    Reminder.decided_at: now}).where(Reminder.id.is_in(ids))
                for row in rows:
                    await audit.record(actor, "reminder.failed", "reminder", row["id"], {
                        "kind": row["kind"], "referral_id": row["referral_id"]}, at=now)
                done.failed.extend(ids)
            except Exception:
                log.exception("reminder email failed", extra={"reminder_ids": ids})
                done.retry.extend(ids)
    return done


class _MailedToday(Exception):
    pass


async def _mail(settings: Settings, recipient: str, rows: list[dict[str, Any]],
                now: datetime, key: str) -> int | None:
    if recipient.startswith("partner:"):
        return await _mail_partner(settings, rows, now, key)
    return await _mail_coordinator(settings, int(recipient.partition(":")[2]), rows, now, key)


async def _expiries(rows: list[dict[str, Any]]) -> dict[int, datetime]:
    """When each last warning's referral expires: its pending expiry step."""
    warned = [row["referral_id"] for row in rows if row["kind"] == "last_warning"]
    if not warned:
        return {}
    following = await Reminder.select(Reminder.referral_id, Reminder.due_at).where(
        Reminder.referral_id.is_in(warned) & (Reminder.status == "pending"))
    return {row["referral_id"]: row["due_at"] for row in following}


async def _mail_partner(settings: Settings, rows: list[dict[str, Any]], now: datetime,
                        key: str) -> int | None:
    found = await referral_facts_of([row["referral_id"] for row in rows])
    waiting = [(row, found[row["referral_id"]]) for row in rows]
    expires = await _expiries(rows)
    if len(waiting) == 1:
        row, found = waiting[0]
        return await emails.to_partner(settings, row, found, now, dedupe_key=key,
                                       expires_on=expires.get(row["referral_id"]))
    return await emails.partner_digest(settings, waiting, now, dedupe_key=key,
                                       expires_on=expires)


async def _mail_coordinator(settings: Settings, user_id: int, rows: list[dict[str, Any]],
                            now: datetime, key: str) -> int | None:
    user = await AppUser.select(AppUser.email, AppUser.display_name).where(
        AppUser.id == user_id).first()
    found = await referral_facts_of([row["referral_id"] for row in rows
                                     if row["kind"] in REFERRAL_SECTIONS])
    referrals = {row["id"]: found[row["referral_id"]] for row in rows
                 if row["kind"] in REFERRAL_SECTIONS}
    uncovered = [row["barrier_id"] for row in rows if row["kind"] == "barrier_uncovered"]
    barriers = await queries.barrier_items(uncovered) if uncovered else {}
    clients = [row["client_id"] for row in rows if row["kind"] in CASE_KINDS]
    case_numbers = {row["id"]: row["case_number"] for row in await Client.select(
        Client.id, Client.case_number).where(Client.id.is_in(clients))} if clients else {}
    if len(rows) == 1:
        return await _single(settings, rows[0], user, referrals, barriers, case_numbers, now,
                             key)
    sections: dict[str, Any] = {"escalations": [], "expired": [], "uncovered": [],
                                "quiet": [], "overview": None}
    for row in rows:
        kind = row["kind"]
        if kind in REFERRAL_SECTIONS:
            sections[REFERRAL_SECTIONS[kind]].append(_referral_item(settings,
                                                                    referrals[row["id"]]))
        elif kind == "barrier_uncovered":
            sections["uncovered"].append({
                "barrier_kind": words.label(barriers[row["barrier_id"]]["kind"],
                                            "barrier_kind"),
                "case_number": case_numbers.get(row["client_id"]),
                "since": words.day(row["epoch"]),
                "case_url": case_url(settings, row["client_id"])})
        elif kind == "case_inactive":
            sections["quiet"].append({
                "case_number": case_numbers.get(row["client_id"]),
                "since": words.day(row["epoch"]),
                "case_url": case_url(settings, row["client_id"])})
        else:
            sections["overview"] = await overdue_for(user_id, now)
    return await emails.coordinator_digest(settings, user, sections, now, dedupe_key=key)


def _referral_item(settings: Settings, found: ReferralFacts) -> dict[str, Any]:
    return {"referral_number": referral_number(found.referral_id),
            "partner_name": found.partner_name, "barrier_kind": found.barrier,
            "case_number": found.case_number, "sent_on": words.day(found.sent_at),
            "case_url": case_url(settings, found.client_id)}


async def _single(settings: Settings, row: dict[str, Any], user: dict[str, Any],
                  referrals: dict[int, ReferralFacts], barriers: dict[int, dict[str, Any]],
                  case_numbers: dict[int, str | None], now: datetime, key: str) -> int | None:
    """A recipient with one reminder today gets that reminder's own email."""
    kind = row["kind"]
    if kind in REFERRAL_SECTIONS:
        return await emails.about_referral(settings, row, referrals[row["id"]], now,
                                           dedupe_key=key)
    coordinator = {**user, "case_number": case_numbers.get(row["client_id"])}
    if kind == "barrier_uncovered":
        return await emails.barrier_uncovered(settings, row, coordinator,
                                              barriers[row["barrier_id"]]["kind"], now,
                                              dedupe_key=key)
    if kind == "case_inactive":
        return await emails.case_inactive(settings, row, coordinator, now, dedupe_key=key)
    return await emails.weekly_digest(settings, row, user, await overdue_for(
        row["coordinator_id"], now), now, dedupe_key=key)


async def overdue_for(coordinator_id: int, now: datetime) -> dict[str, list[dict[str, str]]]:
    """What the weekly overview lists: referrals whose partner has not answered in time,
    barriers without an open referral for a week, cases without activity for 30 days."""
    referral_rows, barrier_rows, case_rows = await queries.overdue_of(coordinator_id)
    waiting = [r for r in referral_rows if r["sent_at"] is not None
               and is_overdue(r["sent_at"], now)]
    return {
        "referrals": [{"referral_number": referral_number(r["id"]),
                       "partner_name": r["name"],
                       "barrier_kind": words.label(r["kind"], "barrier_kind"),
                       "case_number": r["case_number"] or "", "sent_on": words.day(r["sent_at"])}
                      for r in waiting],
        "barriers": [{"barrier_kind": words.label(r["kind"], "barrier_kind"),
                      "case_number": r["case_number"] or "", "since": words.day(r["since"])}
                     for r in barrier_rows if r["since"] <= now - timedelta(days=7)],
        "cases": [{"case_number": r["case_number"] or "", "since": words.day(r["since"])}
                  for r in case_rows if r["since"] <= now - timedelta(days=30)],
    }
