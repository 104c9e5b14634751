"""Three ``python -m bot`` processes in webhook mode on one PostgreSQL database, three bots.

How updates reach the processes: the fake Telegram pushes each bot's updates one at a time to
one URL, while Telegram itself keeps up to 40 connections per bot open. So the test plays
Telegram's delivery side (``Relay``): the bots' webhook URL points at it; it takes the fake's
pushes into a queue and POSTs each update, with the secret header, to the processes in strict
rotation, up to ``RELAY_CONNECTIONS`` at a time, until one answers 2xx (a failed POST is retried
on the next process). Status codes are those of the processes; a 2xx still means "committed".

1,000 clients write 3,000 messages over the three bots; 100 operators with limit 2 take 200
contacts, the other 800 queue. Then, while the clients' third messages arrive, the admin raises
every limit to 10 and the queue drains. Throughout, a monitor samples the database: no operator
ever above the limit (counter and contacts table), the counter always equal to the open
contacts, never two open contacts of one lead in one source. At the end every client message
was copied to its contact's operator exactly once, and nothing is left in the outbox.
"""

import asyncio
import contextlib
import itertools
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import create_engine, create_session_factory
from db.migrate import current_revisions, head_revisions, upgrade_to_head
from db.repositories import DeliveryRepository, SourceRepository
from fake_telegram import SECRET_HEADER, FakeTelegram, RateLimits, User
from services.notices import OperatorActivated
from services.outbox import Outbox
from tests.e2e.helpers import carried
from tests.harness import eventually
from tests.support.scale import (
    SECRET,
    BotProcess,
    dedicated_database,
    postgres_url_or_skip,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BOTS = {
    "333301:first-bot-secret-token-for-tests": "first_bot",
    "333302:second-bot-secret-token-for-tests": "second_bot",
    "333303:third-bot-secret-token-for-tests": "third_bot",
}
PROCESSES = 3
CLIENTS = 1_000
OPERATORS = 100
FIRST_LIMIT = 2  # 200 slots for 1,000 contacts: most queue
RAISED_LIMIT = 10  # 1,000 slots: every contact gets an operator
RELAY_CONNECTIONS = 24
ADMIN = User(1, "Ada")
OPERATOR_IDS = range(700_001, 700_001 + OPERATORS)
CLIENT_IDS = range(800_001, 800_001 + CLIENTS)
SETTLE_TIMEOUT = 300.0


class Relay:
    """Telegram's webhook delivery for several processes (see the module docstring)."""

    def __init__(self, connections: int) -> None:
        self.connections = connections
        self.queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        self.targets: list[str] = []
        self.answers: Counter[tuple[str, int | str]] = Counter()  # (process, status)
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._workers: list[asyncio.Task[None]] = []

    async def start(self) -> str:
        """Listen for the fake's pushes; return the base URL to give as WEBHOOK_URL."""
        app = web.Application()
        app.router.add_post("/webhook/{bot_id}", self._accept)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        return f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def _accept(self, request: web.Request) -> web.Response:
        self.queue.put_nowait((request.path, await request.read()))
        return web.json_response({})

    def forward_to(self, targets: list[str]) -> None:
        """Start posting the queued updates to ``targets``."""
        self.targets = targets
        self._http = aiohttp.ClientSession()
        self._workers = [asyncio.create_task(self._forward()) for _ in range(self.connections)]

    async def _forward(self) -> None:
        while True:
            path, body = await self.queue.get()
            try:
                await self._deliver(path, body)
            finally:
                self.queue.task_done()

    async def _deliver(self, path: str, body: bytes) -> None:
        assert self._http is not None
        headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        for attempt in itertools.count():
            target = self.targets[next(self._turn) % len(self.targets)]
            try:
                async with self._http.post(f"{target}{path}", data=body, headers=headers) as r:
                    self.answers[target, r.status] += 1
                    if 200 <= r.status < 300:
                        return
            except aiohttp.ClientError as exc:
                self.answers[target, type(exc).__name__] += 1
            await asyncio.sleep(min(0.05 * 2**attempt, 1.0))  # Telegram's retries back off too

    def handled_by(self) -> dict[str, int]:
        """How many updates each process accepted."""
        return {target: self.answers[target, 200] for target in self.targets}

    def failures(self) -> dict[tuple[str, int | str], int]:
        """Answers other than 200, by (process, status or error)."""
        return {key: n for key, n in self.answers.items() if key[1] != 200}

    async def close(self) -> None:
        """Stop forwarding and listening."""
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()


@dataclass
class Monitor:
    """Samples the invariants from the database while the processes work. Each sample is one
    statement, so one snapshot: counters and contacts are seen at the same instant."""

    samples: int = 0
    violations: list[str] = field(default_factory=list)
    max_open_count: int = 0

    SAMPLE = text(
        """
        WITH open_contacts AS (
            SELECT operator_id, count(*) AS n FROM contacts
            WHERE status <> 'closed' AND operator_id IS NOT NULL GROUP BY operator_id
        )
        SELECT
            (SELECT count(*) FROM operators WHERE open_count > max_open),
            (SELECT count(*) FROM operators o JOIN open_contacts c ON c.operator_id = o.id
             WHERE c.n > o.max_open),
            (SELECT count(*) FROM operators o LEFT JOIN open_contacts c ON c.operator_id = o.id
             WHERE o.open_count <> coalesce(c.n, 0)),
            (SELECT count(*) FROM (
                SELECT 1 FROM contacts WHERE status <> 'closed'
                GROUP BY lead_id, source_id HAVING count(*) > 1) AS twice),
            (SELECT coalesce(max(open_count), 0) FROM operators)
        """
    )

    async def run(self, conn: AsyncConnection) -> None:
        """Sample until cancelled."""
        while True:
            row = (await conn.execute(self.SAMPLE)).one()
            await conn.commit()
            self.samples += 1
            over_counter, over_contacts, drift, twice, max_open = row
            self.max_open_count = max(self.max_open_count, max_open)
            for count, what in (
                (over_counter, "operators with open_count above max_open"),
                (over_contacts, "operators with more open contacts than max_open"),
                (drift, "operators whose open_count differs from their open contacts"),
                (twice, "(lead, source) pairs with two open contacts"),
            ):
                if count:
                    self.violations.append(f"sample {self.samples}: {count} {what}")
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def monitoring(database_url: str) -> AsyncIterator[Monitor]:
    """A Monitor sampling the database until the block ends."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    monitor = Monitor()
    async with engine.connect() as conn:
        task = asyncio.create_task(monitor.run(conn))
        try:
            yield monitor
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    await engine.dispose()


class Cluster:
    """The fake Telegram, the relay, the processes, and a connection to their database."""

    def __init__(self, telegram: FakeTelegram, relay: Relay, database_url: str) -> None:
        self.telegram = telegram
        self.relay = relay
        self.database_url = database_url
        self.engine = create_async_engine(database_url, poolclass=NullPool)

    async def settle(self) -> None:
        """Wait until every update the users sent was accepted (2xx) by a process."""
        await self.telegram.wait_for(
            lambda: all(self.telegram.pending_updates(bot) == 0 for bot in BOTS.values()),
            timeout=SETTLE_TIMEOUT,
        )
        async with asyncio.timeout(SETTLE_TIMEOUT):
            await self.relay.queue.join()

    async def scalar(self, sql: str) -> int:
        """One number from the processes' database."""
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql))).scalar_one()

    async def outbox_empty(self) -> bool:
        """Whether every staged message was sent."""
        return await self.scalar("SELECT count(*) FROM deliveries WHERE status <> 'sent'") == 0


