"""The referral state machine: the one place that says which status change is allowed.

Statuses follow the HL7 FHIR Task model (trimmed). Every transition is a row in TRANSITIONS:
which party may make it and what it requires. `decide()` answers a requested change with
either a `Change` (allowed, with its consequences for barriers, reminders and notifications)
or a `Refusal` naming the field and a refusal code with its parameters (worded in
`network.words.refusals.referrals`). The actions (`network.referrals.actions`) ask `decide()`
and never re-implement a rule; the API maps a refusal's `problem` to an HTTP status (see
`Problem`). No I/O, no clock: this module only decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Party(StrEnum):
    """Which side of the referral makes a change, as the rules see it (a signed-in user is
    the coordinator; `network.referrals.actions.party_of` maps an `Actor` to its party). The
    partner acts only through the link bound to its referral."""

    COORDINATOR = "coordinator"
    PARTNER = "partner"
    SYSTEM = "system"


class DeclineReason(StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    NOT_OUR_SERVICE = "not_our_service"
    CLIENT_UNREACHABLE = "client_unreachable"
    OTHER = "other"  # needs a reason_text


class Outcome(StrEnum):
    """Did the referral remove the barrier? Asked when a referral is completed."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Requirement(StrEnum):
    """What a transition needs besides an allowed actor."""

    NOTHING = "nothing"
    DECLINE_REASON = "decline_reason"  # reason_code from DeclineReason (+ reason_text for other)
    REASON = "reason"  # free-text reason_text
    OUTCOME = "outcome"  # outcome from Outcome


class Problem(StrEnum):
    """Why a change was refused; the API maps these to HTTP statuses."""

    ALREADY = "already"  # target == current: a repeat is harmless (show state, 200); the
    # actions check a stale version first, so only a repeat with the current version gets here
    CONFLICT = "conflict"  # the current status does not allow it (409 with the current state)
    NOT_PERMITTED = "not_permitted"  # this actor may not make this change (403)
    INVALID = "invalid"  # a missing or malformed field (422 naming the field)


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD}
)
CLOSED_STATUSES: frozenset[Status] = frozenset(Status) - OPEN_STATUSES

_C, _P, _S = Party.COORDINATOR, Party.PARTNER, Party.SYSTEM


@dataclass(frozen=True)
class Rule:
    actors: frozenset[Party]
    requires: Requirement = Requirement.NOTHING


def _rule(*actors: Party, requires: Requirement = Requirement.NOTHING) -> Rule:
    return Rule(frozenset(actors), requires)


# The whole lifecycle. A coordinator may record a partner's answer given by phone or mail,
# so partner actions are open to the coordinator too; only the system lets a referral expire.
TRANSITIONS: Mapping[tuple[Status, Status], Rule] = {
    (Status.DRAFT, Status.SENT): _rule(_C),
    (Status.SENT, Status.ACCEPTED): _rule(_P, _C),
    (Status.SENT, Status.DECLINED): _rule(_P, _C, requires=Requirement.DECLINE_REASON),
    (Status.SENT, Status.EXPIRED): _rule(_S),
    (Status.ACCEPTED, Status.DECLINED): _rule(_P, _C, requires=Requirement.DECLINE_REASON),
    (Status.ACCEPTED, Status.IN_PROGRESS): _rule(_P, _C),
    (Status.ACCEPTED, Status.ON_HOLD): _rule(_P, _C, requires=Requirement.REASON),
    (Status.ACCEPTED, Status.COMPLETED): _rule(_P, _C, requires=Requirement.OUTCOME),
    (Status.ACCEPTED, Status.FAILED): _rule(_P, _C, requires=Requirement.REASON),
    (Status.IN_PROGRESS, Status.ON_HOLD): _rule(_P, _C, requires=Requirement.REASON),
    (Status.IN_PROGRESS, Status.COMPLETED): _rule(_P, _C, requires=Requirement.OUTCOME),
    (Status.IN_PROGRESS, Status.FAILED): _rule(_P, _C, requires=Requirement.REASON),
    (Status.ON_HOLD, Status.IN_PROGRESS): _rule(_P, _C),
    (Status.ON_HOLD, Status.COMPLETED): _rule(_P, _C, requires=Requirement.OUTCOME),
    (Status.ON_HOLD, Status.FAILED): _rule(_P, _C, requires=Requirement.REASON),
    # Any open status may be cancelled by the coordinator (the client moved away, a mistake).
    **{(s, Status.CANCELLED): _rule(_C, requires=Requirement.REASON) for s in OPEN_STATUSES},
}

