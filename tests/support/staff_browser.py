"""A staff member signed in through the sign-in page in a fresh Chromium context."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


async def signed_in(browser: Browser, url: str, email: str, password: str) -> Page:
    page = await (await browser.new_context(base_url=url, locale="de-DE",
                                            viewport=DESKTOP)).new_page()
    page.set_default_timeout(10_000)
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    return page


async def no_sideways_scrolling(page: Page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
