"""The site's frame: a favicon where browsers look for one and linked from every page; the
first-run setup page in the site's style, leading on to the next step once it is done."""

from __future__ import annotations

import httpx

from network.accounts import actions
from network.clock import SYSTEM_CLOCK
from tests.support.app import MakeUser
from tests.support.pages import signed_in

PASSWORD = "first admin passphrase"
ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


async def test_it_serves_a_favicon_to_anyone(client: httpx.AsyncClient) -> None:
    ico = await client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/x-icon"
    assert ico.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = await client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")


async def test_every_kind_of_page_links_the_icon(client: httpx.AsyncClient,
                                                 make_user: MakeUser) -> None:
    assert ICON in (await client.get("/login")).text  # signed out
    assert ICON in (await client.get("/setup", params={"token": "alt"})).text
    await signed_in(client, make_user)
    assert ICON in (await client.get("/")).text


async def test_the_setup_page_looks_like_the_site_and_leads_on(
        client: httpx.AsyncClient) -> None:
    token = await actions.issue_setup_token(SYSTEM_CLOCK)
    page = (await client.get("/setup", params={"token": token})).text
    assert '<link rel="stylesheet" href="/static/style.css">' in page
    assert '<header class="top">' in page and 'class="stack"' in page
    assert '<label for="email">' in page and 'id="email"' in page
    done = await client.post("/setup", data={
        "token": token, "email": "leitung@jobcenter.example", "display_name": "Leitung",
        "legal_circle": "sgb2", "password": PASSWORD, "password_repeat": PASSWORD})
    assert done.status_code == 200
    assert "Wie es weitergeht" in done.text
    assert 'href="/admin/users"' in done.text  # on to create the coordinators' accounts
    assert (await client.get("/admin/users")).status_code == 200  # signed in as admin
    used = await client.get("/setup", params={"token": token})
    assert used.status_code == 410 and 'href="/login"' in used.text
