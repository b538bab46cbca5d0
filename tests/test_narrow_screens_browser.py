"""Every page at 360 px in Chromium (Playwright over `network serve` with the demo network):
no sideways scrolling (the document's scrollWidth never exceeds its clientWidth). The pages are
found by following the links of each role's pages, one page per kind of address (digits stand
for an id), so a new page is checked without being listed here. Screenshots of each at 360 px
(and of the changed pages at desktop width) go to tests/artifacts/narrow/. Signed out: the
sign-in and setup pages, the partners' link pages and a client's own page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page

from network.accounts import service as accounts
from network.accounts.access import CurrentUser, LegalCircle, Role
from network.actors import Actor
from network.cases import client_page
from network.cases.tables import Client
from network.clock import SYSTEM_CLOCK
from network.demo_seed import seed_demo
from network.links.tokens import LINK_PATH, fill_links
from network.mail.tables import Outbox
from network.reports import actions as report_actions
from network.reports.period import current_month
from tests.support.app import make_settings
from tests.support.browser import ARTIFACTS, served
from tests.support.staff_browser import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NARROW = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = ARTIFACTS / "narrow"
# Not pages: downloads, files, the API, signing out; and forms' result pages need a POST.
SKIP = re.compile(r"^/(api/|static/|logout|favicon)|/(pdf|csv|slip|bundle|file|download)"
                  r"|\.(pdf|zip|csv)$|[?&](format|download)=")
MAX_PAGES = 80


def kind_of(path: str) -> str:
    """One page per kind of address: /clients/17 and /clients/23 are the same page, and so
    are two partners' link pages (a long token)."""
    return re.sub(r"\d+", "{id}", re.sub(r"[A-Za-z0-9_-]{20,}", "{token}", path))


async def emailed_paths(secret_key: str) -> list[str]:
    """The addresses the demo's queued emails link to, partners' link pages among them (as
    the dispatcher fills them in when it sends)."""
    found = []
    for row in await Outbox.select(Outbox.body_text):
        text = fill_links(row["body_text"], "http://here", secret_key)
        found += [urlsplit(url)._replace(scheme="", netloc="").geturl()
                  for url in re.findall(r"https?://[^\s<>\"]+", text)]
    return sorted(set(found), key=lambda path: not path.startswith(LINK_PATH))


async def overflow(page: Page) -> dict | None:
    """None when the page fits; else its widths and the widest elements sticking out."""
    return await page.evaluate("""() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return null;
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        const inside = el.parentElement && el.parentElement.closest('.table-wrap');
        if (r.right > root.clientWidth + 1 && !inside)
          out.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                   + ' ' + Math.round(r.right));
      }
      return {scroll: root.scrollWidth, client: root.clientWidth, wide: out.slice(0, 8)};
    }""")


async def crawl(page: Page, start: list[str], name: str) -> dict[str, dict | None]:
    """Visit the pages reachable from `start` by links; what overflows, by kind of address."""
    seen: dict[str, dict | None] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        kind = kind_of(urlsplit(path).path)
        if kind in seen or SKIP.search(path):
            continue
        response = await page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            seen[kind] = None
            continue
        seen[kind] = await overflow(page)
        slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-") or "start"
        await page.screenshot(path=str(SHOTS / f"{name}-{slug}-360.png"), full_page=True)
        for href in await page.eval_on_selector_all(
                "a[href^='/']:not([download])", "links => links.map(a => a.getAttribute('href'))"):
            target = href.split("#")[0]
            if target and kind_of(urlsplit(target).path) not in seen:
                queue.append(target)
    return seen


async def a_client_page(email: str, secret_key: str) -> str:
    """The address of a client's own page, made by their coordinator (as on the case page)."""
    row = await accounts.find_user_by_email(email)
    user = CurrentUser(row["id"], row["email"], row["display_name"], Role(row["role"]),
                       LegalCircle(row["legal_circle"]))
    case = await Client.select(Client.id).where(
        (Client.coordinator_id == user.id) & (Client.status == "open")).first()
    link = await client_page.create_link(Actor.of_user(user), SYSTEM_CLOCK, secret_key,
                                         case["id"])
    return client_page.url_of("", link.token)


async def test_every_page_fits_a_360_px_screen(pool: str, browser: Browser,
                                               tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    demo = await seed_demo()
    month = current_month(SYSTEM_CLOCK.now()).previous()
    logins = dict(demo.logins)  # email -> role
    with served(tmp_path, pool, SCHEDULER_ENABLED="false") as service:
        await report_actions.build_version(Actor.system("cli.report.build"), SYSTEM_CLOCK,
                                           make_settings(tmp_path, DATABASE_URL=pool), month)
        results: dict[str, dict[str, dict | None]] = {}
        for role in ("coordinator", "admin", "viewer"):
            email = next(e for e, r in logins.items() if r == role)
            page = await signed_in(browser, service.url, email, demo.password, viewport=NARROW)
            results[role] = await crawl(page, ["/"], role)
            if role == "coordinator":
                for path in ("/reports", f"/reports/{month}"):
                    await page.set_viewport_size(DESKTOP)
                    await page.goto(path)
                    slug = re.sub(r"[^a-z0-9]+", "-", path).strip("-")
                    await page.screenshot(path=str(SHOTS / f"{slug}-desktop.png"),
                                          full_page=True)
                await page.set_viewport_size(NARROW)
            await page.context.close()
        public = await (await browser.new_context(base_url=service.url, locale="de-DE",
                                                  viewport=NARROW)).new_page()
        # The demo was seeded in this process (the pool's settings): its key seals the links.
        emailed = await emailed_paths(make_settings(tmp_path, DATABASE_URL=pool).secret_key)
        own_page = await a_client_page(
            next(e for e, r in logins.items() if r == "coordinator"), "unused-here")
        results["public"] = await crawl(
            public, ["/login", "/setup?token=abgelaufen", own_page, *emailed], "public")
        for viewport, suffix in ((DESKTOP, "desktop"), (NARROW, "360")):
            await public.set_viewport_size(viewport)
            await public.goto("/setup?token=abgelaufen")
            await public.screenshot(path=str(SHOTS / f"setup-{suffix}.png"), full_page=True)
    visited = {role: sorted(pages) for role, pages in results.items()}
    assert len(visited["coordinator"]) >= 10, visited
    assert "/p/{token}" in visited["public"], (visited, emailed[:20])  # partners' link pages
    assert "/k/{token}" in visited["public"], visited  # a client's own page
    too_wide = {f"{role} {kind}": found for role, pages in results.items()
                for kind, found in pages.items() if found is not None}
    (SHOTS / "overflow.json").write_text(json.dumps({"too_wide": too_wide, "visited": visited},
                                                    indent=1, ensure_ascii=False))
    assert too_wide == {}, (too_wide, visited)
