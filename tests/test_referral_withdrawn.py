"""A partner hears when the coordinator cancels a referral it received, or takes it back to
give it to another partner (issue 15): an email without an action link, over real SMTP. A
draft the partner never saw, a partner's own change and an answer the coordinator records
for the partner send no such email."""

from __future__ import annotations

from pathlib import Path

from network.clock import SYSTEM_CLOCK
from network.composition import build_mailer
from network.mail.dispatcher import send_all_due
from network.mail.tables import Outbox
from network.referrals.service import NewReferral
from tests.support import referral_world as acting
from tests.support.app import MakeUser, make_settings
from tests.support.referral_world import make_world
from tests.support.smtp_server import SmtpServer


async def templates() -> list[tuple[str, list[str]]]:
    rows = await Outbox.select(Outbox.template, Outbox.recipients).order_by(Outbox.id)
    return [(row["template"], sorted(row["recipients"])) for row in rows]


async def test_a_cancelled_referral_tells_its_partner_without_a_link(
        pool: str, make_user: MakeUser, smtp: SmtpServer, tmp_path: Path) -> None:
    world = await make_world()
    coordinator = await make_user()
    sent = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                     "sent"), coordinator.user.id)).referral
    await acting.transition(sent.id, "cancelled", "coordinator", coordinator.user.id,
                            reason_text="Frau A. ist nach Köln gezogen")
    address = world.caritas.referral_emails
    assert await templates() == [("referral_new", sorted(address)),
                                 ("referral_withdrawn", sorted(address))]

    settings = make_settings(tmp_path, DATABASE_URL=pool, SMTP_URL=smtp.url)
    await send_all_due(build_mailer(settings), SYSTEM_CLOCK.now())
    withdrawn = next(m for m in smtp.messages if "zurückgezogen" in m["Subject"])
    text = " ".join(withdrawn.get_body(("plain",)).get_content().split())
    assert "hat die Anfrage zu dieser Person zurückgezogen" in text
    assert f"Vermittlung: {sent.id}" in text
    assert "/p/" not in text and "[[" not in text  # no action link for a closed referral
    assert "Köln" not in text  # the coordinator's reason stays in the office
    assert coordinator.user.display_name in text


async def test_a_referral_taken_back_for_another_partner_tells_the_first_one(
        pool: str, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user()
    sent = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                     "sent"), coordinator.user.id)).referral
    await acting.hand_off_to_partner(sent.id, world.tafel.id, "declined", coordinator.user.id,
                                     reason_code="no_capacity")
    assert [t for t, _ in await templates()] == [
        "referral_new", "referral_withdrawn", "referral_handed_over"]
    [row] = await Outbox.select(Outbox.recipients, Outbox.body_text).where(
        Outbox.template == "referral_withdrawn")
    assert row["recipients"] == list(world.caritas.referral_emails)
    assert "an eine andere Stelle gegeben" in " ".join(row["body_text"].split())


async def test_no_such_email_for_a_draft_a_partners_own_change_or_a_recorded_answer(
        pool: str, make_user: MakeUser) -> None:
    world = await make_world()
    coordinator = await make_user()
    draft = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id),
                                          coordinator.user.id)).referral
    await acting.transition(draft.id, "cancelled", "coordinator", coordinator.user.id,
                            reason_text="doch nicht")
    assert await templates() == []
    sent = (await acting.create_referral(NewReferral(world.barrier_id, world.caritas.id,
                                                     "sent"), coordinator.user.id)).referral
    await acting.transition(sent.id, "accepted", "coordinator", coordinator.user.id)
    await acting.hand_off_to_partner(sent.id, world.tafel.id, "declined", None,
                                     actor="partner", reason_code="no_capacity")
    assert "referral_withdrawn" not in [t for t, _ in await templates()]
