"""The client's own status page, GET /k/{token} (network.cases.client_page): public, no
account, scanner-safe (GET and HEAD only show; nothing here changes anything but the rate
limit counts and the audit trail of views). It shows the client's first name and their open
referrals (partner, topic, status, whom to call, what to bring), in the slip's language, and
nothing else. An unknown or revoked token, or a case no longer open: the same neutral 404.
No-store, no-referrer, noindex and a strict CSP (no script, style from our stylesheet only);
the request log redacts the token."""

from __future__ import annotations

from typing import Any

import segno
from litestar import Request, Response, Router, get, head, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.params import FromPath
from markupsafe import Markup

from network.accounts.access import PARTNER_LINK, Role, allow
from network.accounts.middleware import client_address
from network.actors import Actor
from network.api_types import ActorDep, ClockDep
from network.cases import client_page as links
from network.cases import service as cases
from network.clock import Clock
from network.links import ratelimit
from network.partners import service as partners
from network.referrals import appointment_data
from network.referrals import service as referrals
from network.referrals.lifecycle import Status
from network.settings import Settings
from network.transactions import transaction
from network.web import link_views, slip
from network.web.render import TEMPLATES, redirect
from network.words import client_page as words

# The partner link pages' headers, without forms: the page only shows.
HEADERS = {**link_views.HEADERS, "Content-Security-Policy": link_views.HEADERS[
    "Content-Security-Policy"].replace("form-action 'self'", "form-action 'none'")}
# Sent to a partner and not finished: what the client is waiting for or going to.
SHOWN = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)


def _html(template: str, status: int, **context: Any) -> Response[str]:
    body = TEMPLATES.get_template(template).render(**context)
    return Response(body, media_type=MediaType.HTML, status_code=status, headers=HEADERS)


def not_valid(status: int = 404) -> Response[str]:
    german = words.texts("de")
    text = german["too_many"] if status == 429 else german["not_valid"]
    response = _html("client_page/not_valid.html", status, title=german["not_valid_title"],
                     text=text)
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response


async def _within_limits(request: Request, settings: Settings, token: str, clock: Clock
                         ) -> bool:
    limits = ratelimit.buckets(settings.secret_key, client_address(request.scope), token)
    async with transaction():
        return await ratelimit.hit(limits, clock.now())


async def _page(client_id: int) -> Response[str]:
    client = await cases.load_client(client_id)
    code = slip.language_for([s.language for s in client.languages])
    slip_texts = slip.texts(code)
    found = await referrals.list_referrals(
        links.PAGE_ACTOR, referrals.ReferralFilter(client_id=client_id), limit=200)
    shown = []
    booked = await appointment_data.of_referrals(r.id for r in found.items)
    for referral in found.items:
        if referral.status not in SHOWN:
            continue
        appointment = booked.get(referral.id)
        shown.append({"partner": await partners.get_partner(referral.partner_id),
                      "topic": slip_texts.barrier_kinds.get(referral.barrier_kind, ""),
                      "status": referral.status.value,
                      "appointment": None if appointment is None else {
                          "when": slip.appointment_when(appointment.starts_at, code),
                          "place": appointment.place},
                      "bring": [slip_texts.items[item]
                                for item in slip.what_to_bring(referral.barrier_kind)]})
    return _html("client_page/page.html", 200, slip=slip_texts, words=words.texts(code),
                 statuses=words.statuses(code), first_name=client.first_name or "",
                 referrals=shown)


@get("/{token:str}", opt=PARTNER_LINK, include_in_schema=False)
async def show(request: Request, token: FromPath[str], settings: NamedDependency[Settings],
               clock: ClockDep) -> Response[str]:
    if not await _within_limits(request, settings, token, clock):
        return not_valid(429)
    client_id = await links.client_of_token(clock, token)
    return not_valid() if client_id is None else await _page(client_id)


@head("/{token:str}", opt=PARTNER_LINK, include_in_schema=False)
async def peek(request: Request, token: FromPath[str], settings: NamedDependency[Settings],
               clock: ClockDep) -> Response[None]:
    if not await _within_limits(request, settings, token, clock):
        return Response(None, status_code=429, headers={**HEADERS, "Retry-After": "60"})
    client_id = await links.client_of_token(clock, token, viewed=False)
    return Response(None, status_code=404 if client_id is None else 200, headers=HEADERS)


# --- the case page: create, revoke; the slip: print ----------------------------------------


async def live_url(actor: Actor, settings: Settings, client_id: int) -> str | None:
    """The client's live page link as printed (the case page shows it, the slip prints it)."""
    live = await links.live_link(actor, settings.secret_key, client_id)
    return None if live is None else links.url_of(settings.base_url, live.token)


def qr_svg(url: str) -> Markup:
    """The link as an inline SVG QR code (no style attribute, no script: the staff CSP holds)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, title="QR")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR" ', 1))  # noqa: S704


@post("/clients/{client_id:int}/client-page", include_in_schema=False)
async def create(actor: ActorDep, clock: ClockDep, settings: NamedDependency[Settings],
                 client_id: FromPath[int]) -> Response:
    await links.create_link(actor, clock, settings.secret_key, client_id)
    return redirect(f"/clients/{client_id}#kundenseite")


@post("/clients/{client_id:int}/client-page/revoke", include_in_schema=False)
async def revoke(actor: ActorDep, clock: ClockDep, client_id: FromPath[int]) -> Response:
    await links.revoke_link(actor, clock, client_id)
    return redirect(f"/clients/{client_id}#kundenseite")


def client_page_router() -> Router:
    return Router("/", route_handlers=[
        Router("/k", route_handlers=[show, peek]),
        Router("/", opt=allow(Role.COORDINATOR), route_handlers=[create, revoke])])
