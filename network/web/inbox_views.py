"""The partner inbox under /partner (the web layer of `network.links.partner_sessions`): sign-in
by an emailed link, the partner's referrals on one page, its own entry and capacity pause.

A partner session is not a staff session: its own cookie (name and path /partner), read only
here; these routes never look at scope["user"]. Every page answers no-store, no-referrer,
noindex with the link pages' strict CSP. Each referral is shown and acted on exactly as on its
link page (`network.links.service`: the same least-data page, the same actions with the
partner as actor, here with the session instead of a link). Forms carry the session's proof.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect

from network import problems, words
from network.accounts.access import PARTNER_LINK, PUBLIC
from network.accounts.middleware import client_address, refuse_cross_site
from network.accounts.tokens import keyed_digest
from network.actors import Actor
from network.api_types import ClockDep
from network.clock import BERLIN, Clock
from network.errors import Conflict, NotFound, RuleViolation
from network.links import actions as inbox_actions
from network.links import partner_sessions as ps
from network.links import ratelimit
from network.links.service import PageState, PartnerPage, act, page_in_inbox
from network.partners.actions import confirm_entry, set_pause, update_own_entry
from network.partners.service import OwnEntry
from network.partners.tables import Partner as PartnerRow
from network.referrals.lifecycle import CLOSED_STATUSES, OPEN_STATUSES, Status
from network.referrals.overdue import ANSWER_WORKING_DAYS
from network.referrals.service import Referral, ReferralConflict, load
from network.referrals.tables import Referral as ReferralRow
from network.reminders.policy import NRW
from network.settings import Settings
from network.transactions import transaction
from network.web.link_views import (
    action_form,
    already_done,
    error_page,
    german_refusal,
    html,
)
from network.words import inbox as words_inbox
from network.words import partner_pages as pp
from network.words import stale_partner_form as stale
from network.words.refusals import refusal

log = logging.getLogger(__name__)

HOME = "/partner"
SIGN_IN = "/partner/anmelden"
CLOSED_SHOWN = timedelta(days=90)
PER_TYPED_ADDRESS = 3  # sign-in requests per minute for one typed address
PER_CLIENT = 20  # sign-in requests per minute from one client address
NOTICES = {"accept": pp.PARTNER_NOTICES["accept"], "decline": pp.PARTNER_NOTICES["decline"],
           "hold": pp.PARTNER_NOTICES["hold"], "start": pp.PARTNER_NOTICES["start"],
           "complete": pp.PARTNER_NOTICES["complete"], "handoff": pp.PARTNER_NOTICES["handoff"],
           "message": pp.PARTNER_NOTICES["message"], "same": pp.ALREADY_SAVED,
           "entry": words_inbox.ENTRY_SAVED, "pause_ended": words_inbox.PAUSE_ENDED,
           "signed_out": words_inbox.SIGNED_OUT, "ended": words_inbox.SESSION_ENDED}


# --- sign-in ---------------------------------------------------------------------------------

def sign_in_page(settings: Settings, status: int = 200, notice: str | None = None,
                 error: str | None = None) -> Response[str]:
    minutes = settings.partner_inbox.sign_in_link_minutes
    return html(settings, "inbox/sign_in.html", status, title=words_inbox.SIGN_IN_TITLE,
                intro=words_inbox.SIGN_IN_INTRO.format(minutes=minutes), notice=notice,
                error=error, sent=False)


def message_page(settings: Settings, status: int, title_text: tuple[str, str],
                 offer_sign_in: bool = True) -> Response[str]:
    return html(settings, "inbox/message.html", status, title=title_text[0],
                text=title_text[1], offer_sign_in=offer_sign_in)


def too_many(settings: Settings) -> Response[str]:
    response = message_page(settings, 429, words_inbox.TOO_MANY, offer_sign_in=False)
    response.headers["Retry-After"] = "60"
    return response


@get(SIGN_IN, opt=PUBLIC, include_in_schema=False)
async def sign_in_form(request: Request, settings: NamedDependency[Settings]) -> Response[str]:
    notice = NOTICES.get(request.query_params.get("hinweis", ""))
    return sign_in_page(settings, notice=notice)


@post(SIGN_IN, opt=PUBLIC, include_in_schema=False, status_code=200)
async def request_sign_in(request: Request, settings: NamedDependency[Settings],
                          clock: ClockDep) -> Response[str]:
    """The same answer whether or not the address is on file: the same page and status, sent
    before the lookup and the email (a background task), so its timing tells nothing."""
    refuse_cross_site(request, settings)
    now = clock.now()
    address = str((await request.form()).get("email", "")).strip()[:254]
    if not address:
        return sign_in_page(settings, 422, error=words_inbox.SIGN_IN_ADDRESS_MISSING)
    limits = [("signinemail:" + keyed_digest(settings.secret_key, "sign-in-email",
                                               address.casefold()), PER_TYPED_ADDRESS)]
    client = client_address(request.scope)
    if client:
        limits.append(("signinclient:" + keyed_digest(settings.secret_key, "link-address",
                                                         client), PER_CLIENT))
    async with transaction():
        if not await ratelimit.hit(limits, now):
            return too_many(settings)
    minutes = settings.partner_inbox.sign_in_link_minutes
    answer = html(settings, "inbox/sign_in.html", 200, title=words_inbox.SIGN_IN_TITLE,
                  intro=words_inbox.SIGN_IN_INTRO.format(minutes=minutes),
                  notice=words_inbox.SIGN_IN_SENT.format(minutes=minutes), error=None,
                  sent=True)
    answer.background = BackgroundTask(_send_sign_in_links, clock, settings, address)
    return answer


async def _send_sign_in_links(clock: Clock, settings: Settings, address: str) -> None:
    """After the answer has gone out (so its timing tells nothing, not even the lookup).
    Lost if the process dies in between; the partner asks again."""
    try:
        await inbox_actions.send_sign_in_links(clock, settings, address)
    except Exception:  # noqa: BLE001 (the answer is sent; log without the address)
        log.warning("partner sign-in link not queued", exc_info=False)


async def _link_within_limits(request: Request, settings: Settings, token: str,
                              now: datetime) -> bool:
    limits = ratelimit.buckets(settings.secret_key, client_address(request.scope), token)
    async with transaction():
        return await ratelimit.hit(limits, now)


@get(SIGN_IN + "/{token:str}", opt=PARTNER_LINK, include_in_schema=False)
async def show_sign_in_link(request: Request, token: FromPath[str],
                            settings: NamedDependency[Settings], clock: ClockDep
                            ) -> Response[str]:
    """What opening the emailed link shows (a scanner too): a button. Nothing is used."""
    now = clock.now()
    if not await _link_within_limits(request, settings, token, now):
        return too_many(settings)
    link = await ps.usable_sign_in_link(token, now)
    if link is None:
        return message_page(settings, 404, words_inbox.LINK_INVALID)
    partner = await PartnerRow.select(PartnerRow.name).where(
        PartnerRow.id == link.partner_id).first()
    return html(settings, "inbox/link.html", 200, title=words_inbox.LINK_TITLE,
                text=words_inbox.LINK_TEXT.format(partner=partner["name"]),
                button=words_inbox.LINK_BUTTON)


@post(SIGN_IN + "/{token:str}", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def use_sign_in_link(request: Request, token: FromPath[str],
                           settings: NamedDependency[Settings], clock: ClockDep
                           ) -> Response[Any]:
    """The button: uses the link (once) and opens a partner session."""
    refuse_cross_site(request, settings)
    now = clock.now()
    if not await _link_within_limits(request, settings, token, now):
        return too_many(settings)
    started = await inbox_actions.sign_in(clock, settings, token)
    if started is None:
        return message_page(settings, 404, words_inbox.LINK_INVALID)
    log.info("partner signed in")
    response: Response[Any] = Redirect(HOME, status_code=303)
    response.headers.update(_no_store())
    response.set_cookie(_session_cookie(settings, started.secret))
    return response


def _session_cookie(settings: Settings, secret: str, *, ended: bool = False) -> Cookie:
    return Cookie(key=ps.SESSION_COOKIE, value="" if ended else secret, path=ps.COOKIE_PATH,
                  httponly=True, secure=settings.secure_cookies, samesite="lax",
                  max_age=0 if ended else settings.partner_inbox.session_max_hours * 3600)


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


# --- the session -----------------------------------------------------------------------------

async def _session(request: Request, settings: Settings, now: datetime
                   ) -> ps.LiveSession | None:
    async with transaction():
        return await ps.live_session(request.cookies.get(ps.SESSION_COOKIE), now,
                                     settings.partner_inbox)


def _to_sign_in(settings: Settings, request: Request) -> Response[Any]:
    """Signed out (or never signed in): to the sign-in page; a stale cookie goes."""
    hint = "?hinweis=ended" if request.cookies.get(ps.SESSION_COOKIE) else ""
    response: Response[Any] = Redirect(SIGN_IN + hint, status_code=303)
    response.headers.update(_no_store())
    if request.cookies.get(ps.SESSION_COOKIE):
        response.set_cookie(_session_cookie(settings, "", ended=True))
    return response


def _actor(session: ps.LiveSession) -> Actor:
    return Actor.of_partner(session.partner_id, session_id=session.id)


def _proof_holds(settings: Settings, session: ps.LiveSession, values: dict[str, str],
                 now: datetime) -> bool:
    return ps.form_proof_holds(settings.secret_key, session, values.get("nonce", ""),
                               values.get("proof", ""), now)


async def _signed_in_form(request: Request, settings: Settings, now: datetime, stale: Any = None
                          ) -> tuple[ps.LiveSession, dict[str, str]] | Response[Any]:
    """A form POST of the inbox: the live session and the form's values, or the answer when
    there is no session (to sign in) or the form's proof does not hold (the page again, 403)."""
    session = await _session(request, settings, now)
    if session is None:
        return _to_sign_in(settings, request)
    values = await _values(request)
    if not _proof_holds(settings, session, values, now):
        return await (stale or inbox_page)(settings, session, now, 403,
                                           errors={"page": pp.STALE_PAGE})
    return session, values


