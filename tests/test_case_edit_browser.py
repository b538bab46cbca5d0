"""Issue 15 in Chromium (Playwright over `network serve`): a coordinator corrects a client's
name, phone and languages (the main language moved first) and a barrier's description from
the case page, adds a dated consultation note, and finds each in the case's history, the
edits with before and after. Screenshots at desktop width and at 360 px, where the edit pages
and the history section fit the width. (The case page as a whole scrolls sideways at 360 px
because of its contact facts, a long email address: the global layout's work in issue 15.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import client_data
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


async def fits(page: Page, selector: str) -> None:
    """Nothing in `selector` reaches past the right edge of the window."""
    wide = await page.evaluate(
        "s => [...document.querySelectorAll(s + ', ' + s + ' *')].filter(e =>"
        " e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".map(e => e.tagName + '.' + e.className)", selector)
    assert wide == [], f"{page.url}: {selector} is wider than 360 px: {wide}"


async def shoot(page: Page, name: str, selector: str = "main") -> None:
    """The page at desktop width, then at 360 px, where `selector` must fit the width."""
    await page.set_viewport_size(DESKTOP)
    await page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    await page.set_viewport_size(PHONE)
    await fits(page, selector)
    await page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    await page.set_viewport_size(DESKTOP)


async def test_a_coordinator_edits_a_client_and_a_barrier_and_adds_a_note(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user()
    actor = Actor.of_user(coordinator.user)
    client = await actions.create_client(actor, SYSTEM_CLOCK, client_data(
        coordinator_id=coordinator.user.id), barrier_kinds=["housing"])  # Arabic C2, German A2
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        staff = await signed_in_page(browser, service.url, coordinator, viewport=DESKTOP)

        # the client's master data, contact and languages
        await staff.goto(f"/clients/{client.id}")
        await staff.get_by_role("link", name="Angaben bearbeiten").click()
        await expect(staff.get_by_label("Nachname")).to_have_value("Haddad")
        await expect(staff.get_by_label("Sprache 1 (Hauptsprache)")).to_have_value("ar")
        await shoot(staff, "15-edit-client")
        await staff.get_by_label("Nachname").fill("Haddat")
        await staff.get_by_label("Telefon").fill("+49 2452 555 99")
        await staff.get_by_label("Sprache 1 (Hauptsprache)").select_option("de")
        await staff.locator("#languages-0-level").select_option("B1")
        await staff.get_by_label("Sprache 2", exact=True).select_option("ar")
        await staff.locator("#languages-1-level").select_option("C2")
        await staff.get_by_role("button", name="Änderungen speichern").click()

        await expect(staff.get_by_role("heading", name="Amal Haddat")).to_be_visible()
        await expect(staff.get_by_text("Die Angaben sind gespeichert")).to_be_visible()
        facts = staff.locator("section[aria-labelledby=stammdaten] dl")
        await expect(facts).to_contain_text("Deutsch (B1, Hauptsprache), Arabisch (C2)")
        history = staff.locator("section.case-history")
        change = history.locator("li.history-change").first
        await expect(change).to_contain_text("Geändert")
        await expect(change).to_contain_text(coordinator.user.display_name)
        await expect(change.locator("dd", has=staff.locator("del", has_text="Haddad"))
                     ).to_contain_text("Haddat")
        await expect(change.locator("del", has_text="+49 2452 555 01")).to_have_count(1)
        await expect(change.locator("ins", has_text="Deutsch (B1), Arabisch (C2)")
                     ).to_have_count(1)

        # a barrier's description
        await staff.get_by_role("link", name="Wohnen: Bearbeiten").click()
        await staff.get_by_label("Beschreibung").fill("Wohnung zu klein, 4 Personen")
        await staff.get_by_role("button", name="Änderungen speichern").click()
        await expect(staff.locator("tr[id^=hindernis-]")).to_contain_text(
            "Wohnung zu klein, 4 Personen")
        await expect(history.locator("li.history-change", has_text="Hindernis geändert: Wohnen")
                     ).to_contain_text("Wohnung zu klein, 4 Personen")

        # a consultation note, dated the day before
        await staff.get_by_text("Beratungsvermerk hinzufügen").click()
        await staff.get_by_label("Datum der Beratung").fill("2026-11-02")
        await staff.get_by_label("Vermerk", exact=True).fill(
            "Telefonat mit dem Wohnungsamt: Antrag auf WBS gestellt.")
        await staff.get_by_role("button", name="Vermerk speichern").click()
        await expect(staff.get_by_text("Der Beratungsvermerk ist gespeichert.")).to_be_visible()
        note = history.locator("li.history-note")
        await expect(note).to_have_count(1)
        await expect(note).to_contain_text("02.11.2026")
        await expect(note).to_contain_text("Antrag auf WBS gestellt.")
        await expect(note).to_contain_text(coordinator.user.display_name)
        # one history: the note sits with the case's events, ordered by day (newest first)
        kinds = await history.locator("ol.history > li").evaluate_all(
            "items => items.map(i => i.className)")
        assert kinds[-1] == "history-note" and "history-event" in kinds
        await shoot(staff, "15-case-history", "section.case-history")
        await staff.get_by_role("link", name="Wohnen: Bearbeiten").click()
        await expect(staff.get_by_label("Beschreibung")).to_have_value(
            "Wohnung zu klein, 4 Personen")
        await shoot(staff, "15-edit-barrier")
