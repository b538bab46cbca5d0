"""Indexes for the dashboard's "due today" reminders at national scale (issue 18): with a
pending reminder for every open referral (1M), finding a coordinator's started from every
reminder due before tonight (3 s); now it starts from the coordinator's referrals, clients and
own (digest) reminders. The two identical indexes of open cases by coordinator (one from each
of two migrations) become one over every case of a coordinator, open ones first found by its
second column."""

from network.database import sql_migration

ID = "2026-11-30T07:00:00:000000"


async def forwards():
    return sql_migration(
        ID, "dashboard reminder indexes",
        "CREATE INDEX reminders_coordinator_pending ON reminders (coordinator_id)"
        " WHERE status = 'pending' AND coordinator_id IS NOT NULL",
        "DROP INDEX clients_open_coordinator",
        "DROP INDEX clients_coordinator",
        "CREATE INDEX clients_coordinator ON clients (coordinator_id, status)")