async def _values(request: Request) -> dict[str, str]:
    data = await request.form()
    return {key: str(data.get(key, "")).strip() for key in data}


# --- the inbox -------------------------------------------------------------------------------

async def _cards(partner_id: int, now: datetime, searches: dict[int, str]
                 ) -> tuple[list[dict[str, Any]], list[Referral]]:
    """The partner's open referrals as their link pages show them (answers due first, by due
    date; a card's handoff directory searched for `searches[referral id]`), and its referrals
    closed in the last 90 days."""
    rows = await ReferralRow.select(ReferralRow.id).where(
        (ReferralRow.partner_id == partner_id)
        & (ReferralRow.status.is_in([s.value for s in OPEN_STATUSES])
           | ((ReferralRow.status.is_in([s.value for s in CLOSED_STATUSES]))
              & (ReferralRow.closed_at >= now - CLOSED_SHOWN))))
    referrals = [await load(row["id"]) for row in rows]
    open_ones = [r for r in referrals if r.is_open and r.status is not Status.DRAFT]
    closed = sorted((r for r in referrals if not r.is_open),
                    key=lambda r: r.closed_at or r.updated_at, reverse=True)

    def order(referral: Referral) -> tuple[int, datetime]:
        if referral.status is Status.SENT and referral.sent_at is not None:
            return (0, referral.sent_at)  # the due date follows the sending date
        return (1, referral.created_at)

    cards = []
    for referral in sorted(open_ones, key=order):
        page = await page_in_inbox(partner_id, referral, searches.get(referral.id))
        due = (NRW.add_working_days(referral.sent_at, ANSWER_WORKING_DAYS)
               if referral.status is Status.SENT and referral.sent_at else None)
        cards.append({"page": page, "due": words.day(due) if due else None})
    return cards, closed


