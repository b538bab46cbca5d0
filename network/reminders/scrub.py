"""Erasure of a client's reminders: pending ones are cancelled (nothing more is sent about
the client), the coordinators' free-text reasons go, and so do the words of the reminder
digests that listed the client. Runs when a client is pseudonymised or erased (the
`ClientPseudonymised` subscriber)."""

from __future__ import annotations

from network.mail.outbox import forget_emails
from network.reminders.tables import Reminder

REMOVED = "[removed]"


async def scrub_reminders(client_id: int) -> None:
    await Reminder.update({Reminder.status: "cancelled",
                           Reminder.cancelled_because: "client_erased"}).where(
        (Reminder.client_id == client_id) & (Reminder.status == "pending"))
    # Taken but not yet mailed: no email about the erased client any more; the digests that
    # listed them (about several clients, so not found by the outbox's client) lose their words.
    await Reminder.update({Reminder.unmailed: False}).where(
        (Reminder.client_id == client_id) & Reminder.unmailed.eq(True))
    mailed = await Reminder.select(Reminder.outbox_id).where(
        (Reminder.client_id == client_id) & Reminder.outbox_id.is_not_null())
    await forget_emails(sorted({row["outbox_id"] for row in mailed}))
    # A skipped reminder must keep a reason (constraint): its words go, the fact stays.
    await Reminder.update({Reminder.reason: REMOVED}).where(
        (Reminder.client_id == client_id) & (Reminder.status == "skipped")
        & Reminder.reason.is_not_null())
    await Reminder.update({Reminder.reason: None}).where(
        (Reminder.client_id == client_id) & (Reminder.status != "skipped")
        & Reminder.reason.is_not_null())
