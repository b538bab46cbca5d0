"""The coordinators' interface in a real browser: Debian's Chromium driven by Playwright over
`network serve` on the test database. A coordinator signs in, takes in a client, records a
barrier and consent, finds a partner; bad input shows its error next to the field. Screenshots
of the main pages go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions, barriers
from network.cases.service import LanguageSkill
from network.cases.values import CefrLevel
from network.clock import SYSTEM_CLOCK, FixedClock
from network.partners import actions as partner_actions
from network.partners import service as partners
from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser
from tests.support.browser import ARTIFACTS, require_chromium, served
from tests.support.cli_process import Service
from tests.support.factories import SYSTEM_ACTOR, client_data, partner_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
async def world(pool: str, make_user: MakeUser, tmp_path: Path
                ) -> AsyncIterator[tuple[Service, MadeUser, MadeUser]]:
    chromium = require_chromium()
    admin = await make_user(role="admin")  # keeps the partner directory and the accounts
    coordinator = await make_user(role="coordinator")  # works on the cases
    await partner_actions.create_partner(Actor.of_user(admin.user), SYSTEM_CLOCK, partner_data())
    await partner_actions.create_partner(Actor.of_user(admin.user), SYSTEM_CLOCK, partner_data(
        name="Sprachschule Erkelenz", kind="course_provider", languages=("de", "ti"),
        barrier_kinds=("language",), city="Erkelenz"))
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        service.chromium = chromium  # type: ignore[attr-defined]
        yield service, coordinator, admin


@pytest.fixture
async def browser_page(world: tuple[Service, MadeUser, MadeUser], browser: Browser) -> Page:
    """A page in a context of its own, in the process's Chromium (the `browser` fixture closes
    the context after the test)."""
    service, _, _ = world
    ARTIFACTS.mkdir(exist_ok=True)
    context = await browser.new_context(base_url=service.url, locale="de-DE",
                                        viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return await context.new_page()


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_it_takes_in_a_client_records_barrier_and_consent_and_finds_a_partner(
        world: tuple[Service, MadeUser, MadeUser], browser_page: Page) -> None:
    _service, coordinator, admin = world
    page = browser_page
    await page.goto("/clients")
    await expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    assert "/login?weiter=%2Fclients" in page.url
    await shot(page, "01-login")
    await page.get_by_label("E-Mail-Adresse").fill(coordinator.email)
    await page.get_by_label("Passwort").fill("wrong password")
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("alert")).to_contain_text("falsch")
    await expect(page.get_by_label("E-Mail-Adresse")).to_have_value(coordinator.email)
    await page.get_by_label("Passwort").fill(coordinator.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Kundschaft")).to_be_visible()
    await expect(page.get_by_text("Noch keine Fälle")).to_be_visible()

    await page.goto("/clients/new")
    await page.get_by_label("Vorname").fill("Helen")
    await page.get_by_role("button", name="Aufnehmen").click()
    last_name = page.get_by_label("Nachname")
    await expect(last_name).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#last_name-fehler")).to_have_text("Bitte ausfüllen.")
    await expect(page.get_by_label("Vorname")).to_have_value("Helen")

    await last_name.fill("Tesfamariam")
    await page.get_by_label("Geburtsdatum").fill("1994-03-02")
    await page.get_by_label("Geschlecht").select_option("female")
    await page.get_by_label("Herkunftsland").select_option("AF")
    await page.get_by_label("Aufenthaltsstatus").select_option("permission_to_reside")
    await page.get_by_label("Programmteilnahme").check()
    await page.get_by_label("Sprache 1").select_option("ti")
    await page.locator("#languages-0-level").select_option("C2")
    await page.get_by_role("button", name="Aufnehmen").click()
    await expect(page.locator("#enrolment_reason-fehler")).to_contain_text("Begründung")
    await expect(page.get_by_label("Nachname")).to_have_value("Tesfamariam")
    await shot(page, "03-intake-validation")

    await page.get_by_label("Begründung der Aufnahme").fill(
        "Aufenthaltsgestattung, dauerhafter Aufenthalt zu erwarten")
    await page.get_by_role("button", name="Aufnehmen").click()
    await expect(page.get_by_role("heading", name="Helen Tesfamariam")).to_be_visible()
    await expect(page.get_by_role("status")).to_contain_text("aufgenommen")

    await page.get_by_text("Hindernis erfassen").click()
    await page.get_by_label("Art des Hindernisses").select_option("language")
    await page.get_by_label("Beschreibung").first.fill("Deutschkurs B1 gesucht")
    await page.get_by_role("button", name="Hindernis speichern").click()
    await expect(page.locator("#hindernisse ~ div table")).to_contain_text("Sprache")

    await page.get_by_text("Einwilligung erfassen").click()
    await page.get_by_role("button", name="Einwilligung speichern").click()
    await expect(page.locator("#partner_kinds-fehler")).to_contain_text("mindestens eine")
    await page.get_by_label("Kursträger").check()
    await page.get_by_role("button", name="Einwilligung speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("Einwilligung ist erfasst")
    await expect(page.get_by_text("gültig", exact=True)).to_be_visible()  # the consent
    await shot(page, "04-client-detail")
    await page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    await shot(page, "11-client-detail-tablet")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto("/")
    await expect(page.get_by_role("link", name="Helen Tesfamariam").first).to_be_visible()
    await shot(page, "02-dashboard")

    await page.goto("/clients")
    await page.keyboard.press("Tab")  # the first stop skips the navigation
    await expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    await page.get_by_label("Name oder Fallnummer").fill("Tesfa")  # htmx searches as one types
    await expect(page.get_by_role("link", name="Tesfamariam, Helen")).to_be_visible()
    await shot(page, "05-clients")

    await page.goto("/partners")
    await page.get_by_label("Sprache").select_option("ti")
    await expect(page.get_by_role("link", name="Sprachschule Erkelenz")).to_be_visible()
    await expect(page.get_by_role("link", name="Caritasverband Heinsberg – Migrationsberatung")) \
        .to_have_count(0)
    await shot(page, "06-partners")
    await page.get_by_role("link", name="Sprachschule Erkelenz").click()
    await expect(page.get_by_role("heading", name="Sprachschule Erkelenz")).to_be_visible()
    await shot(page, "07-partner-detail")

    await page.goto("/partners/new")
    await page.get_by_label("Name der Organisation").fill("Sprachschule Erkelenz")
    await page.locator("#kind").select_option("course_provider")
    await page.get_by_label("PLZ").fill("5252")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.locator("#postal_code-fehler")).to_contain_text("52525")
    await expect(page.get_by_label("Name der Organisation")).to_have_value("Sprachschule Erkelenz")
    await shot(page, "08-partner-validation")

    await page.get_by_role("button", name="Abmelden").click()  # the administrator audits
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(admin.email)
    await page.get_by_label("Passwort").fill(admin.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Konten")).to_be_visible()
    await page.goto("/admin/audit")
    await expect(page.get_by_role("cell", name="Kundenakte angesehen").first).to_be_visible()
    await shot(page, "09-audit")
    await page.goto("/admin/users")
    await shot(page, "10-users")


async def test_it_refers_a_barrier_follows_it_and_prints_the_slip_right_to_left(
        world: tuple[Service, MadeUser, MadeUser], browser_page: Page, make_user: MakeUser) -> None:
    _service, coordinator, admin = world
    page = browser_page
    await make_user(role="coordinator")  # someone to hand the referral to
    opened = datetime.now(UTC) - timedelta(days=30)
    client = await actions.create_client(
        Actor.of_user(coordinator.user), FixedClock(opened), client_data(
        first_name="Samira", last_name="Nouri", coordinator_id=coordinator.user.id,
        languages=(LanguageSkill("ar", CefrLevel.C2), LanguageSkill("de", CefrLevel.A2))),
        barrier_kinds=["language", "housing"])
    await actions.give_consent(Actor.of_user(coordinator.user), FixedClock(opened), client.id,
                               ["course_provider", "association"])
    language, housing = sorted(await barriers.list_barriers(SYSTEM_ACTOR, client.id),
                               key=lambda b: b.kind != "language")
    caritas = await partners.find_partner_by_name(partner_data().name)
    await acting.create_referral(NewReferral(housing.id, caritas.id, "sent"), coordinator.user.id,
                                    now=opened + timedelta(days=2))  # long unanswered
    await page.goto("/login")
    await page.get_by_label("E-Mail-Adresse").fill(coordinator.email)
    await page.get_by_label("Passwort").fill(coordinator.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    await expect(page.locator("#ohne-vermittlung + div")).to_contain_text("Samira Nouri")

    await page.goto(f"/clients/{client.id}")
    await page.locator(f"#hindernis-{language.id}").get_by_role(
        "link", name="An Partner vermitteln").click()
    await expect(page.get_by_role("heading", name="Sprache vermitteln")).to_be_visible()
    override = page.get_by_label("Begründung: Warum passt dieser Partner trotzdem?")
    await expect(override).to_be_hidden()
    await page.get_by_role("button", name="Jetzt senden").click()
    await expect(page.locator("#partner_id-fehler")).to_have_text("Bitte einen Partner wählen.")
    await page.get_by_role("radio", name=re.compile("Caritasverband")).check()
    await expect(override).to_be_visible()  # this partner does not list language barriers
    await page.get_by_role("radio", name=re.compile("Sprachschule Erkelenz")).check()
    await expect(override).to_be_hidden()
    await page.get_by_label("Nachricht an den Partner").fill("Sucht einen B1-Kurs am Vormittag")
    await shot(page, "12-referral-new")
    await page.get_by_role("button", name="Jetzt senden").click()
    await expect(page.get_by_role("status")).to_contain_text("an den Partner gesendet")
    referral_id = int(re.search(r"/referrals/(\d+)", page.url).group(1))
    timeline = page.locator(".timeline")
    await expect(timeline).to_contain_text("angelegt")
    await expect(timeline).to_contain_text(coordinator.user.display_name)
    await expect(timeline).to_contain_text("gesendet, wartet auf Antwort")
    await page.goto("/")
    await expect(page.locator("#wartend + div")).to_contain_text(f"Vermittlung {referral_id}")
    await expect(page.locator("#ueberfaellig ~ div").first).to_contain_text("Wohnen")
    await shot(page, "15-dashboard-referrals")
    await page.get_by_role("link", name=f"Vermittlung {referral_id}").click()

    await page.locator("#zu-accepted summary").click()
    await page.locator("#zu-accepted").get_by_label("Notiz für den Verlauf").fill("Telefonisch")
    await page.locator("#zu-accepted").get_by_role(
        "button", name="Annahme durch den Partner erfassen").click()
    await expect(page.get_by_role("status")).to_contain_text("Status der Vermittlung")
    await expect(timeline).to_contain_text("Notiz: Telefonisch")
    await page.locator("#koordination summary").click()
    await shot(page, "13-referral-detail")

    await page.goto("/")
    await expect(page.locator("#ohne-vermittlung + div, #ohne-vermittlung + p")) \
        .not_to_contain_text("Samira Nouri")
    await page.goto("/referrals?status=offen")
    await expect(page.get_by_role("link", name=str(referral_id), exact=True)).to_be_visible()
    await shot(page, "14-referrals")

    await page.goto(f"/referrals/{referral_id}")
    await page.get_by_role("link", name="العربية").click()
    html = page.locator("html")
    await expect(html).to_have_attribute("dir", "rtl")
    await expect(html).to_have_attribute("lang", "ar")
    assert await page.locator("h1").evaluate("e => getComputedStyle(e).direction") == "rtl"
    await expect(page.locator("h1")).to_have_text("خطوتك التالية")
    await expect(page.locator(".slip")).to_contain_text("Sprachschule Erkelenz")
    await shot(page, "16-slip-ar")
    await page.emulate_media(media="print")
    await expect(page.locator(".toolbar")).to_be_hidden()
    await shot(page, "17-slip-ar-print")
    await page.emulate_media(media="screen")
    await page.get_by_role("link", name="ትግርኛ").click()
    await expect(html).to_have_attribute("dir", "ltr")
    await shot(page, "18-slip-ti")

    school = await partners.find_partner_by_name("Sprachschule Erkelenz")
    await page.goto(f"/partners/{school.id}")
    await expect(page.locator("#offene-vermittlungen + div")).to_contain_text("Samira Nouri")
    await expect(page.locator("#antwortzeit + p")).to_contain_text("bis zur ersten Antwort")
    await shot(page, "19-partner-referrals")