async def inbox_page(settings: Settings, session: ps.LiveSession, now: datetime,
                     status: int = 200, *, notice: str | None = None,
                     failed_on: int | None = None, failed: str | None = None,
                     errors: dict[str, str] | None = None,
                     values: dict[str, str] | None = None,
                     searches: dict[int, str] | None = None) -> Response[str]:
    """The inbox; `searches`: a card's handoff directory search by its referral (the one the
    partner searched, or the one whose failed form keeps its search)."""
    if failed_on is not None and (values or {}).get("suche"):
        searches = {failed_on: (values or {})["suche"]}
    async with transaction():
        cards, closed = await _cards(session.partner_id, now, searches or {})
        partner = await PartnerRow.select(
            PartnerRow.name, PartnerRow.paused_until, PartnerRow.pause_note).where(
            PartnerRow.id == session.partner_id).first()
    paused = partner["paused_until"]
    return html(settings, "inbox/inbox.html", status, title=words_inbox.INBOX_TITLE,
                notice=notice, partner_name=partner["name"], cards=cards, closed=closed,
                due_cards=[c for c in cards if c["page"].referral.status is Status.SENT],
                working_cards=[c for c in cards if c["page"].referral.status is not Status.SENT],
                paused_until=words.day(paused) if paused and paused >= _today(now) else None,
                pause_value=paused.isoformat() if paused and paused >= _today(now) else "",
                pause_note=partner["pause_note"] or "",
                proof=ps.form_proof(settings.secret_key, session, now), failed_on=failed_on,
                card_failed=failed, card_errors=errors or {}, card_values=values or {},
                page_error=(errors or {}).get("page"),
                pause_error=(errors or {}).get("until") if failed == "pause" else None,
                decline_reasons=words.DECLINE_REASONS, outcomes=words.REFERRAL_OUTCOMES,
                status_labels=words.REFERRAL_STATUSES, barrier_labels=words.BARRIER_KINDS,
                words_inbox=words_inbox, day=words.day, kept_words=stale)


