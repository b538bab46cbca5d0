"""When a partner whose directory entry went stale was last asked (in a reminder email) to
confirm it: asked once per staleness period, i.e. again only after a confirmation
(`confirmation_asked_at > confirmed_at` means: asked, no answer yet)."""

from network.database import sql_migration

ID = "2026-11-29T23:30:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "partners: when the partner was last asked to confirm its entry",
        "ALTER TABLE partners ADD COLUMN confirmation_asked_at timestamptz",
    )
