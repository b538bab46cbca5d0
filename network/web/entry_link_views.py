"""The partner's entry, opened from the "Bitte prüfen Sie Ihren Eintrag" block of a reminder
email: /p/<token>/eintrag, the email's own sealed link with `/eintrag` appended (the web layer
of `network.partners.actions.confirm_entry`).

Scanner-safe like the referral pages (network.web.link_views): GET and HEAD only show the
entry, read-only, with a "Stimmt so" button; the POST from that page, carrying the page's
proof, confirms the entry as the partner the link was sent to
(`Actor.of_partner(partner_id, link_id)`). Every request counts against the link's rate
limits first; an unknown or expired link shows nothing of the partner.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request, Response, Router, get, head, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from network import problems
from network.accounts.access import PARTNER_LINK
from network.actors import Actor
from network.api_types import ClockDep
from network.links.proof import page_proof, proof_holds
from network.links.tokens import FoundLink, LinkState, find_link, mark_used
from network.partners import actions, service, staleness
from network.settings import Settings
from network.transactions import transaction
from network.web.link_views import HEADERS, error_page, html, too_many, within_limits
from network.words import partner_entry as pe
from network.words import partner_pages as pp


def _not_open(settings: Settings, found: FoundLink) -> Response[str]:
    """An unknown or expired link: nothing of the partner."""
    title, text = pp.EXPIRED_LINK if found.state is LinkState.EXPIRED else pp.UNKNOWN_LINK
    status = 200 if found.state is LinkState.EXPIRED else 404
    return html(settings, "links/state.html", status, title=title, text=text,
                offer_fresh_link=False, contact=True)


async def _entry_page(settings: Settings, found: FoundLink, now: datetime, status: int = 200,
                      **context: Any) -> Response[str]:
    assert found.partner_id is not None and found.link_id is not None
    partner = await service.get_partner(found.partner_id)
    return html(settings, "links/entry.html", status, title=pe.ENTRY_TITLE, pe=pe,
                partner=partner, paused=staleness.is_paused(partner.paused_until, now),
                proof=page_proof(settings.secret_key, found.link_id, now),
                errors=context.pop("errors", {}), **context)


async def _opened(request: Request, settings: Settings, token: str, now: datetime
                  ) -> FoundLink | Response[str]:
    async with transaction():
        if not await within_limits(request, settings, token, now):
            return too_many(settings)
        found = await find_link(token, now)
    return found if found.state is LinkState.VALID else _not_open(settings, found)


@get("/{token:str}/eintrag", opt=PARTNER_LINK, include_in_schema=False)
async def show_entry(request: Request, token: FromPath[str],
                     settings: NamedDependency[Settings], clock: ClockDep) -> Response[str]:
    now = clock.now()
    found = await _opened(request, settings, token, now)
    return found if isinstance(found, Response) else await _entry_page(settings, found, now)


@head("/{token:str}/eintrag", opt=PARTNER_LINK, include_in_schema=False)
async def peek_entry(request: Request, token: FromPath[str],
                     settings: NamedDependency[Settings], clock: ClockDep) -> Response[None]:
    now = clock.now()
    async with transaction():
        if not await within_limits(request, settings, token, now):
            return Response(None, status_code=429, headers={**HEADERS, "Retry-After": "60"})
        found = await find_link(token, now)
    return Response(None, status_code=404 if found.state is LinkState.UNKNOWN else 200,
                    headers=HEADERS)


@post("/{token:str}/eintrag", opt=PARTNER_LINK, include_in_schema=False, status_code=200)
async def confirm(request: Request, token: FromPath[str],
                  settings: NamedDependency[Settings], clock: ClockDep) -> Response[str]:
    now = clock.now()
    data = await request.form()
    found = await _opened(request, settings, token, now)
    if isinstance(found, Response):
        return found
    assert found.partner_id is not None and found.link_id is not None
    if not proof_holds(settings.secret_key, found.link_id, str(data.get("nonce", "")),
                       str(data.get("proof", "")), now):
        return await _entry_page(settings, found, now, 403, errors={"page": pp.STALE_PAGE})
    async with transaction():
        await actions.confirm_entry(Actor.of_partner(found.partner_id, found.link_id), clock,
                                    found.partner_id)
        await mark_used(found.link_id, now)
    return await _entry_page(settings, found, now, notice=pe.ENTRY_CONFIRMED)


def entry_link_router() -> Router:
    return Router("/p", route_handlers=[show_entry, peek_entry, confirm],
                  exception_handlers=dict.fromkeys(problems.EXCEPTION_HANDLERS, error_page))
