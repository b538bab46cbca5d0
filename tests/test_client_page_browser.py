"""The client's own page in Chromium (Playwright over `network serve`): a coordinator creates
the link on the case page, the slip prints its QR code and short link, the page opened from
that link speaks the client's language (Arabic right to left, Tigrinya) under its strict
policy, and after the coordinator revokes the link it shows only the not-valid page.
Screenshots: tests/artifacts/50-client-page-ar.png, 51-client-page-ti.png."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions, barriers
from network.cases.service import LanguageSkill
from network.cases.values import CefrLevel
from network.clock import SYSTEM_CLOCK
from network.partners import actions as partner_actions
from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import client_data, partner_data
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]



async def referred_client(coordinator: MadeUser, partner_id: int, **data: object
                          ) -> tuple[int, int]:
    actor = Actor.of_user(coordinator.user)
    client = await actions.create_client(actor, SYSTEM_CLOCK, client_data(
        coordinator_id=coordinator.user.id, **data), barrier_kinds=["housing"])
    await actions.give_consent(actor, SYSTEM_CLOCK, client.id, ["association"])
    barrier = (await barriers.list_barriers(actor, client.id))[0]
    await actions.update_barrier(actor, SYSTEM_CLOCK, barrier.id,
                                 {"description": "Wohnung schimmelt"})
    referral = (await acting.create_referral(NewReferral(barrier.id, partner_id, "sent"),
                                             coordinator.user.id)).referral
    return client.id, referral.id


async def link_from_slip(page: Page, client_id: int, referral_id: int) -> str:
    """Create the link on the case page; the path the slip's short link points to."""
    await page.goto(f"/clients/{client_id}")
    await page.get_by_role("button", name="Link erzeugen").click()
    await expect(page.locator("code.client-page-link")).to_be_visible()
    await page.goto(f"/referrals/{referral_id}/slip")
    await expect(page.locator(".own-page .qr svg")).to_be_visible()
    printed = await page.locator(".own-page-link").inner_text()
    assert re.fullmatch(r"https?://\S+/k/[0-9a-f]{40}", printed)
    return urlsplit(printed).path


async def test_a_client_opens_their_page_from_the_slip_until_it_is_revoked(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    partner = await partner_actions.create_partner(Actor.system("tests"), SYSTEM_CLOCK,
                                                   partner_data(name="Caritas Heinsberg"))
    arabic = await referred_client(coordinator, partner.id)  # Amal Haddad, Arabic first
    tigrinya = await referred_client(
        coordinator, partner.id, first_name="Helen", last_name="Tesfamariam",
        languages=(LanguageSkill("ti", CefrLevel.C2),))
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        staff = await signed_in_page(browser, service.url, coordinator)
        arabic_path = await link_from_slip(staff, *arabic)
        tigrinya_path = await link_from_slip(staff, *tigrinya)

        # the client's phone: no session, a phone-sized screen
        phone = await (await browser.new_context(
            base_url=service.url, viewport={"width": 390, "height": 844})).new_page()
        problems: list[str] = []
        phone.on("console", lambda message: problems.append(message.text)
                 if "Content Security Policy" in message.text else None)
        answer = await phone.goto(arabic_path)
        assert answer is not None and answer.status == 200
        assert await phone.locator("html").get_attribute("dir") == "rtl"
        await expect(phone.get_by_role("heading", level=1)).to_contain_text("Amal")
        await expect(phone.get_by_role("heading", name="Caritas Heinsberg")).to_be_visible()
        body = await phone.locator("body").inner_text()
        assert "Haddad" not in body and "schimmelt" not in body
        assert await phone.locator("main").evaluate(  # the stylesheet applies
            "m => getComputedStyle(m).maxWidth") != "none"
        await phone.screenshot(path=str(ARTIFACTS / "50-client-page-ar.png"), full_page=True)

        answer = await phone.goto(tigrinya_path)
        assert answer is not None and answer.status == 200
        assert await phone.locator("html").get_attribute("lang") == "ti"
        assert await phone.locator("html").get_attribute("dir") == "ltr"
        await expect(phone.get_by_role("heading", level=1)).to_contain_text("ሰላም Helen")
        await expect(phone.get_by_text("መንበሪ ገዛ")).to_be_visible()  # housing, in Tigrinya
        assert "Tesfamariam" not in await phone.locator("body").inner_text()
        await phone.screenshot(path=str(ARTIFACTS / "51-client-page-ti.png"), full_page=True)

        await staff.goto(f"/clients/{arabic[0]}")
        await staff.get_by_role("button", name="Link widerrufen").click()
        await expect(staff.locator("code.client-page-link")).to_have_count(0)
        answer = await phone.goto(arabic_path)
        assert answer is not None and answer.status == 404
        await expect(phone.get_by_role("heading", name="Link nicht gültig")).to_be_visible()
        assert "Amal" not in await phone.locator("body").inner_text()
        assert (await phone.goto(tigrinya_path)).status == 200  # the other one still opens
    assert problems == []
