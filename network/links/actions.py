"""The partner inbox's sign-in, one function each: `(clock, ...)` or `(actor, clock, ...)`.
Each opens its transaction and writes its audit entry; the inbox pages only adapt input and
output (network.web.inbox_views)."""

from __future__ import annotations

from network import words
from network.accounts import audit
from network.actors import Actor
from network.clock import Clock
from network.links import partner_sessions as ps
from network.mail.outbox import enqueue
from network.partners.tables import Partner as PartnerRow
from network.settings import Settings
from network.transactions import transaction

SIGN_IN_MAILER = Actor.system("partner.sign_in")


async def send_sign_in_links(clock: Clock, settings: Settings, address: str) -> int:
    """A sign-in link to `address` for each partner that has it on file (as a referral
    address or a contact's); how many went out. Nothing for an address not on file."""
    now = clock.now()
    async with transaction():
        partner_ids = await ps.partners_of_address(address)
        for partner_id in partner_ids:
            name = await PartnerRow.select(PartnerRow.name).where(
                PartnerRow.id == partner_id).first()
            link = await ps.issue_sign_in_link(settings.secret_key, partner_id, now,
                                               settings.partner_inbox)
            await enqueue(settings, "partner_sign_in", [address], {
                "partner_name": name["name"], "url": link.placeholder,
                "expires": words.moment(link.expires_at)}, due_at=now)
            await audit.record(SIGN_IN_MAILER, "partner.sign_in_sent", "partner", partner_id,
                               {"sign_in_link_id": link.link_id}, at=now)
    return len(partner_ids)


async def sign_in(clock: Clock, settings: Settings, token: str) -> ps.StartedSession | None:
    """Use an emailed sign-in link (once) and open a partner session; None when the link is
    unknown, used or expired."""
    now = clock.now()
    async with transaction():
        link = await ps.usable_sign_in_link(token, now, lock=True)
        if link is None:
            return None
        started = await ps.redeem(link, now, settings.partner_inbox)
        await audit.record(Actor.of_partner(link.partner_id, session_id=started.id),
                           "partner.signed_in", "partner", link.partner_id,
                           {"sign_in_link_id": link.id}, at=now)
    return started


async def sign_out(actor: Actor, clock: Clock, session_id: int) -> None:
    now = clock.now()
    async with transaction():
        await ps.end_session(session_id, now)
        await audit.record(actor, "partner.signed_out", "partner", actor.partner_id, at=now)
