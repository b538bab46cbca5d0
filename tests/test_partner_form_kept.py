"""A partner's form that meets a referral changed meanwhile (a stale version) changes nothing
and comes back with what the partner typed (issue 15): on the link page and in the inbox's
card, or, when the step is no longer possible, shown to copy. The same step sent twice (a
double click) stays harmless."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from network.links.partner_sessions import fill_sign_in_links
from network.mail.tables import Outbox
from network.referrals.service import NewReferral
from network.settings import Settings
from tests.support import referral_world as acting
from tests.support.app import MakeUser, make_settings
from tests.support.partner_link_pages import form_of, opened_page
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer

TYPED = "Wir haben erst ab März wieder Plätze frei, bitte dann erneut anfragen."


@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


async def status_of(client: httpx.AsyncClient, headers: dict, referral_id: int) -> str:
    shown = await client.get(f"/api/v1/referrals/{referral_id}", headers=headers)
    return shown.json()["status"]


async def test_a_form_meeting_a_changed_referral_keeps_what_the_partner_typed(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    first, second = await make_user(), await make_user()
    # the partner opens the page and starts typing ...
    referral_id, link, page = await opened_page(client, settings, smtp, first,
                                                await make_world())
    await acting.hand_over_to_coordinator(referral_id, second.user.id, first.user.id)
    stale = await client.post(link, data={  # ... and sends after the referral changed
        **form_of(page), "aktion": "decline", "reason_code": "other",
        "reason_text": TYPED})
    assert stale.status_code == 409
    assert "Ihre Eingaben sind erhalten" in stale.text
    assert f">{TYPED}</textarea>" in stale.text
    assert '<option value="other" selected>' in stale.text
    assert '<details class="action" open>' in stale.text
    assert await status_of(client, first.headers, referral_id) == "sent"  # nothing saved

    again = await client.post(link, data={  # sent again from the page as it came back
        **form_of(stale.text), "aktion": "decline", "reason_code": "other",
        "reason_text": TYPED})
    assert again.status_code == 200, again.text
    assert await status_of(client, first.headers, referral_id) != "sent"


async def test_a_step_no_longer_possible_shows_the_typed_text_to_copy(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, link, page = await opened_page(client, settings, smtp, coordinator,
                                                await make_world())
    await acting.transition(referral_id, "cancelled", "coordinator", coordinator.user.id,
                            reason_text="Person verzogen")
    stale = await client.post(link, data={
        **form_of(page), "aktion": "decline", "reason_code": "other",
        "reason_text": TYPED})
    assert stale.status_code == 409
    assert "Anfrage abgeschlossen" in stale.text
    assert "Ihre Eingaben (nicht gespeichert)" in stale.text
    assert f"readonly>{TYPED}</textarea>" in stale.text
    assert "verzogen" not in stale.text  # still no data of a closed referral


async def test_the_same_step_twice_is_harmless(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator = await make_user()
    referral_id, link, page = await opened_page(client, settings, smtp, coordinator,
                                                await make_world())
    form = {**form_of(page), "aktion": "accept"}
    first = await client.post(link, data=form)
    second = await client.post(link, data=form)
    assert (first.status_code, second.status_code) == (200, 200)
    assert "Das war schon gespeichert" in second.text
    assert await status_of(client, coordinator.headers, referral_id) == "accepted"


async def test_the_inbox_card_keeps_what_the_partner_typed_too(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser) -> None:
    first, second = await make_user(), await make_user()
    world = await make_world()
    referral = (await acting.create_referral(NewReferral(
        world.barrier_id, world.caritas.id, "sent"), first.user.id)).referral
    address = world.caritas.referral_emails[0]
    await client.post("/partner/anmelden", data={"email": address})
    [row] = [row for row in await Outbox.select(Outbox.body_text).where(
        Outbox.template == "partner_sign_in") if f"für {world.caritas.name} " in row["body_text"]]
    text = fill_sign_in_links(row["body_text"], settings.base_url, settings.secret_key)
    [link] = re.findall(r"https?://[^/\s]+(/partner/anmelden/[A-Za-z0-9_-]+)", text)
    assert (await client.post(link)).status_code == 303
    inbox = (await client.get("/partner")).text
    assert f'name="version" value="{referral.version}"' in inbox
    await acting.hand_over_to_coordinator(referral.id, second.user.id, first.user.id)
    stale = await client.post(f"/partner/vermittlungen/{referral.id}", data={
        **form_of(inbox), "aktion": "decline", "reason_code": "other", "reason_text": TYPED})
    assert stale.status_code == 409
    assert "Ihre Eingaben sind erhalten" in stale.text and f">{TYPED}</textarea>" in stale.text
    assert await status_of(client, first.headers, referral.id) == "sent"
