"""In Chromium (issue 15): a partner fills in "Pausieren" with a reason and a day while the
referral changes hands; sending it changes nothing and the form comes back filled in; sent
again, the referral is on hold until that day, which the partner's page and the coordinator's
referral page show. Screenshots at desktop width and at 360 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.links.tokens import issue_sealed_link, sealed_token
from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.referral_world import make_world
from tests.support.staff_browser import DESKTOP, PHONE, no_sideways_scrolling, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET_KEY = "browser-test-secret-" + "y" * 32  # as tests.support.browser.served sets it
REASON = "Die Person beginnt erst einen Sprachkurs; danach geht es bei uns weiter."


async def fits_a_phone(page: Page, name: str) -> None:
    await page.set_viewport_size(PHONE)
    await page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    assert await no_sideways_scrolling(page)
    await page.set_viewport_size(DESKTOP)


async def test_a_partners_hold_form_survives_a_change_and_the_day_shows(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    first, second = await make_user(), await make_user()
    world = await make_world()
    referral = (await acting.create_referral(NewReferral(
        world.barrier_id, world.caritas.id, "sent"), first.user.id)).referral
    await acting.transition(referral.id, "accepted", "partner", None)
    link = await issue_sealed_link(SECRET_KEY, referral.id, world.caritas.id,
                                   datetime.now(UTC), timedelta(days=60))
    seed = re.fullmatch(r"\[\[partner-link:(.+)\]\]", link.placeholder).group(1)
    until = datetime.now(UTC).date() + timedelta(days=21)
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        partner = await (await browser.new_context(base_url=service.url, locale="de-DE",
                                                   viewport=DESKTOP)).new_page()
        partner.set_default_timeout(10_000)
        await partner.goto(f"/p/{sealed_token(SECRET_KEY, seed)}")
        await partner.locator("summary", has_text="Pausieren").click()
        await partner.locator("#hold-text").fill(REASON)
        await partner.locator("#hold-until").fill(until.isoformat())
        # meanwhile the referral goes to another coordinator (its version moves on)
        await acting.hand_over_to_coordinator(referral.id, second.user.id, first.user.id)
        await partner.get_by_role("button", name="Pausieren").click()

        await expect(partner.get_by_role("status")).to_contain_text("Ihre Eingaben sind erhalten")
        await expect(partner.locator("#hold-text")).to_have_value(REASON)
        await expect(partner.locator("#hold-until")).to_have_value(
            until.isoformat())
        await partner.screenshot(path=str(ARTIFACTS / "15-partner-form-kept.png"),
                                 full_page=True)
        await fits_a_phone(partner, "15-partner-form-kept")

        await partner.get_by_role("button", name="Pausieren").click()
        await expect(partner.locator("dl.facts")).to_contain_text(
            f"Pausiert bis{until:%d.%m.%Y}")
        await partner.screenshot(path=str(ARTIFACTS / "15-partner-on-hold.png"), full_page=True)

        staff = await signed_in(browser, service.url, second.email, second.password)
        await staff.goto(f"/referrals/{referral.id}")
        await expect(staff.locator("section[aria-labelledby=stand]")).to_contain_text(
            f"Pausiert bis{until:%d.%m.%Y}")
        await staff.screenshot(path=str(ARTIFACTS / "15-referral-on-hold.png"), full_page=True)
        await staff.set_viewport_size(PHONE)
        await staff.screenshot(path=str(ARTIFACTS / "15-referral-on-hold-360.png"),
                               full_page=True)
