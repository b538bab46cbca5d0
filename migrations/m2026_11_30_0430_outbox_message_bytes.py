"""Each queued email keeps the message as it will be sent (issue 18), built once when it is
queued, so the dispatcher hands the server stored bytes instead of building MIME per send.
Rows queued before keep NULL and are built at sending time, as before.

The stored message repeats the row's words (subject, texts, recipients): whatever changes
them (an erasure blanking them, a repair) drops it, in the database, so no code path can
leave an erased client's words behind in it or send a stale message; such a row is built
from its columns at sending time."""

from network.database import sql_migration

ID = "2026-11-30T04:30:00:000000"


async def forwards():
    return sql_migration(
        ID, "outbox message bytes",
        "ALTER TABLE outbox ADD COLUMN message_bytes bytea",
        """
        CREATE FUNCTION outbox_drop_stale_message() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.message_bytes := NULL;
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER outbox_message_follows_words
        BEFORE UPDATE OF message_id, recipients, subject, body_text, body_html ON outbox
        FOR EACH ROW
        WHEN ((NEW.message_id, NEW.recipients, NEW.subject, NEW.body_text, NEW.body_html)
              IS DISTINCT FROM
              (OLD.message_id, OLD.recipients, OLD.subject, OLD.body_text, OLD.body_html))
        EXECUTE FUNCTION outbox_drop_stale_message()
        """,
    )
