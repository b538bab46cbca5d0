"""The one Piccolo app: its migrations live in the top-level `migrations/` folder."""

from piccolo.conf.apps import AppConfig

from network.database import APP_NAME, MIGRATIONS_FOLDER
from network.mail.tables import Outbox, OutboxAttachment
from network.reminders.tables import Reminder, ReminderRule
from network.reports.tables import Report

APP_CONFIG = AppConfig(
    app_name=APP_NAME,
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=[Outbox, OutboxAttachment, Reminder, ReminderRule, Report],
)
