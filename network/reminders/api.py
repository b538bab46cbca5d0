"""JSON API for reminders: coordinators see a referral's upcoming and sent reminders and can
snooze one (to a later time) or skip one, each with a reason. A thin adapter: the actions
(`network.reminders.actions`) own the transaction and the audit entry."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from network.accounts import audit
from network.accounts.access import Role, allow
from network.api_types import ActorDep, ClockDep
from network.cases import scope
from network.reminders import actions, controls, rules
from network.reminders.controls import Reminder
from network.transactions import transaction


class SnoozeRequest(msgspec.Struct, forbid_unknown_fields=True):
    until: datetime  # with a time zone; moved to the next office hour if outside
    reason: str


class SkipRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class ReminderController(Controller):
    path = "/api/v1"
    tags = ["reminders"]
    opt = allow(Role.COORDINATOR)  # of the client's legal circle (network.cases.scope)

    @get("/referrals/{referral_id:int}/reminders",
         summary="A referral's reminders: upcoming (pending) and past, in due order")
    async def of_referral(self, request: Request, referral_id: FromPath[int],
                          actor: ActorDep, clock: ClockDep) -> list[Reminder]:
        async with transaction():
            await scope.require_referral(actor, referral_id)
            found = await controls.reminders_of_referral(referral_id)
            await audit.record(request.user, "reminder.list", "referral", referral_id,
                               at=clock.now())
        return found

    @post("/reminders/{reminder_id:int}/snooze", status_code=HTTP_200_OK,
          summary="Move a pending reminder to a later time, with a reason")
    async def snooze(self, reminder_id: FromPath[int], data: JSONBody[SnoozeRequest],
                     actor: ActorDep, clock: ClockDep) -> Reminder:
        return await actions.snooze(actor, clock, reminder_id, data.until, data.reason)

    @post("/reminders/{reminder_id:int}/skip", status_code=HTTP_200_OK,
          summary="Leave a pending reminder out, with a reason; its chain moves on")
    async def skip(self, reminder_id: FromPath[int], data: JSONBody[SkipRequest],
                   actor: ActorDep, clock: ClockDep) -> Reminder:
        return await actions.skip(actor, clock, reminder_id, data.reason)


class RuleRequest(msgspec.Struct, forbid_unknown_fields=True):
    no_answer_working_days: int  # between the steps of the "no answer" chain
    follow_up_days: int  # accepted / in progress: ask for the outcome this often
    hold_check_days: int  # on hold without a date: ask again after this many days


class RuleController(Controller):
    path = "/api/v1/reminder-rules"
    tags = ["reminders"]

    @get("/", opt=allow(Role.ADMIN, Role.COORDINATOR),
         summary="How each kind of partner is reminded (the defaults unless changed)")
    async def list_rules(self) -> list[rules.ReminderRule]:
        return await rules.list_rules()

    @put("/{partner_kind:str}", opt=allow(Role.ADMIN),
         summary="Change how one kind of partner is reminded (administrators)")
    async def set_rule(self, request: Request, partner_kind: FromPath[str],
                       data: JSONBody[RuleRequest], clock: ClockDep
                       ) -> rules.ReminderRule:
        return await rules.set_rule(request.user, partner_kind, data.no_answer_working_days,
                                    data.follow_up_days, data.hold_check_days,
                                    now=clock.now())

    @delete("/{partner_kind:str}", opt=allow(Role.ADMIN), status_code=HTTP_200_OK,
            summary="Back to the defaults for one kind of partner (administrators)")
    async def reset_rule(self, request: Request, partner_kind: FromPath[str],
                         clock: ClockDep) -> rules.ReminderRule:
        return await rules.reset_rule(request.user, partner_kind, now=clock.now())


ROUTE_HANDLERS = [ReminderController, RuleController]
