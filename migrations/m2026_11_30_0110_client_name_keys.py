"""Finding people by name (issue 15): each client's name words, folded (umlauts written out
and plain, accents gone), and their sound codes (Kölner Phonetik), both computed by
`network.name_matching` whenever the case is written, so the search is one `LIKE` each. The
columns are derived from the name and go with it on pseudonymisation and erasure. The
clients taken in before this migration get their keys from the same module here. (No index
serves `LIKE '%word%'` without pg_trgm, which the embedded server lacks: a scan of 25,000
clients of a circle takes about 10 ms.)"""

from piccolo.querystring import QueryString

from network.database import ENGINE, sql_migration
from network.name_matching import stored_sounds, stored_words

ID = "2026-11-30T01:10:00:000000"


async def _fill_existing() -> None:
    rows = await ENGINE.run_querystring(QueryString(
        "SELECT id, first_name, last_name FROM clients WHERE first_name IS NOT NULL"
        " OR last_name IS NOT NULL"))
    for row in rows or []:
        await ENGINE.run_querystring(QueryString(
            "UPDATE clients SET name_words = {}, name_codes = {} WHERE id = {}",
            stored_words(row["first_name"], row["last_name"]),
            stored_sounds(row["first_name"], row["last_name"]), row["id"]))


async def forwards():
    manager = sql_migration(
        ID,
        "client name keys",
        "ALTER TABLE clients ADD COLUMN name_words text, ADD COLUMN name_codes text",
        "ALTER TABLE clients ADD CONSTRAINT clients_name_keys_go_with_the_name CHECK"
        " ((name_words IS NULL AND name_codes IS NULL) OR first_name IS NOT NULL"
        " OR last_name IS NOT NULL)",
        # The duplicate check at intake looks up one birth date.
        "CREATE INDEX clients_birth_date ON clients (date_of_birth)"
        " WHERE pseudonymised_at IS NULL",
    )
    manager.add_raw(_fill_existing)
    return manager
