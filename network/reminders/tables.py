"""Piccolo mirrors of the reminder tables (migrations m2026_11_26_0735_reminders,
m2026_11_26_0820_reminder_rules and m2026_11_30_0150_reminder_digests); the SQL holds the
constraints and the unique keys that make the same chain step impossible twice."""

from piccolo.columns import BigInt, Boolean, Integer, Serial, Text, Timestamptz
from piccolo.table import Table

from network.database import ENGINE


class Reminder(Table, tablename="reminders", db=ENGINE):
    id = Serial(primary_key=True)  # bigint identity in the database
    kind = Text()
    recipient = Text()  # partner, coordinator, system
    referral_id = BigInt(null=True, default=None)
    barrier_id = BigInt(null=True, default=None)
    client_id = BigInt(null=True, default=None)
    coordinator_id = BigInt(null=True, default=None)
    sequence = Integer()
    epoch = Timestamptz()
    due_at = Timestamptz()
    status = Text(default="pending")  # pending, sent, cancelled, skipped, failed
    cancelled_because = Text(null=True, default=None)
    failure = Text(null=True, default=None)  # failed: why its email could not be made
    reason = Text(null=True, default=None)
    decided_by = BigInt(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    snoozed_from = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    outbox_id = BigInt(null=True, default=None)
    created_at = Timestamptz()
    unmailed = Boolean(default=False)  # sent: waits for its recipient's digest (digest.py)


class ReminderRule(Table, tablename="reminder_rules", db=ENGINE):
    partner_kind = Text(primary_key=True)
    no_answer_working_days = Integer()
    follow_up_days = Integer()
    hold_check_days = Integer()
    updated_at = Timestamptz()
    updated_by = BigInt(null=True, default=None)
