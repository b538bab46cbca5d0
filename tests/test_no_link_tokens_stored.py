"""No working partner link is ever stored: a referral runs through its whole reminder chain
(the first email, two reminders, the escalation, the last warning, the expiry) on a fixed
clock, each email goes to a real SMTP server, and then every text, json/jsonb and bytea column
of every table is searched for each link token that was emailed and for its URL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from network.actors import Actor
from network.clock import FixedClock
from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.referrals import actions as referral_actions
from network.referrals import service as referrals
from network.referrals.service import NewReferral
from network.reminders import service as reminders
from tests.support.app import MakeUser, make_settings
from tests.support.factories import SYSTEM_ACTOR
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer

SENT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
SEARCHED_TYPES = ("text", "character varying", "json", "jsonb", "bytea", "ARRAY")



def links_in(smtp: SmtpServer, base_url: str) -> set[str]:
    pattern = re.compile(re.escape(base_url) + r"/p/([A-Za-z0-9_-]{20,})")
    found: set[str] = set()
    for message in smtp.messages:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                found |= set(pattern.findall(part.get_content()))
    return found


async def sent_templates(database_url: str) -> list[str]:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT template FROM outbox WHERE status = 'sent'"
                                      " ORDER BY sent_at, id")
    finally:
        await connection.close()
    return [row["template"] for row in rows]


async def columns_holding(database_url: str, needle: str) -> list[str]:
    """Every `table.column` of a text-like, json or bytea column whose value contains it."""
    connection = await asyncpg.connect(database_url)
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public' AND data_type = ANY($1::text[])",
            list(SEARCHED_TYPES))
        assert {c["table_name"] for c in columns} >= {"outbox", "partner_links", "reminders"}
        found = []
        for column in columns:
            table, name = column["table_name"], column["column_name"]
            value = f'"{name}"' if column["data_type"] != "bytea" else (
                f"encode(\"{name}\", 'escape')")
            hit = await connection.fetchval(
                f'SELECT count(*) FROM "{table}" WHERE strpos({value}::text, $1) > 0', needle)
            if hit:
                found.append(f"{table}.{name}")
        return found
    finally:
        await connection.close()


async def test_no_emailed_link_token_is_stored_anywhere_after_a_whole_reminder_chain(
    tmp_path: Path, pool: str, make_user: MakeUser, smtp: SmtpServer
) -> None:
    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url,
                             MAIL_FROM="Integration Point <ip@kreis-heinsberg.example>")
    mailer = build_mailer(settings)
    clock = FixedClock(SENT)
    coordinator = await make_user()
    world = await make_world(SENT - timedelta(days=21))
    created = await referral_actions.create(
        Actor.of_user(coordinator.user), clock,
        NewReferral(world.barrier_id, world.caritas.id, "sent"))
    referral_id = created.referral.id

    while clock.now() < datetime(2027, 1, 20, tzinfo=UTC):
        await reminders.tick(settings, clock.now())
        await send_all_due(mailer, clock.now())
        clock.advance(timedelta(hours=6))

    detail = await referrals.get_referral(SYSTEM_ACTOR, referral_id)
    assert detail.referral.status == "expired"  # the whole chain ran
    templates = await sent_templates(pool)
    assert templates[0] == "referral_new" and templates[-1] == "referral_expired"
    assert "referral_status_changed" not in templates  # the expiry's own email tells it
    assert len(smtp.messages) == len(templates) >= 6
    tokens = links_in(smtp, settings.base_url)
    assert len(tokens) >= 4  # the first email, two reminders, the last warning
    stored = {token: await columns_holding(pool, token) for token in tokens}
    assert {token: where for token, where in stored.items() if where} == {}
    # the search finds what is there: the partner's address is in the outbox
    assert await columns_holding(pool, world.caritas.referral_emails[0])
