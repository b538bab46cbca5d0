"""The partner inbox in a real browser, against `network serve` with its scheduler and a real
SMTP server: a partner asks for a sign-in link, a mail scanner opens the link first (and signs
nobody in), the partner signs in with the button, sees its two referrals, accepts one,
declines the other with a reason and sets a capacity pause; the coordinator's partner picker
then shows the pause. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import BERLIN, SYSTEM_CLOCK
from network.partners import actions as partner_actions
from network.referrals.service import NewReferral, load
from network.words import day
from tests.support.app import MadeUser, MakeUser
from tests.support.browser import ARTIFACTS, require_chromium, served
from tests.support.cli_process import Service
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data
from tests.support.polling import until
from tests.support.referral_world import create_referral
from tests.support.smtp_server import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNER = "Sprachschule Wassenberg"
PARTNER_EMAIL = "team@sprachschule-wassenberg.example"


@dataclass
class World:
    service: Service
    coordinator: MadeUser
    partner_id: int
    client_id: int
    to_accept: int  # referral ids
    to_decline: int
    free_barrier: int  # a language barrier without a referral: the picker's page


@pytest.fixture
async def world(pool: str, make_user: MakeUser, smtp: SmtpServer, tmp_path: Path
                ) -> AsyncIterator[World]:
    chromium = require_chromium()
    coordinator = await make_user(role="coordinator")
    partner = await partner_actions.create_partner(Actor.of_user(coordinator.user), SYSTEM_CLOCK,
                                                   partner_data(
        name=PARTNER, kind="course_provider", languages=("de", "ar"),
        barrier_kinds=("language", "qualification_recognition"), city="Wassenberg",
        referral_emails=(PARTNER_EMAIL,), contacts=()))
    client = await case_actions.create_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client_data(
        case_number="INBOX-0001"), barrier_kinds=[])
    await case_actions.give_consent(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, ["course_provider"])
    barriers = [(await case_actions.add_barrier(SYSTEM_ACTOR, SYSTEM_CLOCK, client.id, kind,
                                                text)).id
                for kind, text in (("language", "Deutschkurs B1"),
                                   ("qualification_recognition", "Anerkennung Pflege"),
                                   ("language", "Berufssprachkurs"))]
    first = await create_referral(NewReferral(barriers[0], partner.id, "sent",
                                              note="Abends wäre gut"), coordinator.user.id)
    second = await create_referral(NewReferral(barriers[1], partner.id, "sent"),
                                   coordinator.user.id)
    with served(tmp_path, pool, SMTP_URL=smtp.url,
                SCHEDULER_ENABLED="true", MAIL_DISPATCH_SECONDS="1") as service:
        service.chromium = chromium  # type: ignore[attr-defined]
        yield World(service, coordinator, partner.id, client.id, first.referral.id,
                    second.referral.id, barriers[2])


@pytest.fixture
async def browser(world: World, browser: Browser) -> Browser:
    """The process's Chromium (conftest's `browser`), once the world is served."""
    ARTIFACTS.mkdir(exist_ok=True)
    return browser


async def fresh_page(browser: Browser, service: Service, *, phone: bool = False) -> Page:
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = await browser.new_context(base_url=service.url, locale="de-DE",
                                        viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return await context.new_page()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_a_partner_signs_in_by_email_answers_two_referrals_and_pauses(
        world: World, browser: Browser, smtp: SmtpServer) -> None:
    service = world.service
    partner = await fresh_page(browser, service, phone=True)
    await partner.goto("/partner")  # not signed in: to the sign-in page
    await expect(partner.get_by_role("heading", name="Partner-Postfach")).to_be_visible()
    await partner.get_by_label("E-Mail-Adresse Ihrer Einrichtung").fill(PARTNER_EMAIL)
    await partner.get_by_role("button", name="Anmeldelink senden").click()
    await expect(partner.get_by_role("status")).to_contain_text("Anmeldelink jetzt unterwegs")
    await shot(partner, "40-inbox-sign-in-requested")

    def sign_in_mails() -> list:
        return [m for m in smtp.messages
                if PARTNER_EMAIL in str(m["To"]) and "Anmeldelink" in str(m["Subject"])]
    await until(lambda: bool(sign_in_mails()), what="the sign-in email")
    text = sign_in_mails()[0].get_body(("plain",)).get_content()
    found = re.search(r"(https?://\S+)(/partner/anmelden/[A-Za-z0-9_-]{20,})", text)
    assert found, text
    path = found.group(2)

    # a mail scanner opens the link first: it sees a button and signs nobody in
    async with httpx.AsyncClient(base_url=service.url) as scanner:
        scanned = await scanner.get(path)
        assert scanned.status_code == 200 and "Jetzt anmelden" in scanned.text
        assert "set-cookie" not in scanned.headers
        assert (await scanner.get("/partner")).status_code == 303

    await partner.goto(path)
    await partner.get_by_role("button", name="Jetzt anmelden").click()
    await expect(partner.get_by_role("heading", name="Partner-Postfach")).to_be_visible()
    await expect(partner.locator(".inbox-nav")).to_contain_text(PARTNER)
    cards = partner.locator("article.inbox-card")
    await expect(cards).to_have_count(2)
    await expect(partner.get_by_text("Abends wäre gut")).to_be_visible()
    await shot(partner, "41-inbox")

    accept = partner.locator(f"#vermittlung-{world.to_accept}")
    await accept.get_by_role("button", name="Anfrage annehmen").click()
    await expect(partner.get_by_role("status")).to_contain_text("angenommen")

    decline = partner.locator(f"#vermittlung-{world.to_decline}")
    await decline.get_by_text("Anfrage ablehnen").click()
    await decline.locator("select[name=reason_code]").select_option("no_capacity")
    await decline.get_by_label("Erläuterung").fill("Kurse bis Februar voll")
    await decline.get_by_role("button", name="Ablehnen").click()
    await expect(partner.get_by_role("status")).to_contain_text("abgelehnt")
    await expect(partner.locator("#abgeschlossen + ul")).to_contain_text(
        f"Anfrage Nr. {world.to_decline}")
    assert (await load(world.to_accept)).status == "accepted"
    declined = await load(world.to_decline)
    assert declined.status == "declined" and declined.reason_code == "no_capacity"

    until_day = (SYSTEM_CLOCK.now().astimezone(BERLIN) + timedelta(days=21)).date()
    await partner.get_by_text("Keine Aufnahme bis …").click()
    await partner.get_by_label("Keine Aufnahme bis").fill(until_day.isoformat())
    await partner.get_by_label("Hinweis für die Koordination").fill("Alle Kurse belegt")
    await partner.get_by_role("button", name="Aufnahmestopp speichern").click()
    await expect(partner.locator(".paused")).to_contain_text(
        f"keine Aufnahme bis {day(until_day)}")
    await shot(partner, "42-inbox-paused")

    staff = await fresh_page(browser, service)
    await staff.goto("/login")
    await staff.get_by_label("E-Mail-Adresse").fill(world.coordinator.email)
    await staff.get_by_label("Passwort").fill(world.coordinator.password)
    await staff.get_by_role("button", name="Anmelden").click()
    await expect(staff.get_by_role("heading", name="Übersicht")).to_be_visible()
    await staff.goto(f"/clients/{world.client_id}/barriers/{world.free_barrier}/refer")
    row = staff.locator("li", has_text=PARTNER)
    await expect(row).to_contain_text(f"keine Aufnahme bis {day(until_day)}")
    await shot(staff, "43-picker-shows-pause")
