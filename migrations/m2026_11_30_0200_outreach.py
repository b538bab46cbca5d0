"""Outreach (issue 19): people the Integration Point approaches before they are anyone's case.

A prospect is a minimal record in one legal circle (the same access rule as clients), with the
name keys of `network.name_matching` (the same matching as the client search), its languages
in order (the first is the main one) and where the name came from. Each contact attempt is a
row; an import batch is a row. Converting links the prospect to the client opened from it
(`client_id`). Retention blanks every personal field (`erased_at`), keeping status and dates
for the report."""

from network.database import sql_migration

ID = "2026-11-30T02:00:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "outreach",
        """
        CREATE TABLE prospect_imports (
            id bigserial PRIMARY KEY,
            legal_circle text NOT NULL CHECK (legal_circle IN ('sgb2', 'sgb3')),
            file_name text,
            source text NOT NULL,
            rows_added integer NOT NULL CHECK (rows_added >= 0),
            imported_by bigint REFERENCES app_user (id),
            imported_at timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE prospects (
            id bigserial PRIMARY KEY,
            legal_circle text NOT NULL CHECK (legal_circle IN ('sgb2', 'sgb3')),
            first_name text,
            last_name text,
            name_words text,
            name_codes text,
            date_of_birth date,
            birth_year integer CHECK (birth_year BETWEEN 1900 AND 2200),
            country_code text,
            residence_status text,
            residence_since date,
            shelter text,
            address text,
            phone text,
            languages text[] NOT NULL DEFAULT '{}',
            source text NOT NULL CHECK (source IN
                ('immigration_office', 'shelter', 'volunteer', 'walk_in', 'other')),
            source_note text,
            import_id bigint REFERENCES prospect_imports (id),
            status text NOT NULL DEFAULT 'waiting' CHECK (status IN
                ('waiting', 'parked', 'converted')),
            first_contact_at timestamptz,
            parked_at timestamptz,
            park_reason text,
            converted_at timestamptz,
            client_id bigint REFERENCES clients (id) ON DELETE SET NULL,
            added_by bigint REFERENCES app_user (id),
            added_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            erased_at timestamptz,
            version integer NOT NULL DEFAULT 1,
            CHECK ((status = 'parked') = (parked_at IS NOT NULL)),
            CHECK ((status = 'converted') = (converted_at IS NOT NULL))
        )
        """,
        "CREATE INDEX prospects_worklist ON prospects (legal_circle, status, added_at)",
        "CREATE INDEX prospects_birth ON prospects (date_of_birth)",
        "CREATE UNIQUE INDEX prospects_client ON prospects (client_id)"
        " WHERE client_id IS NOT NULL",
        """
        CREATE TABLE prospect_contacts (
            id bigserial PRIMARY KEY,
            prospect_id bigint NOT NULL REFERENCES prospects (id) ON DELETE CASCADE,
            on_day date NOT NULL,
            channel text NOT NULL CHECK (channel IN
                ('letter', 'phone', 'shelter_visit', 'volunteer', 'walk_in')),
            outcome text NOT NULL CHECK (outcome IN
                ('reached', 'not_reached', 'invited', 'declined')),
            appointment_at timestamptz,
            appointment_place text,
            note text,
            recorded_by bigint REFERENCES app_user (id),
            recorded_at timestamptz NOT NULL
        )
        """,
        "CREATE INDEX prospect_contacts_prospect ON prospect_contacts (prospect_id, on_day)",
    )
