"""Indexes for the monthly report's referral section at national scale (issue 18): referrals
sent in a month, partners' decisions (accepted, declined, expired) in a month and reminders
sent in a month are found by index instead of reading the whole tables (1M referrals, 3M
events there)."""

from network.database import sql_migration

ID = "2026-11-30T04:40:00:000000"


async def forwards():
    return sql_migration(
        ID, "report indexes",
        "CREATE INDEX referrals_sent_at ON referrals (sent_at) WHERE sent_at IS NOT NULL",
        "CREATE INDEX referral_events_decisions ON referral_events (at)"
        " WHERE to_status IN ('accepted', 'declined', 'expired')",
        "CREATE INDEX reminders_sent_at ON reminders (sent_at) WHERE status = 'sent'")
