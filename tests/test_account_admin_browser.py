"""Deactivating an account in Chromium (issue 15): an administrator opens a coordinator's
account from the list and deactivates it; the coordinator, signed in elsewhere, is signed out
at the next click. Screenshots of the account page at desktop width and at 360 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from network.accounts import password_reset
from network.accounts.tokens import keyed_digest
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.staff_browser import PHONE, no_sideways_scrolling, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET_KEY = "browser-test-secret-" + "y" * 32  # as tests.support.browser.served sets it


async def test_an_administrator_deactivates_an_account_and_its_session_ends(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    admin = await make_user(role="admin", email="leitung@jobcenter.example")
    coordinator = await make_user(email="koordination@jobcenter.example")
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        staff = await signed_in(browser, service.url, coordinator.email, coordinator.password)
        await staff.goto("/clients")
        await expect(staff.get_by_role("heading", level=1)).to_be_visible()

        desk = await signed_in(browser, service.url, admin.email, admin.password)
        await desk.goto("/admin/users")
        await desk.get_by_role("link", name=coordinator.user.display_name).click()
        zugang = desk.locator("section[aria-labelledby=konto-zugang]")
        await expect(zugang.get_by_role("button", name="Konto deaktivieren")).to_be_visible()
        await desk.screenshot(path=str(ARTIFACTS / "15-account-active.png"), full_page=True)
        await zugang.get_by_role("button", name="Konto deaktivieren").click()
        await expect(desk.get_by_role("status")).to_contain_text("Das Konto ist deaktiviert")
        await expect(desk.locator(".badge.off")).to_have_text("deaktiviert")
        await expect(zugang.get_by_role("button", name="Konto wieder aktivieren")).to_be_visible()
        await desk.screenshot(path=str(ARTIFACTS / "15-account-deactivated.png"),
                              full_page=True)
        await desk.set_viewport_size(PHONE)
        assert await no_sideways_scrolling(desk)
        await desk.screenshot(path=str(ARTIFACTS / "15-account-deactivated-360.png"),
                              full_page=True)

        # the coordinator's session ended with it: the next click leads to the sign-in page
        await staff.get_by_role("link", name="Vermittlungen").click()
        await expect(staff).to_have_url(re.compile(r"/login"))
        await expect(staff.get_by_role("heading", name="Anmelden")).to_be_visible()
        await staff.get_by_label("E-Mail-Adresse").fill(coordinator.email)
        await staff.get_by_label("Passwort").fill(coordinator.password)
        await staff.get_by_role("button", name="Anmelden").click()
        await expect(staff.get_by_role("alert")).to_contain_text("falsch")

        await desk.get_by_role("button", name="Konto wieder aktivieren").click()
        await expect(desk.locator(".badge.ok")).to_have_text("aktiv")
        assert await no_sideways_scrolling(desk)
        await desk.set_viewport_size({"width": 1280, "height": 900})
        await desk.get_by_role("button", name="Link für neues Passwort senden").click()
        await expect(desk.get_by_role("status")).to_contain_text("per E-Mail unterwegs")
        await desk.screenshot(path=str(ARTIFACTS / "15-account-reset-link-sent.png"),
                              full_page=True)

        # the page a reset link opens (the link as the dispatcher would fill it in)
        sealed = await password_reset.issue(SECRET_KEY, coordinator.user.id, None,
                                            SYSTEM_CLOCK.now())
        seed = sealed.placeholder.removeprefix("[[password-reset:").removesuffix("]]")
        token = keyed_digest(SECRET_KEY, password_reset.PURPOSE, seed)
        await staff.goto(f"/passwort-neu/{token}")
        await staff.locator("#new_password").fill("a brand new passphrase")
        await staff.locator("#new_password_repeat").fill("a brand new passphrase")
        await staff.screenshot(path=str(ARTIFACTS / "15-password-reset.png"), full_page=True)
        await staff.set_viewport_size(PHONE)
        assert await no_sideways_scrolling(staff)
        await staff.screenshot(path=str(ARTIFACTS / "15-password-reset-360.png"),
                               full_page=True)
        await staff.get_by_role("button", name="Passwort speichern").click()
        await expect(staff.get_by_role("status")).to_contain_text("neues Passwort")
        await staff.get_by_label("E-Mail-Adresse").fill(coordinator.email)
        await staff.get_by_label("Passwort").fill("a brand new passphrase")
        await staff.get_by_role("button", name="Anmelden").click()
        await expect(staff.get_by_role("button", name="Abmelden")).to_be_visible()