def _today(now: datetime) -> date:
    return now.astimezone(BERLIN).date()


@get(HOME, opt=PARTNER_LINK, include_in_schema=False)
async def inbox(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                ) -> Response[Any]:
    now = clock.now()
    session = await _session(request, settings, now)
    if session is None:
        return _to_sign_in(settings, request)
    params = request.query_params
    card = params.get("weitergabe", "")
    searches = ({int(card): params.get("suche", "")}
                if card.isdigit() and len(card) < 19 else {})
    return await inbox_page(settings, session, now,
                            notice=NOTICES.get(params.get("hinweis", "")), searches=searches)


async def _own_referral(session: ps.LiveSession, referral_id: int) -> Referral | None:
    """The referral when it is this partner's and open; None for anything else (404)."""
    try:
        referral = await load(referral_id)
    except NotFound:  # the same answer as another partner's
        return None
    if referral.partner_id != session.partner_id or not referral.is_open:
        return None
    return referral


@post(HOME + "/vermittlungen/{referral_id:int}", opt=PARTNER_LINK, include_in_schema=False,
      status_code=200)
async def act_on_referral(request: Request, referral_id: FromPath[int],
                          settings: NamedDependency[Settings], clock: ClockDep
                          ) -> Response[Any]:
    """One action on one referral, as on its link page, by the signed-in partner."""
    now = clock.now()
    signed = await _signed_in_form(request, settings, now)
    if isinstance(signed, Response):
        return signed
    session, values = signed
    form = action_form(values)
    try:
        async with transaction():
            referral = await _own_referral(session, referral_id)
            if referral is None:
                return message_page(settings, 404, words_inbox.NOT_FOUND, offer_sign_in=False)
            page: PartnerPage = await page_in_inbox(session.partner_id, referral)
            if page.state is not PageState.OPEN:
                return message_page(settings, 404, words_inbox.NOT_FOUND, offer_sign_in=False)
            acted = await act(page, form, clock, _actor(session))
    except ReferralConflict as conflict:
        if already_done(form, conflict):  # the same step again (a double click): harmless
            return _see(f"{HOME}?hinweis=same")
        # changed meanwhile: the current state, with the form as the partner filled it in
        return await inbox_page(settings, session, now, 409, notice=stale.CHANGED_KEPT,
                                failed_on=referral_id, failed=form.action, values=values)
    except Conflict as refused:
        return await inbox_page(settings, session, now, 409,
                                errors={"page": german_refusal(refused)})
    except RuleViolation as refused:
        return await inbox_page(settings, session, now, 422, failed_on=referral_id,
                                failed=form.action, values=values,
                                errors={refused.field: german_refusal(refused)})
    changed = acted.changed or form.action == "message"
    hint = form.action if changed and form.action in NOTICES else "same"
    return _see(f"{HOME}?hinweis={hint}")


def _see(location: str) -> Response[Any]:
    response: Response[Any] = Redirect(location, status_code=303)
    response.headers.update(_no_store())
    return response