async def test_three_processes_share_three_bots_without_breaking_a_limit(tmp_path: Path):
    server_url = postgres_url_or_skip()
    async with dedicated_database(server_url, "scale") as database_url:
        telegram = FakeTelegram()
        await telegram.start()
        for token, username in BOTS.items():
            telegram.add_bot(token, username)
        relay = Relay(RELAY_CONNECTIONS)
        relay_url = await relay.start()
        env = _environment(database_url, relay_url, telegram.base_url, list(BOTS))
        processes = [BotProcess(f"process {n}", env, tmp_path) for n in range(PROCESSES)]
        cluster = Cluster(telegram, relay, database_url)
        try:
            await _scenario(cluster, processes)
        finally:
            statuses = [await process.stop() for process in processes if process.process]
            await relay.close()
            await telegram.close()
            await cluster.engine.dispose()
    assert statuses == [0] * PROCESSES
    tokens = [token.partition(":")[2] for token in BOTS]
    for process in processes:
        records = process.records()  # JSON, one object per line
        assert not [line for line in process.lines if any(t in line for t in tokens)]
        errors = [r for r in records if r["level"] in ("ERROR", "CRITICAL")]
        assert errors == [], f"{process.name} logged errors"


def _environment(
    database_url: str, relay_url: str, telegram_url: str, tokens: list[str]
) -> dict[str, str]:
    return {
        "BOT_TOKENS": ",".join(tokens),
        "ADMIN_IDS": str(ADMIN.id),
        "DATABASE_URL": database_url,
        "TELEGRAM_API_URL": telegram_url,
        "WEBHOOK_URL": relay_url,
        "WEBHOOK_SECRET": SECRET,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        "RETRY_INTERVAL_SECONDS": "3600",  # the queue must drain on events
        "REMINDER_MINUTES": "0",
        "AUTO_CLOSE_HOURS": "0",
        "QUEUE_ALERT_MINUTES": "0",
    }


