"""The one Piccolo app: its migrations live in the top-level `migrations/` folder; the table
classes are the schema of record (the SQL migrations create them)."""

from piccolo.conf.apps import AppConfig, table_finder

from network.database import APP_NAME, MIGRATIONS_FOLDER
from network.mail.tables import Outbox, OutboxAttachment
from network.reminders.tables import Reminder, ReminderRule
from network.reports.tables import Report

APP_CONFIG = AppConfig(
    app_name=APP_NAME,
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=[
        *table_finder(
            modules=["network.accounts.tables", "network.cases.tables",
                     "network.partners.tables"],
            exclude_imported=True,
        ),
        Outbox, OutboxAttachment, Reminder, ReminderRule, Report,
    ],
)
