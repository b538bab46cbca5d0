"""The consent form: printed blank in German and the client's language (a PDF), and the signed
form (PDF or photo) attached to the consent record, size-limited, kept in PostgreSQL, opened
again only by the client's circle, every opening audited, gone when the client's data go."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pypdf import PdfReader

from network.actors import Actor
from network.cases import actions, consent_forms
from network.cases.tables import ConsentForm
from network.clock import SYSTEM_CLOCK, FixedClock
from network.errors import NotFound, RuleViolation
from network.web import consent_form
from tests.support.app import MadeUser, MakeUser, login_browser
from tests.support.factories import SYSTEM_ACTOR, client_data
from tests.support.pages import field_error, signed_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% signed form\n"


async def audit_actions(client_id: int) -> list[str]:
    rows = await ConsentForm.raw(
        "SELECT action FROM audit_log WHERE entity = 'client' AND entity_id = {}"
        " ORDER BY id", str(client_id))
    return [row["action"] for row in rows]


async def case_with_consent(coordinator: MadeUser, **changes: object) -> tuple[int, int]:
    actor = Actor.of_user(coordinator.user)
    opened = datetime.now(UTC) - timedelta(days=3)
    client = await actions.create_client(actor, FixedClock(opened), client_data(
        coordinator_id=coordinator.user.id, **changes), barrier_kinds=["housing"])
    consent = await actions.give_consent(actor, FixedClock(opened), client.id,
                                         ["association"])
    return client.id, consent.id


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def fonts_of(body: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(body))
    return {str(font["/BaseFont"]) for page in reader.pages
            for font in (page["/Resources"].get("/Font") or {}).values()
            for font in [font.get_object()]}


async def test_the_blank_form_prints_in_german_and_the_clients_first_language(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, _ = await signed_in(client, make_user)
    english, _ = await case_with_consent(made, languages=(
        client_data().languages[1].__class__("en", "B2"),))
    answer = await client.get(f"/clients/{english}/einwilligungsformular")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = pdf_text(answer.content)
    assert "Einwilligung in die Weitergabe meiner Daten" in text  # German, binding
    assert "Consent to share my data" in text  # and the client's language
    assert "Amal Haddad" in text and "17.05.1990" in text
    assert "Ausländerbehörde" in text and "Immigration office" in text  # every kind to tick
    assert "consent.form_printed" in await audit_actions(english)

    arabic, _ = await case_with_consent(made)  # Arabic first, German second
    shaped = await client.get(f"/clients/{arabic}/einwilligungsformular")
    assert "Einwilligung in die Weitergabe" in pdf_text(shaped.content)
    assert "Consent to share" not in pdf_text(shaped.content)
    tigrinya = await client.get(f"/clients/{arabic}/einwilligungsformular?sprache=ti")
    assert any("NotoSansEthiopic" in font for font in fonts_of(tigrinya.content))
    german = await client.get(f"/clients/{arabic}/einwilligungsformular?sprache=de")
    assert not any("NotoSansEthiopic" in font for font in fonts_of(german.content))
    unknown = await client.get(f"/clients/{arabic}/einwilligungsformular?sprache=xx")
    assert unknown.status_code == 200  # an unknown language: the client's own


@pytest.mark.parametrize("code", ["de", "en", "ar", "fa", "ti"])
def test_every_language_of_the_slip_has_every_text_of_the_form(code: str) -> None:
    german = consent_form.texts("de")
    own = consent_form.texts(code)
    assert set(own) == set(german)
    assert set(own["partner_kinds"]) == set(german["partner_kinds"])
    raw = consent_form.FOLDER / f"{code}.json"
    assert raw.exists()
    body = consent_form.build(code, consent_form.Person("Amal Haddad", "17.05.1990", None),
                              "Integration Point", datetime(2026, 11, 30).date())
    assert body.startswith(b"%PDF-")


async def test_a_signed_form_is_attached_opened_and_every_opening_audited(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    client_id, consent_id = await case_with_consent(made)
    path = f"/clients/{client_id}/consents/{consent_id}/formular"
    before = await client.get(f"/clients/{client_id}")
    assert "Unterschriebenes Formular hinterlegen" in before.text
    assert "Unterschriebenes Formular öffnen" not in before.text

    sent = await client.post(path, data={"csrf_token": csrf},
                             files={"form_file": ("scan.jpg", PNG, "image/jpeg")})
    assert sent.status_code == 303
    page = await client.get(f"/clients/{client_id}")
    assert "Unterschriebenes Formular öffnen" in page.text and "Formular ersetzen" in page.text
    for _ in range(2):
        opened = await client.get(path)
        assert opened.status_code == 200 and opened.content == PNG
        assert opened.headers["content-type"] == "image/png"  # by its bytes, not its name
        assert opened.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in opened.headers["content-security-policy"]
    # attached again: replaced, one row
    await client.post(path, data={"csrf_token": csrf},
                      files={"form_file": ("scan.pdf", PDF, "application/pdf")})
    assert (await client.get(path)).content == PDF
    assert await ConsentForm.count().where(ConsentForm.consent_id == consent_id) == 1
    logged = await audit_actions(client_id)
    assert logged.count("consent.form_attached") == 2
    assert logged.count("consent.form_opened") == 3
    details = await ConsentForm.raw(
        "SELECT details FROM audit_log WHERE action = 'consent.form_attached'"
        " AND entity_id = {} ORDER BY id", str(client_id))
    assert [json.loads(row["details"]) for row in details] == [
        {"consent_id": consent_id, "type": "image/png"},
        {"consent_id": consent_id, "type": "application/pdf"}]


async def test_a_wrong_or_too_large_file_is_refused_naming_the_field_and_nothing_kept(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    made, csrf = await signed_in(client, make_user)
    client_id, consent_id = await case_with_consent(made)
    path = f"/clients/{client_id}/consents/{consent_id}/formular"
    field = f"form-file-{consent_id}"
    text = await client.post(path, data={"csrf_token": csrf},
                             files={"form_file": ("form.pdf", b"just text", "application/pdf")})
    assert text.status_code == 422
    assert "Nur PDF-, PNG- oder JPEG-Dateien" in field_error(text.text, field)
    empty = await client.post(path, data={"csrf_token": csrf},
                              files={"form_file": ("form.pdf", b"", "application/pdf")})
    assert empty.status_code == 422 and field_error(empty.text, field)
    large = PDF + b"0" * consent_forms.MAX_BYTES
    too_large = await client.post(path, data={"csrf_token": csrf},
                                  files={"form_file": ("big.pdf", large, "application/pdf")})
    assert too_large.status_code == 422
    assert "höchstens" in field_error(too_large.text, field)
    huge = await client.post(path, data={"csrf_token": csrf}, files={
        "form_file": ("huge.pdf", large + b"0" * 200_000, "application/pdf")})
    assert huge.status_code == 413  # refused before the body is read
    assert await ConsentForm.count().where(ConsentForm.consent_id == consent_id) == 0
    missing = await client.get(path)
    assert missing.status_code == 422


async def test_only_the_clients_circle_attaches_or_opens_and_another_cases_consent_is_refused(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    owner = await make_user()
    client_id, consent_id = await case_with_consent(owner)
    other_case, _ = await case_with_consent(owner)
    await actions.attach_consent_form(Actor.of_user(owner.user), SYSTEM_CLOCK, consent_id, PDF)
    stranger = await make_user(legal_circle="sgb3")
    with pytest.raises(NotFound):
        await actions.open_consent_form(Actor.of_user(stranger.user), SYSTEM_CLOCK, consent_id)
    with pytest.raises(NotFound):
        await actions.attach_consent_form(Actor.of_user(stranger.user), SYSTEM_CLOCK,
                                          consent_id, PNG)
    await login_browser(client, owner.email, owner.password)
    wrong_case = await client.get(f"/clients/{other_case}/consents/{consent_id}/formular")
    assert wrong_case.status_code == 422  # the consent is not this case's
    await login_browser(client, stranger.email, stranger.password)
    assert (await client.get(f"/clients/{client_id}/einwilligungsformular")).status_code == 404
    assert (await client.get(f"/clients/{client_id}/consents/{consent_id}/formular")
            ).status_code == 404
    opened = [a for a in await audit_actions(client_id) if a == "consent.form_opened"]
    assert opened == []  # nobody opened it


def test_the_file_check_knows_files_by_their_first_bytes() -> None:
    assert consent_forms.checked_file(PDF) == (PDF, "application/pdf")
    assert consent_forms.checked_file(b"\xff\xd8\xff\xe0jpeg")[1] == "image/jpeg"
    for bad in (b"", None, "text", b"GIF89a"):
        with pytest.raises(RuleViolation) as refused:
            consent_forms.checked_file(bad)
        assert refused.value.field == "form_file"


async def test_the_signed_form_goes_when_the_client_is_erased(
        client: httpx.AsyncClient, make_user: MakeUser) -> None:
    owner = await make_user()
    client_id, consent_id = await case_with_consent(owner)
    await actions.attach_consent_form(Actor.of_user(owner.user), SYSTEM_CLOCK, consent_id, PDF)
    await actions.erase_client(SYSTEM_ACTOR, SYSTEM_CLOCK, client_id)
    assert await ConsentForm.count().where(ConsentForm.client_id == client_id) == 0
    with pytest.raises(RuleViolation):
        await actions.open_consent_form(Actor.of_user(owner.user), SYSTEM_CLOCK, consent_id)
    with pytest.raises(RuleViolation):  # nobody left to sign a blank one
        await actions.print_consent_form(Actor.of_user(owner.user), SYSTEM_CLOCK, client_id)
