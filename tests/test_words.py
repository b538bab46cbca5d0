"""The catalogue (network.words): one German word for every thing the product shows, every
refusal code worded in English and German, dates and places the German way."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

import pytest

from network import words
from network.accounts.access import LegalCircle as AccessLegalCircle
from network.accounts.access import Role
from network.cases.values import (
    BarrierKind,
    BarrierStatus,
    CaseKind,
    CaseStatus,
    Gender,
    LegalCircle,
    Outcome,
    QualificationKind,
    ResidenceStatus,
)
from network.errors import RuleViolation
from network.partners.kinds import PartnerKind
from network.referrals.lifecycle import DeclineReason, Status
from network.referrals.lifecycle import Outcome as ReferralOutcome
from network.reminders.policy import ReminderKind
from network.words.refusals import ENGLISH_ONLY, REFUSALS

NETWORK = Path(__file__).resolve().parent.parent / "network"
REFUSING = {"RuleViolation", "Conflict", "NotPermitted"}
GERMAN = re.compile(r"[äöüÄÖÜß]")


def _sources() -> list[tuple[str, ast.Module]]:
    return [(path.relative_to(NETWORK).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(NETWORK.rglob("*.py"))
            if "words" not in path.relative_to(NETWORK).parts]


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)


def raised_codes() -> list[tuple[str, int, str]]:
    """Every refusal raised with a literal (or f-string) code that the catalogue lacks."""
    missing = []
    for name, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node) in REFUSING
                    and len(node.args) >= 2):
                continue
            code = node.args[1]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                if code.value not in REFUSALS:
                    missing.append((name, node.lineno, code.value))
            elif isinstance(code, ast.JoinedStr):
                missing.append((name, node.lineno, ast.unparse(code)))
    return missing


def test_every_code_raised_in_network_is_in_the_catalogue() -> None:
    missing = raised_codes()
    assert missing == [], "\n".join(f"{n}:{line}: {code}" for n, line, code in missing)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_english_and_german_use_the_same_placeholders(code: str) -> None:
    english, german = REFUSALS[code]
    assert _placeholders(english) - ENGLISH_ONLY == _placeholders(german), code
    assert german.strip() and english.strip()


def test_a_refusal_reads_in_english_for_the_api_and_in_german_for_pages() -> None:
    too_long = RuleViolation("note", "too_long", max=5000)
    assert too_long.message == "must be at most 5000 characters"
    assert too_long.german == "Höchstens 5000 Zeichen."
    not_one = RuleViolation("gender", "not_one_of", allowed="female, male")
    assert not_one.message == "must be one of female, male"
    assert not_one.german == "Bitte einen der angebotenen Werte wählen."


VOCABULARIES: list[tuple[type[StrEnum], dict[str, str]]] = [
    (BarrierKind, words.BARRIER_KINDS), (BarrierStatus, words.BARRIER_STATUSES),
    (CaseKind, words.CASE_KINDS), (CaseStatus, words.CASE_STATUSES),
    (Outcome, words.OUTCOMES), (Gender, words.GENDERS),
    (ResidenceStatus, words.RESIDENCE_STATUSES), (LegalCircle, words.LEGAL_CIRCLES),
    (AccessLegalCircle, words.LEGAL_CIRCLES), (QualificationKind, words.QUALIFICATION_KINDS),
    (Role, words.ROLES), (PartnerKind, words.PARTNER_KINDS),
    (Status, words.REFERRAL_STATUSES), (DeclineReason, words.DECLINE_REASONS),
    (ReferralOutcome, words.REFERRAL_OUTCOMES), (ReminderKind, words.REMINDER_KINDS),
]


@pytest.mark.parametrize("vocabulary, german", VOCABULARIES,
                         ids=[f"{v.__module__}.{v.__name__}" for v, _ in VOCABULARIES])
def test_every_member_of_a_vocabulary_has_one_german_word(vocabulary: type[StrEnum],
                                                         german: dict[str, str]) -> None:
    assert [m.value for m in vocabulary if not german.get(m)] == []
    assert german[next(iter(vocabulary))] == german[next(iter(vocabulary)).value]


def test_every_audit_action_and_entity_written_in_network_has_a_german_word() -> None:
    actions, entities = set(), set()
    for _, tree in _sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node) == "record"
                    and len(node.args) >= 2):
                continue
            action = node.args[1]
            if isinstance(action, ast.JoinedStr):  # f"reminder.{change}"
                prefix = action.values[0]
                assert isinstance(prefix, ast.Constant)
                assert any(a.startswith(prefix.value) for a in words.AUDIT_ACTIONS)
                continue
            for part in ast.walk(action):  # a literal, or "a" if ... else "b"
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    actions.add(part.value)
            if len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                entities.add(node.args[2].value)
    assert actions - set(words.AUDIT_ACTIONS) == set()
    assert entities - set(words.ENTITIES) == set()


def german_word_maps() -> list[tuple[str, int]]:
    """Dict literals outside network/words that map codes to German words (the demo data's
    sample notes are content, not words of the product)."""
    found = []
    for name, tree in _sources():
        if "demo" in name:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Dict) or len(node.keys) < 3:
                continue
            texts = [v.value for v in node.values
                     if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            if len(texts) == len(node.values) and any(GERMAN.search(t) for t in texts):
                found.append((name, node.lineno))
    return found


def test_no_german_word_map_exists_outside_the_catalogue() -> None:
    assert german_word_maps() == []


def test_the_catalogue_imports_no_domain_module() -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, network.words; print(' '.join(sorted("
         "m for m in sys.modules if m.startswith('network'))))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert [m for m in loaded
            if m not in ("network", "network.clock") and not m.startswith("network.words")] == []


def test_dates_read_the_german_way_on_the_berlin_clock() -> None:
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # already the 27th in Berlin
    assert words.day(late) == "27.11.2026"
    assert words.day(date(2026, 3, 1)) == "01.03.2026" and words.day(None) == ""
    summer = datetime(2026, 7, 26, 12, 5, tzinfo=UTC)
    assert words.moment(summer) == "26.07.2026, 14:05 Uhr"
    assert words.clock_time(summer) == "26.07.2026, 14:05"
    assert words.month(2026, 10) == "Oktober 2026" and words.month(2026, 3) == "März 2026"
    assert words.short_month(2026, 3) == "Mär 26"
    assert words.duration(timedelta(days=2, hours=3)) == "2 Tage 3 Std."


def test_countries_and_languages_are_cldrs_full_german_lists_in_german_order() -> None:
    assert len(words.COUNTRIES) > 240 and len(words.LANGUAGES) > 400
    assert words.country("SY") == "Syrien" and words.country("XK") == "Kosovo"
    assert words.country("EU") == "EU" and words.country(None) == ""  # not a country
    assert words.language("ti") == "Tigrinya" and words.language("de") == "Deutsch"
    assert all(re.match(r"^[A-Z]{2}$", code) for code in words.COUNTRIES)
    assert all(re.match(r"^[a-z]{2,3}$", code) for code in words.LANGUAGES)
    names = list(words.COUNTRIES.values())
    assert names.index("Ägypten") < names.index("Albanien")  # Ä sorts with A
    assert names == sorted(names, key=words.collation_key)
