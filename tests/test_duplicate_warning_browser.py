"""The duplicate warning in Chromium (Playwright over `network serve`): a coordinator takes in
a person who has a case already (same birth date, the name typed another way); the intake page
shows the existing case with a link instead of opening a second one, keeps what was typed, and
opens the second case only once the coordinator confirms. Then the client list ("Meine Fälle",
who is responsible) and the case page's handover to a colleague. Screenshots at desktop width
and at 360 px."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions
from network.cases import service as cases
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import SYSTEM_ACTOR, client_data
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


async def shots(page: Page, name: str) -> None:
    """The page at desktop width and at 360 px, where it must not scroll sideways."""
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    await page.set_viewport_size(PHONE)
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    await page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    await page.set_viewport_size(DESKTOP)


async def test_a_second_case_for_the_same_person_needs_a_confirmation(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    colleague = await make_user()
    existing = await actions.create_client(Actor.of_user(coordinator.user), SYSTEM_CLOCK,
                                           client_data(first_name="Ibrahima",
                                                       last_name="Diallo",
                                                       date_of_birth=date(1999, 2, 1),
                                                       coordinator_id=coordinator.user.id))
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        page = await signed_in_page(browser, service.url, coordinator, viewport=DESKTOP)

        await page.goto("/clients/new")
        await page.get_by_label("Vorname").fill("Ibrahim")
        await page.get_by_label("Nachname").fill("DIALO")
        await page.get_by_label("Geburtsdatum").fill("1999-02-01")
        await page.get_by_label("Geschlecht").select_option("male")
        await page.get_by_label("Herkunftsland").select_option("GN")
        await page.get_by_label("Aufenthaltsstatus").select_option("toleration")
        await page.get_by_role("button", name="Aufnehmen", exact=True).click()

        warning = page.locator("section.duplicates")
        await expect(warning.get_by_role("heading",
                                         name="Diese Person gibt es vielleicht schon")
                     ).to_be_visible()
        link = warning.get_by_role("link", name="Diallo, Ibrahima")
        await expect(link).to_have_attribute("href", f"/clients/{existing.id}")
        await expect(warning).to_contain_text("geboren 01.02.1999")
        await expect(warning).to_contain_text(f"zuständig: {coordinator.user.display_name}")
        await expect(page.get_by_label("Nachname")).to_have_value("DIALO")  # kept
        assert (await cases.list_clients(SYSTEM_ACTOR)).total == 1
        await shots(page, "60-intake-duplicate-warning")

        # Without the confirmation, nothing is opened: the warning stays.
        await warning.get_by_role("button", name="Trotzdem aufnehmen").click()
        await expect(page.locator("section.duplicates")).to_be_visible()
        assert (await cases.list_clients(SYSTEM_ACTOR)).total == 1

        warning = page.locator("section.duplicates")
        await warning.get_by_label("trotzdem neu aufnehmen").check()
        await warning.get_by_role("button", name="Trotzdem aufnehmen").click()
        await expect(page.get_by_role("status")).to_contain_text("aufgenommen")
        await expect(page.get_by_role("heading", name="Ibrahim DIALO")).to_be_visible()
        assert (await cases.list_clients(SYSTEM_ACTOR)).total == 2

        # The case page says who is responsible; the case goes to a colleague.
        responsible = page.locator("section.responsible")
        await expect(responsible).to_contain_text(coordinator.user.display_name)
        await responsible.locator("summary").click()
        await shots(page, "61-case-responsible")
        await responsible.get_by_label("Übergeben an").select_option(str(colleague.user.id))
        await responsible.get_by_role("button", name="Fall übergeben").click()
        await expect(page.get_by_role("status")).to_contain_text("Der Fall ist übergeben")
        await expect(page.locator("section.responsible")).to_contain_text(
            colleague.user.display_name)

        # "Meine Fälle" first: the handed-over case is the colleague's now.
        await page.goto("/clients")
        await expect(page.get_by_label("Ansicht")).to_have_value("mine")
        await expect(page.get_by_role("link", name="Diallo, Ibrahima")).to_be_visible()
        await expect(page.get_by_role("link", name="DIALO, Ibrahim")).to_have_count(0)
        await page.get_by_label("Ansicht").select_option("all")
        await expect(page.get_by_role("link", name="DIALO, Ibrahim")).to_be_visible()
        await page.get_by_label("Name oder Fallnummer").fill("dialo")
        await expect(page.get_by_role("link", name="Diallo, Ibrahima")).to_be_visible()
        await expect(page.locator("#treffer")).to_contain_text(colleague.user.display_name)
        await shots(page, "62-clients-search-all")
