"""Issue 15: the signed consent form attached to its consent (a PDF or photo, stored here,
one per consent, replaced when attached again), and a referral's appointment (when and where
the client is expected, recorded by the partner when accepting or by the coordinator)."""

from network.database import sql_migration

ID = "2026-11-30T01:20:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "consent forms and appointments",
        """
        CREATE TABLE consent_forms (
            id bigserial PRIMARY KEY,
            consent_id bigint NOT NULL UNIQUE REFERENCES consents (id) ON DELETE CASCADE,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            file_data bytea NOT NULL CHECK (octet_length(file_data) > 0),
            file_type text NOT NULL
                CHECK (file_type IN ('application/pdf', 'image/png', 'image/jpeg')),
            attached_at timestamptz NOT NULL,
            attached_by bigint REFERENCES app_user (id)
        )
        """,
        "CREATE INDEX consent_forms_client ON consent_forms (client_id)",
        """
        CREATE TABLE referral_appointments (
            id bigserial PRIMARY KEY,
            referral_id bigint NOT NULL UNIQUE REFERENCES referrals (id) ON DELETE CASCADE,
            starts_at timestamptz NOT NULL,
            place text NOT NULL CHECK (length(place) BETWEEN 1 AND 300),
            recorded_at timestamptz NOT NULL,
            recorded_by_user bigint REFERENCES app_user (id),
            recorded_by_partner bigint REFERENCES partners (id),
            CHECK (recorded_by_user IS NULL OR recorded_by_partner IS NULL)
        )
        """,
        "CREATE INDEX referral_appointments_starts ON referral_appointments (starts_at)",
    )
