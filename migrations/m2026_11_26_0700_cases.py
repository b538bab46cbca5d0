"""Clients (cases): prospects of staying, potential analysis, languages, consent, barriers."""

# Migrations are imported by bare file name; the partners migration (frozen like this one)
# holds the vocabularies both use.
from m2026_11_26_0650_partners import BARRIER_KINDS, EMAIL, PARTNER_KINDS

from network.database import sql_migration

ID = "2026-11-26T07:00:00:000000"

OUTCOMES = (
    "'employment', 'vocational_training', 'school', 'university', 'moved_away',"
    " 'no_longer_eligible', 'other'"
)
COUNTRY = "'^[A-Z]{2}$'"
PHONE = r"'^\+?[0-9 ()/-]{3,40}$'"


async def forwards():
    return sql_migration(
        ID,
        "clients with potential analysis, languages, consents, barriers and their events",
        # Reference data, not logic: which countries of origin give good prospects of staying
        # from which date on. A later row for the same country overrides an earlier one.
        f"""
        CREATE TABLE prospect_countries (
            country_code text NOT NULL CHECK (country_code ~ {COUNTRY}),
            valid_from date NOT NULL,
            good_prospects boolean NOT NULL DEFAULT true,
            note text CHECK (length(note) <= 500),
            PRIMARY KEY (country_code, valid_from)
        )
        """,
        """
        INSERT INTO prospect_countries (country_code, valid_from, good_prospects, note) VALUES
            ('SY', '2015-01-01', true, 'Syria'),
            ('IR', '2015-01-01', true, 'Iran'),
            ('IQ', '2015-01-01', true, 'Iraq'),
            ('ER', '2015-01-01', true, 'Eritrea')
        """,
        f"""
        CREATE TABLE clients (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            case_number text UNIQUE CHECK (case_number ~ '^[A-Z0-9][A-Z0-9-]{{2,31}}$'),
            first_name text CHECK (btrim(first_name) <> '' AND length(first_name) <= 100),
            last_name text CHECK (btrim(last_name) <> '' AND length(last_name) <= 100),
            date_of_birth date CHECK (date_of_birth >= '1900-01-01'),
            birth_year integer CHECK (birth_year BETWEEN 1900 AND 2200),
            gender text NOT NULL CHECK (gender IN ('female', 'male', 'diverse', 'unspecified')),
            country_of_origin text NOT NULL CHECK (country_of_origin ~ {COUNTRY}),
            residence_status text NOT NULL CHECK (residence_status IN (
                'permission_to_reside', 'residence_permit', 'toleration', 'settlement_permit',
                'other')),
            legal_circle text NOT NULL CHECK (legal_circle IN ('sgb2', 'sgb3')),
            -- The user id of the assigned coordinator. Phase 2 of issue 4 adds the foreign key
            -- to the accounts' users table (which does not exist yet on this branch).
            coordinator_id bigint,
            case_kind text NOT NULL CHECK (case_kind IN ('first_consultation', 'enrolled')),
            enrolled_at timestamptz,
            enrolment_reason text CHECK (btrim(enrolment_reason) <> ''
                                         AND length(enrolment_reason) <= 2000),
            status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            outcome text CHECK (outcome IN ({OUTCOMES})),
            opened_at timestamptz NOT NULL DEFAULT now(),
            closed_at timestamptz,
            phone text CHECK (phone ~ {PHONE}),
            email text CHECK (email ~ {EMAIL}),
            address text CHECK (length(address) <= 500),
            notes text CHECK (length(notes) <= 10000),
            pseudonymised_at timestamptz,
            erased_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT clients_closed_has_outcome CHECK (
                (status = 'closed') = (closed_at IS NOT NULL AND outcome IS NOT NULL)
                AND (status = 'closed' OR outcome IS NULL)),
            CONSTRAINT clients_enrolled_has_date CHECK (
                (case_kind = 'enrolled') = (enrolled_at IS NOT NULL)),
            CONSTRAINT clients_birth_year_matches CHECK (
                date_of_birth IS NULL OR birth_year = extract(year FROM date_of_birth)),
            CONSTRAINT clients_identified_until_pseudonymised CHECK (
                pseudonymised_at IS NOT NULL
                OR (first_name IS NOT NULL AND last_name IS NOT NULL
                    AND date_of_birth IS NOT NULL)),
            CONSTRAINT clients_pseudonymised_holds_no_personal_data CHECK (
                pseudonymised_at IS NULL
                OR (case_number IS NULL AND first_name IS NULL AND last_name IS NULL
                    AND date_of_birth IS NULL AND phone IS NULL AND email IS NULL
                    AND address IS NULL AND notes IS NULL AND enrolment_reason IS NULL)),
            CONSTRAINT clients_erased_is_pseudonymised CHECK (
                erased_at IS NULL OR pseudonymised_at IS NOT NULL)
        )
        """,
        "CREATE INDEX clients_open_coordinator ON clients (coordinator_id) WHERE status = 'open'",
        "CREATE INDEX clients_closed_at ON clients (closed_at) WHERE pseudonymised_at IS NULL",
        """
        CREATE TABLE client_languages (
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
            level text NOT NULL CHECK (level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
            PRIMARY KEY (client_id, language)
        )
        """,
        """
        CREATE TABLE potential_analyses (
            client_id bigint PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
            schooling_years integer CHECK (schooling_years BETWEEN 0 AND 30),
            work_experience_years integer CHECK (work_experience_years BETWEEN 0 AND 70),
            work_experience text CHECK (length(work_experience) <= 5000),
            skills text CHECK (length(skills) <= 5000),
            notes text CHECK (length(notes) <= 10000),
            recorded_by bigint,
            recorded_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        )
        """,
        f"""
        CREATE TABLE qualifications (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ('school', 'vocational', 'academic')),
            title text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
            country_code text CHECK (country_code ~ {COUNTRY}),
            has_documents boolean NOT NULL
        )
        """,
        "CREATE INDEX qualifications_client ON qualifications (client_id)",
        f"""
        CREATE TABLE consents (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            given_at timestamptz NOT NULL,
            recorded_by bigint,
            partner_kinds text[] NOT NULL CHECK (
                cardinality(partner_kinds) > 0
                AND partner_kinds <@ ARRAY[{PARTNER_KINDS}]::text[]),
            withdrawn_at timestamptz,
            withdrawn_by bigint,
            CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
        )
        """,
        "CREATE INDEX consents_client ON consents (client_id)",
        f"""
        CREATE TABLE barriers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ({BARRIER_KINDS})),
            description text CHECK (length(description) <= 5000),
            status text NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'in_progress', 'resolved', 'unresolvable')),
            unresolvable_reason text CHECK (length(unresolvable_reason) <= 2000),
            opened_at timestamptz NOT NULL,
            resolved_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT barriers_unresolvable_has_reason CHECK (
                (status = 'unresolvable')
                = (unresolvable_reason IS NOT NULL AND btrim(unresolvable_reason) <> '')),
            CONSTRAINT barriers_finished_has_time CHECK (
                (status IN ('resolved', 'unresolvable')) = (resolved_at IS NOT NULL)),
            CHECK (resolved_at IS NULL OR resolved_at >= opened_at)
        )
        """,
        "CREATE INDEX barriers_client ON barriers (client_id)",
        "CREATE INDEX barriers_unfinished ON barriers (kind)"
        " WHERE status IN ('open', 'in_progress')",
        """
        CREATE TABLE barrier_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            barrier_id bigint NOT NULL REFERENCES barriers (id) ON DELETE CASCADE,
            at timestamptz NOT NULL,
            actor_id bigint,
            from_status text CHECK (from_status IN ('open', 'in_progress', 'resolved',
                                                    'unresolvable')),
            to_status text NOT NULL CHECK (to_status IN ('open', 'in_progress', 'resolved',
                                                         'unresolvable')),
            note text CHECK (length(note) <= 2000)
        )
        """,
        "CREATE INDEX barrier_events_barrier ON barrier_events (barrier_id, at)",
        """
        CREATE TABLE case_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
            at timestamptz NOT NULL,
            actor_id bigint,
            event text NOT NULL CHECK (event IN ('opened', 'enrolled', 'closed',
                                                 'pseudonymised', 'erased')),
            note text CHECK (length(note) <= 2000)
        )
        """,
        "CREATE INDEX case_events_client ON case_events (client_id, at)",
    )
