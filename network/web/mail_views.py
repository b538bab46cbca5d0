"""Coordinators' pages about email: the failed emails with the server's answer and a "send
again" button, and (only with the local mail catcher) the caught mails, so a newcomer can
read and click through a partner's email without any mail server."""

from __future__ import annotations

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from network.accounts.access import STAFF, allow
from network.api_types import ActorDep, ClockDep
from network.errors import Conflict
from network.mail import actions as mail_actions
from network.mail import queries as mail_queries
from network.mail.catcher import caught_mail, caught_mails
from network.reminders import controls as reminder_controls
from network.settings import Settings
from network.web.render import EXCEPTION_HANDLERS, page, redirect


@get("/mail/failed", include_in_schema=False)
async def failed_emails(request: Request) -> Response:
    rows = await mail_queries.failed_emails(limit=100)
    return page(request, "mail/failed.html", title="Nicht zugestellte E-Mails", emails=rows,
                failed_reminders=await reminder_controls.failed(limit=100))


@post("/mail/failed/{email_id:int}/retry", include_in_schema=False)
async def send_again(email_id: FromPath[int], actor: ActorDep,
                     clock: ClockDep) -> Response:
    try:
        await mail_actions.retry(actor, clock, email_id)
    except Conflict:
        return redirect("/mail/failed", "mail-schon")
    return redirect("/mail/failed", "mail-erneut")


def mail_router() -> Router:
    return Router("/", route_handlers=[failed_emails, send_again], opt=allow(*STAFF),
                  exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]


@get("/dev/mail", include_in_schema=False)
async def caught(request: Request, settings: NamedDependency[Settings]) -> Response:
    return page(request, "mail/caught.html", title="Abgefangene E-Mails (lokal)",
                mails=caught_mails(settings.mail_catcher_dir))


@get("/dev/mail/{key:str}", include_in_schema=False)
async def caught_one(request: Request, key: FromPath[str], settings: NamedDependency[Settings]
                     ) -> Response:
    mail = caught_mail(settings.mail_catcher_dir, key) if len(key) < 200 else None
    if mail is None:
        raise NotFoundException()
    # The email's HTML goes into a sandboxed frame (srcdoc: no script, no access to this
    # page); its links open in a new tab, so a partner's link opens our own /p/ page.
    framed = mail.html.replace("<head>", '<head><base target="_blank">', 1)
    return page(request, "mail/caught_one.html", title=mail.subject or "(ohne Betreff)",
                mail=mail, framed=framed)


def catcher_router() -> Router:
    return Router("/", route_handlers=[caught, caught_one], opt=allow(*STAFF),
                  exception_handlers=EXCEPTION_HANDLERS)  # type: ignore[arg-type]
