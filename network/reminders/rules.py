"""How each kind of partner is chased: the issue's defaults, unless an administrator stored
other numbers for that kind (`reminder_rules`, one row per partner kind). Data, not code, so
a change takes effect on every instance at once and is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import asyncpg

from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.errors import RuleViolation
from network.partners.kinds import PartnerKind
from network.reminders.policy import DEFAULT_NO_ANSWER_CHAIN, ReminderConfig
from network.transactions import transaction

DEFAULTS = ReminderConfig()
LIMITS = {"no_answer_working_days": (1, 30), "follow_up_days": (1, 180),
          "hold_check_days": (1, 365)}


@dataclass(frozen=True)
class ReminderRule:
    partner_kind: str
    no_answer_working_days: int
    follow_up_days: int
    hold_check_days: int
    default: bool  # True: the defaults, nobody changed them for this kind


def config_of(rule: ReminderRule) -> ReminderConfig:
    chain = tuple(replace(step, after_working_days=rule.no_answer_working_days)
                  for step in DEFAULT_NO_ANSWER_CHAIN)
    return ReminderConfig(no_answer_chain=chain, follow_up_every_days=rule.follow_up_days,
                          hold_check_after_days=rule.hold_check_days)


def default_rule(partner_kind: str) -> ReminderRule:
    return ReminderRule(partner_kind, DEFAULT_NO_ANSWER_CHAIN[0].after_working_days,
                        DEFAULTS.follow_up_every_days, DEFAULTS.hold_check_after_days, True)


async def config_for_referral(connection: asyncpg.Connection, referral_id: int
                              ) -> ReminderConfig:
    """The configuration for the kind of partner the referral went to."""
    row = await connection.fetchrow(
        "SELECT rr.* FROM referrals r JOIN partners p ON p.id = r.partner_id"
        " JOIN reminder_rules rr ON rr.partner_kind = p.kind WHERE r.id = $1", referral_id)
    return DEFAULTS if row is None else config_of(_rule(row))


async def list_rules() -> list[ReminderRule]:
    async with transaction() as connection:
        rows = await connection.fetch("SELECT * FROM reminder_rules")
    stored = {row["partner_kind"]: _rule(row) for row in rows}
    return [stored.get(kind.value, default_rule(kind.value)) for kind in PartnerKind]


async def set_rule(actor: CurrentUser, partner_kind: str, no_answer_working_days: int,
                   follow_up_days: int, hold_check_days: int, *, now: datetime) -> ReminderRule:
    kind = _kind(partner_kind)
    values = {"no_answer_working_days": no_answer_working_days,
              "follow_up_days": follow_up_days, "hold_check_days": hold_check_days}
    for field, value in values.items():
        low, high = LIMITS[field]
        if not low <= value <= high:
            raise RuleViolation(field, f"must be between {low} and {high}")
    async with transaction() as connection:
        row = await connection.fetchrow(
            """
            INSERT INTO reminder_rules (partner_kind, no_answer_working_days, follow_up_days,
                                        hold_check_days, updated_at, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (partner_kind) DO UPDATE SET
                no_answer_working_days = EXCLUDED.no_answer_working_days,
                follow_up_days = EXCLUDED.follow_up_days,
                hold_check_days = EXCLUDED.hold_check_days,
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
            RETURNING *
            """, kind, no_answer_working_days, follow_up_days, hold_check_days, now,
            user_id(actor))
        await audit.record(actor, "reminder_rule.set", "reminder_rule", kind, values)
    return _rule(row)


async def reset_rule(actor: CurrentUser, partner_kind: str) -> ReminderRule:
    kind = _kind(partner_kind)
    async with transaction() as connection:
        await connection.execute("DELETE FROM reminder_rules WHERE partner_kind = $1", kind)
        await audit.record(actor, "reminder_rule.reset", "reminder_rule", kind)
    return default_rule(kind)


def _kind(partner_kind: str) -> str:
    try:
        return PartnerKind(partner_kind).value
    except ValueError:
        raise RuleViolation("partner_kind", "is not a kind of partner") from None


def _rule(row: asyncpg.Record) -> ReminderRule:
    return ReminderRule(row["partner_kind"], row["no_answer_working_days"],
                        row["follow_up_days"], row["hold_check_days"], False)
