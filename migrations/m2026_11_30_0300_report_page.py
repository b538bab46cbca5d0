"""The report page as stored HTML (issue 18): each version keeps its rendered page body,
charts drawn once at build time (the same pictures as in its PDF), so showing a report is
one read instead of drawing five charts per view. Versions built before keep NULL and are
drawn on view, as before."""

from network.database import sql_migration

ID = "2026-11-30T03:00:00:000000"


async def forwards():
    return sql_migration(ID, "report page html",
                         "ALTER TABLE reports ADD COLUMN page_html text")
