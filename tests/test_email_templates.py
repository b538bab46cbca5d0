"""Every email comes in three parts that render with the values it is given."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from network.cases.emails import SAMPLE_CONTEXTS as CASE_SAMPLES
from network.mail.templates import TEMPLATES_FOLDER, render, template_names
from network.reminders.emails import SAMPLE_CONTEXTS as REMINDER_SAMPLES

_REFERRAL = {"client": "Amina K.", "languages": "Arabisch, Englisch", "barrier": "Wohnen",
             "partner_name": "Caritas Heinsberg", "coordinator_name": "Frau Özdemir",
             "coordinator_email": "oezdemir@jobcenter.example", "note": "Bitte bald melden.",
             "referral_id": 7, "status": "angenommen"}
_PARTNER = {**_REFERRAL, "url": "https://ip.example.org/p/abc", "expires": "25.01.2027"}
_STAFF = {**_REFERRAL, "url": "https://ip.example.org/clients/3"}
SAMPLE_CONTEXT = {
    "test_message": {"requested_by": "Die IT", "recipient": "ip@example.org"},
    "monthly_report": {"month_label": "Oktober 2026", "month": "2026-10", "version": 1,
                       "report_url": "https://ip.example.org/reports/2026-10"},
    "referral_new": _PARTNER,
    "referral_handed_over": _PARTNER,
    "partner_link_renewed": _PARTNER,
    "referral_withdrawn": {**_REFERRAL, "referral_number": "7", "sent_on": "02.11.2026",
                           "handed_off": False},
    "partner_sign_in": {"partner_name": "Caritas Heinsberg", "expires": "25.01.2027, 14:30 Uhr",
                        "url": "https://ip.example.org/partner/anmelden/abc"},
    "referral_status_changed": {**_STAFF, "by_partner": True, "from_status": "gesendet",
                                "reason": None, "outcome": None, "handed_off": False},
    "referral_coordinator_changed": {**_STAFF, "previous_name": "Herr Schmitz"},
    "partner_message": {**_STAFF, "message": "Wir melden uns nächste Woche."},
    **REMINDER_SAMPLES,
    **CASE_SAMPLES,
    "password_reset": {"display_name": "Frau Özdemir", "admin_name": "Herr Schmitz",
                       "url": "https://ip.example.org/passwort-neu/abc",
                       "expires": "01.12.2026, 09:30 Uhr"},
}
COMMON = {"integration_point": "Integration Point Kreis Heinsberg",
          "base_url": "https://ip.example.org"}


def test_every_email_has_a_subject_a_text_and_an_html_part() -> None:
    names = template_names()
    assert names
    for name in names:
        for suffix in (".subject.txt", ".txt", ".html"):
            assert (TEMPLATES_FOLDER / f"{name}{suffix}").exists(), f"{name}{suffix} is missing"


@pytest.mark.parametrize("name", template_names())
def test_it_renders_with_its_sample_values(name: str) -> None:
    email = render(name, {**COMMON, **SAMPLE_CONTEXT[name]})
    assert email.subject and "\n" not in email.subject
    assert "Integration Point Kreis Heinsberg" in email.text
    assert 'lang="de"' in email.html


def test_a_missing_value_is_an_error_not_a_gap_in_the_letter() -> None:
    with pytest.raises(UndefinedError):
        render("test_message", COMMON)


def test_values_are_escaped_in_html_but_not_in_text() -> None:
    email = render("test_message", {**COMMON, "requested_by": "<Frau Ö>", "recipient": "x"})
    assert "&lt;Frau Ö&gt;" in email.html and "<Frau Ö>" not in email.html
    assert "<Frau Ö>" in email.text
