"""Partners act through the link in their email, without an account: against a real SMTP
server (aiosmtpd), from queued email to delivered email to the page the link opens."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import asyncpg
import httpx
import pytest

from network.app import create_app
from network.links import ratelimit
from network.request_log import request_log_middleware
from network.settings import Settings
from tests.support.app import MakeUser, make_settings
from tests.support.leaks import KeepEverything, everything_stored
from tests.support.partner_link import (
    deliver,
    detail,
    link_in,
    opened_link,
    post,
    proof_of,
)
from tests.support.smtp_server import SmtpServer


class KeepServiceLogs(KeepEverything):
    """The service's log records; not those of the test's own HTTP client (httpx) and SMTP
    server (aiosmtpd's mail.log)."""

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("httpx", "httpcore", "mail.log")):
            super().emit(record)


PERSONAL = ("Haddad", "Apfelstraße", "1990", "17.05", "amal.haddad", "555 01",
            "Wohnung zu klein")



@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url,
                         MAIL_FROM="Integration Point <ip@kreis-heinsberg.example>")


async def test_a_sent_referral_emails_the_partner_a_link_that_opens_its_page(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, world, _referral_id, link = await opened_link(client, settings, smtp,
                                                               make_user)
    [message] = smtp.messages
    assert message["To"] == "migration@caritas-hs.example"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert link in text and link in html
    for part in (text, html):
        assert "Amal H." in part and "Arabisch" in part and "Wohnen" in part
        assert coordinator.email in part and "gilt bis zum" in part
        assert not [word for word in PERSONAL if word in part]

    page = await client.get(link)
    assert page.status_code == 200
    assert "Amal H." in page.text and "Bitte einen Termin anbieten." in page.text
    assert not [word for word in PERSONAL if word in page.text]
    assert "Anfrage annehmen" in page.text and "Anfrage ablehnen" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-robots-tag"].startswith("noindex")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "<script" not in page.text
    assert " style=" not in page.text


async def test_scanners_opening_the_link_change_nothing_and_a_post_from_the_page_works(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, _world, referral_id, link = await opened_link(client, settings, smtp,
                                                               make_user)
    before = await detail(client, coordinator, referral_id)
    scanner = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    assert (await scanner.head(link)).status_code == 200
    for _ in range(3):
        assert (await scanner.get(link)).status_code == 200
    assert not scanner.cookies
    assert await detail(client, coordinator, referral_id) == before

    answer = await post(client, link, aktion="accept")
    assert answer.status_code == 200 and "angenommen" in answer.text
    after = await detail(client, coordinator, referral_id)
    assert after["status"] == "accepted"
    assert after["history"][-1]["actor_kind"] == "partner"

    await deliver(settings)
    told = smtp.messages[-1]
    assert told["To"] == coordinator.email and "angenommen" in told["Subject"]


async def test_ten_concurrent_posts_of_one_action_make_exactly_one_change(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, _world, referral_id, link = await opened_link(client, settings, smtp,
                                                               make_user)
    form = {**proof_of((await client.get(link)).text), "aktion": "accept"}
    answers = await asyncio.gather(*(client.post(link, data=form) for _ in range(10)))
    assert {answer.status_code for answer in answers} == {200}
    history = (await detail(client, coordinator, referral_id))["history"]
    assert [event["to_status"] for event in history] == ["sent", "accepted"]
    assert sum("Das war schon gespeichert" in answer.text for answer in answers) == 9


async def test_a_form_without_reason_or_outcome_shows_the_error_and_changes_nothing(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, _world, referral_id, link = await opened_link(client, settings, smtp,
                                                               make_user)
    declined = await post(client, link, aktion="decline", reason_code="")
    assert declined.status_code == 422 and "Bitte einen Grund wählen." in declined.text
    other = await post(client, link, aktion="decline", reason_code="other")
    assert other.status_code == 422 and "Bitte den Grund in Worten angeben." in other.text
    assert (await detail(client, coordinator, referral_id))["status"] == "sent"

    await post(client, link, aktion="accept")
    await post(client, link, aktion="start")
    unfinished = await post(client, link, aktion="complete")
    assert unfinished.status_code == 422 and "ob das Hindernis behoben ist" in unfinished.text
    held = await post(client, link, aktion="hold", reason_text="  ")
    assert held.status_code == 422
    assert (await detail(client, coordinator, referral_id))["status"] == "in_progress"

    done = await post(client, link, aktion="complete", outcome="partly", note="Termin war gut.")
    assert done.status_code == 200 and "nicht mehr offen" in done.text
    final = await detail(client, coordinator, referral_id)
    assert (final["status"], final["outcome"]) == ("completed", "partly")


async def test_a_post_without_the_pages_proof_changes_nothing(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, _world, referral_id, link = await opened_link(client, settings, smtp,
                                                               make_user)
    forged = await client.post(link, data={"aktion": "accept"})
    assert forged.status_code == 403
    wrong = await client.post(link, data={"aktion": "accept", "nonce": "1.x", "proof": "0"})
    assert wrong.status_code == 403
    assert (await detail(client, coordinator, referral_id))["status"] == "sent"


async def expire_links(db: str) -> None:
    connection = await asyncpg.connect(db)
    try:
        await connection.execute(
            "UPDATE partner_links SET created_at = now() - interval '90 days',"
            " expires_at = now() - interval '1 day'")
    finally:
        await connection.close()


async def test_an_expired_link_shows_no_data_and_sends_a_fresh_one_to_the_address_on_file(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser, db: str) -> None:
    _coordinator, _world, _referral_id, link = await opened_link(client, settings, smtp,
                                                                 make_user)
    await expire_links(db)
    page = await client.get(link)
    assert page.status_code == 200 and "abgelaufen" in page.text
    assert "Amal" not in page.text and "Termin" not in page.text
    assert page.headers["cache-control"] == "no-store"

    sent = await client.post(link + "/neu", data={**proof_of(page.text),
                                                  "email": "attacker@evil.example"})
    assert sent.status_code == 200 and "neuen Link" in sent.text
    again = await client.post(link + "/neu", data=proof_of(page.text))
    assert again.status_code == 200
    await deliver(settings)
    fresh = smtp.messages[1:]
    assert [m["To"] for m in fresh] == ["migration@caritas-hs.example"]  # once, on file only
    assert "neuer Link" in fresh[0]["Subject"]
    reopened = await client.get(link_in(fresh[0]))
    assert reopened.status_code == 200 and "Amal H." in reopened.text


async def test_a_closed_or_unknown_link_shows_no_personal_data(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    _coordinator, _world, _referral_id, link = await opened_link(client, settings, smtp,
                                                                 make_user)
    await post(client, link, aktion="decline", reason_code="no_capacity")
    for answer in (await client.get(link), await client.post(link, data={"aktion": "accept"})):
        assert "nicht mehr offen" in answer.text and "abgelehnt" in answer.text
        assert "Amal" not in answer.text and "Termin" not in answer.text
        assert "/neu" not in answer.text
    unknown = await client.get("/p/" + "x" * 43)
    assert unknown.status_code == 404 and "nicht gültig" in unknown.text
    assert unknown.headers["referrer-policy"] == "no-referrer"
    assert (await client.head("/p/" + "x" * 43)).status_code == 404


async def test_the_partner_hands_off_to_another_partner_the_consent_allows(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, world, referral_id, link = await opened_link(client, settings, smtp,
                                                              make_user)
    page = await client.get(link)
    assert world.tafel.name in page.text and world.vhs.name not in page.text  # lists housing

    refused = await post(client, link, aktion="handoff", to_partner_id=str(world.school.id),
                         reason_code="not_our_service")
    assert refused.status_code == 422 and "Einwilligung" in refused.text
    assert (await detail(client, coordinator, referral_id))["status"] == "sent"

    handed = await post(client, link, aktion="handoff", to_partner_id=str(world.tafel.id),
                        reason_code="not_our_service")
    assert handed.status_code == 200 and "weitergegeben" in handed.text
    closed = await detail(client, coordinator, referral_id)
    assert (closed["status"], closed["history"][-1]["actor_kind"]) == ("declined", "partner")
    opened = await detail(client, coordinator, closed["handed_off_to"])
    assert (opened["status"], opened["partner_id"]) == ("sent", world.tafel.id)
    assert opened["history"][0]["actor_kind"] == "partner"

    await deliver(settings)
    to_tafel = [m for m in smtp.messages if "weitergegeben" in m["Subject"]]
    assert len(to_tafel) == 1
    assert (await client.get(link_in(to_tafel[0]))).status_code == 200


async def test_a_message_from_the_page_goes_to_the_coordinator(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    coordinator, _world, _referral_id, link = await opened_link(client, settings, smtp,
                                                                make_user)
    empty = await post(client, link, aktion="message", message=" ")
    assert empty.status_code == 422 and "Bitte eine Nachricht eingeben" in empty.text
    sent = await post(client, link, aktion="message", message="Rückruf bitte morgen.")
    assert sent.status_code == 200 and "Nachricht ist unterwegs" in sent.text
    await deliver(settings)
    message = smtp.messages[-1]
    assert message["To"] == coordinator.email
    assert "Rückruf bitte morgen." in message.get_body(("plain",)).get_content()


async def test_too_many_requests_to_a_link_are_answered_with_429(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser) -> None:
    _coordinator, _world, _referral_id, link = await opened_link(client, settings, smtp,
                                                                 make_user)
    statuses = []
    for _ in range(2 * ratelimit.PER_TOKEN + 1):  # at most two minute windows
        answer = await client.get(link)
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429
    assert "Zu viele Aufrufe" in answer.text and answer.headers["retry-after"] == "60"
    assert answer.headers["cache-control"] == "no-store"


async def test_no_raw_token_is_stored_or_logged_and_no_client_name_logged(
        client: httpx.AsyncClient, settings: Settings, smtp: SmtpServer,
        make_user: MakeUser, db: str) -> None:
    logged_app = request_log_middleware(create_app(settings))  # as served: with request log
    browser = httpx.AsyncClient(transport=httpx.ASGITransport(app=logged_app),
                                base_url=settings.base_url)
    root, keep = logging.getLogger(), KeepServiceLogs()
    level = root.level
    root.addHandler(keep)
    root.setLevel(logging.DEBUG)
    try:
        coordinator, world, _referral_id, link = await opened_link(browser, settings, smtp,
                                                                   make_user)
        await browser.head(link)
        await post(browser, link, aktion="accept")
        await post(browser, link, aktion="message", message="Amal kommt Dienstag.")
        await post(browser, link, aktion="handoff", to_partner_id=str(world.tafel.id),
                   reason_code="no_capacity")
        await browser.get("/p/" + "y" * 43)
        await deliver(settings)
    finally:
        root.removeHandler(keep)
        root.setLevel(level)
        await browser.aclose()
    tokens = {link_in(m).removeprefix("/p/") for m in smtp.messages
              if "/p/" in m.get_body(("plain",)).get_content()}
    assert len(tokens) == 2  # the first partner's link and the new partner's
    stored, logged = await everything_stored(db), "\n".join(keep.texts)
    assert "partner action" in logged and "/p/…" in logged  # the search can find
    assert [t for t in tokens if t in stored] == []
    assert [t for t in tokens if t in logged] == []
    assert [name for name in ("Amal", "Haddad") if name in logged] == []
