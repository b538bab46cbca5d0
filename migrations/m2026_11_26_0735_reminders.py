"""Reminders: one row per message (or system step) with a due time; the tick turns due rows
into outbox rows. Unique keys make the same reminder impossible twice; a partial index keeps
the tick's look-up on the few due rows however many wait."""

from network.database import sql_migration

ID = "2026-11-26T07:35:00:000000"

KINDS = (
    "'no_answer', 'escalation', 'last_warning', 'expire', 'outcome_follow_up', 'hold_check',"
    " 'barrier_uncovered', 'case_inactive', 'weekly_digest'"
)
REFERRAL_KINDS = (
    "'no_answer', 'escalation', 'last_warning', 'expire', 'outcome_follow_up', 'hold_check'"
)


async def forwards():
    return sql_migration(
        ID,
        "reminders with due times, unique per chain step, a partial index for due rows",
        f"""
        CREATE TABLE reminders (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ({KINDS})),
            recipient text NOT NULL CHECK (recipient IN ('partner', 'coordinator', 'system')),
            referral_id bigint REFERENCES referrals (id) ON DELETE CASCADE,
            barrier_id bigint REFERENCES barriers (id) ON DELETE CASCADE,
            client_id bigint REFERENCES clients (id) ON DELETE CASCADE,
            coordinator_id bigint REFERENCES app_user (id) ON DELETE CASCADE,
            sequence integer NOT NULL CHECK (sequence >= 1),
            epoch timestamptz NOT NULL,
            due_at timestamptz NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'cancelled', 'skipped')),
            cancelled_because text CHECK (cancelled_because ~ '^[a-z_]{{1,40}}$'),
            reason text CHECK (btrim(reason) <> '' AND length(reason) <= 500),
            decided_by bigint REFERENCES app_user (id),
            decided_at timestamptz,
            snoozed_from timestamptz,
            sent_at timestamptz,
            outbox_id bigint REFERENCES outbox (id) ON DELETE SET NULL,
            created_at timestamptz NOT NULL,
            CONSTRAINT reminders_subject CHECK (
                CASE
                    WHEN kind IN ({REFERRAL_KINDS})
                        THEN referral_id IS NOT NULL AND barrier_id IS NOT NULL
                             AND client_id IS NOT NULL
                    WHEN kind = 'barrier_uncovered'
                        THEN referral_id IS NULL AND barrier_id IS NOT NULL
                             AND client_id IS NOT NULL
                    WHEN kind = 'case_inactive'
                        THEN referral_id IS NULL AND barrier_id IS NULL AND client_id IS NOT NULL
                    ELSE referral_id IS NULL AND barrier_id IS NULL AND client_id IS NULL
                         AND coordinator_id IS NOT NULL
                END),
            CONSTRAINT reminders_sent_has_time CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
            CONSTRAINT reminders_cancelled_has_cause CHECK (
                (status = 'cancelled') = (cancelled_because IS NOT NULL)),
            CONSTRAINT reminders_skipped_has_reason CHECK (
                status <> 'skipped' OR (reason IS NOT NULL AND decided_by IS NOT NULL))
        )
        """,
        # The tick reads only these: due pending rows, oldest first.
        "CREATE INDEX reminders_due ON reminders (due_at, id) WHERE status = 'pending'",
        # The same step of the same chain (a status, an uncovered spell, a quiet spell, a week)
        # exists once; and each subject waits for one next step at a time.
        """
        CREATE UNIQUE INDEX reminders_referral_step
            ON reminders (referral_id, kind, sequence, epoch)
            WHERE referral_id IS NOT NULL
        """,
        """
        CREATE UNIQUE INDEX reminders_referral_pending ON reminders (referral_id)
            WHERE referral_id IS NOT NULL AND status = 'pending'
        """,
        """
        CREATE UNIQUE INDEX reminders_barrier_step ON reminders (barrier_id, sequence, epoch)
            WHERE kind = 'barrier_uncovered'
        """,
        """
        CREATE UNIQUE INDEX reminders_barrier_pending ON reminders (barrier_id)
            WHERE kind = 'barrier_uncovered' AND status = 'pending'
        """,
        """
        CREATE UNIQUE INDEX reminders_case_step ON reminders (client_id, sequence, epoch)
            WHERE kind = 'case_inactive'
        """,
        """
        CREATE UNIQUE INDEX reminders_case_pending ON reminders (client_id)
            WHERE kind = 'case_inactive' AND status = 'pending'
        """,
        """
        CREATE UNIQUE INDEX reminders_digest_week ON reminders (coordinator_id, epoch)
            WHERE kind = 'weekly_digest'
        """,
        """
        CREATE UNIQUE INDEX reminders_digest_pending ON reminders (coordinator_id)
            WHERE kind = 'weekly_digest' AND status = 'pending'
        """,
        "CREATE INDEX reminders_barrier ON reminders (barrier_id) WHERE barrier_id IS NOT NULL",
        "CREATE INDEX reminders_client ON reminders (client_id) WHERE client_id IS NOT NULL",
    )
