"""Seeded, valid test data for benchmarks, loaded through COPY into the real schema.

    uv run python -m bench.generate --scale district  # 300 partners, 5,000 clients, 20,000 refs
    uv run python -m bench.generate --scale national  # 300,000 clients, 1,000,000 referrals

Every row satisfies the schema's CHECK, unique and foreign-key constraints: ids are given
explicitly (COPY writes identity columns as given; their sequences are moved past the
data afterwards), and each barrier's referrals go to distinct partners, so "one open referral
per barrier and partner" holds by construction. Same seed and `now`, same data.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import asyncpg

from bench import common
from network.accounts.passwords import hash_password

PARTNER_KINDS = (
    "bamf", "immigration_office", "youth_office", "social_office", "school", "health_office",
    "municipal_integration_centre", "integration_officer", "volunteer_group", "association",
    "course_provider", "recognition_advice", "clothing_store", "furniture_provider", "other",
)
BARRIER_KINDS = (
    "language", "qualification_recognition", "residence_legal", "health", "childcare",
    "housing", "school", "vocational_training", "university", "documents", "financial",
    "mobility", "other",
)
COUNTRIES = ("SY", "AF", "IQ", "IR", "ER", "UA", "TR", "SO", "NG", "RU")
COUNTRY_WEIGHTS = (30, 20, 10, 8, 6, 12, 5, 4, 3, 2)
RESIDENCE = ("permission_to_reside", "residence_permit", "toleration", "settlement_permit",
             "other")
OUTCOMES = ("employment", "vocational_training", "school", "university", "moved_away",
            "no_longer_eligible", "other")
DECLINE_REASONS = ("no_capacity", "not_eligible", "not_our_service", "client_unreachable",
                   "other")
OPEN = frozenset({"draft", "sent", "accepted", "in_progress", "on_hold"})
# The statuses a referral passes through to reach its final one (all start with 'created').
PATHS = {
    "draft": ("draft",),
    "sent": ("sent",),
    "accepted": ("sent", "accepted"),
    "declined": ("sent", "declined"),
    "in_progress": ("sent", "accepted", "in_progress"),
    "on_hold": ("sent", "accepted", "in_progress", "on_hold"),
    "completed": ("sent", "accepted", "in_progress", "completed"),
    "failed": ("sent", "accepted", "in_progress", "failed"),
    "cancelled": ("sent", "cancelled"),
    "expired": ("sent", "expired"),
}
# Who makes each step: the partner answers, the system expires, the coordinator does the rest.
ACTOR = {"accepted": "partner", "declined": "partner", "in_progress": "partner",
         "completed": "partner", "failed": "partner", "expired": "system"}
CLOSED_MIX = (("completed", 55), ("declined", 14), ("cancelled", 10), ("expired", 9),
              ("failed", 12))
RECENT_MIX = (("draft", 5), ("sent", 25), ("accepted", 15), ("in_progress", 20),
              ("on_hold", 3), ("completed", 15), ("declined", 8), ("cancelled", 4),
              ("expired", 2), ("failed", 3))
HISTORY_DAYS = 730
RECENT_DAYS = 90  # younger referrals are mostly open; older ones mostly closed
PASSWORD = "benchmark-password-1"


@dataclass(frozen=True)
class Scale:
    users: int
    partners: int
    clients: int
    referrals: int
    barriers_per_client: int = 2


SCALES = {
    "tiny": Scale(users=3, partners=10, clients=40, referrals=120),
    "district": Scale(users=20, partners=300, clients=5_000, referrals=20_000),
    "national": Scale(users=600, partners=3_000, clients=300_000, referrals=1_000_000),
}


@dataclass
class Loaded:
    rows: dict[str, int]
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _weighted(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([m[0] for m in mix], [m[1] for m in mix])[0]


class World:
    """Row producers for one scale and seed; `now` fixes the end of the two-year history."""

    def __init__(self, scale: Scale, seed: int, now: datetime):
        self.scale = scale
        self.seed = seed
        self.now = now
        self.start = now - timedelta(days=HISTORY_DAYS)
        self.password_hash = hash_password(PASSWORD)
        self.client_opened: list[datetime] = []
        self.client_open: list[bool] = []
        self.barrier_kind: list[str] = []

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def users(self) -> Iterator[tuple]:
        for i in range(1, self.scale.users + 1):
            role = "admin" if i == 1 else "coordinator"
            yield (i, f"coordinator{i}@bench.example", f"Coordinator {i}", role,
                   "sgb2" if i % 4 else "sgb3", True, self.password_hash, self.start,
                   self.start, self.start)

    def partners(self) -> Iterator[tuple]:
        rng = self.rng("partners")
        for i in range(1, self.scale.partners + 1):
            kinds = sorted(rng.sample(BARRIER_KINDS, rng.randint(1, 4)))
            yield (i, f"Partner {i} Stadt {i % 97}", PARTNER_KINDS[i % len(PARTNER_KINDS)],
                   f"{10000 + i % 89999:05d}", [f"team{i}@partner{i}.example"],
                   ["de", "en"] + (["ar"] if i % 3 == 0 else []), kinds, i % 50 != 0,
                   self.start, self.start)

    def clients(self) -> Iterator[tuple]:
        rng = self.rng("clients")
        span = HISTORY_DAYS * 86400
        for i in range(1, self.scale.clients + 1):
            opened = self.start + timedelta(seconds=rng.randrange(span))
            age_days = (self.now - opened).days
            closed = age_days > 180 and rng.random() < 0.35
            closed_at = opened + timedelta(days=rng.randint(30, age_days)) if closed else None
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365))
            enrolled = rng.random() < 0.7
            self.client_opened.append(opened)
            self.client_open.append(not closed)
            yield (i, f"BG-{i:07d}", f"Vorname{i}", f"Nachname{i % 5000}", born, born.year,
                   rng.choice(("female", "male", "male", "diverse", "unspecified")),
                   rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0], rng.choice(RESIDENCE),
                   "sgb2" if rng.random() < 0.85 else "sgb3",
                   1 + i % self.scale.users, "enrolled" if enrolled else "first_consultation",
                   opened if enrolled else None, "closed" if closed else "open",
                   rng.choice(OUTCOMES) if closed else None, opened, closed_at, opened, opened)

    def consents(self) -> Iterator[tuple]:
        for i in range(1, self.scale.clients + 1):
            yield (i, i, self.client_opened[i - 1], 1 + i % self.scale.users,
                   list(PARTNER_KINDS))

    def barriers(self) -> Iterator[tuple]:
        rng = self.rng("barriers")
        per = self.scale.barriers_per_client
        for client in range(1, self.scale.clients + 1):
            opened = self.client_opened[client - 1]
            for j in range(per):
                barrier_id = (client - 1) * per + j + 1
                kind = rng.choice(BARRIER_KINDS)
                self.barrier_kind.append(kind)
                resolved = rng.random() < (0.6 if self.client_open[client - 1] else 0.8)
                resolved_at = (opened + timedelta(days=rng.randint(1, 60))) if resolved else None
                if resolved_at is not None and resolved_at > self.now:
                    resolved_at = self.now
                status = "resolved" if resolved else rng.choice(("open", "in_progress"))
                yield (barrier_id, client, kind, f"Hürde {kind} von Klient {client}", status,
                       opened, resolved_at, opened, opened)

    def referrals(self, events: list[tuple]) -> Iterator[tuple]:
        """Referral rows; their events go to `events` (the caller COPYs them afterwards)."""
        rng = self.rng("referrals")
        scale = self.scale
        barriers = scale.clients * scale.barriers_per_client
        event_id = 0
        span = HISTORY_DAYS * 86400
        for referral_id in range(1, scale.referrals + 1):
            # Referral n of a barrier goes to partner (base + n): distinct per barrier.
            barrier_id = 1 + (referral_id - 1) % barriers
            round_ = (referral_id - 1) // barriers
            client_id = 1 + (barrier_id - 1) // scale.barriers_per_client
            partner_id = 1 + (barrier_id * 7 + round_) % scale.partners
            coordinator = 1 + client_id % scale.users
            created = self.start + timedelta(seconds=rng.randrange(span))
            age = self.now - created
            recent = age < timedelta(days=RECENT_DAYS)
            status = _weighted(rng, RECENT_MIX if recent else CLOSED_MIX)
            path = PATHS[status]
            steps = sorted(rng.random() for _ in path[1:])
            window = min(age, timedelta(days=45))
            times = [created] + [created + window * s for s in steps]
            sent_at = next((t for s, t in zip(path, times, strict=True) if s == "sent"), None)
            last = times[-1]
            closed = status not in OPEN
            reason = rng.choice(DECLINE_REASONS) if status == "declined" else None
            outcome = (rng.choice(("yes", "yes", "partly", "no")) if status == "completed"
                       else None)
            yield (referral_id, client_id, barrier_id, partner_id, coordinator, coordinator,
                   status, reason, outcome, f"Bitte um Termin ({referral_id})",
                   len(path), created, last, sent_at, last if closed else None)
            previous = None
            for step, at in zip(path, times, strict=True):
                event_id += 1
                actor = "user" if previous is None else ACTOR.get(step, "user")
                events.append((
                    event_id, referral_id, at, "created" if previous is None else
                    "status_changed", actor, coordinator if actor == "user" else None,
                    previous, step, reason if step == "declined" else None,
                    outcome if step == "completed" else None))
                previous = step


TABLES = {
    "app_user": ("id", "email", "display_name", "role", "legal_circle", "active",
                 "password_hash", "password_changed_at", "created_at", "updated_at"),
    "partners": ("id", "name", "kind", "postal_code", "referral_emails", "languages",
                 "barrier_kinds", "active", "created_at", "updated_at"),
    "clients": ("id", "case_number", "first_name", "last_name", "date_of_birth", "birth_year",
                "gender", "country_of_origin", "residence_status", "legal_circle",
                "coordinator_id", "case_kind", "enrolled_at", "status", "outcome", "opened_at",
                "closed_at", "created_at", "updated_at"),
    "consents": ("id", "client_id", "given_at", "recorded_by", "partner_kinds"),
    "barriers": ("id", "client_id", "kind", "description", "status", "opened_at",
                 "resolved_at", "created_at", "updated_at"),
    "referrals": ("id", "client_id", "barrier_id", "partner_id", "coordinator_id",
                  "created_by", "status", "reason_code", "outcome", "note", "version",
                  "created_at", "updated_at", "sent_at", "closed_at"),
    "referral_events": ("id", "referral_id", "at", "event", "actor_kind", "actor_user_id",
                        "from_status", "to_status", "reason_code", "outcome"),
}
EMPTIED = ("referral_events", "partner_links", "referrals", "barrier_events", "barriers",
           "consents", "client_languages", "potential_analyses", "qualifications",
           "case_events", "clients", "partner_contacts", "partners", "api_token",
           "user_session", "audit_log", "outbox", "app_user")


async def _copy(connection: asyncpg.Connection, table: str, rows: Iterable[tuple],
                chunk: int = 100_000) -> int:
    count = 0
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= chunk:
            await connection.copy_records_to_table(table, records=batch, columns=TABLES[table])
            count += len(batch)
            batch = []
    if batch:
        await connection.copy_records_to_table(table, records=batch, columns=TABLES[table])
        count += len(batch)
    return count


async def load(database_url: str, scale: Scale, *, seed: int = 1,
               now: datetime | None = None) -> Loaded:
    """Empty the service's tables and fill them with one seeded world; one transaction."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    world = World(scale, seed, now)
    connection = await asyncpg.connect(database_url)
    started = time.perf_counter()
    rows: dict[str, int] = {}
    try:
        async with connection.transaction():
            present = {r["tablename"] for r in await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
            emptied = ", ".join(t for t in EMPTIED if t in present)
            # The append-only tables refuse TRUNCATE by trigger; emptying the bench's own
            # database is the deliberate bypass (superuser only; see README "Append-only
            # tables"), for this statement alone: the loaded rows meet every trigger.
            await connection.execute("SET LOCAL session_replication_role = replica")
            await connection.execute(f"TRUNCATE {emptied} RESTART IDENTITY CASCADE")
            await connection.execute("SET LOCAL session_replication_role = origin")
            rows["app_user"] = await _copy(connection, "app_user", world.users())
            rows["partners"] = await _copy(connection, "partners", world.partners())
            rows["clients"] = await _copy(connection, "clients", world.clients())
            rows["consents"] = await _copy(connection, "consents", world.consents())
            rows["barriers"] = await _copy(connection, "barriers", world.barriers())
            events: list[tuple] = []
            rows["referrals"] = await _copy(connection, "referrals", world.referrals(events))
            rows["referral_events"] = await _copy(connection, "referral_events", events)
            for table in TABLES:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
        for table in TABLES:  # statistics, and the visibility map for index-only scans
            await connection.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        await connection.close()
    return Loaded(rows, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common.scale_argument(parser)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = asyncio.run(common.prepare_database(args.database_url, args.scale))
    loaded = asyncio.run(load(url, SCALES[args.scale], seed=args.seed))
    for table, count in loaded.rows.items():
        print(f"{table:16} {count:>10,}")
    print(f"{'total':16} {loaded.total:>10,} rows in {loaded.seconds:.1f} s"
          f" = {loaded.total / loaded.seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()
