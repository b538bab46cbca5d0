"""The partner pages under /p/{token} (the web layer of `network.links`): what a partner opens
from its email, without an account.

GET and HEAD only show (mail scanners open every link); actions are POSTs from the page,
carrying the page's proof (see `network.links.proof`). Every answer carries no-store,
no-referrer, noindex and a strict CSP (no script at all, style from our stylesheet only), and
every request counts against the rate limits first. The token never reaches a log: the
request log redacts it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from litestar import Request, Response, Router, get, head, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.exceptions import HTTPException
from litestar.params import FromPath

from network import problems, words
from network.accounts.access import PARTNER_LINK
from network.accounts.middleware import client_address
from network.api_types import ClockDep
from network.errors import Conflict, DomainError, RuleViolation
from network.links import ratelimit
from network.links.proof import page_proof, proof_holds
from network.links.service import (
    STATUS_ACTIONS,
    ActionForm,
    PageState,
    PartnerPage,
    act,
    open_page,
    send_fresh_link,
)
from network.referrals.service import ReferralConflict
from network.settings import Settings
from network.transactions import transaction
from network.web.render import TEMPLATES
from network.words import partner_pages as pp
from network.words import stale_partner_form as stale

log = logging.getLogger(__name__)

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self';"
                               " form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
def html(settings: Settings, template: str, status: int = 200, **context: Any
         ) -> Response[str]:
    body = TEMPLATES.get_template(template).render(
        **{"integration_point": settings.integration_point, "notice": None, **context})
    return Response(body, media_type=MediaType.HTML, status_code=status, headers=HEADERS)


def state_page(settings: Settings, page: PartnerPage, token: str, now: datetime,
               notice: str | None = None, kept: dict[str, str] | None = None
               ) -> Response[str]:
    """Every page without personal data: unknown, expired, closed."""
    if page.state is PageState.UNKNOWN:
        return html(settings, "links/state.html", 404, title=pp.UNKNOWN_LINK[0],
                    text=pp.UNKNOWN_LINK[1],
                    offer_fresh_link=False, contact=True)
    if page.state is PageState.EXPIRED:
        return html(settings, "links/state.html", 200, title=pp.EXPIRED_LINK[0],
                    text=pp.EXPIRED_LINK[1], notice=notice,
                    offer_fresh_link=notice is None, token=token,
                    proof=page_proof(settings.secret_key, page.link.link_id, now),
                    contact=True)
    status = words.REFERRAL_STATUSES[page.status] if page.status else "abgeschlossen"
    return html(settings, "links/state.html", 409 if kept else 200, title=pp.CLOSED_TITLE,
                text=pp.CLOSED_TEXT.format(status=status), notice=notice,
                offer_fresh_link=False, contact=True, kept=kept or {}, kept_words=stale)


def referral_page(settings: Settings, page: PartnerPage, token: str, now: datetime,
                  status: int = 200, *,
                  notice: str | None = None, failed: str | None = None,
                  errors: dict[str, str] | None = None,
                  values: dict[str, str] | None = None) -> Response[str]:
    if page.state is not PageState.OPEN:
        return state_page(settings, page, token, now, notice,
                          kept=stale.kept_texts(values or {}) if failed else {})
    return html(settings, "links/referral.html", status, title=pp.REFERRAL_TITLE,
                notice=notice, referral=page.referral, facts=page.facts, actions=page.actions,
                directory=page.directory, handoff_closing=page.handoff_closing,
                appointment=page.appointment,
                status_label=words.REFERRAL_STATUSES[page.referral.status],
                expires=words.day(page.link.expires_at),
                proof=page_proof(settings.secret_key, page.link.link_id, now),
                decline_reasons=words.DECLINE_REASONS,
                outcomes=words.REFERRAL_OUTCOMES,
                failed=failed, errors=errors or {}, values=values or {}, kept_words=stale)


async def within_limits(request: Request, settings: Settings, token: str,
                        now: datetime) -> bool:
    limits = ratelimit.buckets(settings.secret_key, client_address(request.scope), token)
    async with transaction():
        return await ratelimit.hit(limits, now)


def too_many(settings: Settings) -> Response[str]:
    response = html(settings, "links/state.html", 429, title=pp.TOO_MANY[0],
                    text=pp.TOO_MANY[1],
                    offer_fresh_link=False, contact=False)
    response.headers["Retry-After"] = "60"
    return response


async def opened(request: Request, settings: Settings, token: str, now: datetime,
                 wanted: PageState, *, full: bool = True, form: ActionForm | None = None,
                 values: dict[str, str] | None = None, search: str | None = None
                 ) -> PartnerPage | Response[str]:
    """The rate limits first, then the link, in one transaction (the caller's when it has
    one): its page (its directory searched for `search`) when it is in the `wanted` state,
    else the answer to show instead (429, or the page of the state it is in, with what the
    partner typed into `form`, if any)."""
    async with transaction():
        if not await within_limits(request, settings, token, now):
            return too_many(settings)
        page = await open_page(token, now, full=full, search=search)
        if page.state is wanted:
            return page
        if not full and page.state is PageState.OPEN:  # it is not the wanted one: show it
            page = await open_page(token, now, search=search)
    return referral_page(settings, page, token, now, failed=form.action if form else None,
                         values=values)


@get("/{token:str}", opt=PARTNER_LINK, include_in_schema=False)
async def show(request: Request, token: FromPath[str], settings: NamedDependency[Settings],
               clock: ClockDep) -> Response[str]:
    now = clock.now()
    page = await opened(request, settings, token, now, PageState.OPEN,
                        search=request.query_params.get("suche"))
    return page if isinstance(page, Response) else referral_page(settings, page, token, now)


@head("/{token:str}", opt=PARTNER_LINK, include_in_schema=False)
async def peek(request: Request, token: FromPath[str], settings: NamedDependency[Settings],
               clock: ClockDep) -> Response[None]:
    """What a scanner's HEAD gets: the status of the GET, no body, nothing changed."""
    now = clock.now()
    async with transaction():
        if not await within_limits(request, settings, token, now):
            return Response(None, status_code=429, headers={**HEADERS, "Retry-After": "60"})
        page = await open_page(token, now, full=False)
    return Response(None, status_code=404 if page.state is PageState.UNKNOWN else 200,
                    headers=HEADERS)


