"""A client changes legal circle (SGB III -> SGB II when asylum is granted, or back) only by a
handover: a coordinator of the current circle proposes it with a reason, a coordinator of the
receiving circle accepts or declines it (with a reason). At most one is pending per client.
The case history records the change of circle."""

from network.database import sql_migration

ID = "2026-11-29T22:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "circle_handovers: proposed, accepted, declined or withdrawn moves between circles",
        """
        CREATE TABLE circle_handovers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            from_circle text NOT NULL CHECK (from_circle IN ('sgb2', 'sgb3')),
            to_circle text NOT NULL CHECK (to_circle IN ('sgb2', 'sgb3')),
            reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
            proposed_by bigint REFERENCES app_user (id),
            proposed_at timestamptz NOT NULL,
            decided_by bigint REFERENCES app_user (id),
            decided_at timestamptz,
            decision_reason text CHECK (length(decision_reason) <= 2000),
            to_coordinator_id bigint REFERENCES app_user (id),
            CHECK (from_circle <> to_circle),
            CHECK ((status = 'pending') = (decided_at IS NULL)),
            CHECK (status <> 'declined' OR decision_reason IS NOT NULL),
            CHECK (status <> 'accepted' OR to_coordinator_id IS NOT NULL)
        )
        """,
        "CREATE UNIQUE INDEX circle_handovers_one_pending ON circle_handovers (client_id)"
        " WHERE status = 'pending'",
        "CREATE INDEX circle_handovers_pending_to ON circle_handovers (to_circle)"
        " WHERE status = 'pending'",
        "CREATE INDEX circle_handovers_client ON circle_handovers (client_id, proposed_at)",
        "ALTER TABLE case_events DROP CONSTRAINT case_events_event_check",
        "ALTER TABLE case_events ADD CONSTRAINT case_events_event_check CHECK (event IN"
        " ('opened', 'enrolled', 'closed', 'pseudonymised', 'erased', 'circle_changed'))",
    )
