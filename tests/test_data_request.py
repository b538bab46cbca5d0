"""A client's data request (GDPR Art. 15, § 83 SGB X): the report holds every row about the
client in every table that can hold one, and nothing about anyone else; its due date shows
until it is answered; after pseudonymisation it is refused."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pypdf
import pytest

from network.cases import data_requests, subject_access
from network.clock import SYSTEM_CLOCK
from network.partners import actions as partner_actions
from network.words import data_request as words
from network.words.dates import day
from tests.support.api import open_case
from tests.support.app import login_browser
from tests.support.factories import SYSTEM_ACTOR, partner_data

# Tables a client's data can sit in: a column naming the client, one of its referrals or
# barriers; and the two keyed by entity (audit_log) or with a nullable client (outbox).
ENUMERATED = """
    SELECT DISTINCT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      AND c.column_name IN ('client_id', 'referral_id', 'barrier_id')
"""
BY_ENTITY = {"audit_log", "outbox", "clients"}


async def _tables_about_clients(database_url: str) -> set[str]:
    connection = await asyncpg.connect(database_url)
    try:
        return {row["table_name"] for row in await connection.fetch(ENUMERATED)} | BY_ENTITY
    finally:
        await connection.close()


async def test_every_table_about_a_client_is_covered_by_a_section(db: str) -> None:
    """A new table with a client_id, referral_id or barrier_id fails here until a section of
    network.cases.subject_access reads it."""
    missing = await _tables_about_clients(db) - subject_access.covered_tables()
    assert missing == set(), f"no data-request section reads {sorted(missing)}"
    assert set(subject_access.SECTIONS) == set(words.SECTION_HEADINGS)  # each one worded


async def _seed(connection: asyncpg.Connection, client_id: int, tag: str, base: int,
                user_id: int, partner_id: int) -> dict[str, int]:
    """One row about the client in every table (the clients row and its languages come from
    opening the case); ids from `base`, texts marked with `tag`. Returns {table: id}."""
    now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    ids = {t: base + n for n, t in enumerate([
        "qualifications", "consents", "barriers", "barrier_events", "referrals",
        "referral_events", "partner_messages", "partner_links", "case_events", "reminders",
        "outbox", "circle_handovers", "audit_log", "data_requests", "material_handouts",
        "client_page_links", "case_changes", "case_notes", "prospects", "prospect_contacts",
        "consent_forms", "referral_appointments"])}
    async def insert(table: str, **values: object) -> None:
        names = ", ".join(values)
        marks = ", ".join(f"${n}" for n in range(1, len(values) + 1))
        override = " OVERRIDING SYSTEM VALUE" if "id" in values else ""
        await connection.execute(f"INSERT INTO {table} ({names}){override} VALUES ({marks})",
                                 *values.values())

    referral, barrier = ids["referrals"], ids["barriers"]
    await insert("potential_analyses", client_id=client_id, work_experience=f"{tag}-potential",
                 recorded_at=now, updated_at=now)
    await insert("qualifications", id=ids["qualifications"], client_id=client_id,
                 kind="vocational", title=f"{tag}-qualification", has_documents=False)
    await insert("consents", id=ids["consents"], client_id=client_id, given_at=now,
                 partner_kinds=["school"])
    await insert("barriers", id=barrier, client_id=client_id, kind="housing",
                 description=f"{tag}-barrier", opened_at=now)
    await insert("barrier_events", id=ids["barrier_events"], barrier_id=barrier, at=now,
                 to_status="open", note=f"{tag}-barrier-event")
    await insert("referrals", id=referral, client_id=client_id, barrier_id=barrier,
                 partner_id=partner_id, coordinator_id=user_id, created_by=user_id,
                 status="sent", note=f"{tag}-referral", created_at=now, updated_at=now,
                 sent_at=now)
    await insert("referral_events", id=ids["referral_events"], referral_id=referral, at=now,
                 event="created", actor_kind="user", actor_user_id=user_id, to_status="sent",
                 note=f"{tag}-referral-event")
    await insert("partner_messages", id=ids["partner_messages"], referral_id=referral,
                 partner_id=partner_id, idempotency_key=f"{ord(tag[0]) + 1:064x}", at=now)
    await insert("partner_links", id=ids["partner_links"], referral_id=referral,
                 partner_id=partner_id, token_hash=f"{ord(tag[0]):064x}", created_at=now,
                 expires_at=now + timedelta(days=30))
    await insert("case_events", id=ids["case_events"], client_id=client_id, at=now,
                 event="circle_changed", note=f"{tag}-case-event")
    await insert("reminders", id=ids["reminders"], kind="no_answer", recipient="partner",
                 referral_id=referral, barrier_id=barrier, client_id=client_id, sequence=1,
                 epoch=now, due_at=now, reason=f"{tag}-reminder", created_at=now)
    await insert("outbox", id=ids["outbox"], message_id=f"<{tag}@example>",
                 template="referral", recipients=["p@example.org"], subject=f"{tag}-email",
                 body_text="body", body_html="body", referral_id=referral)
    await insert("outbox", message_id=f"<{tag}.case@example>", template="case",
                 recipients=["c@example.org"], subject=f"{tag}-email-about-the-case",
                 body_text="body", body_html="body", client_id=client_id)
    await insert("circle_handovers", id=ids["circle_handovers"], client_id=client_id,
                 from_circle="sgb2", to_circle="sgb3", reason=f"{tag}-handover",
                 proposed_at=now)
    await insert("audit_log", id=ids["audit_log"], action="referral.read", entity="referral",
                 entity_id=str(referral), at=now)
    await insert("data_requests", id=ids["data_requests"], client_id=client_id,
                 received_on=date(2026, 11, 1), due_on=date(2026, 12, 1), recorded_at=now)
    leaflet = base + 100  # the catalogue item itself is about no one
    await insert("materials", id=leaflet, title=f"{tag}-leaflet", topic="housing",
                 languages=["de"], link="https://example.org/leaflet", review_on=date(2027, 1, 1),
                 created_at=now, updated_at=now)
    await insert("material_handouts", id=ids["material_handouts"], client_id=client_id,
                 material_id=leaflet, language="de", at=now, by_user=user_id)
    await insert("client_page_links", id=ids["client_page_links"], client_id=client_id,
                 seed=f"{tag}-seed", token_hash=f"{ord(tag[0]):064x}", created_at=now)
    await insert("case_changes", id=ids["case_changes"], client_id=client_id, barrier_id=barrier,
                 at=now, fields=["description"], changes=json.dumps(
                     [{"field": "description", "before": f"{tag}-before",
                       "after": f"{tag}-after"}]))
    await insert("case_notes", id=ids["case_notes"], client_id=client_id,
                 noted_on=date(2026, 11, 19), body=f"{tag}-note", author_id=user_id,
                 created_at=now)
    await insert("prospects", id=ids["prospects"], legal_circle="sgb2", first_name=f"{tag}",
                 last_name=f"{tag}-prospect", source="shelter", shelter=f"{tag}-shelter",
                 status="converted", converted_at=now, client_id=client_id, added_at=now,
                 updated_at=now)
    await insert("prospect_contacts", id=ids["prospect_contacts"], prospect_id=ids["prospects"],
                 on_day=date(2026, 11, 2), channel="phone", outcome="reached",
                 note=f"{tag}-contact", recorded_at=now)
    await insert("consent_forms", id=ids["consent_forms"], consent_id=ids["consents"],
                 client_id=client_id, file_data=b"%PDF-1.4 " + tag.encode(),
                 file_type="application/pdf", attached_at=now, attached_by=user_id)
    await insert("referral_appointments", id=ids["referral_appointments"],
                 referral_id=referral, starts_at=now + timedelta(days=3),
                 place=f"{tag}-appointment-place", recorded_at=now, recorded_by_user=user_id)
    return ids


def _rows_of(report: dict, table: str) -> list[dict]:
    return [row for s in subject_access.SECTIONS.values() if table in s.covers
            for row in report["sections"][s.name]]


async def test_the_report_holds_every_row_about_the_client_and_none_about_another(
        client, make_user, db: str) -> None:
    coordinator = await make_user()
    staff = coordinator.headers
    a = await open_case(client, staff, first_name="Amira", last_name="Quellfeld",
                        coordinator_id=coordinator.user.id)
    b = await open_case(client, staff, first_name="Berhane", last_name="Tesfamariam",
                        languages=[{"language": "ti", "level": "B1"}])
    partner = await partner_actions.create_partner(SYSTEM_ACTOR, SYSTEM_CLOCK, partner_data(
        name="Beratung Auskunft", barrier_kinds=("housing",)))
    connection = await asyncpg.connect(db)
    try:
        seeded_a = await _seed(connection, a["id"], "Aaa", 70000, coordinator.user.id,
                               partner.id)
        seeded_b = await _seed(connection, b["id"], "Bbb", 80000, coordinator.user.id,
                               partner.id)
    finally:
        await connection.close()
    # the seeding itself reaches every table the enumeration finds
    assert await _tables_about_clients(db) <= (set(seeded_a) | {
        "clients", "client_languages", "potential_analyses"})

    response = await client.post(f"/api/v1/clients/{a['id']}/data-report", headers=staff,
                                 json={"request_received": "2026-11-20"})
    assert response.status_code == 200, response.text
    text = response.text
    report = json.loads(text)
    for table, row_id in seeded_a.items():
        assert row_id in [row.get("id") for row in _rows_of(report, table)], table
    for table, row_id in seeded_b.items():
        assert row_id not in [row.get("id") for row in _rows_of(report, table)], table
    for marker in ("Aaa-potential", "Aaa-qualification", "Aaa-barrier", "Aaa-barrier-event",
                   "Aaa-referral", "Aaa-referral-event", "Aaa-case-event", "Aaa-reminder",
                   "Aaa-email", "Aaa-email-about-the-case", "Aaa-handover", "Aaa-before",
                   "Aaa-after", "Aaa-note", "Amira", "Quellfeld", "Aaa-appointment-place"):
        assert marker in text, marker
    assert "Bbb" not in text and "Berhane" not in text and "Tesfamariam" not in text
    assert report["sections"]["master_data"][0]["date_of_birth"] == "1990-05-17"
    assert {row["language"] for row in report["sections"]["languages"]} == {"ar", "de"}
    # the case's own audit entries (opening it) are in the access log, by actor kind and id
    assert any(row["action"] == "client.created" and row["actor_kind"] == "user"
               for row in report["sections"]["access_log"])


async def test_the_pdf_has_the_headings_and_the_name(client, make_user) -> None:
    staff = (await make_user()).headers
    case = await open_case(client, staff, first_name="Amira", last_name="Quellfeld")
    response = await client.post(f"/api/v1/clients/{case['id']}/data-report?format=pdf",
                                 headers=staff, json={"request_received": "2026-11-20"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(page.extract_text() for page in pages)
    assert "Amira Quellfeld" in text
    for heading in words.SECTION_HEADINGS.values():
        assert heading in text, heading
    assert "Referrals to partners" not in text  # the client speaks Arabic and German


async def test_the_pdf_headings_are_also_in_the_clients_language(client, make_user) -> None:
    staff = (await make_user()).headers
    case = await open_case(client, staff, languages=[{"language": "en", "level": "B2"}])
    response = await client.post(f"/api/v1/clients/{case['id']}/data-report?format=pdf",
                                 headers=staff, json={"request_received": "2026-11-20"})
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    for name, english in words.CLIENT_LANGUAGE_HEADINGS["en"].items():
        assert f"{words.SECTION_HEADINGS[name]} / {english}" in " ".join(text.split()), name


@pytest.mark.parametrize("language", ["ar", "fa", "ti"])
async def test_the_pdf_headings_in_arabic_persian_and_tigrinya(client, make_user,
                                                                language: str) -> None:
    """Shaped right to left for Arabic and Persian (extracted in reading order), and in an
    embedded Ethiopic font for Tigrinya, which DejaVu Sans cannot show."""
    staff = (await make_user()).headers
    case = await open_case(client, staff, languages=[{"language": language, "level": "C2"}])
    response = await client.post(f"/api/v1/clients/{case['id']}/data-report?format=pdf",
                                 headers=staff, json={"request_received": "2026-11-20"})
    assert response.status_code == 200, response.text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    headings = words.CLIENT_LANGUAGE_HEADINGS[language]
    assert set(headings) == set(words.SECTION_HEADINGS)
    for name, translated in headings.items():
        if "\u200c" not in translated:  # a zero-width non-joiner comes out in visual order
            assert f"{words.SECTION_HEADINGS[name]} / {translated}" in text, name
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansEthiopic" in font for font in fonts) == (language == "ti"), fonts


async def test_only_the_clients_circle_produces_it(client, make_user) -> None:
    own = (await make_user()).headers
    other = (await make_user(legal_circle="sgb3")).headers
    viewer = (await make_user(role="viewer")).headers
    case = await open_case(client, own)
    path = f"/api/v1/clients/{case['id']}/data-report"
    body = {"request_received": "2026-11-20"}
    assert (await client.post(path, headers=other, json=body)).status_code == 404
    assert (await client.post(path, headers=viewer, json=body)).status_code == 403


@pytest.mark.parametrize(("received", "due"), [
    (date(2026, 1, 31), date(2026, 2, 28)), (date(2028, 1, 31), date(2028, 2, 29)),
    (date(2026, 12, 15), date(2027, 1, 15)), (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 11, 20), date(2026, 12, 20)),
])
def test_the_answer_is_due_one_calendar_month_later(received: date, due: date) -> None:
    assert data_requests.due_on(received) == due


async def test_the_due_date_shows_on_the_dashboard_until_answered(client, make_user) -> None:
    coordinator = await make_user()
    staff = coordinator.headers
    case = await open_case(client, staff, coordinator_id=coordinator.user.id)
    today = SYSTEM_CLOCK.now().date()
    recorded = await client.post(f"/api/v1/clients/{case['id']}/data-request", headers=staff,
                                 json={"request_received": today.isoformat()})
    assert recorded.status_code == 201, recorded.text
    due = data_requests.due_on(today)
    assert recorded.json()["due_on"] == due.isoformat()
    await login_browser(client, coordinator.email, coordinator.password)
    expected = words.DUE.format(due=day(due))
    assert expected in (await client.get("/")).text
    produced = await client.post(f"/api/v1/clients/{case['id']}/data-report", headers=staff,
                                 json={"request_received": today.isoformat()})
    assert produced.status_code == 200
    dashboard = (await client.get("/")).text
    assert expected not in dashboard
    assert "Auskunft erteilt am" in dashboard
    listed = (await client.get(f"/api/v1/clients/{case['id']}/data-report",
                               headers=staff)).json()
    assert [r["id"] for r in listed] == [recorded.json()["id"]]
    assert listed[0]["answered_at"] is not None


async def test_refused_after_erasure_and_the_answer_stays_recorded(
        client, make_user) -> None:
    staff = (await make_user()).headers
    case = await open_case(client, staff, first_name="Amira", last_name="Quellfeld")
    path = f"/api/v1/clients/{case['id']}/data-report"
    body = {"request_received": (SYSTEM_CLOCK.now().date() - timedelta(days=3)).isoformat()}
    assert (await client.post(path, headers=staff, json=body)).status_code == 200
    erased = await client.post(f"/api/v1/clients/{case['id']}/erase", headers=staff)
    assert erased.status_code == 200, erased.text
    refused = await client.post(path, headers=staff, json=body)
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "client_data_removed"
    listed = (await client.get(path, headers=staff)).json()
    assert len(listed) == 1 and listed[0]["answered_at"] is not None
    assert "Quellfeld" not in json.dumps(listed)


async def test_the_case_page_records_a_request_and_produces_the_report(
        client, make_user) -> None:
    coordinator = await make_user()
    case = await open_case(client, coordinator.headers, first_name="Amira",
                           last_name="Quellfeld", coordinator_id=coordinator.user.id)
    csrf = await login_browser(client, coordinator.email, coordinator.password)
    page = (await client.get(f"/clients/{case['id']}")).text
    assert words.BUTTON_PRODUCE in page and words.BUTTON_RECORD in page
    received = SYSTEM_CLOCK.now().date() - timedelta(days=2)
    recorded = await client.post(f"/clients/{case['id']}/data-request", data={
        "csrf_token": csrf, "request_received": received.isoformat()})
    assert recorded.status_code == 303, recorded.text
    due = words.DUE.format(due=day(data_requests.due_on(received)))
    assert due in (await client.get(f"/clients/{case['id']}")).text
    produced = await client.post(f"/clients/{case['id']}/data-report", data={
        "csrf_token": csrf, "request_received": received.isoformat(), "format": "pdf"})
    assert produced.status_code == 200, produced.text
    text = pypdf.PdfReader(io.BytesIO(produced.content)).pages[0].extract_text()
    assert "Amira Quellfeld" in text
    assert due not in (await client.get(f"/clients/{case['id']}")).text


async def test_a_request_from_the_future_is_refused(client, make_user) -> None:
    staff = (await make_user()).headers
    case = await open_case(client, staff)
    tomorrow = SYSTEM_CLOCK.now().date() + timedelta(days=2)
    refused = await client.post(f"/api/v1/clients/{case['id']}/data-request", headers=staff,
                                json={"request_received": tomorrow.isoformat()})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "in_future"