async def _start(processes: list[BotProcess], relay: Relay) -> None:
    """Start the processes at once, wait until each is healthy, then relay updates to them."""
    # They start at once on the empty database: they migrate it one after the other.
    await asyncio.gather(*(process.start() for process in processes))
    ports = await asyncio.gather(*(process.http_port() for process in processes))
    targets = [f"http://127.0.0.1:{port}" for port in ports]
    async with aiohttp.ClientSession() as http:
        for target in targets:

            async def healthy(target: str = target) -> bool:
                async with http.get(f"{target}/healthz") as response:
                    return response.status == 200

            await eventually(healthy, f"{target}/healthz answers 200")
    relay.forward_to(targets)


async def _scenario(cluster: Cluster, processes: list[BotProcess]) -> None:
    telegram, relay = cluster.telegram, cluster.relay
    await _start(processes, relay)
    bots = list(BOTS.values())

    # The admin adds the operators; each operator starts every bot.
    for operator_id in OPERATOR_IDS:
        await telegram.send_command(bots[0], ADMIN, f"/addop {operator_id} {FIRST_LIMIT}")
    await cluster.settle()
    for operator_id, bot in itertools.product(OPERATOR_IDS, bots):
        await telegram.send_command(bot, User(operator_id, f"Operator {operator_id}"), "/start")
    await cluster.settle()
    started = await cluster.scalar("SELECT count(*) FROM operator_sources WHERE started")
    assert started == OPERATORS * len(bots)

    clients = [User(client_id, f"Client {client_id}") for client_id in CLIENT_IDS]
    bot_of = {client.id: bots[n % len(bots)] for n, client in enumerate(clients)}
    async with monitoring(cluster.database_url) as monitor:
        # Two messages from every client, back to back: both race to open the contact.
        for client in clients:
            for n in (1, 2):
                await telegram.send_message(bot_of[client.id], client, f"message {n}")
        await cluster.settle()
        assert await cluster.scalar("SELECT count(*) FROM contacts") == CLIENTS
        queued = await cluster.scalar("SELECT count(*) FROM contacts WHERE operator_id IS NULL")
        assert queued == CLIENTS - OPERATORS * FIRST_LIMIT
        assert monitor.max_open_count == FIRST_LIMIT

        # Capacity returns while the clients write their third message.
        for operator_id, client in itertools.zip_longest(OPERATOR_IDS, clients):
            if operator_id is not None:
                await telegram.send_command(bots[0], ADMIN, f"/limit {operator_id} {RAISED_LIMIT}")
            await telegram.send_message(bot_of[client.id], client, "message 3")
        await cluster.settle()

        async def drained() -> bool:
            queue = await cluster.scalar(
                "SELECT count(*) FROM contacts WHERE operator_id IS NULL AND status = 'new'"
            )
            return queue == 0 and await cluster.outbox_empty()

        await eventually(drained, "the queue and the outbox are empty", timeout=SETTLE_TIMEOUT)
    assert monitor.samples > 100
    assert monitor.violations == []
    assert monitor.max_open_count == RAISED_LIMIT

    # Every update went through; the work was spread over the processes.
    assert relay.failures() == {}
    handled = relay.handled_by()
    assert sum(handled.values()) == OPERATORS * (2 + len(bots)) + 3 * CLIENTS
    assert min(handled.values()) > sum(handled.values()) / (2 * PROCESSES)

    # Every client message reached its contact's operator exactly once, and nobody else.
    async with cluster.engine.connect() as conn:
        expected = (
            await conn.execute(
                text(
                    """
                    SELECT s.username, m.chat_id, m.telegram_message_id, o.telegram_id
                    FROM messages m
                    JOIN contacts c ON c.id = m.contact_id
                    JOIN sources s ON s.id = m.source_id
                    JOIN operators o ON o.id = c.operator_id
                    WHERE m.direction = 'in'
                    """
                )
            )
        ).all()
    assert len(expected) == 3 * CLIENTS
    copies: Counter[tuple[str, int, int, int]] = Counter()
    for bot, operator_id in itertools.product(bots, OPERATOR_IDS):
        for item in telegram.received(bot, operator_id):
            # A copy, or the card that carries a contact's first message.
            if (origin := carried(telegram, bot, item)) is not None:
                copies[(bot, *origin, operator_id)] += 1
    assert copies == Counter(tuple(row) for row in expected)
    # The final state: every contact assigned, every operator exactly at the raised limit.
    async with cluster.engine.connect() as conn:
        loads = (await conn.execute(text("SELECT DISTINCT open_count FROM operators"))).all()
    assert loads == [(RAISED_LIMIT,)]


