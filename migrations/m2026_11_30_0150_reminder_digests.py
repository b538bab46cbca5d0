"""Reminder digests (issue 15): a reminder the tick took (sent) waits, `unmailed`, for the
one email its recipient gets that working day, which lists every reminder due for them. The
partial index keeps finding the waiting ones cheap."""

from network.database import sql_migration

ID = "2026-11-30T01:50:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "reminder digests",
        "ALTER TABLE reminders ADD COLUMN unmailed boolean NOT NULL DEFAULT false",
        "ALTER TABLE reminders ADD CONSTRAINT reminders_unmailed_is_sent"
        " CHECK (NOT unmailed OR status = 'sent')",
        "CREATE INDEX reminders_unmailed ON reminders (id) WHERE unmailed",
    )
