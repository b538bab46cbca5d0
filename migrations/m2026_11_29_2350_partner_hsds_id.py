"""The HSDS 3.0 interchange (issue 16): the organization id a partner has in HSDS. Set when a
partner comes from an HSDS package, so a package imported again finds it and the directory
exports it under the same id; empty for partners entered here (their id is derived)."""

from network.database import sql_migration

ID = "2026-11-29T23:50:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "partners: the HSDS organization id of imported partners",
        "ALTER TABLE partners ADD COLUMN hsds_id uuid UNIQUE",
    )
