"""How each kind of partner is chased: the issue's defaults, unless an administrator stored
other numbers for that kind (`reminder_rules`, one row per partner kind). Data, not code, so
a change takes effect on every instance at once and is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from network.accounts import audit
from network.accounts.access import CurrentUser, user_id
from network.errors import RuleViolation
from network.partners.kinds import PartnerKind
from network.reminders import queries
from network.reminders.policy import DEFAULT_NO_ANSWER_CHAIN, ReminderConfig
from network.reminders.tables import ReminderRule as RuleRow
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


async def config_for_referral(referral_id: int) -> ReminderConfig:
    """The configuration for the kind of partner the referral went to."""
    return config_of_row(await queries.rule_for_referral(referral_id))


def config_of_row(row: Mapping[str, Any] | None) -> ReminderConfig:
    """The configuration a stored rule row gives (None: no row, the defaults)."""
    return DEFAULTS if row is None else config_of(_rule(row))


async def list_rules() -> list[ReminderRule]:
    rows = await RuleRow.select()
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
            raise RuleViolation(field, "reminder_rule_out_of_range", low=low, high=high)
    changed = [RuleRow.no_answer_working_days, RuleRow.follow_up_days,
               RuleRow.hold_check_days, RuleRow.updated_at, RuleRow.updated_by]
    async with transaction():
        rows = await RuleRow.insert(RuleRow(
            partner_kind=kind, **values, updated_at=now, updated_by=user_id(actor),
        )).on_conflict(target=RuleRow.partner_kind, action="DO UPDATE",
                       values=changed).returning(*RuleRow.all_columns())
        await audit.record(actor, "reminder_rule.set", "reminder_rule", kind, values, at=now)
    return _rule(rows[0])


async def reset_rule(actor: CurrentUser, partner_kind: str, *, now: datetime) -> ReminderRule:
    kind = _kind(partner_kind)
    async with transaction():
        await RuleRow.delete().where(RuleRow.partner_kind == kind)
        await audit.record(actor, "reminder_rule.reset", "reminder_rule", kind, at=now)
    return default_rule(kind)


def _kind(partner_kind: str) -> str:
    try:
        return PartnerKind(partner_kind).value
    except ValueError:
        raise RuleViolation("partner_kind", "reminder_rule_unknown_kind") from None


def _rule(row: Mapping[str, Any]) -> ReminderRule:
    return ReminderRule(row["partner_kind"], row["no_answer_working_days"],
                        row["follow_up_days"], row["hold_check_days"], False)
