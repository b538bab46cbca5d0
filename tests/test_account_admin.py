"""Administration in the browser's pages (issue 15): an administrator deactivates and
reactivates an account (its sessions and API tokens end at once and stay ended), changes a
role, and sends a password-reset link: a one-time, expiring link whose token the database
never holds, emailed through the outbox; the page it opens sets a new password."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from network.accounts.tables import ApiToken, AuditLog, PasswordResetLink, UserSession
from network.clock import SYSTEM_CLOCK
from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.mail.tables import Outbox
from network.settings import Settings
from tests.support.app import MakeUser, login_browser, make_settings
from tests.support.leaks import everything_stored
from tests.support.smtp_server import SmtpServer


@pytest.fixture
def settings(tmp_path: Path, db: str, smtp: SmtpServer) -> Settings:
    return make_settings(tmp_path, DATABASE_URL=db, SMTP_URL=smtp.url)


async def admin_signed_in(client: httpx.AsyncClient, make_user: MakeUser) -> dict[str, str]:
    admin = await make_user(role="admin")
    return {"X-CSRF-Token": await login_browser(client, admin.email, admin.password)}


async def test_it_deactivates_an_account_ending_its_sessions_and_tokens_for_good(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    other = httpx.AsyncClient(transport=client._transport, base_url=client.base_url)
    await login_browser(other, alice.email, alice.password)
    assert await UserSession.count().where(UserSession.user_id == alice.user.id) == 1
    headers = await admin_signed_in(client, make_user)

    page = await client.get(f"/admin/users/{alice.user.id}")
    assert page.status_code == 200 and "Konto deaktivieren" in page.text
    off = await client.post(f"/admin/users/{alice.user.id}/deaktivieren", headers=headers)
    assert off.status_code == 303 and "konto-deaktiviert" in off.headers["location"]
    assert await UserSession.count().where(UserSession.user_id == alice.user.id) == 0
    assert (await other.get("/api/v1/auth/me")).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 401

    on = await client.post(f"/admin/users/{alice.user.id}/aktivieren", headers=headers)
    assert on.status_code == 303
    # back to active, but the token ended with the deactivation stays ended
    assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 401
    assert await ApiToken.count().where(ApiToken.revoked_at.is_null()) == 1  # the admin's
    login = await other.post("/api/v1/auth/login",
                             json={"email": alice.email, "password": alice.password})
    assert login.status_code == 200
    [entry, _back] = await AuditLog.select(AuditLog.details).where(
        AuditLog.action == "user.changed").order_by(AuditLog.id)
    details = json.loads(entry["details"])
    assert details["sessions_ended"] == 1 and details["api_credentials_revoked"] == 1
    await other.aclose()


async def test_it_changes_a_role_and_refuses_to_deactivate_ones_own_account(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    headers = await admin_signed_in(client, make_user)
    changed = await client.post(f"/admin/users/{alice.user.id}/rolle", data={"role": "viewer"},
                                headers=headers)
    assert changed.status_code == 303
    me = await client.get("/api/v1/auth/me", headers=alice.headers)
    assert me.json()["user"]["role"] == "viewer"
    bad = await client.post(f"/admin/users/{alice.user.id}/rolle", data={"role": "root"},
                            headers=headers)
    assert bad.status_code == 422 and "Rolle" in bad.text
    me_id = (await client.get("/api/v1/auth/me")).json()["user"]["id"]
    own = await client.post(f"/admin/users/{me_id}/deaktivieren", headers=headers)
    assert own.status_code == 409
    assert "eigenes Konto" in own.text
    assert (await client.get("/api/v1/auth/me")).status_code == 200


async def test_nobody_but_an_administrator_reaches_the_account_pages(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    alice = await make_user()
    csrf = await login_browser(client, alice.email, alice.password)
    assert (await client.get(f"/admin/users/{alice.user.id}")).status_code == 403
    refused = await client.post(f"/admin/users/{alice.user.id}/passwort-link",
                                headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    assert await PasswordResetLink.count() == 0


async def test_a_reset_link_is_emailed_sealed_and_sets_a_new_password_once(
        client: httpx.AsyncClient, make_user: MakeUser, settings: Settings,
        smtp: SmtpServer, db: str) -> None:
    alice = await make_user()
    headers = await admin_signed_in(client, make_user)
    sent = await client.post(f"/admin/users/{alice.user.id}/passwort-link", headers=headers)
    assert sent.status_code == 303 and "konto-link" in sent.headers["location"]

    [queued] = await Outbox.select(Outbox.body_text, Outbox.body_html, Outbox.recipients)
    assert queued["recipients"] == [alice.email]
    result = await send_all_due(build_mailer(settings), SYSTEM_CLOCK.now())
    assert result.sent == 1
    [message] = smtp.messages
    text = message.get_body(("plain",)).get_content()
    [url] = re.findall(r"https?://\S+/passwort-neu/(\S+)", text)
    token = url.strip()
    # the token is nowhere in the database: not in the outbox, not in the link's row
    assert token not in queued["body_text"] and token not in queued["body_html"]
    [row] = await PasswordResetLink.select()
    assert len(row["token_hash"]) == 64
    assert token not in await everything_stored(db)

    # a scanner's GET uses nothing up
    shown = await client.get(f"/passwort-neu/{token}")
    assert shown.status_code == 200 and "Neues Passwort" in shown.text
    assert shown.headers["referrer-policy"] == "no-referrer"
    weak = await client.post(f"/passwort-neu/{token}", data={
        "new_password": "short", "new_password_repeat": "short"})
    assert weak.status_code == 422  # refused, the link still works
    new = "a brand new passphrase"
    done = await client.post(f"/passwort-neu/{token}", data={
        "new_password": new, "new_password_repeat": new})
    assert done.status_code == 303 and done.headers["location"].startswith("/login")
    again = await client.post(f"/passwort-neu/{token}", data={
        "new_password": new + "!", "new_password_repeat": new + "!"})
    assert again.status_code == 404
    assert (await client.get(f"/passwort-neu/{token}")).status_code == 404

    old = await client.post("/api/v1/auth/login",
                            json={"email": alice.email, "password": alice.password})
    assert old.status_code == 401
    ok = await client.post("/api/v1/auth/login", json={"email": alice.email, "password": new})
    assert ok.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=alice.headers)).status_code == 401
    actions_logged = {row["action"] for row in await AuditLog.select(AuditLog.action)}
    assert {"password.reset_sent", "password.changed"} <= actions_logged


async def test_a_reset_link_expires_and_a_newer_one_replaces_it(
        client: httpx.AsyncClient, make_user: MakeUser, settings: Settings,
        smtp: SmtpServer) -> None:
    alice = await make_user()
    headers = await admin_signed_in(client, make_user)
    for _ in range(2):
        await client.post(f"/admin/users/{alice.user.id}/passwort-link", headers=headers)
    await send_all_due(build_mailer(settings), SYSTEM_CLOCK.now())
    first, second = (re.findall(r"/passwort-neu/(\S+)",
                                m.get_body(("plain",)).get_content())[0] for m in smtp.messages)
    assert (await client.get(f"/passwort-neu/{first}")).status_code == 404
    assert (await client.get(f"/passwort-neu/{second}")).status_code == 200
    await PasswordResetLink.update({
        PasswordResetLink.expires_at: SYSTEM_CLOCK.now() - timedelta(seconds=1),
        PasswordResetLink.created_at: SYSTEM_CLOCK.now() - timedelta(days=2)}).where(
        PasswordResetLink.used_at.is_null())
    expired = await client.post(f"/passwort-neu/{second}", data={
        "new_password": "a brand new passphrase",
        "new_password_repeat": "a brand new passphrase"})
    assert expired.status_code == 404


async def test_a_deactivated_accounts_reset_link_stops_working(
        client: httpx.AsyncClient, make_user: MakeUser, settings: Settings,
        smtp: SmtpServer) -> None:
    alice = await make_user()
    headers = await admin_signed_in(client, make_user)
    await client.post(f"/admin/users/{alice.user.id}/passwort-link", headers=headers)
    await send_all_due(build_mailer(settings), SYSTEM_CLOCK.now())
    [token] = re.findall(r"/passwort-neu/(\S+)", smtp.messages[0].get_body(("plain",))
                         .get_content())
    await client.post(f"/admin/users/{alice.user.id}/deaktivieren", headers=headers)
    assert (await client.get(f"/passwort-neu/{token}")).status_code == 404
    refused = await client.post(f"/admin/users/{alice.user.id}/passwort-link", headers=headers)
    assert refused.status_code == 409 and "deaktiviert" in refused.text
