"""The pages still work under their Content-Security-Policy: Debian's Chromium, driven by
Playwright over `network serve`, opens every kind of page (staff pages, the report with its
charts, the slip, the sign-in and setup pages, a partner page, the local mail catcher with
an email's inline-styled HTML) and reports no policy violation and no script error; htmx
still searches as one types, and the stylesheets apply."""

from __future__ import annotations

import mailbox
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from network.actors import Actor
from network.cases import actions, barriers
from network.clock import SYSTEM_CLOCK
from network.mail.message import build_message
from network.mail.templates import render
from network.partners import actions as partner_actions
from network.referrals.service import NewReferral
from network.reports import actions as report_actions
from network.reports.period import ReportMonth
from network.settings import Settings
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser
from tests.support.browser import served
from tests.support.factories import client_data, partner_data
from tests.support.report_world import build_october

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


class Watched:
    """A page whose CSP reports, console errors and script errors are kept."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text or "Refused" in text:
            self.problems.append(f"{self.page.url}: {text}")

    async def visit(self, path: str) -> None:
        response = await self.page.goto(path)
        assert response is not None
        policy = await response.header_value("content-security-policy")
        assert policy and "frame-ancestors 'none'" in policy, path
        await self.page.wait_for_load_state("load")



async def signed_in(browser: Browser, url: str, user: MadeUser) -> Watched:
    context = await browser.new_context(base_url=url, locale="de-DE")
    context.set_default_timeout(10_000)
    await context.add_init_script(WATCH_VIOLATIONS)
    watched = Watched(await context.new_page())
    await watched.visit("/login")
    await watched.page.get_by_label("E-Mail-Adresse").fill(user.email)
    await watched.page.get_by_label("Passwort").fill(user.password)
    await watched.page.get_by_role("button", name="Anmelden").click()
    # a coordinator lands on the overview, an administrator on the accounts
    await expect(watched.page.get_by_role("heading", name=re.compile("Übersicht|Konten"))
                 ).to_be_visible()
    return watched


def catch_an_email(data_dir: Path) -> str:
    """An email as the local catcher keeps it: rendered from a real template, inline styles."""
    settings = Settings.from_env({"DATA_DIR": str(data_dir)})
    email = render("test_message", {"integration_point": "IP", "base_url": "http://x",
                                    "requested_by": "IT", "recipient": "partner"})
    message = build_message({"recipients": ["partner@example.org"], "subject": email.subject,
                             "message_id": "<1@x>", "body_text": email.text,
                             "body_html": email.html}, "ip@example.org", datetime.now(UTC))
    settings.mail_catcher_dir.parent.mkdir(parents=True, exist_ok=True)
    return mailbox.Maildir(str(settings.mail_catcher_dir), create=True).add(message)


async def test_every_kind_of_page_works_under_its_content_security_policy(
        pool: str, browser: Browser, make_user: MakeUser, tmp_path: Path) -> None:
    admin, coordinator = await make_user(role="admin"), await make_user()
    system = Actor.system("tests")
    await build_october(pool)
    await report_actions.build_version(system, SYSTEM_CLOCK, Settings.from_env(
        {"DATA_DIR": str(tmp_path / "build"), "DATABASE_URL": pool}), ReportMonth(2026, 10))
    partner = await partner_actions.create_partner(system, SYSTEM_CLOCK, partner_data(
        name="Sprachschule Erkelenz", kind="course_provider", barrier_kinds=("language",)))
    client = await actions.create_client(
        Actor.of_user(coordinator.user), SYSTEM_CLOCK,
        client_data(first_name="Helen", last_name="Tesfamariam",
                    coordinator_id=coordinator.user.id), barrier_kinds=["language"])
    await actions.give_consent(Actor.of_user(coordinator.user), SYSTEM_CLOCK, client.id,
                               ["course_provider"])
    barrier = (await barriers.list_barriers(system, client.id))[0]
    referral = (await acting.create_referral(NewReferral(barrier.id, partner.id, "sent"),
                                             coordinator.user.id)).referral

    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        mail_key = catch_an_email(service.data_dir)
        staff = await signed_in(browser, service.url, coordinator)
        page = staff.page
        for path in ("/", "/clients/new", f"/clients/{client.id}",
                     f"/clients/{client.id}/barriers/{barrier.id}/refer", "/referrals",
                     f"/referrals/{referral.id}", f"/referrals/{referral.id}/slip",
                     "/partners", "/partners/new", f"/partners/{partner.id}", "/reports",
                     "/password", "/mail/failed", "/dev/mail"):
            await staff.visit(path)

        await staff.visit("/clients")  # htmx (a static script, talking to this origin)
        await page.get_by_label("Name oder Fallnummer").fill("Tesfa")
        await expect(page.get_by_role("link", name="Tesfamariam, Helen")).to_be_visible()
        caption = page.locator("caption.left").first  # the stylesheet applies
        assert await caption.evaluate("c => getComputedStyle(c).textAlign") == "left"
        await page.get_by_label("Name oder Fallnummer").fill("Niemand")
        await expect(page.get_by_role("link", name="Tesfamariam, Helen")).to_have_count(0)
        assert await page.evaluate("typeof htmx") == "object"

        await staff.visit("/reports/2026-10")  # charts are data: images, the style a file
        charts = page.locator("figure img")
        assert await charts.count() > 0
        assert await charts.first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert await page.locator("main").evaluate(  # inside the site's page and style
            "m => getComputedStyle(m).maxWidth") != "none"

        await staff.visit(f"/dev/mail/{mail_key}")  # the email's HTML, in a sandboxed frame
        frame = page.frame_locator("iframe.mail")
        await expect(frame.locator("body")).to_contain_text("Test")

        admin_pages = await signed_in(browser, service.url, admin)
        for path in ("/admin/users", "/admin/audit"):
            await admin_pages.visit(path)

        public = Watched(await (await browser.new_context(base_url=service.url)).new_page())
        await public.page.context.add_init_script(WATCH_VIOLATIONS)
        await public.visit("/setup?token=" + "x" * 40)  # the setup page, its style a file
        assert await public.page.locator("main").evaluate(  # the site's stylesheet
            "m => getComputedStyle(m).maxWidth") != "none"
        await public.visit("/p/" + "x" * 43)  # a partner page (its own, stricter policy)

    assert staff.problems + admin_pages.problems + public.problems == []
