"""Cases phase 2: who coordinates and who recorded something point at real accounts."""

from network.database import sql_migration

ID = "2026-11-26T07:07:31:000000"

# Accounts are deactivated, never deleted (the audit log names them), so NO ACTION is right:
# deleting a user who still coordinates or recorded something is refused.
USER_COLUMNS = (
    ("clients", "coordinator_id"),
    ("potential_analyses", "recorded_by"),
    ("consents", "recorded_by"),
    ("consents", "withdrawn_by"),
    ("barrier_events", "actor_id"),
    ("case_events", "actor_id"),
)


async def forwards():
    return sql_migration(
        ID,
        "foreign keys from the cases' user columns to app_user",
        *(f"ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_fkey"
          f" FOREIGN KEY ({column}) REFERENCES app_user (id)"
          for table, column in USER_COLUMNS),
        "CREATE INDEX clients_coordinator ON clients (coordinator_id) WHERE status = 'open'",
    )