async def test_processes_sharing_a_bot_keep_together_to_its_rate_limit(tmp_path: Path):
    # Each process paces what it sends at 25 messages/s per bot; two sending for one bot would
    # go beyond Telegram's 30. One worker sends a bot's outbox at a time (sources.sender).
    server_url = postgres_url_or_skip()
    async with dedicated_database(server_url, "pace") as database_url:
        telegram = FakeTelegram(limits=RateLimits())
        await telegram.start()
        token, bot = next(iter(BOTS.items()))
        bot_id = telegram.add_bot(token, bot)
        chats = CLIENT_IDS[:250]
        # Waiting when the processes start: more than one worker leases at once (200).
        await upgrade_to_head(database_url)
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session, session.begin():
            source = await SourceRepository(session).ensure(bot_id, bot, bot)
            outbox = Outbox(DeliveryRepository(session))
            for chat in chats:
                telegram.open_chat(bot, User(chat, f"Client {chat}"))
                outbox.notice(source.id, chat, OperatorActivated(), language=None)
        await engine.dispose()
        relay = Relay(RELAY_CONNECTIONS)
        env = _environment(database_url, await relay.start(), telegram.base_url, [token])
        processes = [BotProcess(f"process {n}", env, tmp_path) for n in range(2)]
        try:
            await _start(processes, relay)
            for chat in chats:
                (answer,) = await telegram.wait_received(bot, chat, 1, timeout=60)
                assert "An admin has activated you" in answer.plain_text
        finally:
            statuses = [await process.stop() for process in processes if process.process]
            await relay.close()
            await telegram.close()
    assert statuses == [0, 0]
    assert telegram.too_many_requests == 0


async def test_processes_starting_together_migrate_one_after_the_other():
    server_url = postgres_url_or_skip()
    async with dedicated_database(server_url, "migrate") as database_url:
        await asyncio.gather(*(upgrade_to_head(database_url) for _ in range(PROCESSES)))

        assert await current_revisions(database_url) == head_revisions()