# A handoff to another partner ("not us, try them") closes the current referral with one of
# these statuses (an ordinary transition from the table) and opens a linked new referral.
HANDOFF_CLOSINGS: frozenset[Status] = frozenset({Status.DECLINED, Status.COMPLETED})
# The coordinator, or the partner through its link ("not us, try them"): the service checks
# the new partner and the client's consent as for any new referral.
HANDOFF_ACTORS: frozenset[Party] = frozenset({_C, _P})

MAX_REASON_TEXT = 2000


@dataclass(frozen=True)
class Change:
    """An allowed status change and what must happen with it, in the same transaction."""

    from_status: Status
    to_status: Status
    party: Party
    reason_code: DeclineReason | None = None
    reason_text: str | None = None
    outcome: Outcome | None = None
    handoff: bool = False

    allowed = True

    @property
    def closes(self) -> bool:
        return self.to_status in CLOSED_STATUSES

    @property
    def resolves_barrier(self) -> bool:
        """A completed referral with "barrier removed: yes" resolves its barrier."""
        return self.to_status is Status.COMPLETED and self.outcome is Outcome.YES

    @property
    def cancels_no_answer_reminders(self) -> bool:
        """Any answer (or any other move) out of `sent` ends the "no answer" chain."""
        return self.from_status is Status.SENT

    @property
    def cancels_all_reminders(self) -> bool:
        """A closed referral needs no reminders at all; a follow-up chain restarts per status."""
        return self.closes

    @property
    def opens_linked_referral(self) -> bool:
        return self.handoff

    @property
    def notifies(self) -> frozenset[Party]:
        """Who is told about the change (besides whoever made it)."""
        told: set[Party] = set()
        if self.to_status is Status.SENT:
            told.add(Party.PARTNER)  # the referral itself
        elif self.party is not Party.PARTNER and self.from_status is not Status.DRAFT:
            told.add(Party.PARTNER)  # the partner has seen it: tell them it changed
        if self.party is not Party.COORDINATOR:
            told.add(Party.COORDINATOR)
        return frozenset(told)


@dataclass(frozen=True)
class Refusal:
    """A refused change: which field is at fault and why, as a refusal code with its
    parameters (worded by network.words.refusals.referrals)."""

    problem: Problem
    field: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    allowed = False

    @property
    def message(self) -> str:
        """The English wording (the API's)."""
        from network.words.refusals import refusal

        return refusal(self.code, self.params, "en")


Decision = Change | Refusal


def is_open(status: Status | str) -> bool:
    return Status(status) in OPEN_STATUSES


def allowed_targets(current: Status | str, party: Party | str) -> frozenset[Status]:
    """The statuses `party` may move a referral to from `current` (for buttons and links)."""
    current, party = Status(current), Party(party)
    return frozenset(to for (frm, to), rule in TRANSITIONS.items()
                     if frm is current and party in rule.actors)


def handoff_closings(current: Status | str) -> frozenset[Status]:
    """How a referral in `current` may be closed by a handoff (empty: no handoff possible)."""
    return frozenset(s for s in HANDOFF_CLOSINGS if (Status(current), s) in TRANSITIONS)


def may_reassign(current: Status | str) -> bool:
    """A handoff to another coordinator moves ownership only, for any open referral."""
    return is_open(current)


