"""Read-only queries the referral pages need beyond the referral service: the partner picker
(who fits a barrier, in which order), a partner's response times, the people a referral can
be handed to, and the coordinator's contact for the client's slip. Plain reads through the
table classes; the picker's order and the median in hand-written SQL (Piccolo `raw`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from piccolo.query.functions.string import Lower

from network.accounts.tables import AppUser
from network.cases.consent import any_covers
from network.cases.service import Consent
from network.partners.kinds import PartnerKind
from network.partners.tables import Partner
from network.referrals.tables import Referral


@dataclass(frozen=True)
class PartnerChoice:
    """An active partner as the picker offers it for one barrier of one client."""

    id: int
    name: str
    kind: PartnerKind
    city: str | None
    languages: tuple[str, ...]
    handles: bool  # lists the barrier's kind
    speaks: tuple[str, ...]  # the client's languages the partner speaks
    consented: bool  # the client's consent covers the partner's kind now

    @property
    def group(self) -> str:
        """best: handles the kind in a language the client speaks; kind: handles the kind;
        other: does not list the kind (an override reason is needed)."""
        if self.handles:
            return "best" if self.speaks else "kind"
        return "other"


async def partner_choices(barrier_kind: str, client_languages: Iterable[str],
                          consents: Iterable[Consent], now: datetime) -> list[PartnerChoice]:
    """Every active partner, best fit first: handles the kind and speaks one of the client's
    languages, then handles the kind, then the rest; by name within each group."""
    languages = list(dict.fromkeys(client_languages))
    terms = [c.terms for c in consents]
    rows = await Partner.raw(
        """
        SELECT id, name, kind, city, languages, {} = ANY (barrier_kinds) AS handles,
               ARRAY(SELECT unnest(languages) INTERSECT SELECT unnest({}::text[])) AS speaks
        FROM partners WHERE active
        ORDER BY ({} = ANY (barrier_kinds)) DESC, (languages && {}::text[]) DESC,
                 lower(name), id
        """, barrier_kind, languages, barrier_kind, languages)
    return [PartnerChoice(
        id=row["id"], name=row["name"], kind=PartnerKind(row["kind"]), city=row["city"],
        languages=tuple(row["languages"]), handles=row["handles"],
        speaks=tuple(code for code in languages if code in row["speaks"]),
        consented=any_covers(terms, PartnerKind(row["kind"]), now)) for row in rows]


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


async def staff_names(active_only: bool = False, circle: str | None = None) -> dict[int, str]:
    """Coordinators and administrators by id (everybody a referral has belonged to); with
    `circle`, the coordinators of that legal circle only (whom a referral may go to)."""
    where = AppUser.role.is_in(["admin", "coordinator"])
    if active_only:
        where &= AppUser.active == True  # noqa: E712 (a query expression)
    if circle is not None:
        where &= (AppUser.role == "coordinator") & (AppUser.legal_circle == circle)
    rows = await AppUser.select(AppUser.id, AppUser.display_name).where(where).order_by(
        Lower(AppUser.display_name), AppUser.id)
    return {row["id"]: row["display_name"] for row in rows}


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


async def user_contact(user_id: int) -> Contact | None:
    row = await AppUser.select(AppUser.display_name, AppUser.email).where(
        AppUser.id == user_id).first()
    return None if row is None else Contact(row["display_name"], row["email"])


async def partner_names() -> dict[int, str]:
    rows = await Partner.select(Partner.id, Partner.name).order_by(Lower(Partner.name),
                                                                   Partner.id)
    return {row["id"]: row["name"] for row in rows}