@post(HOME + "/abmelden", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def sign_out(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                   ) -> Response[Any]:
    now = clock.now()
    signed = await _signed_in_form(request, settings, now)
    if isinstance(signed, Response):
        return signed
    session, values = signed
    await inbox_actions.sign_out(_actor(session), clock, session.id)
    response = _see(SIGN_IN + "?hinweis=signed_out")
    response.set_cookie(_session_cookie(settings, "", ended=True))
    return response


# --- the capacity pause and the partner's own entry -----------------------------------------

@post(HOME + "/pause", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def pause(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                ) -> Response[Any]:
    """"Keine Aufnahme bis ...": a date (from tomorrow) and an optional note; or its end."""
    now = clock.now()
    signed = await _signed_in_form(request, settings, now)
    if isinstance(signed, Response):
        return signed
    session, values = signed
    if values.get("aktion") == "ende":
        await set_pause(_actor(session), clock, session.partner_id, None, None)
        return _see(f"{HOME}?hinweis=pause_ended")
    until = _date(values.get("until", ""))
    if until is None or until <= _today(now):
        return await inbox_page(settings, session, now, 422, failed="pause", values=values,
                                errors={"until": words_inbox.PAUSE_DATE_NEEDED})
    try:
        await set_pause(_actor(session), clock, session.partner_id, until,
                        values.get("note") or None)
    except RuleViolation as refused:
        return await inbox_page(settings, session, now, 422, failed="pause", values=values,
                                errors={refused.field: refusal(refused.code, refused.params)})
    return await inbox_page(settings, session, now,
                            notice=words_inbox.PAUSE_SET.format(day=words.day(until)))


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        return None


async def entry_page(settings: Settings, session: ps.LiveSession, now: datetime,
                     status: int = 200, *, notice: str | None = None,
                     errors: dict[str, str] | None = None,
                     values: dict[str, Any] | None = None) -> Response[str]:
    async with transaction():
        partner = await PartnerRow.select(
            PartnerRow.name, PartnerRow.opening_hours, PartnerRow.phone, PartnerRow.languages,
            PartnerRow.barrier_kinds).where(PartnerRow.id == session.partner_id).first()
    shown = values or {"opening_hours": partner["opening_hours"] or "",
                       "phone": partner["phone"] or "", "languages": partner["languages"],
                       "barrier_kinds": partner["barrier_kinds"]}
    return html(settings, "inbox/entry.html", status, title=words_inbox.ENTRY_TITLE,
                notice=notice, partner_name=partner["name"], values=shown,
                errors=errors or {}, languages=words.LANGUAGES,
                barrier_kinds=words.BARRIER_KINDS,
                proof=ps.form_proof(settings.secret_key, session, now))


@get(HOME + "/eintrag", opt=PARTNER_LINK, include_in_schema=False)
async def entry(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                ) -> Response[Any]:
    now = clock.now()
    session = await _session(request, settings, now)
    if session is None:
        return _to_sign_in(settings, request)
    return await entry_page(settings, session, now)


@post(HOME + "/eintrag", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def save_entry(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                     ) -> Response[Any]:
    now = clock.now()
    session = await _session(request, settings, now)
    if session is None:
        return _to_sign_in(settings, request)
    data = await request.form()
    values: dict[str, Any] = {
        "opening_hours": str(data.get("opening_hours", "")).strip(),
        "phone": str(data.get("phone", "")).strip(),
        "languages": [str(v) for v in data.getall("languages", [])],
        "barrier_kinds": [str(v) for v in data.getall("barrier_kinds", [])]}
    nonce, proof = str(data.get("nonce", "")), str(data.get("proof", ""))
    if not ps.form_proof_holds(settings.secret_key, session, nonce, proof, now):
        return await entry_page(settings, session, now, 403, values=values,
                                errors={"page": pp.STALE_PAGE})
    changes = OwnEntry(opening_hours=values["opening_hours"] or None,
                       phone=values["phone"] or None,
                       languages=tuple(values["languages"]),
                       barrier_kinds=tuple(values["barrier_kinds"]))
    try:
        await update_own_entry(_actor(session), clock, session.partner_id, changes)
    except RuleViolation as refused:
        return await entry_page(settings, session, now, 422, values=values,
                                errors={refused.field: refusal(refused.code, refused.params)})
    return await entry_page(settings, session, now, notice=words_inbox.ENTRY_SAVED)


@post(HOME + "/eintrag/bestaetigen", opt=PARTNER_LINK, include_in_schema=False,
      status_code=200)
async def confirm(request: Request, settings: NamedDependency[Settings], clock: ClockDep
                  ) -> Response[Any]:
    """"Unser Eintrag ist aktuell": confirmed without a change."""
    now = clock.now()
    signed = await _signed_in_form(request, settings, now, stale=entry_page)
    if isinstance(signed, Response):
        return signed
    session, values = signed
    await confirm_entry(_actor(session), clock, session.partner_id)
    return await entry_page(settings, session, now, notice=words_inbox.ENTRY_CONFIRMED)


def inbox_router() -> Router:
    return Router("/", route_handlers=[
        sign_in_form, request_sign_in, show_sign_in_link, use_sign_in_link, inbox,
        act_on_referral, sign_out, pause, entry, save_entry, confirm],
        # every class the app maps (network.problems): these pages stay pages
        exception_handlers=dict.fromkeys(problems.EXCEPTION_HANDLERS, error_page))
