"""A referral put on hold keeps the day it is on hold until, and its check (the hold_check
reminder to the partner) comes on that day, at the office's opening (issue 15): from the
partner's link page and from the API; resuming clears the day; a bad day is refused naming
the field, with nothing changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest

from network.clock import BERLIN
from network.reminders.calendar import berlin_moment
from network.reminders.policy import NRW
from network.reminders.tables import Reminder
from network.settings import Settings
from tests.support.app import MakeUser, login_browser, make_settings
from tests.support.pages import field_error
from tests.support.partner_link_pages import accepted_page, form_of, sent_with_link
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer


@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


def today() -> date:
    return datetime.now(UTC).astimezone(BERLIN).date()


def check_moment(day: date) -> datetime:
    """When a check for `day` is due: that day's opening, or the next working day's."""
    return NRW.next_office_moment(berlin_moment(day, time.min))


async def hold_checks() -> list[dict]:
    return await Reminder.select(Reminder.due_at, Reminder.status).where(
        Reminder.kind == "hold_check").order_by(Reminder.id)


async def test_the_partner_puts_it_on_hold_until_a_day_and_the_check_comes_that_day(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, link, accepted = await accepted_page(client, settings, smtp, coordinator,
                                                      await make_world())
    until = today() + timedelta(days=10)  # well before the 30 days without a day
    held = await client.post(link, data={
        **form_of(accepted), "aktion": "hold", "reason_text": "Kurs beginnt später",
        "until": until.isoformat()})
    assert held.status_code == 200, held.text
    assert f"Pausiert bis</dt><dd>{until:%d.%m.%Y}" in held.text
    shown = (await client.get(f"/api/v1/referrals/{referral_id}",
                              headers=coordinator.headers)).json()
    assert shown["status"] == "on_hold" and shown["hold_until"] == until.isoformat()
    assert shown["reason_text"] == "Kurs beginnt später"  # the day is no longer in the text
    [check] = await hold_checks()
    assert check["status"] == "pending" and check["due_at"] == check_moment(until)
    coordinator_page = await client.get(f"/referrals/{referral_id}",
                                        headers=coordinator.headers)
    assert f"{until:%d.%m.%Y}" in coordinator_page.text

    resumed = await client.post(link, data={**form_of(held.text), "aktion": "start"})
    assert resumed.status_code == 200
    shown = (await client.get(f"/api/v1/referrals/{referral_id}",
                              headers=coordinator.headers)).json()
    assert shown["status"] == "in_progress" and shown["hold_until"] is None
    assert [c["status"] for c in await hold_checks()] == ["cancelled"]


async def test_a_day_in_the_past_is_refused_on_the_page_and_nothing_changes(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, link, accepted = await accepted_page(client, settings, smtp, coordinator,
                                                      await make_world())
    refused = await client.post(link, data={
        **form_of(accepted), "aktion": "hold", "reason_text": "Urlaub",
        "until": (today() - timedelta(days=1)).isoformat()})
    assert refused.status_code == 422
    assert "Bitte einen Tag nach heute angeben." in refused.text
    assert ">Urlaub</textarea>" in refused.text  # what was typed stays
    shown = (await client.get(f"/api/v1/referrals/{referral_id}",
                              headers=coordinator.headers)).json()
    assert shown["status"] == "accepted" and shown["hold_until"] is None


async def test_the_api_takes_the_day_for_a_hold_only(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, _link = await sent_with_link(client, settings, smtp, coordinator,
                                              await make_world())
    url = f"/api/v1/referrals/{referral_id}/transitions"
    until = today() + timedelta(days=40)
    wrong = await client.post(url, headers=coordinator.headers, json={
        "status": "accepted", "version": 1, "hold_until": until.isoformat()})
    assert wrong.status_code in (400, 422) and "hold_until" in wrong.text
    accepted = await client.post(url, headers=coordinator.headers,
                                 json={"status": "accepted", "version": 1})
    too_far = await client.post(url, headers=coordinator.headers, json={
        "status": "on_hold", "version": 2, "reason_text": "Elternzeit",
        "hold_until": (today() + timedelta(days=400)).isoformat()})
    assert accepted.status_code == 200 and too_far.status_code in (400, 422)
    held = await client.post(url, headers=coordinator.headers, json={
        "status": "on_hold", "version": 2, "reason_text": "Elternzeit",
        "hold_until": until.isoformat()})
    assert held.status_code == 200, held.text
    assert held.json()["hold_until"] == until.isoformat()
    [check] = await hold_checks()
    assert check["due_at"] == check_moment(until)  # not 30 days after today


async def test_the_coordinators_page_takes_the_day_and_names_a_wrong_one(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, _link, _page = await accepted_page(client, settings, smtp, coordinator,
                                                    await make_world())
    csrf = await login_browser(client, coordinator.email, coordinator.password)
    url, form = f"/referrals/{referral_id}/status", {
        "status": "on_hold", "version": "2", "reason_text": "Elternzeit", "csrf_token": csrf}
    wrong = await client.post(url, data={**form, "hold_until": "morgen"})
    assert wrong.status_code == 422
    assert field_error(wrong.text, "hold_until") == "Bitte ein Datum angeben (TT.MM.JJJJ)."
    until = today() + timedelta(days=14)
    held = await client.post(url, data={**form, "hold_until": until.isoformat()})
    assert held.status_code == 303
    page = await client.get(f"/referrals/{referral_id}")
    assert f"Pausiert bis</dt><dd>{until:%d.%m.%Y}" in page.text
    [check] = await hold_checks()
    assert check["due_at"] == check_moment(until)
