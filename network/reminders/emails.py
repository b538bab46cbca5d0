"""Which email a reminder becomes and what it says: one function per kind, over the templates
in `email_templates/` and the one query for what an email about a referral may say
(`network.referrals.emails.referral_facts`). Partners get the least personal data they need
(the referral's number, the kind of barrier, a fresh sealed action link and its expiry);
coordinators get the case number and a link to the case page, never health details. Each
returns the outbox row's id (None when the row existed already).

A partner whose directory entry went stale (network.partners.staleness) is asked once, in
its next reminder, to check it: the email's link with `/eintrag` opens the entry read-only
with a button to confirm it (network.web.entry_link_views)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from network import words
from network.links.tokens import issue_sealed_link
from network.mail.outbox import enqueue
from network.partners import service as partners
from network.referrals.emails import ReferralFacts, case_url, referral_number, send_to_partner
from network.settings import Settings

TEMPLATES = {
    "no_answer": "reminder_no_answer",
    "outcome_follow_up": "reminder_outcome_follow_up",
    "hold_check": "reminder_hold_check",
    "escalation": "escalation_no_answer",
    "last_warning": "last_warning_no_answer",
    "expire": "referral_expired",
    "barrier_uncovered": "barrier_without_referral",
    "case_inactive": "case_inactive",
    "weekly_digest": "weekly_digest",
}


async def to_partner(settings: Settings, reminder: dict[str, Any], found: ReferralFacts,
                     at: datetime, *, dedupe_key: str,
                     expires_on: datetime | None = None) -> int | None:
    """A reminder to the partner (no answer, outcome follow-up, hold check, last warning),
    with a fresh sealed link."""
    extra: dict[str, Any] = {"reminder_number": reminder["sequence"],
                             "since": words.day(reminder["epoch"])}
    if reminder["kind"] == "last_warning":
        extra["expires_on"] = words.day(expires_on or at)
    extra["check_entry"] = await partners.confirmation_to_ask(found.partner_id, at)
    queued = await send_to_partner(settings, found, TEMPLATES[reminder["kind"]], at, extra,
                                   dedupe_key=dedupe_key)
    if queued is not None and extra["check_entry"]:
        await partners.mark_asked(found.partner_id, at)  # once per staleness period
    return queued


async def about_referral(settings: Settings, reminder: dict[str, Any], found: ReferralFacts,
                         at: datetime, *, dedupe_key: str) -> int | None:
    """To the coordinator: the partner did not answer (escalation), or the referral expired."""
    return await enqueue(settings, TEMPLATES[reminder["kind"]], [found.coordinator_email], {
        **found.context(), "case_url": case_url(settings, found.client_id),
    }, due_at=at, dedupe_key=dedupe_key, **found.ids)


async def barrier_uncovered(settings: Settings, reminder: dict[str, Any],
                            coordinator: dict[str, Any], barrier_kind: str, at: datetime, *,
                            dedupe_key: str) -> int | None:
    return await enqueue(settings, TEMPLATES["barrier_uncovered"], [coordinator["email"]], {
        "coordinator_name": coordinator["display_name"],
        "barrier_kind": words.label(barrier_kind, "barrier_kind"),
        "case_number": coordinator["case_number"], "since": words.day(reminder["epoch"]),
        "case_url": case_url(settings, reminder["client_id"]),
    }, due_at=at, dedupe_key=dedupe_key, client_id=reminder["client_id"])


async def case_inactive(settings: Settings, reminder: dict[str, Any],
                        coordinator: dict[str, Any], at: datetime, *, dedupe_key: str
                        ) -> int | None:
    return await enqueue(settings, TEMPLATES["case_inactive"], [coordinator["email"]], {
        "coordinator_name": coordinator["display_name"],
        "case_number": coordinator["case_number"], "since": words.day(reminder["epoch"]),
        "case_url": case_url(settings, reminder["client_id"]),
    }, due_at=at, dedupe_key=dedupe_key, client_id=reminder["client_id"])


async def weekly_digest(settings: Settings, reminder: dict[str, Any], user: dict[str, Any],
                        overdue: dict[str, list[dict[str, str]]], at: datetime, *,
                        dedupe_key: str) -> int | None:
    return await enqueue(settings, TEMPLATES["weekly_digest"], [user["email"]], {
        "coordinator_name": user["display_name"], "week_of": words.day(at),
        "dashboard_url": f"{settings.base_url}/", **overdue,
    }, due_at=at, dedupe_key=dedupe_key)


async def partner_digest(settings: Settings, waiting: list[tuple[dict[str, Any], ReferralFacts]],
                         at: datetime, *, dedupe_key: str,
                         expires_on: dict[int, datetime]) -> int | None:
    """One email to a partner's addresses listing every referral a reminder is due for
    today, each with its own fresh sealed link (`expires_on`: when a last warning's referral
    expires). Partners that share their addresses share the email; each item names its
    partner then, and the request to check a directory entry waits for an email of its own."""
    found = waiting[0][1]
    several = len({facts.partner_id for _reminder, facts in waiting}) > 1
    items = []
    for reminder, facts in waiting:
        link = await issue_sealed_link(settings.secret_key, facts.referral_id, facts.partner_id,
                                       at, timedelta(days=settings.partner_link_days))
        items.append({
            "kind": reminder["kind"], "reminder_number": reminder["sequence"],
            "referral_number": referral_number(facts.referral_id),
            "partner_name": facts.partner_name if several else None,
            "barrier_kind": facts.barrier, "sent_on": words.day(facts.sent_at),
            "since": words.day(reminder["epoch"]), "status": words.REFERRAL_STATUSES[facts.status],
            "expires_on": words.day(expires_on.get(facts.referral_id, at)),
            "link_url": link.placeholder, "link_expires_on": words.day(link.expires_at)})
    check_entry = not several and await partners.confirmation_to_ask(found.partner_id, at)
    queued = await enqueue(settings, "reminder_digest_partner", found.partner_emails, {
        "partner_name": None if several else found.partner_name, "items": items,
        "check_entry": check_entry,
        "link_url": items[0]["link_url"],
    }, due_at=at, dedupe_key=dedupe_key)
    if queued is not None and check_entry:
        await partners.mark_asked(found.partner_id, at)  # once per staleness period
    return queued


async def coordinator_digest(settings: Settings, user: dict[str, Any],
                             sections: dict[str, Any], at: datetime, *, dedupe_key: str
                             ) -> int | None:
    """One email to a coordinator with everything due for them today: referrals the partner
    does not answer and expired ones, barriers without a referral, quiet cases, and (on the
    first working day of a week) the overview of what is overdue."""
    return await enqueue(settings, "reminder_digest_coordinator", [user["email"]], {
        "coordinator_name": user["display_name"], "day": words.day(at),
        "dashboard_url": f"{settings.base_url}/", **sections,
    }, due_at=at, dedupe_key=dedupe_key)


SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "reminder_no_answer": {
        "partner_name": "Caritas", "referral_number": "12", "barrier_kind": "Wohnen",
        "sent_on": "01.12.2026", "reminder_number": 1, "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027", "check_entry": True},
    "reminder_outcome_follow_up": {
        "partner_name": "Caritas", "referral_number": "12", "barrier_kind": "Wohnen",
        "since": "01.12.2026", "status": "angenommen", "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027", "check_entry": False},
    "reminder_hold_check": {
        "partner_name": "Caritas", "referral_number": "12", "barrier_kind": "Wohnen",
        "since": "01.12.2026", "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027", "check_entry": True},
    "last_warning_no_answer": {
        "partner_name": "Caritas", "referral_number": "12", "barrier_kind": "Wohnen",
        "sent_on": "01.12.2026", "expires_on": "15.12.2026",
        "link_url": "https://ip.example/p/x", "link_expires_on": "30.01.2027",
        "check_entry": False},
    "escalation_no_answer": {
        "coordinator_name": "Frau Kaya", "partner_name": "Caritas", "referral_number": "12",
        "barrier_kind": "Wohnen", "case_number": "HS-0001", "sent_on": "01.12.2026",
        "case_url": "https://ip.example/clients/1"},
    "referral_expired": {
        "coordinator_name": "Frau Kaya", "partner_name": "Caritas", "referral_number": "12",
        "barrier_kind": "Wohnen", "case_number": "HS-0001", "sent_on": "01.12.2026",
        "case_url": "https://ip.example/clients/1"},
    "barrier_without_referral": {
        "coordinator_name": "Frau Kaya", "barrier_kind": "Wohnen", "case_number": "HS-0001",
        "since": "01.12.2026", "case_url": "https://ip.example/clients/1"},
    "case_inactive": {
        "coordinator_name": "Frau Kaya", "case_number": "HS-0001", "since": "01.12.2026",
        "case_url": "https://ip.example/clients/1"},
    "weekly_digest": {
        "coordinator_name": "Frau Kaya", "week_of": "07.12.2026",
        "referrals": [{"referral_number": "12", "partner_name": "Caritas",
                       "barrier_kind": "Wohnen", "case_number": "HS-0001",
                       "sent_on": "01.12.2026"}],
        "barriers": [{"barrier_kind": "Wohnen", "case_number": "HS-0002",
                      "since": "20.11.2026"}],
        "cases": [{"case_number": "HS-0003", "since": "01.10.2026"}],
        "dashboard_url": "https://ip.example/"},
    "reminder_digest_partner": {
        "partner_name": "Caritas", "check_entry": True, "link_url": "https://ip.example/p/x",
        "items": [
            {"kind": kind, "reminder_number": 1, "referral_number": str(12 + n),
             "partner_name": "Caritas Erkelenz" if n else None,
             "barrier_kind": "Wohnen", "sent_on": "01.12.2026", "since": "01.12.2026",
             "status": "angenommen", "expires_on": "15.12.2026",
             "link_url": f"https://ip.example/p/{n}", "link_expires_on": "30.01.2027"}
            for n, kind in enumerate(("no_answer", "last_warning", "outcome_follow_up",
                                      "hold_check"))]},
    "reminder_digest_coordinator": {
        "coordinator_name": "Frau Kaya", "day": "07.12.2026",
        "dashboard_url": "https://ip.example/",
        "escalations": [{"referral_number": "12", "partner_name": "Caritas",
                         "barrier_kind": "Wohnen", "case_number": "HS-0001",
                         "sent_on": "01.12.2026", "case_url": "https://ip.example/clients/1"}],
        "expired": [{"referral_number": "9", "partner_name": "Tafel",
                     "barrier_kind": "Finanzen", "case_number": None,
                     "sent_on": "10.11.2026", "case_url": "https://ip.example/clients/2"}],
        "uncovered": [{"barrier_kind": "Wohnen", "case_number": "HS-0002",
                       "since": "20.11.2026", "case_url": "https://ip.example/clients/2"}],
        "quiet": [{"case_number": "HS-0003", "since": "01.10.2026",
                   "case_url": "https://ip.example/clients/3"}],
        "overview": {"referrals": [], "barriers": [], "cases": [
            {"case_number": "HS-0003", "since": "01.10.2026"}]}},
}
