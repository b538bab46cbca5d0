"""Read-only queries the referral pages need beyond the referral service: the partner picker
(who fits a barrier, in which order), a partner's response times, the people a referral can
be handed to, and the coordinator's contact for the client's slip. Plain reads through the
table classes; the picker's candidates and evidence in one statement (network.partners.queries,
ranked by network.partners.ranking), the median in hand-written SQL (Piccolo `raw`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from piccolo.query.functions.string import Lower

from network import words
from network.accounts.tables import AppUser
from network.cases.consent import any_covers
from network.cases.service import Consent
from network.clock import BERLIN
from network.partners import queries as partner_queries
from network.partners import ranking
from network.partners.kinds import PartnerKind
from network.partners.ranking import Evidence
from network.partners.tables import Partner
from network.referrals.lifecycle import OPEN_STATUSES, Status
from network.referrals.tables import Referral
from network.reminders.calendar import WorkingCalendar
from network.reminders.policy import NRW
from network.words import picker as picker_words


@dataclass(frozen=True)
class PartnerChoice:
    """An active partner as the picker offers it for one barrier of one client, with its
    place in the ranking (network.partners.ranking) and the words that explain it."""

    id: int
    name: str
    kind: PartnerKind
    city: str | None
    languages: tuple[str, ...]
    handles: bool  # lists the barrier's kind
    speaks: tuple[str, ...]  # the client's languages the partner speaks
    consented: bool  # the client's consent covers the partner's kind now
    speaks_main: bool = False  # speaks the client's main (first) language
    serves: bool = True  # serves the client's municipality
    served: tuple[str, ...] = ()  # the municipalities served (empty: the whole district)
    paused_until: date | None = None  # on a capacity pause until this day (incl.)
    pause_note: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    reason: str = ""  # the evidence line: "antwortet meist in 2 Arbeitstagen, ..."
    misfit: str = ""  # what does not fit: "spricht nicht Arabisch; nicht zuständig für ..."
    warning: str = ""  # "keine Aufnahme bis 15.12.2026" while paused

    @property
    def group(self) -> str:
        """best: handles the kind in a language the client speaks; kind: handles the kind;
        other: does not list the kind (an override reason is needed)."""
        if self.handles:
            return "best" if self.speaks else "kind"
        return "other"


async def partner_choices(barrier_kind: str, client_languages: Iterable[str],
                          consents: Iterable[Consent], now: datetime,
                          municipality: str | None = None,
                          calendar: WorkingCalendar = NRW) -> list[PartnerChoice]:
    """Every active partner in the picker's order (network.partners.ranking: fit, then the
    evidence of the last 12 months, a paused partner last), in one statement."""
    languages = list(dict.fromkeys(client_languages))
    main = languages[0] if languages else None
    terms = [c.terms for c in consents]
    open_now = sorted(s.value for s in OPEN_STATUSES if s is not Status.DRAFT)
    rows = await Partner.raw(partner_queries.PICKER, barrier_kind, ranking.window_start(now),
                             now, open_now)
    today = now.astimezone(BERLIN).date()
    counter = ranking.WorkingDays(calendar, ranking.window_start(now).astimezone(BERLIN).date(),
                                  today)
    choices: dict[int, PartnerChoice] = {}
    candidates = []
    for row in rows:
        days = ranking.answer_days(zip(row["sent_times"] or (), row["answer_times"] or (),
                                       strict=True), counter)
        evidence = Evidence(sent=row["sent"], decided=row["decided"],
                            accepted=row["accepted"], answer_days=days,
                            finished=row["finished"], removed=row["removed"],
                            open_now=row["open_now"])
        served = tuple(row["served_municipalities"])
        candidate = ranking.Candidate(
            partner_id=row["id"], name=row["name"], handles=row["handles"],
            speaks_main=main is None or main in row["languages"],
            serves=ranking.serves(served, municipality), paused_until=row["paused_until"],
            evidence=evidence)
        candidates.append(candidate)
        kind = PartnerKind(row["kind"])
        choices[row["id"]] = PartnerChoice(
            id=row["id"], name=row["name"], kind=kind, city=row["city"],
            languages=tuple(row["languages"]), handles=row["handles"],
            speaks=tuple(code for code in languages if code in row["languages"]),
            consented=any_covers(terms, kind, now), speaks_main=candidate.speaks_main,
            serves=candidate.serves, served=served, paused_until=row["paused_until"],
            pause_note=row["pause_note"], evidence=evidence,
            reason=picker_words.evidence_line(
                enough=evidence.enough, sent=evidence.sent, decided=evidence.decided,
                accepted=evidence.accepted, median_days=evidence.median_days,
                finished=evidence.finished, removed=evidence.removed,
                open_now=evidence.open_now, minimum=ranking.MIN_EVIDENCE),
            misfit=picker_words.fit_line(
                speaks_main=candidate.speaks_main,
                main_language=main and words.language(main), serves=candidate.serves,
                municipality=municipality),
            warning=picker_words.paused_warning(row["paused_until"])
            if ranking.paused(candidate, today) else "")
    return [choices[c.partner_id] for c in ranking.rank(candidates, today)]


@dataclass(frozen=True)
class ResponseTimes:
    sent: int  # referrals ever sent to the partner
    answered: int  # of those, answered (accepted or declined, by the partner or recorded)
    median: timedelta | None  # median time from sending to the first answer


async def response_times(partner_id: int) -> ResponseTimes:
    """How fast a partner answers: the median time from `sent` to the first move out of
    `sent` to accepted or declined, over all its referrals (in SQL)."""
    [row] = await Referral.raw(
        """
        SELECT count(*) AS sent, count(a.answered_at) AS answered,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM a.answered_at - r.sent_at))
                   FILTER (WHERE a.answered_at IS NOT NULL) AS median_seconds
        FROM referrals r
        LEFT JOIN LATERAL (
            SELECT min(e.at) AS answered_at FROM referral_events e
            WHERE e.referral_id = r.id AND e.from_status = 'sent'
              AND e.to_status IN ('accepted', 'declined')) a ON true
        WHERE r.partner_id = {} AND r.sent_at IS NOT NULL
        """, partner_id)
    seconds = row["median_seconds"]
    return ResponseTimes(row["sent"], row["answered"],
                         None if seconds is None else timedelta(seconds=float(seconds)))


async def staff() -> list[dict[str, Any]]:
    """Every coordinator and administrator (id, display_name, role, legal_circle, active),
    by name: one statement for pages that show several of the choices `names_of` makes."""
    return await AppUser.select(
        AppUser.id, AppUser.display_name, AppUser.role, AppUser.legal_circle, AppUser.active
    ).where(AppUser.role.is_in(["admin", "coordinator"])).order_by(
        Lower(AppUser.display_name), AppUser.id)


def names_of(people: list[dict[str, Any]], active_only: bool = False,
             circle: str | None = None) -> dict[int, str]:
    """Of `staff()`, by id: everybody (everybody a referral has belonged to); with
    `circle`, the coordinators of that legal circle only (whom a referral may go to)."""
    return {row["id"]: row["display_name"] for row in people
            if (row["active"] or not active_only)
            and (circle is None or (row["role"] == "coordinator"
                                    and row["legal_circle"] == circle))}


async def staff_names(active_only: bool = False, circle: str | None = None) -> dict[int, str]:
    """Coordinators and administrators by id (everybody a referral has belonged to); with
    `circle`, the coordinators of that legal circle only (whom a referral may go to)."""
    return names_of(await staff(), active_only, circle)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


async def user_contact(user_id: int) -> Contact | None:
    row = await AppUser.select(AppUser.display_name, AppUser.email).where(
        AppUser.id == user_id).first()
    return None if row is None else Contact(row["display_name"], row["email"])

