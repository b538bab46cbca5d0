"""The whole way of a referral in a real browser: a coordinator takes in a client, records a
barrier and consent and refers it to a partner; the service's scheduler sends the partner's
email to a real SMTP server; the link from that email, opened in a fresh browser context (no
cookies, no account), accepts the referral; the coordinator then sees the new status.
Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.clock import SYSTEM_CLOCK
from network.partners import actions as partner_actions
from tests.support.app import MadeUser, MakeUser
from tests.support.browser import ARTIFACTS, require_chromium, served
from tests.support.cli_process import Service
from tests.support.factories import partner_data
from tests.support.polling import until
from tests.support.smtp_server import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNER = "Sprachschule Erkelenz"
PARTNER_EMAIL = "anmeldung@sprachschule-erkelenz.example"



@pytest.fixture
async def world(pool: str, make_user: MakeUser, smtp: SmtpServer, tmp_path: Path
                ) -> AsyncIterator[tuple[Service, MadeUser]]:
    chromium = require_chromium()
    coordinator = await make_user(role="coordinator")
    await partner_actions.create_partner(Actor.of_user(coordinator.user), SYSTEM_CLOCK,
                                         partner_data(
        name=PARTNER, kind="course_provider", languages=("de", "ti"),
        barrier_kinds=("language",), city="Erkelenz", referral_emails=(PARTNER_EMAIL,)))
    with served(tmp_path, pool, SMTP_URL=smtp.url,
                SCHEDULER_ENABLED="true", MAIL_DISPATCH_SECONDS="1") as service:
        service.chromium = chromium  # type: ignore[attr-defined]
        yield service, coordinator


@pytest.fixture
async def browser(world: tuple[Service, MadeUser], browser: Browser) -> Browser:
    """The process's Chromium (conftest's `browser`), once the world is served."""
    ARTIFACTS.mkdir(exist_ok=True)
    return browser


async def fresh_page(browser: Browser, service: Service) -> Page:
    """A new context: its own cookies (none), as on another person's computer."""
    context = await browser.new_context(base_url=service.url, locale="de-DE",
                                        viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return await context.new_page()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def take_in_and_refer(page: Page, coordinator: MadeUser) -> int:
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(coordinator.email)
    await page.get_by_label("Passwort").fill(coordinator.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()

    await page.goto("/clients/new")
    await page.get_by_label("Vorname").fill("Yonas")
    await page.get_by_label("Nachname").fill("Gebremedhin")
    await page.get_by_label("Geburtsdatum").fill("1991-07-14")
    await page.get_by_label("Geschlecht").select_option("male")
    await page.get_by_label("Herkunftsland").select_option("ER")
    await page.get_by_label("Aufenthaltsstatus").select_option("permission_to_reside")
    await page.get_by_label("Programmteilnahme").check()
    await page.get_by_label("Begründung der Aufnahme").fill("Anerkennung zu erwarten")
    await page.get_by_label("Sprache 1").select_option("ti")
    await page.locator("#languages-0-level").select_option("C2")
    await page.get_by_role("button", name="Aufnehmen").click()
    await expect(page.get_by_role("heading", name="Yonas Gebremedhin")).to_be_visible()

    await page.get_by_text("Hindernis erfassen").click()
    await page.get_by_label("Art des Hindernisses").select_option("language")
    await page.get_by_label("Beschreibung").first.fill("Deutschkurs A2 gesucht")
    await page.get_by_role("button", name="Hindernis speichern").click()
    await page.get_by_text("Einwilligung erfassen").click()
    await page.get_by_label("Kursträger").check()
    await page.get_by_role("button", name="Einwilligung speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("Einwilligung ist erfasst")

    await page.get_by_role("link", name="An Partner vermitteln").first.click()
    await page.get_by_role("radio", name=re.compile(PARTNER)).check()
    await page.get_by_label("Nachricht an den Partner").fill("Am liebsten vormittags")
    await page.get_by_role("button", name="Jetzt senden").click()
    await expect(page.get_by_role("status")).to_contain_text("an den Partner gesendet")
    return int(re.search(r"/referrals/(\d+)", page.url).group(1))


async def test_the_partner_accepts_from_the_emailed_link_and_the_coordinator_sees_it(
        world: tuple[Service, MadeUser], browser: Browser, smtp: SmtpServer) -> None:
    service, coordinator = world
    page = await fresh_page(browser, service)
    referral_id = await take_in_and_refer(page, coordinator)
    await page.goto("/")
    await expect(page.locator("#wartend + div")).to_contain_text(f"Vermittlung {referral_id}")

    def partner_mails() -> list:
        return [m for m in smtp.messages if PARTNER_EMAIL in str(m["To"])]
    await until(lambda: bool(partner_mails()), what="the partner's email")  # the scheduler
    text = partner_mails()[0].get_body(("plain",)).get_content()
    assert "Yonas G." in text and "Gebremedhin" not in text  # first name, initial only
    link = re.search(r"(/p/[A-Za-z0-9_-]{20,})", text)
    assert link, text

    partner = await fresh_page(browser, service)
    assert await partner.context.cookies() == []
    await partner.goto(link.group(1))
    await expect(partner.get_by_text("Deutschkurs A2 gesucht")).to_have_count(0)  # stays inside
    await expect(partner.get_by_text("Am liebsten vormittags")).to_be_visible()
    await shot(partner, "20-partner-page")
    await partner.get_by_role("button", name="Anfrage annehmen").click()
    await expect(partner.get_by_text("Sie haben die Anfrage angenommen")).to_be_visible()
    await shot(partner, "21-partner-accepted")

    await page.goto("/")
    await expect(page.locator("#wartend + div, #wartend + p")) \
        .not_to_contain_text(f"Vermittlung {referral_id}")
    answers = page.locator("#antworten + div")
    await expect(answers).to_contain_text(f"Vermittlung {referral_id}")
    await expect(answers).to_contain_text("angenommen")
    await shot(page, "22-dashboard-after-accept")
    await page.goto(f"/referrals/{referral_id}")
    await expect(page.locator(".title-row .badge").first).to_have_text("angenommen")
    await expect(page.locator(".timeline")).to_contain_text("angenommen")
    await shot(page, "23-referral-accepted")
    await expect(page.locator("#erinnerungen ~ div table").first) \
        .to_contain_text("Nachfrage beim Partner: Ergebnis")

    await page.get_by_role("link", name="Berichte").click()
    await expect(page.get_by_role("heading", name="Berichte")).to_be_visible()
    await page.get_by_role("button", name="Bericht erstellen").click()
    await expect(page.get_by_role("status")).to_contain_text("neue Fassung")
    await expect(page.get_by_role("link", name=re.compile(r"Fassung 1\) ansehen"))).to_be_visible()
    await shot(page, "24-reports")
