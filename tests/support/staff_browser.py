"""A coordinator signed in to `network serve` in Chromium, for the browser tests."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.support.app import MadeUser


async def signed_in_page(browser: Browser, base_url: str, user: MadeUser,
                         **context: object) -> Page:
    """A new page in its own context, signed in as `user`, on the overview."""
    page = await (await browser.new_context(base_url=base_url, locale="de-DE",
                                            **context)).new_page()  # type: ignore[arg-type]
    page.set_default_timeout(10_000)
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(user.email)
    await page.get_by_label("Passwort").fill(user.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    return page