def decide(
    current: Status | str,
    target: Status | str,
    party: Party | str,
    reason_code: DeclineReason | str | None = None,
    reason_text: str | None = None,
    outcome: Outcome | str | None = None,
    *,
    handoff: bool = False,
) -> Decision:
    """Decide whether `party` may move a referral from `current` to `target` with these details.

    `handoff=True` asks for the closing half of a handoff to another partner: the target must be
    one of HANDOFF_CLOSINGS, and the Change says `opens_linked_referral`.
    """
    current = Status(current)  # from our own database: a bad value is a bug, so let it raise
    try:
        target = Status(target)
    except ValueError:
        return _invalid("status", "referral.status_unknown", status=target,
                        allowed=_listing(Status))
    try:
        party = Party(party)
    except ValueError:
        return _invalid("actor", "referral.party_unknown", party=party,
                        allowed=_listing(Party))

    if target is current:
        return Refusal(Problem.ALREADY, "status", "referral.already", {"status": current})
    rule = TRANSITIONS.get((current, target))
    if rule is None:
        if current in CLOSED_STATUSES:
            return Refusal(Problem.CONFLICT, "status", "referral.closed", {"status": current})
        targets = _listing(sorted({to for (frm, to) in TRANSITIONS if frm is current}))
        return Refusal(Problem.CONFLICT, "status", "referral.no_such_transition",
                       {"current": current, "target": target, "targets": targets})
    if party not in rule.actors:
        return Refusal(Problem.NOT_PERMITTED, "actor", "referral.not_permitted",
                       {"party": party, "current": current, "target": target,
                        "parties": _listing(sorted(rule.actors))})
    if handoff:
        if target not in HANDOFF_CLOSINGS:
            return _invalid("status", "referral.handoff_closing", target=target,
                            allowed=_listing(sorted(HANDOFF_CLOSINGS)))
        if party not in HANDOFF_ACTORS:
            return Refusal(Problem.NOT_PERMITTED, "actor", "referral.handoff_party",
                           {"allowed": _listing(sorted(HANDOFF_ACTORS))})

    details = _check_details(rule.requires, target, reason_code, reason_text, outcome)
    if isinstance(details, Refusal):
        return details
    code, text, result = details
    return Change(current, target, party, code, text, result, handoff)


def _check_details(
    requires: Requirement,
    target: Status,
    reason_code: DeclineReason | str | None,
    reason_text: str | None,
    outcome: Outcome | str | None,
) -> tuple[DeclineReason | None, str | None, Outcome | None] | Refusal:
    text = reason_text.strip() if reason_text is not None else None
    text = text or None
    if text is not None and len(text) > MAX_REASON_TEXT:
        return _invalid("reason_text", "referral.reason_too_long", length=len(text),
                        max=MAX_REASON_TEXT)

    code: DeclineReason | None = None
    if requires is Requirement.DECLINE_REASON:
        if reason_code is None:
            return _invalid("reason_code", "referral.decline_reason_missing",
                            allowed=_listing(DeclineReason))
        try:
            code = DeclineReason(reason_code)
        except ValueError:
            return _invalid("reason_code", "referral.decline_reason_unknown",
                            reason_code=reason_code, allowed=_listing(DeclineReason))
        if code is DeclineReason.OTHER and text is None:
            return _invalid("reason_text", "referral.decline_reason_words")
    elif reason_code is not None:
        return _invalid("reason_code", "referral.reason_code_not_for", target=target)

    if requires is Requirement.REASON and text is None:
        return _invalid("reason_text", "referral.reason_missing", target=target)

    result: Outcome | None = None
    if requires is Requirement.OUTCOME:
        if outcome is None:
            return _invalid("outcome", "referral.outcome_missing", allowed=_listing(Outcome))
        try:
            result = Outcome(outcome)
        except ValueError:
            return _invalid("outcome", "referral.outcome_unknown", outcome=outcome,
                            allowed=_listing(Outcome))
    elif outcome is not None:
        return _invalid("outcome", "referral.outcome_not_for", target=target)
    return code, text, result


def _invalid(field: str, code: str, **params: object) -> Refusal:
    return Refusal(Problem.INVALID, field, code, params)


def _listing(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)
