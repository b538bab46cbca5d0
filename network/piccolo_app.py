"""The one Piccolo app: its migrations live in the top-level `migrations/` folder."""

from piccolo.conf.apps import AppConfig

from network.database import APP_NAME, MIGRATIONS_FOLDER
from network.links.tables import LinkRateLimit, PartnerLink
from network.referrals.tables import Referral, ReferralEvent

APP_CONFIG = AppConfig(
    app_name=APP_NAME,
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=[Referral, ReferralEvent, PartnerLink, LinkRateLimit],
)
