"""An Arabic letter of invitation in Chromium (over `network serve`): a coordinator opens the
letter of a prospect whose first language is Arabic, sees it laid out right to left with the
appointment of the latest invitation, prints it (print media: no toolbar, one A4 page), and
switches it to English; both prints are audited. Screenshots at desktop width and at 360 px
land in tests/artifacts/."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect
from pypdf import PdfReader

from network.transactions import transaction
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.outreach_rows import contact, prospect
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def test_a_coordinator_prints_an_arabic_letter_of_invitation(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    amal = await prospect(datetime(2026, 11, 2, 9, tzinfo=UTC), languages=["ar", "de"],
                          first_name="Amal", last_name="Haddad",
                          shelter="Unterkunft Wassenberg, Zimmer 12",
                          address="Roermonder Straße 10, 41849 Wassenberg")
    await contact(amal, date(2026, 11, 9), "invited", channel="shelter_visit",
                  appointment_at=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
                  appointment_place="Kreishaus Heinsberg, Raum 2.14")
    with served(tmp_path, pool, SCHEDULER_ENABLED="false",
                INTEGRATION_POINT_ADDRESS="Valkenburger Straße 45; 52525 Heinsberg",
                INTEGRATION_POINT_PHONE="+49 2452 13-0") as service:
        page = await signed_in_page(browser, service.url, coordinator)

        await page.goto(f"/outreach/prospects/{amal}/letter")
        title = page.get_by_role("heading", name="دعوة إلى لقاء")
        await expect(title).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("dir", "rtl")
        await expect(page.locator("html")).to_have_attribute("lang", "ar")
        appointment = page.locator(".appointment")
        for text in ("الخميس", "03.12.2026", "10:30", "Kreishaus Heinsberg, Raum 2.14"):
            await expect(appointment).to_contain_text(text)
        await expect(page.locator(".recipient")).to_contain_text("Amal Haddad")
        await expect(page.locator(".letter-sender")).to_contain_text("52525 Heinsberg")
        await expect(page.locator(".contact")).to_contain_text(coordinator.email)
        # Right to left for real: the heading starts at the letter's right edge; the
        # letterhead keeps the German postal layout (the recipient on the left, where a
        # window envelope shows it).
        letter = await page.locator("main.letter").bounding_box()
        heading = await title.bounding_box()
        recipient = await page.locator(".recipient").bounding_box()
        sender = await page.locator(".letter-sender").bounding_box()
        assert letter and heading and recipient and sender
        assert await title.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert letter["x"] + letter["width"] - (heading["x"] + heading["width"]) < 120
        assert recipient["x"] < sender["x"]
        assert await page.locator(".letterhead").evaluate(
            "e => getComputedStyle(e).direction") == "ltr"
        await page.screenshot(path=str(ARTIFACTS / "outreach-letter-ar-desktop.png"),
                              full_page=True)

        await page.emulate_media(media="print")
        await expect(page.locator("nav.toolbar")).to_be_hidden()
        pdf = await page.pdf(format="A4")
        (ARTIFACTS / "outreach-letter-ar.pdf").write_bytes(pdf)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # one sheet for the envelope
        await page.emulate_media(media="screen")

        await page.set_viewport_size({"width": 360, "height": 800})
        await expect(title).to_be_visible()
        assert await page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        await page.screenshot(path=str(ARTIFACTS / "outreach-letter-ar-360.png"), full_page=True)

        await page.get_by_role("link", name="English").click()
        await expect(page.get_by_role("heading", name="Invitation to a meeting")).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("dir", "ltr")
        await expect(page.locator(".appointment")).to_contain_text("Thursday")

        await page.emulate_media(media="print")  # every language fits one A4 sheet
        for code in ("de", "fa", "ti"):
            await page.goto(f"/outreach/prospects/{amal}/letter?sprache={code}")
            await expect(page.locator("html")).to_have_attribute("lang", code)
            assert len(PdfReader(io.BytesIO(await page.pdf(format="A4"))).pages) == 1, code
        await page.context.close()

    async with transaction() as connection:
        printed_in = await connection.fetch(
            "SELECT details->>'language' AS language FROM audit_log"
            " WHERE action = 'prospect.letter_printed' AND entity_id = $1 ORDER BY id",
            str(amal))
    assert [row["language"] for row in printed_in] == [
        "ar", "en", "de", "fa", "ti"]  # each page load audited
