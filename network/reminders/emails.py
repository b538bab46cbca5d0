"""Which email a reminder becomes and what it says: one small function per kind, over the
templates in `email_templates/`. Partners get the least personal data they need (the referral
number, the kind of barrier, a fresh action link and its expiry); coordinators get the case
number and a link to the case page, never health details."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from network.reminders.calendar import BERLIN
from network.web.labels import BARRIER_KINDS

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


def day(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(BERLIN).strftime("%d.%m.%Y")


def barrier_label(kind: str) -> str:
    return BARRIER_KINDS.get(kind, kind)  # type: ignore[call-overload]


def referral_number(referral_id: int) -> str:
    return f"Z-{referral_id}"


SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "reminder_no_answer": {
        "partner_name": "Caritas", "referral_number": "Z-12", "barrier_kind": "Wohnen",
        "sent_on": "01.12.2026", "reminder_number": 1, "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027"},
    "reminder_outcome_follow_up": {
        "partner_name": "Caritas", "referral_number": "Z-12", "barrier_kind": "Wohnen",
        "since": "01.12.2026", "status": "angenommen", "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027"},
    "reminder_hold_check": {
        "partner_name": "Caritas", "referral_number": "Z-12", "barrier_kind": "Wohnen",
        "since": "01.12.2026", "link_url": "https://ip.example/p/x",
        "link_expires_on": "30.01.2027"},
    "last_warning_no_answer": {
        "partner_name": "Caritas", "referral_number": "Z-12", "barrier_kind": "Wohnen",
        "sent_on": "01.12.2026", "expires_on": "15.12.2026",
        "link_url": "https://ip.example/p/x", "link_expires_on": "30.01.2027"},
    "escalation_no_answer": {
        "coordinator_name": "Frau Kaya", "partner_name": "Caritas", "referral_number": "Z-12",
        "barrier_kind": "Wohnen", "case_number": "HS-0001", "sent_on": "01.12.2026",
        "case_url": "https://ip.example/clients/1"},
    "referral_expired": {
        "coordinator_name": "Frau Kaya", "partner_name": "Caritas", "referral_number": "Z-12",
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
        "referrals": [{"referral_number": "Z-12", "partner_name": "Caritas",
                       "barrier_kind": "Wohnen", "case_number": "HS-0001",
                       "sent_on": "01.12.2026"}],
        "barriers": [{"barrier_kind": "Wohnen", "case_number": "HS-0002",
                      "since": "20.11.2026"}],
        "cases": [{"case_number": "HS-0003", "since": "01.10.2026"}],
        "dashboard_url": "https://ip.example/"},
}
