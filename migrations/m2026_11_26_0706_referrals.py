"""Referrals of a client's barrier to a partner, and their append-only history."""

from network.database import sql_migration

ID = "2026-11-26T07:06:00:000000"

STATUSES = (
    "'draft', 'sent', 'accepted', 'declined', 'in_progress', 'on_hold', 'completed', 'failed',"
    " 'cancelled', 'expired'"
)
OPEN = "'draft', 'sent', 'accepted', 'in_progress', 'on_hold'"
DECLINE_REASONS = (
    "'no_capacity', 'not_eligible', 'not_our_service', 'client_unreachable', 'other'"
)


async def forwards():
    return sql_migration(
        ID,
        "referrals with their events (append-only); one open referral per barrier and partner",
        # A referral names its client and barrier; the pair must belong together.
        "CREATE UNIQUE INDEX barriers_id_client ON barriers (id, client_id)",
        f"""
        CREATE TABLE referrals (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            barrier_id bigint NOT NULL,
            partner_id bigint NOT NULL REFERENCES partners (id),
            coordinator_id bigint NOT NULL REFERENCES app_user (id),
            created_by bigint NOT NULL REFERENCES app_user (id),
            status text NOT NULL CHECK (status IN ({STATUSES})),
            reason_code text CHECK (reason_code IN ({DECLINE_REASONS})),
            reason_text text CHECK (btrim(reason_text) <> '' AND length(reason_text) <= 2000),
            outcome text CHECK (outcome IN ('yes', 'partly', 'no')),
            note text CHECK (btrim(note) <> '' AND length(note) <= 5000),
            override_reason text
                CHECK (btrim(override_reason) <> '' AND length(override_reason) <= 2000),
            handed_off_from bigint UNIQUE REFERENCES referrals (id),
            handed_off_to bigint UNIQUE REFERENCES referrals (id),
            idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
            version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            sent_at timestamptz,
            closed_at timestamptz,
            FOREIGN KEY (barrier_id, client_id) REFERENCES barriers (id, client_id)
                ON DELETE CASCADE,
            CONSTRAINT referrals_closed_has_time CHECK (
                (status IN ({OPEN})) = (closed_at IS NULL)),
            CONSTRAINT referrals_completed_has_outcome CHECK (
                (status = 'completed') = (outcome IS NOT NULL)),
            CONSTRAINT referrals_declined_has_reason CHECK (
                (status = 'declined') = (reason_code IS NOT NULL)),
            CONSTRAINT referrals_draft_unsent CHECK (status <> 'draft' OR sent_at IS NULL),
            CONSTRAINT referrals_handoff_closes CHECK (
                handed_off_to IS NULL OR status IN ('declined', 'completed')),
            CHECK (handed_off_from <> id AND handed_off_to <> id)
        )
        """,
        # The one rule of the issue that must hold under any concurrency.
        f"""
        CREATE UNIQUE INDEX referrals_one_open_per_barrier_partner
            ON referrals (barrier_id, partner_id) WHERE status IN ({OPEN})
        """,
        """
        CREATE UNIQUE INDEX referrals_idempotency_key ON referrals (created_by, idempotency_key)
            WHERE idempotency_key IS NOT NULL
        """,
        "CREATE INDEX referrals_status ON referrals (status, updated_at DESC)",
        "CREATE INDEX referrals_partner ON referrals (partner_id, status)",
        "CREATE INDEX referrals_coordinator ON referrals (coordinator_id, status)",
        "CREATE INDEX referrals_client ON referrals (client_id)",
        "CREATE INDEX referrals_barrier ON referrals (barrier_id)",
        "CREATE INDEX referrals_waiting ON referrals (sent_at) WHERE status = 'sent'",
        f"""
        CREATE TABLE referral_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            referral_id bigint NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            at timestamptz NOT NULL,
            event text NOT NULL CHECK (event IN ('created', 'status_changed', 'handed_off',
                                                 'reassigned')),
            actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'partner', 'system')),
            actor_user_id bigint REFERENCES app_user (id),
            from_status text CHECK (from_status IN ({STATUSES})),
            to_status text NOT NULL CHECK (to_status IN ({STATUSES})),
            reason_code text CHECK (reason_code IN ({DECLINE_REASONS})),
            reason_text text CHECK (length(reason_text) <= 2000),
            outcome text CHECK (outcome IN ('yes', 'partly', 'no')),
            note text CHECK (length(note) <= 5000),
            linked_referral_id bigint REFERENCES referrals (id),
            from_coordinator_id bigint REFERENCES app_user (id),
            to_coordinator_id bigint REFERENCES app_user (id),
            CHECK ((actor_kind = 'user') = (actor_user_id IS NOT NULL)),
            CHECK (event <> 'status_changed' OR from_status IS DISTINCT FROM to_status),
            CHECK (event <> 'reassigned' OR to_coordinator_id IS NOT NULL)
        )
        """,
        "CREATE INDEX referral_events_referral ON referral_events (referral_id, at, id)",
        # History is never edited. The one exception is erasure (GDPR Art. 17): it may remove
        # the free texts of an event and change nothing else.
        """
        CREATE FUNCTION referral_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE'
               AND to_jsonb(NEW) - 'note' - 'reason_text' = to_jsonb(OLD) - 'note' - 'reason_text'
               AND NEW.note IS NULL
               AND (NEW.reason_text IS NULL OR NEW.reason_text = '[removed]') THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'referral_events is append-only: % refused', TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events
        FOR EACH ROW EXECUTE FUNCTION referral_events_refuse_change()
        """,
    )
