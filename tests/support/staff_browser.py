"""Staff signed in to `network serve` in Chromium through the sign-in page, for the browser
tests; and the check that a page does not scroll sideways."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.support.app import MadeUser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


async def signed_in(browser: Browser, url: str, email: str, password: str,
                    **context: object) -> Page:
    """A new page in its own context (desktop size unless `viewport` is given), signed in."""
    options = {"viewport": DESKTOP, **context}
    page = await (await browser.new_context(base_url=url, locale="de-DE",
                                            **options)).new_page()  # type: ignore[arg-type]
    page.set_default_timeout(10_000)
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("button", name="Anmelden").click()
    await page.wait_for_url(lambda url: "/login" not in url)
    await expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    return page


async def signed_in_page(browser: Browser, base_url: str, user: MadeUser,
                         **context: object) -> Page:
    """A coordinator's page, signed in as `user`, on the overview."""
    page = await signed_in(browser, base_url, user.email, user.password, **context)
    await expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    return page


async def no_sideways_scrolling(page: Page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
