"""Outreach in Chromium (issue 19): a coordinator imports a CSV list of ten prospects (the
preview shows the mapping and warns of a likely duplicate of an existing case), works through
three of them (an invitation with its appointment, its letter printed in Arabic; three
attempts without contact park one; one converted into an enrolled case), at desktop width and
at 360 px."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions as case_actions
from network.clock import SYSTEM_CLOCK
from network.outreach.tables import Prospect
from tests.support.app import MakeUser
from tests.support.browser import ARTIFACTS, served
from tests.support.factories import client_data
from tests.support.staff_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEN = """Vorname;Nachname;Geburtsdatum;Herkunftsland;Aufenthaltsstatus;Unterkunft;Sprachen;Telefon
Amal;Haddad;01.02.1990;Syrien;Aufenthaltsgestattung;ZUE Heinsberg;Arabisch;0170 1
Yohannes;Tesfaye;1988;Eritrea;Aufenthaltsgestattung;Haus am See;Tigrinya;
Resa;Ahmadi;03.07.1995;Iran;Aufenthaltsgestattung;ZUE Heinsberg;Persisch;
Lina;Khalil;12.12.2001;Irak;Aufenthaltsgestattung;ZUE Heinsberg;Arabisch, Kurdisch;
Mehmet;Yilmaz;1979;Türkei;Aufenthaltsgestattung;Haus am See;Türkisch;
Sara;Mohammadi;05.05.1999;Iran;Aufenthaltsgestattung;;Persisch;
Omar;Al-Hassan;20.10.1985;Syrien;Aufenthaltsgestattung;ZUE Heinsberg;Arabisch;
Semhar;Ghebre;1997;Eritrea;Aufenthaltsgestattung;Haus am See;Tigrinya;
Ali;Jafari;14.03.1992;Irak;Aufenthaltsgestattung;;Arabisch;
Nour;Saleh;30.06.2003;Syrien;Aufenthaltsgestattung;ZUE Heinsberg;Arabisch;
"""


async def narrow(page: Page, name: str) -> None:
    await page.set_viewport_size({"width": 360, "height": 800})
    wide = await page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
        " > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap'))"
        ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)")
    assert wide == []
    await page.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def attempt(page: Page, day: date, channel: str, outcome: str) -> None:
    form = page.locator("form.attempt-form")
    await form.get_by_label("Am").fill(day.isoformat())
    await form.get_by_label("Weg").select_option(label=channel)
    await form.get_by_label("Ergebnis").select_option(label=outcome)


async def test_a_coordinator_imports_ten_prospects_works_three_and_converts_one(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    coordinator = await make_user(legal_circle="sgb3")
    await case_actions.create_client(Actor.of_user(coordinator.user), SYSTEM_CLOCK, client_data(
        first_name="Reza", last_name="Ahmadi", date_of_birth=date(1995, 7, 3),
        legal_circle="sgb3", coordinator_id=coordinator.user.id), barrier_kinds=[])
    today = date.today()
    with served(tmp_path, pool, SCHEDULER_ENABLED="false", OUTREACH_MAX_ATTEMPTS="3") as service:
        page = await signed_in_page(browser, service.url, coordinator)
        await page.get_by_role("link", name="Erstansprache").click()
        await expect(page.get_by_role("heading", name="Erstansprache")).to_be_visible()

        await page.get_by_role("link", name="Liste einlesen (CSV)").click()
        await page.get_by_label("CSV-Datei").set_input_files(files=[{
            "name": "liste-abh.csv", "mimeType": "text/csv", "buffer": TEN.encode("cp1252")}])
        await page.get_by_label("Woher die Liste kommt").select_option(
            label="Liste der Ausländerbehörde")
        await page.get_by_role("button", name="Vorschau zeigen").click()
        await expect(page.get_by_role("heading", name="Vorschau: 10 Personen")).to_be_visible()
        await expect(page.locator("table.mapping")).to_contain_text("Herkunftsland")
        await expect(page.locator("tr.duplicate")).to_have_count(1)  # Resa Ahmadi ~ Reza
        await expect(page.locator("tr.duplicate")).to_contain_text("Fall")
        await narrow(page, "60-outreach-import-preview")
        await page.get_by_label("Mögliche Doppelte nicht übernehmen").uncheck()
        await page.get_by_role("button", name="Übernehmen").click()
        await expect(page.get_by_role("status")).to_contain_text("10 Personen eingelesen")
        worklist = page.locator("section[aria-labelledby=arbeitsliste] tr.prospect")
        await expect(worklist).to_have_count(9)  # Türkei: a first consultation is offered
        await expect(page.locator("section[aria-labelledby=erstberatung] tr.prospect")
                     ).to_contain_text("Yilmaz")
        await expect(worklist.first).to_contain_text("Haddad")  # the same wait: file order
        await narrow(page, "61-outreach-worklist")

        # 1: invited, with an appointment
        await worklist.filter(has_text="Haddad").get_by_role("link").click()
        await attempt(page, today, "Telefon", "Eingeladen (Termin)")
        await page.get_by_label("Datum").fill((today + timedelta(days=7)).isoformat())
        await page.get_by_label("Uhrzeit").fill("10:30")
        await page.get_by_label("Ort").fill("Integration Point, Raum 3")
        await page.get_by_role("button", name="Versuch speichern").click()
        await expect(page.locator("tr.attempt")).to_contain_text("Raum 3")
        await expect(page.get_by_role("link", name="Einladungsbrief drucken")).to_have_attribute(
            "href", f"/outreach/prospects/{await prospect_id('Haddad')}/letter")
        await narrow(page, "62-outreach-prospect-invited")
        # the letter of invitation, in Arabic (Amal's language), right to left, printed
        await page.get_by_role("link", name="Einladungsbrief drucken").click()
        await expect(page.get_by_role("heading", name="دعوة إلى لقاء")).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("dir", "rtl")
        await expect(page.locator(".appointment")).to_contain_text("10:30")
        await expect(page.locator(".appointment")).to_contain_text("Integration Point, Raum 3")
        await page.emulate_media(media="print")
        await page.screenshot(path=str(ARTIFACTS / "62-outreach-letter-ar-print.png"),
                              full_page=True)
        await page.emulate_media(media="screen")

        # 2: three attempts without contact park the prospect
        await page.goto("/outreach")
        await worklist.filter(has_text="Tesfaye").get_by_role("link").click()
        for days in (2, 1, 0):
            await attempt(page, today - timedelta(days=days), "Brief", "Nicht erreicht")
            await page.get_by_role("button", name="Versuch speichern").click()
            await expect(page.locator("tr.attempt")).to_have_count(3 - days)
        await expect(page.locator(".prospect-facts")).to_contain_text(
            "Nach mehreren Versuchen nicht erreicht")
        await page.goto("/outreach")
        await expect(worklist).to_have_count(8)
        await expect(page.locator("section[aria-labelledby=geparkt]")).to_contain_text("Tesfaye")

        # 3: converted into an enrolled case
        await worklist.filter(has_text="Khalil").get_by_role("link").click()
        form = page.locator("form.convert-form")
        await form.get_by_label("Programmteilnahme").check()
        await form.get_by_label("Geschlecht").select_option(label="weiblich")
        await form.get_by_label("Arabisch: Niveau (GER)").select_option("C2")
        await narrow(page, "63-outreach-convert")
        await form.get_by_role("button", name="Fall öffnen").click()
        await expect(page).to_have_url(re.compile(r"/clients/\d+"))
        await expect(page.locator("main")).to_contain_text("Khalil")
        await page.goto("/outreach")
        await expect(worklist).to_have_count(7)
        await narrow(page, "64-outreach-worklist-after")
    converted = await Prospect.select().where(Prospect.last_name == "Khalil").first()
    assert converted["status"] == "converted" and converted["client_id"]


async def prospect_id(last_name: str) -> int:
    return (await Prospect.select(Prospect.id).where(Prospect.last_name == last_name)
            .first())["id"]
