from collections import Counter
from datetime import UTC, datetime

from network.accounts import service as accounts
from network.cases import barriers, service
from network.cases.values import BarrierStatus, CaseKind, CaseStatus, Outcome
from network.demo_seed import CLIENT_COUNT, PARTNERS, seed_demo
from network.partners import service as partners
from network.partners.kinds import PartnerKind
from network.referrals import service as referrals
from network.referrals.lifecycle import Status
from network.referrals.service import ReferralFilter
from network.transactions import transaction
from tests.support.factories import SYSTEM_ACTOR


async def counts() -> dict[str, int]:
    async with transaction() as connection:
        return {table: await connection.fetchval(f"SELECT count(*) FROM {table}")
                for table in ("partners", "partner_contacts", "clients", "barriers",
                              "barrier_events", "consents", "potential_analyses",
                              "qualifications", "case_events", "client_languages",
                              "referrals", "referral_events", "app_user")}


async def test_the_demo_covers_every_kind_and_stage_and_seeding_twice_adds_nothing(pool):
    first = await seed_demo()
    assert first.partners_created == len(PARTNERS) >= 36
    assert first.clients_created == CLIENT_COUNT
    after_first = await counts()

    kinds = Counter(p.kind for p in (await partners.search_partners(
        active=None, limit=200)).items)
    assert set(kinds) == set(PartnerKind)
    clients = (await service.list_clients(SYSTEM_ACTOR, limit=200)).items
    assert len(clients) == CLIENT_COUNT
    assert {c.case_kind for c in clients} == set(CaseKind)
    assert {c.status for c in clients} == set(CaseStatus)
    assert {c.outcome for c in clients if c.outcome} == set(Outcome)
    statuses = Counter()
    for client in clients:
        statuses.update(b.status for b in await barriers.list_barriers(SYSTEM_ACTOR, client.id))
    assert set(statuses) == set(BarrierStatus)
    referred = await referrals.list_referrals(SYSTEM_ACTOR, limit=200)
    assert first.referrals_created > 0 and referred.total >= first.referrals_created
    every = Counter()
    for offset in range(0, referred.total, 200):
        page = await referrals.list_referrals(SYSTEM_ACTOR, limit=200, offset=offset)
        every.update(r.status for r in page.items)
        assert all(r.partner_id and r.coordinator_id for r in page.items)
    assert set(every) == set(Status), every
    assert (await referrals.list_referrals(SYSTEM_ACTOR, ReferralFilter(overdue=True),
                                           now=datetime.now(UTC))).total > 0

    coordinators = {c.coordinator_id for c in clients}
    assert None not in coordinators and len(coordinators) == 3
    assert first.users_created == 5 and first.password.startswith("demo-")

    second = await seed_demo()
    assert (second.partners_created, second.clients_created) == (0, 0)
    assert (second.partners_existing, second.clients_existing) == (len(PARTNERS), CLIENT_COUNT)
    assert (second.referrals_created, second.referrals_existing) == (
        0, first.referrals_created)
    assert await counts() == after_first
    assert second.users_created == 0 and second.password != first.password
    assert await accounts.find_user_by_email(second.logins[0][0]) is not None
