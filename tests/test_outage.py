"""While the database cannot be reached every page and API answers 503 (problem+json for the
API, a short German page for the rest), within seconds also when the database stops answering
without closing the connection, and the service recovers by itself when it returns.

The app is served with its DATABASE_URL pointing at a TCP relay that the test cuts (closed
connections, refused new ones) and then black-holes (connections stay open, nothing passes)."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from network import database
from network.accounts.sessions import SESSION_COOKIE
from network.clock import SYSTEM_CLOCK
from network.database import DatabaseUnreachable
from network.links.tokens import fill_links, issue_sealed_link
from network.outage import database_unreachable
from network.referrals.service import NewReferral
from network.settings import ConfigError, DatabaseLimits
from network.transactions import transaction
from network.words.outage import OUTAGE_TEXT
from tests.support import referral_world as acting
from tests.support.app import MadeUser, MakeUser, make_settings, serving
from tests.support.cli_process import Service
from tests.support.polling import until
from tests.support.referral_world import make_world
from tests.support.tcp_relay import TcpRelay

# Small limits, so the black hole becomes an error quickly in the test.
LIMITS = {"DATABASE_CONNECT_TIMEOUT_SECONDS": "1", "DATABASE_ACQUIRE_TIMEOUT_SECONDS": "1",
          "DATABASE_STATEMENT_TIMEOUT_SECONDS": "1", "DATABASE_POOL_SIZE": "3"}
# A page waits at most for a connection (1 s), one statement (1 s) and giving the connection
# back (its cancellation, bounded by the acquire limit: 1 s); the rest is slack for the machine.
PAGE_BOUND_SECONDS = 5.0
HEALTH_BOUND_SECONDS = 3.0  # what the issue requires of /health in every case
GUARD_SECONDS = 60.0  # a request that hangs fails the test instead of hanging it


@dataclass(frozen=True)
class Check:
    name: str
    send: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
    normal: int  # the status while the database answers
    json: bool  # problem+json while unreachable (else a German page)


@dataclass
class Served:
    client: httpx.AsyncClient
    relay: TcpRelay
    port: int
    checks: list[Check]
    coordinator: MadeUser
    relayed: str  # the DATABASE_URL through the relay
    limits: DatabaseLimits


@pytest.fixture
async def served(tmp_path: Path, db: str, make_user: MakeUser) -> AsyncIterator[Served]:
    parts = urlsplit(db)
    relay = TcpRelay(db)
    port = await relay.start()
    relayed = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}", query=""))
    settings = make_settings(tmp_path, DATABASE_URL=relayed, **LIMITS)
    async with serving(settings) as client:
        try:
            coordinator = await make_user(role="coordinator")
            signed_in = await client.post("/api/v1/auth/login", json={
                "email": coordinator.email, "password": coordinator.password})
            session = {"Cookie": f"{SESSION_COOKIE}={signed_in.cookies[SESSION_COOKIE]}"}
            client.cookies.clear()  # each check sends what it needs
            world = await make_world()
            created = await acting.create_referral(NewReferral(
                world.barrier_id, world.caritas.id, "sent"), coordinator.user.id)
            async with transaction():
                link = await issue_sealed_link(settings.secret_key, created.referral.id,
                                               world.caritas.id, SYSTEM_CLOCK.now(),
                                               timedelta(days=60))
            partner_page = fill_links(link.placeholder, "", settings.secret_key)
            credentials = {"email": coordinator.email, "password": coordinator.password}
            checks = [
                Check("staff page", lambda c: c.get("/", headers=session), 200, json=False),
                Check("client list", lambda c: c.get("/clients", headers=session), 200,
                      json=False),
                Check("API", lambda c: c.get("/api/v1/partners", headers=coordinator.headers),
                      200, json=True),
                Check("API sign-in", lambda c: c.post("/api/v1/auth/login", json=credentials),
                      200, json=True),
                Check("sign-in form", lambda c: c.post("/login", data={**credentials,
                                                                       "weiter": "/"}),
                      303, json=False),
                Check("partner link page", lambda c: c.get(partner_page), 200, json=False),
                Check("setup page", lambda c: c.get("/setup?token=no-such-token"), 410,
                      json=False),
            ]
            yield Served(client, relay, port, checks, coordinator, relayed,
                         settings.database_limits)
        finally:
            await relay.close()


async def timed(send: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    """The response and the seconds it took, on the event loop's clock."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with asyncio.timeout(GUARD_SECONDS):
        response = await send
    return response, loop.time() - started


def assert_unavailable(check: Check, response: httpx.Response) -> None:
    assert response.status_code == 503, (check.name, response.status_code, response.text)
    assert "Traceback" not in response.text
    assert response.headers["retry-after"].isdigit(), check.name
    if check.json:
        assert response.headers["content-type"] == "application/problem+json", check.name
        body = response.json()
        assert body["status"] == 503 and body["title"] == "Service Unavailable"
        assert "database" in body["detail"]
    else:
        assert response.headers["content-type"].startswith("text/html"), check.name
        assert OUTAGE_TEXT in response.text, check.name


