"""Indexes the monthly report's 12-month trend calls for: per month it counts the cases
opened and the barriers resolved in that month. Without them each of the 12 months scans all
clients (800 ms at 300,000 clients, bench/README.md 5); with them each month reads its range."""

from network.database import sql_migration

ID = "2026-11-26T08:23:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "indexes for the report's monthly counts: clients by opening, resolutions by time",
        "CREATE INDEX clients_opened_at ON clients (opened_at)",
        """
        CREATE INDEX barrier_events_resolved_at ON barrier_events (at) INCLUDE (barrier_id)
            WHERE to_status = 'resolved'
        """,
    )
