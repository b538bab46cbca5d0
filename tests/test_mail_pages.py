"""Coordinators' email pages: failed emails with the server's answer and "send again", and
the local mail catcher's caught mails with both parts."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx

from network.database import ENGINE
from network.mail import outbox, queries
from network.settings import Settings
from tests.support.app import MakeUser, login_browser


async def test_failed_emails_are_listed_with_the_servers_answer_and_can_be_sent_again(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser) -> None:
    email_id = await outbox.enqueue(settings, "test_message", ["gone@example.org"],
                                    {"requested_by": "IT", "recipient": "gone"},
                                    due_at=datetime.now(UTC))
    await ENGINE.run_ddl(
        f"UPDATE outbox SET status = 'failed', attempts = 1,"
        f" last_error = '550 mailbox unavailable' WHERE id = {email_id}")
    coordinator = await make_user()
    csrf = await login_browser(client, coordinator.email, coordinator.password)

    dashboard = await client.get("/")
    assert 'href="/mail/failed"' in dashboard.text
    listed = await client.get("/mail/failed")
    assert listed.status_code == 200
    assert "gone@example.org" in listed.text and "550 mailbox unavailable" in listed.text

    again = await client.post(f"/mail/failed/{email_id}/retry", data={"csrf_token": csrf})
    assert again.status_code == 303
    assert (await queries.status_counts())["queued"] == 1
    assert "Keine nicht zugestellten E-Mails" in (await client.get("/mail/failed")).text
    twice = await client.post(f"/mail/failed/{email_id}/retry", data={"csrf_token": csrf})
    assert twice.status_code == 303 and "mail-schon" in twice.headers["location"]
    forged = await client.post(f"/mail/failed/{email_id}/retry", data={})
    assert forged.status_code == 403


async def test_the_mail_catcher_page_shows_caught_mails_with_text_and_sandboxed_html(
        client: httpx.AsyncClient, settings: Settings, make_user: MakeUser) -> None:
    assert settings.mail_catcher
    folder = settings.mail_catcher_dir
    folder.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.Maildir(str(folder), create=True)
    message = EmailMessage()
    message["From"], message["To"] = "ip@example.org", "partner@example.org"
    message["Subject"], message["Date"] = "Neue Anfrage", "Thu, 26 Nov 2026 09:00:00 +0000"
    message.set_content("Bitte antworten: http://localhost:8000/p/abc")
    message.add_alternative('<html><head></head><body><a href="http://localhost:8000/p/abc">'
                            "Anfrage ansehen</a></body></html>", subtype="html")
    key = box.add(message)
    coordinator = await make_user()
    await login_browser(client, coordinator.email, coordinator.password)

    listed = await client.get("/dev/mail")
    assert listed.status_code == 200 and "Neue Anfrage" in listed.text
    shown = await client.get(f"/dev/mail/{key}")
    assert shown.status_code == 200 and "Bitte antworten" in shown.text
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in shown.text
    assert "srcdoc=\"&lt;html&gt;&lt;head&gt;&lt;base target=&#34;_blank&#34;&gt;" in shown.text
    assert (await client.get("/dev/mail/nope")).status_code == 404
