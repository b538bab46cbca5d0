"""Where the program is put together: which subscriber hears which domain event, and how
emails leave.

`compose(settings)` runs once per program (create_app, the CLI's runner, the tests' fixtures)
before any action. Domains never import each other for side effects; they emit events, and
this list is the one place that says who reacts. Each domain offers its subscriptions as a
function `subscriptions(settings) -> list[(EventType, handler)]`.

`build_mailer(settings)` is the dispatcher's configuration: the SMTP server, the sender, and
how a queued email's sealed partner links become working URLs at sending time.
"""

from __future__ import annotations

from network import events
from network.accounts.password_reset import fill_reset_links
from network.cases import emails as case_emails
from network.links.partner_sessions import fill_sign_in_links
from network.links.tokens import fill_links
from network.mail.dispatcher import Mailer
from network.referrals import emails as referral_emails
from network.referrals import subscribers as referral_subscribers
from network.reminders import subscribers as reminder_subscribers
from network.settings import Settings


def compose(settings: Settings) -> None:
    events.wire([
        *referral_emails.subscriptions(settings),
        *referral_subscribers.subscriptions(settings),
        *reminder_subscribers.subscriptions(settings),
        *case_emails.subscriptions(settings),
    ])


def build_mailer(settings: Settings) -> Mailer:
    base_url, secret_key = settings.base_url, settings.secret_key

    def resolve(text: str) -> str:
        text = fill_sign_in_links(fill_links(text, base_url, secret_key), base_url, secret_key)
        return fill_reset_links(text, base_url, secret_key)

    return Mailer(settings.smtp, settings.mail_from, settings.smtp_timeout_seconds, resolve)
