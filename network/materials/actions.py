"""Every change to the catalogue and every handing-out, one function each `(actor, clock,
...)`: its transaction, its audit entry. Administrators and coordinators manage the catalogue;
handing out is a coordinator's act on a client within their legal circle
(network.cases.scope), recorded in the case history (case_events) as well."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from network import fields as check
from network.accounts import audit
from network.accounts.access import Role
from network.actors import Actor, ActorKind
from network.cases import scope
from network.cases import service as cases
from network.cases.tables import Barrier
from network.clock import Clock
from network.errors import NotPermitted, RuleViolation
from network.materials import files, offer
from network.materials import service as data
from network.materials.tables import Material as M
from network.materials.tables import MaterialHandout as H
from network.reminders.calendar import BERLIN
from network.transactions import transaction
from network.words.materials import MATERIAL_TOPICS

MANAGERS = (Role.ADMIN, Role.COORDINATOR)
HANDED_OUT = "material_handed_out"


def _require_manager(actor: Actor) -> None:
    if actor.kind is not ActorKind.USER or actor.user is None or actor.user.role not in MANAGERS:
        raise NotPermitted("actor", "material_for_staff")


def _languages(languages: Sequence[str]) -> list[str]:
    if isinstance(languages, str) or not languages:
        raise RuleViolation("languages", "material_no_languages")
    codes: list[str] = []
    for code in languages:
        code = check.language("languages", code)
        if code not in codes:
            codes.append(code)
    return codes


async def add_material(actor: Actor, clock: Clock, *, title: str, topic: str,
                       languages: Sequence[str], review_on: date, file: bytes | None = None,
                       link: str | None = None, partner_id: int | None = None
                       ) -> data.Material:
    _require_manager(actor)
    title_ = check.text("title", title, 200, required=True)
    if topic not in MATERIAL_TOPICS:
        raise RuleViolation("topic", "material_topic_unknown")
    codes = _languages(languages)
    review_on = check.day("review_on", review_on, date(2000, 1, 1), date(2200, 1, 1))
    if (file is None) == (link is None):
        raise RuleViolation("file", "material_file_or_link")
    body, kind = files.checked_file(file) if file is not None else (None, None)
    if link is not None:
        link = check.text("link", link, 2000, required=True)
        if not link or not link.startswith("https://") or any(c.isspace() for c in link):
            raise RuleViolation("link", "material_link_https")
    now = clock.now()
    async with transaction():
        rows = await M.insert(M(title=title_, topic=topic, languages=codes, file_data=body,
                                file_type=kind, link=link, partner_id=partner_id,
                                review_on=review_on, created_at=now, updated_at=now)
                              ).returning(M.id)
        material_id = rows[0]["id"]
        await audit.record(actor, "material.added", "material", material_id,
                           {"topic": topic, "languages": codes, "file_type": kind}, at=now)
    return await data.get_material(material_id)


async def replace_file(actor: Actor, clock: Clock, material_id: int, file: bytes,
                       review_on: date | None = None) -> data.Material:
    _require_manager(actor)
    current = await data.get_material(material_id)
    if current.link is not None:
        raise RuleViolation("file", "material_is_link")
    body, kind = files.checked_file(file)
    changes = {M.file_data: body, M.file_type: kind, M.updated_at: clock.now()}
    if review_on is not None:
        changes[M.review_on] = check.day("review_on", review_on, date(2000, 1, 1),
                                         date(2200, 1, 1))
    now = clock.now()
    async with transaction():
        await M.update(changes).where(M.id == material_id)
        await audit.record(actor, "material.file_replaced", "material", material_id,
                           {"file_type": kind}, at=now)
    return await data.get_material(material_id)


async def retire_material(actor: Actor, clock: Clock, material_id: int) -> data.Material:
    _require_manager(actor)
    current = await data.get_material(material_id)
    if current.retired_at is not None:
        return current
    now = clock.now()
    async with transaction():
        await M.update({M.retired_at: now, M.updated_at: now}).where(M.id == material_id)
        await audit.record(actor, "material.retired", "material", material_id, at=now)
    return await data.get_material(material_id)


async def offers_for(actor: Actor, clock: Clock, client_id: int) -> list[offer.Offer]:
    """What fits the client now (within the actor's legal circle)."""
    client = await cases.get_client(actor, client_id)
    kinds = await Barrier.select(Barrier.kind).where(
        Barrier.client_id == client_id, Barrier.status.is_in(["open", "in_progress"]))
    today = clock.now().astimezone(BERLIN).date()
    return offer.offers(await data.list_materials(), [k["kind"] for k in kinds],
                        [s.language for s in client.languages], today)


async def hand_out(actor: Actor, clock: Clock, client_id: int, material_id: int
                   ) -> data.Handout:
    """One click on the case page: the item, in the language it is offered in, is given to
    the client. A retired item, one past its review date, or one not offered to this client
    is refused."""
    await scope.require_client(actor, client_id)
    client = await cases.get_client(actor, client_id)
    cases.refuse_pseudonymised(client)
    cases.refuse_closed(client)
    material = await data.get_material(material_id)
    if material.retired_at is not None:
        raise RuleViolation("material", "material_retired")
    chosen = next((o for o in await offers_for(actor, clock, client_id)
                   if o.material_id == material_id), None)
    if chosen is None:
        raise RuleViolation("material", "material_not_offered")
    if chosen.overdue:
        raise RuleViolation("material", "material_review_overdue")
    now = clock.now()
    async with transaction():
        rows = await H.insert(H(client_id=client_id, material_id=material_id,
                                language=chosen.language, at=now, by_user=actor.user_id)
                              ).returning(H.id)
        await cases.case_event(client_id, HANDED_OUT, actor.user_id, now,
                               f"{material.title} ({chosen.language})")
        await audit.record(actor, "material.handed_out", "client", client_id,
                           {"material_id": material_id, "language": chosen.language,
                            "handout_id": rows[0]["id"]}, at=now)
    return next(h for h in await data.handouts_of(client_id) if h.id == rows[0]["id"])


async def print_bundle(actor: Actor, clock: Clock, client_id: int, sender: str,
                       client_name: str) -> bytes:
    """The slip of what the client was handed out, and the leaflets themselves, as one PDF.
    Printing it is a read of the case: audited."""
    from network.materials import bundle

    await scope.require_client(actor, client_id)
    leaflets = []
    for handout in await data.handouts_of(client_id):
        file = await data.file_of(handout.material_id) if handout.file_type else None
        leaflets.append(bundle.Leaflet(handout.title, handout.language, file, handout.link))
    now = clock.now()
    pdf = bundle.bundle_pdf(sender, client_name, now.astimezone(BERLIN).date(), leaflets)
    async with transaction():
        await audit.record(actor, "material.bundle_printed", "client", client_id,
                           {"leaflets": len(leaflets)}, at=now)
    return pdf