@post("/{token:str}", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def take_action(request: Request, token: FromPath[str],
                      settings: NamedDependency[Settings], clock: ClockDep
                      ) -> Response[str]:
    """The rate limits, the link, the action and the page after it: one transaction. A
    refused action rolls it back (its rate-limit count too, so the page shown again counts
    the request once more)."""
    now = clock.now()
    data = await request.form()
    values = {key: str(data.get(key, "")).strip() for key in data}
    form = action_form(values)
    search = values.get("suche")  # the handoff's directory search, kept for a page shown again

    async def current() -> PartnerPage:
        return await open_page(token, now, search=search)

    try:
        async with transaction():
            page = await opened(request, settings, token, now, PageState.OPEN, full=False,
                                form=form, values=values, search=search)
            if isinstance(page, Response):
                return page
            if not proof_holds(settings.secret_key, page.link.link_id, values.get("nonce", ""),
                               values.get("proof", ""), now):
                return referral_page(settings, await current(), token, now, 403,
                                     errors={"page": pp.STALE_PAGE})
            acted = await act(page, form, clock)
    except ReferralConflict as conflict:
        # the refused transaction took its rate-limit count with it: count this request again
        if not await within_limits(request, settings, token, now):
            return too_many(settings)
        now_page = await current()
        if already_done(form, conflict):  # the same step again (a double click): harmless
            return referral_page(settings, now_page, token, now, notice=pp.ALREADY_SAVED)
        # changed meanwhile: the current state, with the form as the partner filled it in
        return referral_page(settings, now_page, token, now, 409, notice=stale.CHANGED_KEPT,
                             failed=form.action, values=values)
    except Conflict as refused:  # e.g. the case was closed meanwhile: say why, change nothing
        if not await within_limits(request, settings, token, now):
            return too_many(settings)
        return referral_page(settings, await current(), token, now, 409,
                             errors={"page": german_refusal(refused)})
    except RuleViolation as refused:
        if not await within_limits(request, settings, token, now):
            return too_many(settings)
        return referral_page(settings, await current(), token, now, 422,
                             failed=form.action,
                             values=values, errors={refused.field: german_refusal(refused)})
    # A message sent again (a double click, a resend) answers as the first did: it was sent.
    notice = (pp.PARTNER_NOTICES.get(form.action) if acted.changed or form.action == "message"
              else pp.ALREADY_SAVED)
    return referral_page(settings, acted.page, token, now, notice=notice)


@post("/{token:str}/neu", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def fresh_link(request: Request, token: FromPath[str],
                     settings: NamedDependency[Settings], clock: ClockDep
                     ) -> Response[str]:
    now = clock.now()
    page = await opened(request, settings, token, now, PageState.EXPIRED)
    if isinstance(page, Response):
        return page
    data = await request.form()
    if not proof_holds(settings.secret_key, page.link.link_id, str(data.get("nonce", "")),
                       str(data.get("proof", "")), now):
        return html(settings, "links/state.html", 403, title=pp.RELOAD[0],
                    text=pp.RELOAD[1],
                    offer_fresh_link=False, contact=True)
    await send_fresh_link(page, settings, now)
    return state_page(settings, page, token, now, notice=pp.FRESH_LINK_SENT)


def action_form(values: dict[str, str]) -> ActionForm:
    partner = values.get("to_partner_id", "")
    version = values.get("version", "")
    return ActionForm(
        action=values.get("aktion", ""), reason_code=values.get("reason_code") or None,
        reason_text=values.get("reason_text") or None, until=values.get("until") or None,
        outcome=values.get("outcome") or None, note=values.get("note") or None,
        to_partner_id=int(partner) if partner.isdigit() and len(partner) < 12 else None,
        message=values.get("message") or None, key=values.get("nonce") or None,
        appointment_day=values.get("appointment_day") or None,
        appointment_time=values.get("appointment_time") or None,
        appointment_place=values.get("appointment_place") or None,
        version=int(version) if version.isdigit() and len(version) < 10 else None)


def already_done(form: ActionForm, conflict: ReferralConflict) -> bool:
    """A status step whose form met a referral that has taken that very step meanwhile."""
    wanted = STATUS_ACTIONS.get(form.action)
    return wanted is not None and conflict.referral.status is wanted


def german_refusal(refused: RuleViolation) -> str:
    """A refusal as a partner reads it (the link pages and the inbox)."""
    if refused.code in pp.PARTNER_REFUSALS:
        return pp.PARTNER_REFUSALS[refused.code]
    if refused.field == "hold_until":
        return refused.german
    return pp.PARTNER_FIELD_ERRORS.get(refused.field, pp.NOT_POSSIBLE)


def error_page(request: Request, exc: Exception) -> Response[str]:
    """Errors on these pages answer with a page that shows nothing of the referral."""
    settings: Settings = request.app.state.settings
    code = exc.status_code if isinstance(exc, HTTPException) else (
        404 if isinstance(exc, DomainError) else problems.caller_status(exc) or 500)
    if code >= 500:
        log.exception("error on a partner page")  # no path: it holds the token
    return html(settings, "links/state.html", code, title=pp.FAILED[0],
                text=pp.FAILED[1], offer_fresh_link=False,
                contact=True)


def partner_link_router() -> Router:
    return Router("/p", route_handlers=[show, peek, take_action, fresh_link],
                  # every class the app maps (network.problems): these pages stay pages
                  exception_handlers=dict.fromkeys(problems.EXCEPTION_HANDLERS, error_page))
