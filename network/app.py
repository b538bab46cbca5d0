"""create_app(settings): the whole HTTP service, assembled in one place."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Request, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.types import ASGIApp

from network import __version__, database
from network.accounts import api as accounts_api
from network.accounts import views as accounts_views
from network.accounts.access import PUBLIC, CurrentUser, enforce_access
from network.accounts.middleware import authentication_middleware, require_csrf
from network.actors import Actor
from network.body_limit import body_limit_middleware
from network.cases import api as cases_api
from network.cases import data_request_api
from network.clock import SYSTEM_CLOCK, Clock
from network.composition import compose
from network.health import health
from network.log_setup import configure_logging
from network.mail import api as mail_api
from network.materials import api as materials_api
from network.outage import OUTAGE_HANDLERS
from network.partners import api as partners_api
from network.partners import hsds_api
from network.path_ids import path_id_middleware
from network.problems import EXCEPTION_HANDLERS, document_problems
from network.referrals import api as referrals_api
from network.reminders import api as reminders_api
from network.reports import api as reports_api
from network.request_log import request_log_middleware
from network.scheduler import build_scheduler
from network.settings import ConfigError, Settings
from network.web.client_page_views import client_page_router
from network.web.entry_link_views import entry_link_router
from network.web.inbox_views import inbox_router
from network.web.link_views import partner_link_router
from network.web.mail_views import catcher_router, mail_router
from network.web.routes import web_router
from network.web.security_headers import add_security_headers


def create_app(settings: Settings, clock: Clock = SYSTEM_CLOCK) -> Litestar:
    """The app; `clock` is where every business timestamp of its handlers and jobs comes
    from (tests pass a FixedClock)."""
    if settings.database_url is None:
        raise ConfigError("DATABASE_URL: create_app needs a database (the CLI starts one)")
    configure_logging(settings.log_level, settings.log_format)
    compose(settings)

    @asynccontextmanager
    async def database_pool(app: Litestar) -> AsyncIterator[None]:
        await database.start_pool(settings.database_url, settings.database_pool_size,
                                  settings.database_limits)
        try:
            yield
        finally:
            await database.close_pool()

    @asynccontextmanager
    async def scheduler(app: Litestar) -> AsyncIterator[None]:
        if not settings.scheduler_enabled:
            yield
            return
        ticking = build_scheduler(settings, clock)
        ticking.start()
        try:
            yield
        finally:
            ticking.shutdown(wait=False)

    pages = [web_router(), mail_router(), partner_link_router(), entry_link_router(),
             inbox_router(), client_page_router()]
    if settings.mail_catcher:  # local trial without SMTP_URL: read the caught mails
        pages.append(catcher_router())
    return document_problems(Litestar(
        route_handlers=[health, *accounts_api.ROUTE_HANDLERS, *accounts_views.ROUTE_HANDLERS,
                        *mail_api.ROUTE_HANDLERS, *referrals_api.ROUTE_HANDLERS,
                        *partners_api.ROUTE_HANDLERS, *cases_api.ROUTE_HANDLERS,
                        *reports_api.ROUTE_HANDLERS, *reminders_api.ROUTE_HANDLERS, *pages,
                        *hsds_api.ROUTE_HANDLERS, *materials_api.ROUTE_HANDLERS,
                        *data_request_api.ROUTE_HANDLERS],
        guards=[enforce_access, require_csrf],
        lifespan=[database_pool, scheduler],
        dependencies={"settings": Provide(lambda: settings, sync_to_thread=False),
                      "clock": Provide(lambda: clock, sync_to_thread=False),
                      "actor": Provide(user_actor, sync_to_thread=False)},
        middleware=[body_limit_middleware, path_id_middleware,
                    DefineMiddleware(authentication_middleware, settings=settings)],
        exception_handlers={**EXCEPTION_HANDLERS, **OUTAGE_HANDLERS},
        before_send=[add_security_headers],  # every response: CSP, no framing, no-store
        openapi_config=OpenAPIConfig(
            title="network: Integration Point partner network", version=__version__,
            # the schema itself, no viewer: the viewers run scripts from CDNs, which the
            # staff pages' Content-Security-Policy rightly does not allow
            render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"]), YamlRenderPlugin()],
            openapi_router=Router("/api/v1/schema", route_handlers=[], opt=PUBLIC,
                                  include_in_schema=False),
        ),
        state=State({"settings": settings, "clock": clock}),
        logging_config=None,
    ))


def user_actor(request: Request) -> Actor:
    """The signed-in user as the actor of an API or page action."""
    user = request.user
    assert isinstance(user, CurrentUser)
    return Actor.of_user(user)


def served_app(settings: Settings) -> ASGIApp:
    """What the server runs: the app inside the request log, which wraps it from outside so
    that it sees every request, including those no route matched."""
    return request_log_middleware(create_app(settings))


def app_from_environment() -> ASGIApp:
    """Factory for uvicorn workers and --reload: `network serve` has already set DATABASE_URL
    (for the embedded server, too) and applied migrations before starting them."""
    return served_app(Settings.from_env(os.environ))
