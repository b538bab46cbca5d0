"""The one Piccolo app: its migrations live in the top-level `migrations/` folder; the table
classes are the schema of record (the SQL migrations create them)."""

from piccolo.conf.apps import AppConfig, table_finder

from network.database import APP_NAME, MIGRATIONS_FOLDER

TABLE_MODULES = [
    f"network.{area}.tables"
    for area in ("accounts", "cases", "partners", "referrals", "links", "mail", "reminders",
                 "reports", "outreach")
]

APP_CONFIG = AppConfig(
    app_name=APP_NAME,
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=table_finder(modules=TABLE_MODULES, exclude_imported=True),
)
