"""In Chromium (Playwright over `network serve`): a coordinator prints the blank consent form
in the client's language and attaches the signed form (a photo) to the consent on the case
page, then opens it; a partner accepts a referral on its link page and gives the appointment,
which the coordinator finds on the referral, the dashboard and the client's slip. Screenshots
of the changed pages at desktop width and at 360 px go to tests/artifacts/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import BERLIN, SYSTEM_CLOCK
from network.links.tokens import fill_links, issue_sealed_link
from network.transactions import transaction
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import client_data
from tests.support.pages import sent
from tests.support.referral_world import make_world
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "browser-test-secret-" + "y" * 32  # what tests.support.browser.served gives
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048  # the bytes of a (tiny) photo of the form
PLACE = "Caritas, Westpromenade 12, Raum 2"


async def shots(page: Page, name: str, mine: str) -> None:
    """The page at desktop width and at 360 px, where what this change added (`mine`, a CSS
    selector) fits the width. (Whole pages scrolling sideways at 360 px is issue 15's
    layout part, not this one's.)"""
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    await page.set_viewport_size({"width": 360, "height": 780})
    await page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    widest = await page.locator(mine).evaluate_all(
        "nodes => Math.max(...nodes.flatMap(n => [n, ...n.querySelectorAll('*')])"
        ".map(e => e.getBoundingClientRect().right))")
    assert widest <= 360, (name, widest)
    await page.set_viewport_size({"width": 1280, "height": 900})


async def test_a_coordinator_prints_the_consent_form_and_attaches_the_signed_one(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    actor = Actor.of_user(coordinator.user)
    client = await case_actions.create_client(actor, SYSTEM_CLOCK, client_data(
        coordinator_id=coordinator.user.id), barrier_kinds=["housing"])  # Arabic first
    await case_actions.give_consent(actor, SYSTEM_CLOCK, client.id, ["association"])
    photo = tmp_path / "einwilligung.png"
    photo.write_bytes(PHOTO)
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        page = await signed_in_page(browser, service.url, coordinator)
        await page.goto(f"/clients/{client.id}#einwilligung")
        section = page.locator("section[aria-labelledby=einwilligung]")
        language = section.get_by_label("Einwilligungsformular in")
        await expect(language).to_have_value("ar")  # the client's first language
        await section.get_by_role("button", name="Drucken (PDF)").click()
        await page.wait_for_url(f"**/clients/{client.id}/einwilligungsformular?sprache=ar")
        answer = await page.request.get(page.url)  # what the browser's PDF viewer shows
        assert answer.ok and answer.headers["content-type"] == "application/pdf"
        assert (await answer.body()).startswith(b"%PDF-")
        await page.goto(f"/clients/{client.id}#einwilligung")

        await section.get_by_text("Unterschriebenes Formular hinterlegen").click()
        await section.get_by_label("Scan oder Foto").set_input_files(str(photo))
        await section.get_by_role("button", name="Hochladen").click()
        await expect(page.get_by_role("status")).to_contain_text("Formular ist hinterlegt")
        opening = section.get_by_role("link", name="Unterschriebenes Formular öffnen")
        await expect(opening).to_be_visible()
        await shots(page, "60-consent-form-attached", ".consent-form, .consent-print")
        opened = await page.request.get(await opening.get_attribute("href") or "")
        assert opened.ok and await opened.body() == PHOTO
        assert opened.headers["content-type"] == "image/png"

        # a file that is no PDF or photo: the field says so, the attached one stays
        wrong = tmp_path / "notiz.txt"
        wrong.write_text("keine Einwilligung")
        await section.get_by_text("Formular ersetzen").click()
        await section.get_by_label("Scan oder Foto").set_input_files(str(wrong))
        await section.get_by_role("button", name="Hochladen").click()
        await expect(page.locator(".consent-form .field-error")).to_contain_text(
            "Nur PDF-, PNG- oder JPEG-Dateien")
        await shots(page, "61-consent-form-refused", ".consent-form, .consent-print")


async def partner_link(referral_id: int, partner_id: int) -> str:
    async with transaction():
        sealed = await issue_sealed_link(SECRET, referral_id, partner_id,
                                         datetime.now(UTC), timedelta(days=14))
    return fill_links(sealed.placeholder, "", SECRET)


async def test_the_partner_gives_an_appointment_that_the_slip_shows(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    world = await make_world()  # Amal Haddad, Arabic first
    referral_id = await sent(world, coordinator)
    link = await partner_link(referral_id, world.caritas.id)
    day = datetime.now(BERLIN).date() + timedelta(days=7)
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        context = await browser.new_context(base_url=service.url, locale="de-DE",
                                            viewport={"width": 1280, "height": 900})
        partner = await context.new_page()
        partner.set_default_timeout(10_000)
        await partner.goto(link)
        await partner.get_by_text("Termin für die Person gleich mitteilen").click()
        await partner.get_by_label("Tag").fill(day.isoformat())
        await partner.get_by_label("Uhrzeit").fill("10:30")
        await partner.get_by_label("Ort (Adresse, Raum)").fill(PLACE)
        await shots(partner, "62-partner-accepts-with-appointment", "form.accept")
        await partner.get_by_role("button", name="Anfrage annehmen").click()
        await expect(partner.get_by_text("Sie haben die Anfrage angenommen")).to_be_visible()

        page = await signed_in_page(browser, service.url, coordinator)
        upcoming = page.locator("#termine + div")
        await expect(upcoming).to_contain_text(f"{day:%d.%m.%Y}, 10:30")
        await expect(upcoming).to_contain_text(PLACE)
        await shots(page, "63-dashboard-appointments", "#termine")
        await upcoming.get_by_role("link", name=f"Vermittlung {referral_id}").click()
        appointment = page.locator("section.appointment")
        await expect(appointment).to_contain_text(f"{day:%d.%m.%Y}, 10:30 Uhr")
        await expect(appointment).to_contain_text("vom Partner")
        await shots(page, "64-referral-appointment", "section.appointment")

        await page.goto(f"/referrals/{referral_id}/slip")  # Arabic, the first language
        await expect(page.locator(".slip-appointment")).to_contain_text("موعدك")
        await expect(page.locator(".slip-appointment")).to_contain_text("10:30")
        await expect(page.locator(".slip-appointment")).to_contain_text(PLACE)
        await shots(page, "65-slip-appointment-ar", ".slip-appointment")
        await page.goto(f"/referrals/{referral_id}/slip?sprache=de")
        await expect(page.locator(".slip-appointment")).to_contain_text("Ihr Termin")
        await shots(page, "66-slip-appointment-de", ".slip-appointment")
