"""The client's side in Chromium (Playwright over `network serve`): a coordinator hands out two
leaflets from the case page and prints the bundle (the slip and the leaflets as one PDF), then
records the client's data request and produces the data report, which lists the leaflets."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF
from playwright.async_api import Browser, expect
from pypdf import PdfReader

from network.actors import Actor
from network.cases import actions
from network.clock import SYSTEM_CLOCK
from network.materials import actions as material_actions
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import client_data
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]



def leaflet(text: str, pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"{text} {number + 1}")
    return bytes(pdf.output())


async def test_a_coordinator_hands_out_leaflets_prints_the_bundle_and_answers_a_data_request(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    actor = Actor.of_user(coordinator.user)
    client = await actions.create_client(actor, SYSTEM_CLOCK, client_data(
        coordinator_id=coordinator.user.id), barrier_kinds=["housing"])  # Arabic first
    review = date(2099, 1, 1)
    for title, text, pages in (("Wohnen im Kreis", "Wohnungssuche", 2),
                               ("Willkommen im Kreis", "Ankommen", 1)):
        await material_actions.add_material(
            actor, SYSTEM_CLOCK, title=title, languages=["ar"], review_on=review,
            topic="housing" if pages == 2 else "arrival", file=leaflet(text, pages))
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        staff = await signed_in_page(browser, service.url, coordinator, accept_downloads=True)

        await staff.goto(f"/clients/{client.id}")
        offers = staff.locator("tr.material-offer")
        await expect(offers).to_have_count(2)
        for title in ("Wohnen im Kreis", "Willkommen im Kreis"):
            await offers.filter(has_text=title).get_by_role("button", name="Ausgeben").click()
            await expect(staff.locator(".material-handouts")).to_contain_text(title)
        await expect(staff.locator(".material-handouts li")).to_have_count(2)
        await staff.screenshot(path=str(ARTIFACTS / "52-material-handed-out.png"),
                               full_page=True)

        printing = staff.get_by_role("link", name="Laufzettel mit Material drucken (PDF)")
        answer = await staff.request.get(await printing.get_attribute("href") or "")
        assert answer.ok and answer.headers["content-type"] == "application/pdf"
        bundle = PdfReader(io.BytesIO(await answer.body()))

        recording = staff.locator("form[action$='/data-request']")
        await recording.get_by_label("Eingang am").fill(date.today().isoformat())
        await recording.get_by_role("button", name="Auskunftsersuchen erfassen").click()
        await expect(staff.locator("#auskunft ~ ul, section[aria-labelledby=auskunft] ul")
                     .first).to_contain_text("fällig bis")
        async with staff.expect_download() as waiting:
            await staff.get_by_role("button", name="Auskunft erstellen (PDF)").click()
        report = PdfReader(str(await (await waiting.value).path()))
    text = "\n".join(page.extract_text() for page in bundle.pages)
    assert len(bundle.pages) == 4  # the slip, two pages of one leaflet, one of the other
    assert "Wohnungssuche 2" in text and "Ankommen 1" in text
    answered = "\n".join(page.extract_text() for page in report.pages)
    assert "Ausgegebenes Informationsmaterial" in answered
    assert "Wohnen im Kreis" in answered and "Willkommen im Kreis" in answered
