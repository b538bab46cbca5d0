# Migrations are imported by bare file name; the partners migration holds the frozen kinds.
from m2026_11_26_0650_partners import PARTNER_KINDS

from network.database import sql_migration

ID = "2026-11-26T08:20:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "reminder rules per partner kind: how a kind is chased, as data an admin changes",
        f"""
        CREATE TABLE reminder_rules (
            partner_kind text PRIMARY KEY CHECK (partner_kind IN ({PARTNER_KINDS})),
            no_answer_working_days integer NOT NULL
                CHECK (no_answer_working_days BETWEEN 1 AND 30),
            follow_up_days integer NOT NULL CHECK (follow_up_days BETWEEN 1 AND 180),
            hold_check_days integer NOT NULL CHECK (hold_check_days BETWEEN 1 AND 365),
            updated_at timestamptz NOT NULL,
            updated_by bigint REFERENCES app_user (id)
        )
        """,
    )