async def assert_health_unreachable(client: httpx.AsyncClient) -> float:
    response, seconds = await timed(client.get("/health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    return seconds


async def everything_answers(served: Served) -> bool:
    if (await served.client.get("/health")).status_code != 200:
        return False
    for check in served.checks:
        if (await check.send(served.client)).status_code != check.normal:
            return False
    return True


async def test_every_page_answers_503_while_the_database_is_cut_off_or_silent_then_recovers(
        served: Served) -> None:
    client, relay = served.client, served.relay
    for check in served.checks:
        assert (await check.send(client)).status_code == check.normal, check.name

    await relay.cut()  # connections closed, new ones refused
    await assert_health_unreachable(client)
    for check in served.checks:
        response, seconds = await timed(check.send(client))
        assert_unavailable(check, response)
        assert seconds < PAGE_BOUND_SECONDS, (check.name, seconds)

    await relay.start(served.port)
    await until(lambda: everything_answers(served), seconds=30, what="recovery after the cut")

    relay.black_hole()  # connections stay open, nothing answers
    seconds = await assert_health_unreachable(client)
    assert seconds < HEALTH_BOUND_SECONDS, seconds
    for check in served.checks:
        response, seconds = await timed(check.send(client))
        assert_unavailable(check, response)
        assert seconds < PAGE_BOUND_SECONDS, (check.name, seconds)
    seconds = await assert_health_unreachable(client)
    assert seconds < HEALTH_BOUND_SECONDS, seconds

    relay.restore()  # the silent connections stay silent: the pool has to drop them itself
    await until(lambda: everything_answers(served), seconds=30,
                what="recovery after the black hole")
    # No connection was lost to the pool: more requests at once than it holds all get one.
    responses = await asyncio.gather(*(served.checks[2].send(client) for _ in range(9)))
    assert [response.status_code for response in responses] == [200] * 9


async def test_health_checks_in_a_black_hole_all_answer_within_3_seconds(served: Served) -> None:
    served.relay.black_hole()
    # Health checks keep coming (a load balancer, a monitor, a person reloading): each answers
    # in time, and they do not use up the pool while the check before them still hangs.
    results = await asyncio.gather(*(assert_health_unreachable(served.client)
                                     for _ in range(10)))
    assert max(results) < HEALTH_BOUND_SECONDS, results
    for _ in range(3):
        assert await assert_health_unreachable(served.client) < HEALTH_BOUND_SECONDS
    served.relay.restore()
    await until(lambda: everything_answers(served), seconds=30, what="recovery")


async def test_a_transaction_cut_off_mid_way_stops_holding_its_locks(
        served: Served, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The service loses a connection inside a transaction that locked a row; the server, which
    still sees the connection open, ends that session by itself, so the row is free again."""
    monkeypatch.setattr(database, "IDLE_IN_TRANSACTION_SECONDS", 2)
    await database.close_pool()  # the app's pool anew, with the server setting patched
    await database.start_pool(served.relayed, 3, served.limits)
    user_id = served.coordinator.user.id
    with pytest.raises(Exception) as lost:  # noqa: PT011 - whatever the broken rollback raises
        async with transaction() as connection:
            await connection.execute("SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE", user_id)
            served.relay.black_hole()
            await connection.execute("SELECT 1")
    assert database_unreachable(lost.value)
    served.relay.restore()
    direct = await asyncpg.connect(db)  # past the relay: the lock, as any other session sees it
    try:
        await direct.execute("SET lock_timeout = '20s'")
        loop = asyncio.get_running_loop()
        started = loop.time()
        await direct.execute("UPDATE app_user SET display_name = display_name WHERE id = $1",
                             user_id)
        assert loop.time() - started < 10
    finally:
        await direct.close()
    await until(lambda: everything_answers(served), seconds=30, what="recovery")


@pytest.mark.parametrize("outage", ["cut", "black hole"])
async def test_a_task_whose_transaction_lost_its_connection_goes_on_with_a_new_one(
        served: Served, outage: str) -> None:
    """A job runs one transaction after another in one task; the connection breaks inside one:
    that one fails, and once the database is back the next one works (it does not join the
    broken one, and the pool has its connection back)."""
    with pytest.raises(Exception) as lost:  # noqa: PT011 - whatever the broken rollback raises
        async with transaction() as connection:
            await connection.execute("SELECT 1")
            if outage == "cut":
                await served.relay.cut()
            else:
                served.relay.black_hole()
            await connection.execute("SELECT 1")
    assert database_unreachable(lost.value)
    if outage == "cut":
        await served.relay.start(served.port)
    else:
        served.relay.restore()
    for _ in range(6):  # more than the pool holds: none of its connections is lost
        async with asyncio.timeout(GUARD_SECONDS), transaction() as connection:
            assert await connection.fetchval("SELECT 1") == 1


async def test_network_serve_answers_through_an_outage_and_recovers_without_a_restart(
        tmp_path: Path, db: str) -> None:
    """The real server process (uvicorn, as an operator runs it) behind the relay."""
    parts = urlsplit(db)
    relay = TcpRelay(db)
    port = await relay.start()
    relayed = urlunsplit(
        parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{port}", query=""))
    service = Service(tmp_path / "data", tmp_path / "serve.log", DATABASE_URL=relayed,
                      SCHEDULER_ENABLED="false", **LIMITS)
    link_page = "/p/" + "x" * 43  # unknown, but looked up in the database
    wrong_sign_in = {"email": "nobody@jobcenter.example", "password": "not-the-password"}

    async def answers(http: httpx.AsyncClient) -> bool:
        try:
            statuses = [(await http.get("/health")).status_code,
                        (await http.get(link_page)).status_code,
                        (await http.post("/api/v1/auth/login", json=wrong_sign_in)).status_code]
        except httpx.TransportError:
            return False
        return statuses[0] == 200 and all(status < 500 for status in statuses)

    async def assert_unavailable_in_time(http: httpx.AsyncClient) -> None:
        response, seconds = await timed(http.get("/health"))
        assert response.status_code == 503 and seconds < HEALTH_BOUND_SECONDS, seconds
        for send in (http.get(link_page), http.post("/api/v1/auth/login", json=wrong_sign_in)):
            response, seconds = await timed(send)
            assert response.status_code == 503, response.text
            assert seconds < PAGE_BOUND_SECONDS, seconds

    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=GUARD_SECONDS) as http:
            await until(lambda: answers(http), seconds=120, what=f"network serve answering:\n"
                        f"{service.output()}")
            await relay.cut()
            await assert_unavailable_in_time(http)
            await relay.start(port)
            await until(lambda: answers(http), seconds=30, what="recovery after the cut")
            relay.black_hole()
            await assert_unavailable_in_time(http)
            relay.restore()
            await until(lambda: answers(http), seconds=30, what="recovery after the black hole")
        assert service.process.poll() is None, service.output()  # the same process throughout
        assert "Traceback" not in service.output()
    finally:
        await relay.close()  # first: stop() below blocks this event loop, the relay's too
        service.stop(signal.SIGTERM)


def test_it_recognises_the_database_being_unreachable_and_nothing_else() -> None:
    unreachable = [
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        OSError(errno.EHOSTUNREACH, "No route to host"),
        socket.gaierror(-2, "Name or service not known"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.InterfaceError("cannot perform operation: connection is closed"),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        DatabaseUnreachable("cannot reach the database"),
    ]
    for error in unreachable:
        assert database_unreachable(error), error
    # A failed rollback after a statement timed out is the same outage.
    try:
        try:
            raise TimeoutError
        except TimeoutError:
            raise asyncpg.InterfaceError(  # noqa: B904 - as a rollback raises it
                "cannot perform operation: another operation is in progress")
    except asyncpg.InterfaceError as chained:
        assert database_unreachable(chained)
    reachable = [
        FileNotFoundError(errno.ENOENT, "No such file"),
        PermissionError(errno.EACCES, "Permission denied"),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
        asyncpg.UndefinedTableError("relation does not exist"),
        asyncpg.QueryCanceledError("canceling statement due to user request"),
        ValueError("no"),
    ]
    for error in reachable:
        assert not database_unreachable(error), error


async def test_pool_connections_over_tcp_send_keepalives(db: str) -> None:
    parts = urlsplit(db)
    if not parts.hostname:
        pytest.skip("the embedded server is reached through a Unix socket")
    await database.start_pool(db, 1)
    try:
        async with database.ENGINE.pool.acquire() as connection:
            sock = connection._con._transport.get_extra_info("socket")
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            if hasattr(socket, "TCP_KEEPIDLE"):
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == \
                    database.KEEPALIVE_IDLE_SECONDS
    finally:
        await database.close_pool()


def test_the_database_limits_are_settings_read_strictly(tmp_path: Path) -> None:
    defaults = make_settings(tmp_path).database_limits
    assert (defaults.connect_seconds, defaults.acquire_seconds, defaults.statement_seconds) == (
        5, 5, 10)
    read = make_settings(tmp_path, DATABASE_CONNECT_TIMEOUT_SECONDS="2",
                         DATABASE_ACQUIRE_TIMEOUT_SECONDS="3",
                         DATABASE_STATEMENT_TIMEOUT_SECONDS="60").database_limits
    assert (read.connect_seconds, read.acquire_seconds, read.statement_seconds) == (2, 3, 60)
    for name, value in (("DATABASE_CONNECT_TIMEOUT_SECONDS", "0"),
                        ("DATABASE_ACQUIRE_TIMEOUT_SECONDS", "five"),
                        ("DATABASE_STATEMENT_TIMEOUT_SECONDS", "3601")):
        with pytest.raises(ConfigError, match=f"^{name}: must be"):
            make_settings(tmp_path, **{name: value})
