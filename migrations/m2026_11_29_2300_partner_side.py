"""The partner side (issue 16), the columns its parts share: a partner's capacity pause
("keine Aufnahme bis ..."), when its directory entry was last confirmed, and the
municipalities it serves (empty: the whole district); the client's municipality, which the
picker matches against them."""

from network.database import sql_migration

ID = "2026-11-29T23:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "partners: capacity pause, entry confirmation, served municipalities;"
        " clients: municipality",
        "ALTER TABLE partners ADD COLUMN paused_until date",
        "ALTER TABLE partners ADD COLUMN pause_note text CHECK (length(pause_note) <= 500)",
        "ALTER TABLE partners ADD COLUMN confirmed_at timestamptz",
        "UPDATE partners SET confirmed_at = updated_at",
        "ALTER TABLE partners ADD COLUMN served_municipalities text[] NOT NULL DEFAULT '{}'",
        "ALTER TABLE clients ADD COLUMN municipality text CHECK (length(municipality) <= 100)",
    )
