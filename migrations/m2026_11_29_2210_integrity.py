"""Integrity guards (issue 14).

- Append-only tables refuse TRUNCATE (statement triggers; a row trigger never sees it):
  audit_log, referral_events, barrier_events, case_events, reports, partner_messages.
- barrier_events and case_events refuse UPDATE and DELETE like referral_events, except what
  pseudonymisation does (network.cases.erasure.scrub): setting an event's note to NULL and
  changing nothing else. reports (frozen monthly versions) and partner_messages refuse both.
- reminders may end as 'failed' with a `failure` (why its email could not be made; never
  personal data), instead of being retried forever.
- partner_messages: one row per message a partner sent from its link page, unique per
  referral and idempotency key, so a replayed form stores and emails it once. The text is
  not stored here (it goes into the email only).

The triggers hold for every role that does not bypass triggers: the service's own role
included. A superuser bypasses them on purpose with `SET session_replication_role =
replica` (the test suite's reset does so); the tables' owner could `ALTER TABLE ... DISABLE
TRIGGER`. Both are deliberate acts of a DBA, see README "Append-only tables".
"""

from network.database import sql_migration

ID = "2026-11-29T22:10:00:000000"

APPEND_ONLY = ("audit_log", "referral_events", "barrier_events", "case_events", "reports",
               "partner_messages")


def _truncate_guard(table: str) -> str:
    return f"""
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_truncate()
    """


async def forwards():
    return sql_migration(
        ID,
        "append-only tables refuse TRUNCATE (and edits); failed reminders; partner messages",
        """
        CREATE TABLE partner_messages (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            referral_id bigint NOT NULL REFERENCES referrals (id),
            partner_id bigint NOT NULL,
            link_id bigint,
            idempotency_key text NOT NULL CHECK (idempotency_key ~ '^[0-9a-f]{64}$'),
            at timestamptz NOT NULL,
            UNIQUE (referral_id, idempotency_key)
        )
        """,
        """
        CREATE FUNCTION append_only_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
        END
        $$
        """,
        *(_truncate_guard(table) for table in APPEND_ONLY),
        # Edits: only pseudonymisation's removal of a note (nothing else may change).
        """
        CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.note IS NULL
               AND to_jsonb(NEW) - 'note' = to_jsonb(OLD) - 'note' THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER barrier_events_append_only BEFORE UPDATE OR DELETE ON barrier_events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change()
        """,
        """
        CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
        FOR EACH ROW EXECUTE FUNCTION events_refuse_change()
        """,
        """
        CREATE FUNCTION append_only_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
        END
        $$
        """,
        """
        CREATE TRIGGER reports_append_only BEFORE UPDATE OR DELETE ON reports
        FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change()
        """,
        """
        CREATE TRIGGER partner_messages_append_only BEFORE UPDATE OR DELETE ON partner_messages
        FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change()
        """,
        "ALTER TABLE reminders DROP CONSTRAINT reminders_status_check",
        """
        ALTER TABLE reminders
            ADD CONSTRAINT reminders_status_check
                CHECK (status IN ('pending', 'sent', 'cancelled', 'skipped', 'failed')),
            ADD COLUMN failure text CHECK (btrim(failure) <> '' AND length(failure) <= 500),
            ADD CONSTRAINT reminders_failed_has_failure
                CHECK ((status = 'failed') = (failure IS NOT NULL))
        """,
    )
