"""The partner picker's ranking rule (network.partners.ranking) and its words
(network.words.picker), pure: fit before evidence, thin evidence never above known figures,
a paused partner last, the Wilson lower bound, the 12-month window, working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from network.partners import ranking
from network.partners.ranking import Candidate, Evidence
from network.reminders.calendar import WorkingCalendar
from network.words import picker as words

TODAY = date(2026, 11, 30)
NONE = Evidence()


def candidate(pid: int, name: str = "", *, handles: bool = True, speaks: bool = True,
              serves: bool = True, paused_until: date | None = None,
              evidence: Evidence = NONE) -> Candidate:
    return Candidate(pid, name or f"Partner {pid}", handles, speaks, serves, paused_until,
                     evidence)


def known(accepted: int, decided: int = 10, days: tuple[int, ...] = (1,) * 10,
          open_now: int = 0, finished: int = 0, removed: int = 0) -> Evidence:
    return Evidence(sent=decided, decided=decided, accepted=accepted, answer_days=days,
                    finished=finished, removed=removed, open_now=open_now)


def test_the_wilson_lower_bound_weighs_few_referrals_less_than_many() -> None:
    assert ranking.wilson_lower(0, 0) == 0.0
    assert round(ranking.wilson_lower(8, 10), 3) == 0.490
    assert round(ranking.wilson_lower(3, 10), 3) == 0.108
    assert ranking.wilson_lower(4, 4) < ranking.wilson_lower(40, 40)
    assert ranking.wilson_lower(10, 10) < 1.0


def test_the_window_is_twelve_months_back_on_the_clock() -> None:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert ranking.window_start(now) == datetime(2025, 11, 30, 9, 0, tzinfo=UTC)
    assert ranking.window_start(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(
        2027, 2, 28, tzinfo=UTC)


def test_answer_days_are_working_days_on_the_nrw_calendar() -> None:
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    christmas_eve = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)  # Thursday
    after = datetime(2026, 12, 28, 10, 0, tzinfo=UTC)  # Monday, past two holidays
    counter = ranking.WorkingDays(WorkingCalendar(), date(2026, 11, 1), date(2026, 12, 31))
    assert ranking.answer_days([(friday, monday), (friday, friday), (christmas_eve, after)],
                               counter) == (1, 0, 1)
    beyond = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)  # outside the counted range: the calendar
    assert ranking.answer_days([(after, beyond)], counter) == (
        WorkingCalendar().working_days_between(after, beyond),)


@settings(max_examples=200)
@given(st.datetimes(datetime(2025, 10, 1), datetime(2027, 2, 1), timezones=st.just(UTC)),
       st.datetimes(datetime(2025, 10, 1), datetime(2027, 2, 1), timezones=st.just(UTC)))
def test_the_running_count_agrees_with_the_calendar(start: datetime, end: datetime) -> None:
    calendar = WorkingCalendar()
    counter = ranking.WorkingDays(calendar, date(2025, 11, 1), date(2026, 12, 31))
    assert counter.between(start, end) == calendar.working_days_between(start, end)


def test_evidence_orders_partners_of_the_same_fit() -> None:
    fast = candidate(1, "Zeta", evidence=known(8, days=(1,) * 10, open_now=3))
    slow = candidate(2, "Alpha", evidence=known(3, days=(6,) * 10))
    assert [c.partner_id for c in ranking.rank([slow, fast], TODAY)] == [1, 2]


def test_fit_outranks_evidence_in_the_order_kind_language_municipality() -> None:
    best = known(10, days=(0,) * 10)
    worst = known(0, days=(9,) * 10, open_now=20)
    ranked = ranking.rank([
        candidate(1, handles=False, evidence=best),
        candidate(2, speaks=False, evidence=best),
        candidate(3, serves=False, evidence=best),
        candidate(4, evidence=worst),
    ], TODAY)
    assert [c.partner_id for c in ranked] == [4, 3, 2, 1]


def test_thin_evidence_never_ranks_above_known_figures_of_the_same_fit() -> None:
    perfect_but_thin = candidate(1, "Anfang", evidence=known(4, decided=4, days=(0,) * 4,
                                                            open_now=2))
    poor_but_known = candidate(2, "Zuletzt", evidence=known(1, days=(9,) * 10, open_now=8))
    new = candidate(3, "Neu")
    ranked = ranking.rank([perfect_but_thin, new, poor_but_known], TODAY)
    assert [c.partner_id for c in ranked] == [2, 3, 1]  # thin ones: fewer open first


def test_a_paused_partner_comes_last_until_its_day_has_passed() -> None:
    paused = candidate(1, "Aaa", paused_until=TODAY, evidence=known(10, days=(0,) * 10))
    other = candidate(2, "Bbb", handles=False)
    assert [c.partner_id for c in ranking.rank([paused, other], TODAY)] == [2, 1]
    was_paused = candidate(1, "Aaa", paused_until=date(2026, 11, 29),
                           evidence=known(10, days=(0,) * 10))
    assert [c.partner_id for c in ranking.rank([was_paused, other], TODAY)] == [1, 2]


def test_an_empty_served_list_is_the_whole_district() -> None:
    assert ranking.serves((), "Wegberg")
    assert ranking.serves(("Wegberg",), "Wegberg")
    assert not ranking.serves(("Erkelenz",), "Wegberg")
    assert ranking.serves(("Erkelenz",), None)  # a client without one: no preference


def test_the_reason_line_shows_rates_only_from_five_referrals_on() -> None:
    line = words.evidence_line(enough=True, sent=10, decided=10, accepted=8, median_days=2,
                               finished=0, removed=0, open_now=3, minimum=5)
    assert line == "antwortet meist in 2 Arbeitstagen, nimmt 8 von 10 an, 3 offen"
    line = words.evidence_line(enough=True, sent=6, decided=6, accepted=6, median_days=0.5,
                               finished=5, removed=4, open_now=0, minimum=5)
    assert line == ("antwortet meist in 1 Arbeitstag, nimmt 6 von 6 an, 4 von 5 mit behobenem"
                    " Hindernis abgeschlossen, nichts offen")
    line = words.evidence_line(enough=False, sent=4, decided=4, accepted=4, median_days=0,
                               finished=0, removed=0, open_now=1, minimum=5)
    assert line == "noch wenig Erfahrung (4 Vermittlungen in 12 Monaten), 1 offen"
    assert "von" not in line and "Arbeitstag" not in line
    assert words.paused_warning(date(2026, 12, 15)) == "keine Aufnahme bis 15.12.2026"
    assert words.fit_line(speaks_main=False, main_language="Arabisch", serves=False,
                          municipality="Wegberg") == (
        "spricht nicht Arabisch; nicht zuständig für Wegberg")


# --- properties ---------------------------------------------------------------------------

evidences = st.builds(
    lambda decided, accepted_share, days, open_now, finished, removed_share: Evidence(
        sent=decided, decided=decided, accepted=int(decided * accepted_share),
        answer_days=tuple(days[:decided]), finished=finished,
        removed=int(finished * removed_share), open_now=open_now),
    st.integers(0, 40), st.floats(0, 1), st.lists(st.integers(0, 30), max_size=40),
    st.integers(0, 30), st.integers(0, 20), st.floats(0, 1))
candidates = st.builds(
    candidate, st.integers(1, 10**6), st.text("abcäöüß", min_size=1, max_size=6),
    handles=st.booleans(), speaks=st.booleans(), serves=st.booleans(),
    paused_until=st.none() | st.dates(date(2026, 11, 1), date(2027, 1, 31)),
    evidence=evidences)


def fit(c: Candidate) -> tuple[bool, bool, bool]:
    return (c.handles, c.speaks_main, c.serves)


@settings(max_examples=300)
@given(st.lists(candidates, max_size=12, unique_by=lambda c: c.partner_id))
def test_the_order_keeps_pause_fit_and_thin_evidence_rules(found: list[Candidate]) -> None:
    ranked = ranking.rank(found, TODAY)
    assert sorted(c.partner_id for c in ranked) == sorted(c.partner_id for c in found)
    for i, a in enumerate(ranked):
        for b in ranked[i + 1:]:
            if ranking.paused(a, TODAY) != ranking.paused(b, TODAY):
                assert not ranking.paused(a, TODAY)
            elif fit(a) != fit(b):
                # ordered by kind, then language, then municipality, whatever the evidence
                assert tuple(not x for x in fit(a)) < tuple(not x for x in fit(b))
            elif a.evidence.enough != b.evidence.enough:
                assert a.evidence.enough


@settings(max_examples=300)
@given(evidences, st.integers(1, 10), st.integers(1, 10))
def test_better_figures_never_lower_the_score(evidence: Evidence, more: int,
                                              faster: int) -> None:
    score = evidence.score
    if evidence.accepted < evidence.decided:
        accepted = min(evidence.decided, evidence.accepted + more)
        assert Evidence(**{**evidence.__dict__, "accepted": accepted}).score >= score
    if evidence.removed < evidence.finished:
        removed = min(evidence.finished, evidence.removed + more)
        assert Evidence(**{**evidence.__dict__, "removed": removed}).score >= score
    quicker = tuple(max(0, d - faster) for d in evidence.answer_days)
    assert Evidence(**{**evidence.__dict__, "answer_days": quicker}).score >= score
    busier = Evidence(**{**evidence.__dict__, "open_now": evidence.open_now + more})
    assert busier.score <= score
