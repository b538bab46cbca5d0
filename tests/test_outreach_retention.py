"""Retention of prospects: who never became a client is erased PROSPECT_RETENTION_MONTHS
after being added (or parked) by the job that pseudonymises closed cases, with the proof of
tests/test_erasure.py that nothing personal is left in any text or date column; a prospect
converted into a client is blanked when its client is erased or pseudonymised."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from network.cases import actions
from network.clock import FixedClock
from network.name_matching import stored_sounds, stored_words
from network.outreach import retention
from network.scheduler import pseudonymise_expired_cases
from network.settings import ConfigError
from network.transactions import transaction
from tests.support.app import make_settings
from tests.support.factories import NOW, SYSTEM_ACTOR, client_data
from tests.support.leaks import places_holding
from tests.support.outreach_rows import contact, prospect

FIRST, LAST = "Yordanosa", "Tesfamariamzai"
KEEP_FIRST, KEEP_LAST = "Semhartina", "Ghebrekidanow"
BIRTH = date(1993, 7, 14)  # the erased person's
KEEP_BIRTH = date(1991, 2, 3)
KEEP = {"first": KEEP_FIRST, "last": KEEP_LAST, "born": KEEP_BIRTH, "phone": "+49 2433 12 34",
        "city": "Hückelhoven"}


def months_ago(months: int, days: int = 0) -> datetime:
    return retention.retention_cutoff(NOW, months) - timedelta(days=days)


async def prospect_with_data_everywhere(added_at: datetime, first: str = FIRST,
                                        last: str = LAST, born: date = BIRTH,
                                        phone: str = "+49 2431 77 66 55",
                                        city: str = "Erkelenz", **values) -> int:
    """A prospect whose name is in every free text of the outreach tables."""
    name = f"{first} {last}"
    prospect_id = await prospect(
        added_at, first_name=first, last_name=last, name_words=stored_words(first, last),
        name_codes=stored_sounds(first, last), date_of_birth=born, birth_year=born.year,
        country_code="ER", residence_status="permission_to_reside",
        residence_since=date(2025, 9, 1), shelter=f"Zimmer von {name}, Unterkunft {city}",
        address=f"bei {name}, Hauptstraße 1", phone=phone, languages=["ti", "en"],
        source="volunteer", source_note=f"{name} kam über Frau Beispiel",
        first_contact_at=added_at + timedelta(days=3), **values)
    await contact(prospect_id, (added_at + timedelta(days=3)).date(), "invited",
                  appointment_at=added_at + timedelta(days=10),
                  appointment_place=f"Treffpunkt mit {name}", note=f"{name} spricht Tigrinya")
    return prospect_id


async def prospect_row(prospect_id: int) -> dict:
    async with transaction() as connection:
        return dict(await connection.fetchrow("SELECT * FROM prospects WHERE id = $1",
                                              prospect_id))


async def contact_rows(prospect_id: int) -> list[dict]:
    async with transaction() as connection:
        return [dict(row) for row in await connection.fetch(
            "SELECT on_day, channel, outcome, appointment_at, appointment_place, note"
            " FROM prospect_contacts WHERE prospect_id = $1", prospect_id)]


FIGURES = ("legal_circle", "birth_year", "country_code", "residence_status", "languages",
           "source", "status", "added_at", "first_contact_at", "parked_at", "park_reason",
           "converted_at", "client_id")


def test_the_cutoff_lies_the_given_months_back():
    at = datetime(2026, 8, 31, 12, tzinfo=UTC)
    assert retention.retention_cutoff(at, 6) == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert retention.retention_cutoff(at, 18) == datetime(2025, 2, 28, 12, tzinfo=UTC)
    assert retention.retention_cutoff(datetime(2028, 8, 29, tzinfo=UTC), 6) == datetime(
        2028, 2, 29, tzinfo=UTC)
    assert retention.retention_cutoff(datetime(2027, 1, 15, tzinfo=UTC), 1) == datetime(
        2026, 12, 15, tzinfo=UTC)


def test_a_prospect_is_due_after_the_period_from_adding_or_parking():
    old, recent = months_ago(6, days=1), months_ago(5)
    assert retention.is_due("waiting", old, None, None, NOW, 6)
    assert not retention.is_due("waiting", recent, None, None, NOW, 6)
    assert retention.is_due("parked", old, old, None, NOW, 6)
    assert not retention.is_due("parked", old, recent, None, NOW, 6)  # parked lately
    assert not retention.is_due("converted", old, None, None, NOW, 6)  # follows its client
    assert not retention.is_due("waiting", old, None, recent, NOW, 6)  # erased already


def test_prospect_retention_months_default_to_six_and_are_parsed_strictly(tmp_path):
    assert make_settings(tmp_path).prospect_retention_months == 6
    assert make_settings(tmp_path, PROSPECT_RETENTION_MONTHS="12").prospect_retention_months == 12
    for value in ("six", "0", "-1", "2.5", "121"):
        with pytest.raises(ConfigError, match="PROSPECT_RETENTION_MONTHS"):
            make_settings(tmp_path, PROSPECT_RETENTION_MONTHS=value)


async def test_the_retention_job_erases_never_converted_prospects_and_leaves_nothing(
        pool, tmp_path):
    waiting = await prospect_with_data_everywhere(months_ago(6, days=1))
    parked = await prospect_with_data_everywhere(
        months_ago(9), status="parked", parked_at=months_ago(6, days=2), park_reason="no_contact")
    kept_waiting = await prospect_with_data_everywhere(
        months_ago(5), **KEEP)
    kept_parked = await prospect_with_data_everywhere(
        months_ago(9), **KEEP, status="parked",
        parked_at=months_ago(2), park_reason="declined")
    assert len(await places_holding(LAST, birth=BIRTH)) >= 7
    before = {pid: await prospect_row(pid) for pid in (waiting, parked)}

    await pseudonymise_expired_cases(make_settings(tmp_path), FixedClock(NOW))

    assert await places_holding(FIRST, LAST, "yordanosa", "77 66 55", "Erkelenz",
                                birth=BIRTH) == []
    for pid in (waiting, parked):
        row = await prospect_row(pid)
        assert row["erased_at"] == NOW
        assert row["name_words"] is None and row["name_codes"] is None
        assert row["residence_since"] is None and row["date_of_birth"] is None
        assert {k: row[k] for k in FIGURES} == {k: before[pid][k] for k in FIGURES}
        [attempt] = await contact_rows(pid)
        assert attempt["note"] is None and attempt["appointment_place"] is None
        assert attempt["outcome"] == "invited" and attempt["appointment_at"] is not None
    for pid in (kept_waiting, kept_parked):
        row = await prospect_row(pid)
        assert row["erased_at"] is None and row["last_name"] == KEEP_LAST
        assert row["date_of_birth"] == KEEP_BIRTH
        assert (await contact_rows(pid))[0]["note"] == f"{KEEP_FIRST} {KEEP_LAST} spricht Tigrinya"
    async with transaction() as connection:
        entries = await connection.fetch(
            "SELECT actor_id, entity_id, details FROM audit_log"
            " WHERE action = 'prospect.erased' ORDER BY entity_id::bigint")
    assert [(r["actor_id"], r["entity_id"]) for r in entries] == [
        (None, str(waiting)), (None, str(parked))]
    assert await retention.erase_due(SYSTEM_ACTOR, FixedClock(NOW), 6) == []  # done once


async def test_the_period_is_the_configured_one_and_converted_prospects_are_left_to_their_client(
        pool, tmp_path):
    three_months = await prospect_with_data_everywhere(months_ago(3, days=1))
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(months_ago(12)), client_data(
        first_name=KEEP_FIRST, last_name=KEEP_LAST))
    converted = await prospect_with_data_everywhere(
        months_ago(12), **KEEP, status="converted",
        converted_at=months_ago(12), client_id=client.id)
    await pseudonymise_expired_cases(make_settings(tmp_path), FixedClock(NOW))
    assert (await prospect_row(three_months))["erased_at"] is None  # six months by default
    await pseudonymise_expired_cases(make_settings(tmp_path, PROSPECT_RETENTION_MONTHS="3"),
                                     FixedClock(NOW))
    assert (await prospect_row(three_months))["erased_at"] == NOW
    assert (await prospect_row(converted))["last_name"] == KEEP_LAST  # the client's own


@pytest.mark.parametrize("how", ["erased", "pseudonymised"])
async def test_a_client_erased_or_pseudonymised_blanks_the_prospect_it_came_from(pool, how):
    client = await actions.create_client(SYSTEM_ACTOR, FixedClock(NOW), client_data(
        first_name=FIRST, last_name=LAST, date_of_birth=BIRTH, phone="+49 2431 77 66 55",
        address="Hauptstraße 1, Erkelenz", email="y.t@example.org"))
    came_from = await prospect_with_data_everywhere(
        NOW - timedelta(days=30), status="converted", converted_at=NOW, client_id=client.id)
    other = await prospect_with_data_everywhere(NOW - timedelta(days=30), **KEEP)
    before = await prospect_row(came_from)
    later = FixedClock(NOW + timedelta(days=1))
    if how == "erased":
        await actions.erase_client(SYSTEM_ACTOR, later, client.id)
    else:
        await actions.close_case(SYSTEM_ACTOR, FixedClock(NOW), client.id, "employment")
        await actions.pseudonymise_client(SYSTEM_ACTOR, later, client.id)
    assert await places_holding(FIRST, LAST, "yordanosa", "Erkelenz", birth=BIRTH) == []
    row = await prospect_row(came_from)
    assert row["erased_at"] == later.now() and row["name_words"] is None
    assert {k: row[k] for k in FIGURES} == {k: before[k] for k in FIGURES}
    assert (await prospect_row(other))["last_name"] == KEEP_LAST
