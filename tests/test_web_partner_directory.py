"""A partner hands a referral over through a long directory in a real browser, on a phone's
screen: the search on the link page is a GET of the page itself (the address keeps the link,
the search replaces the query, the section stays open), its matches fill the select, and the
handoff goes to the partner chosen from them. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from network.referrals.service import load
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, require_chromium, served
from tests.support.partner_link import link_in, send_referral
from tests.support.polling import until
from tests.support.referral_world import housing_helpers, make_world
from tests.support.smtp_server import SmtpServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_partner_searches_the_directory_and_hands_over_on_a_phone(
        pool: str, make_user: MakeUser, smtp: SmtpServer, browser: Browser,
        tmp_path: Path) -> None:
    require_chromium()
    coordinator = await make_user(role="coordinator")
    world = await make_world()
    helpers = await housing_helpers()
    chosen = helpers[3]  # Wohnhilfe 04, in Düren
    with served(tmp_path, pool, SMTP_URL=smtp.url, SCHEDULER_ENABLED="true",
                MAIL_DISPATCH_SECONDS="1") as service:
        async with httpx.AsyncClient(base_url=service.url) as api:  # sealed by its key
            referral_id = await send_referral(api, coordinator, world)
        await until(lambda: bool(smtp.messages), what="the partner's email")
        link = link_in(smtp.messages[0])
        context = await browser.new_context(base_url=service.url, locale="de-DE",
                                            viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        page = await context.new_page()
        await page.goto(link)
        await page.get_by_text("An einen anderen Partner weitergeben").click()
        found = page.locator("#handoff-found")
        await expect(found).to_contain_text("32 Partner nehmen Anliegen dieser Art an")
        await expect(page.locator("#handoff-partner option")).to_have_count(1)

        await page.get_by_label("Partner suchen (Name, Ort oder Postleitzahl)").fill("düren 04")
        await page.get_by_role("button", name="Suchen").click()
        await expect(found).to_have_text("1 Partner passt zu „düren 04“.")
        assert page.url.startswith(service.url + link + "?suche=")
        assert page.url.endswith("#weitergabe")
        await expect(page.locator("#weitergabe")).to_have_attribute("open", "")
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "50-partner-directory-search.png"),
                              full_page=True)

        await page.locator("#handoff-partner").select_option(str(chosen.id))
        await page.locator("#handoff-reason").select_option("not_our_service")
        await page.get_by_role("button", name="Weitergeben").click()
        await expect(page.get_by_role("status")).to_contain_text("weitergegeben")
    closed = await load(referral_id)
    assert closed.status == "declined" and closed.handed_off_to is not None
    assert (await load(closed.handed_off_to)).partner_id == chosen.id
