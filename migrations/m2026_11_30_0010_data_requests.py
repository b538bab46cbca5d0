"""Data requests (GDPR Art. 15, § 83 SGB X): when a client's request for access came in,
when the answer is due (one calendar month later) and when it was answered. Ids and dates
only: the row stays after pseudonymisation as the record that a request was answered."""

from network.database import sql_migration

ID = "2026-11-30T00:10:00:000000"


async def forwards():
    return sql_migration(
        ID,
        "data_requests: a client's requests for access, their due and answer dates",
        """
        CREATE TABLE data_requests (
            id bigserial PRIMARY KEY,
            client_id bigint NOT NULL REFERENCES clients (id),
            received_on date NOT NULL,
            due_on date NOT NULL CHECK (due_on > received_on),
            recorded_by bigint,
            recorded_at timestamptz NOT NULL,
            answered_at timestamptz,
            answered_by bigint
        )
        """,
        "CREATE INDEX data_requests_open ON data_requests (client_id) WHERE answered_at IS NULL",
    )
