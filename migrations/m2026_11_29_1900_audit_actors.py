"""The audit trail names every kind of actor: a user (actor_id), a partner acting through its
emailed link (partner_id, link_id) or the system (job). Older rows keep actor_kind NULL: a
NULL actor_id there meant the system or an anonymous caller."""

from network.database import sql_migration

ID = "2026-11-29T19:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "audit_log: actor kind, partner and job of each entry",
        """
        ALTER TABLE audit_log
            ADD COLUMN actor_kind text CHECK (actor_kind IN ('user', 'partner', 'system')),
            ADD COLUMN partner_id bigint,
            ADD COLUMN link_id bigint,
            ADD COLUMN job text
        """,
        "CREATE INDEX audit_log_partner ON audit_log (partner_id, at DESC)"
        " WHERE partner_id IS NOT NULL",
    )
