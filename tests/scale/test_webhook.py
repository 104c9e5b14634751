"""Webhook mode: the fake Telegram pushes updates to the app's own HTTP server."""

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bot.app import MAX_RESTART_PAUSE
from db.models import Contact, Lead, Message
from fake_telegram import SECRET_HEADER, User
from tests.e2e.helpers import carried
from tests.harness import eventually
from tests.support.scale import (
    SECRET,
    Running,
    postgres_url_or_skip,
    run_switchboard,
)

OLGA = User(1001, "Olga", username="olga_op")
CLIENT = User(5001, "Carl")
ALPHA_ID = 111111


@pytest.fixture
async def webhook(telegram, make_settings) -> AsyncIterator[Running]:
    running = await run_switchboard(telegram, make_settings, "webhook")
    yield running
    await running.stop()


async def _count(running: Running, model: type) -> int:
    async with running.app.session_factory() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


def _pushes(running: Running, update_id: int) -> list[str | None]:
    """The outcome (None = accepted) of each push of one update of alpha_bot, in order."""
    return [
        d.error
        for d in running.telegram.deliveries
        if d.bot_id == ALPHA_ID and d.update_id == update_id
    ]


def _last_update_id(running: Running) -> int:
    return max(d.update_id for d in running.telegram.deliveries if d.bot_id == ALPHA_ID)


async def test_a_client_conversation_round_trips_through_the_webhooks(webhook: Running):
    telegram = webhook.telegram
    for bot, bot_id in (("alpha_bot", 111111), ("beta_bot", 222222)):
        *_, registered = telegram.calls_of("setWebhook", bot)
        assert registered.params["url"] == f"{webhook.url}/webhook/{bot_id}"
        assert registered.params["secret_token"] == SECRET
    await webhook.add_operator(OLGA, limit=5)

    hello = await telegram.send_message("alpha_bot", CLIENT, "Hello, I need help")
    (ack,) = await telegram.wait_received("alpha_bot", CLIENT.id, 1)
    assert "operator has your message" in ack.plain_text
    await webhook.idle()
    *_, card = telegram.received("alpha_bot", OLGA.id)
    assert "Carl" in card.plain_text
    assert carried(telegram, "alpha_bot", card) == (CLIENT.id, hello["message_id"])

    answer = await telegram.send_message(
        "alpha_bot", OLGA, "How can I help?", reply_to=card.message_id
    )
    _, relayed = await telegram.wait_received("alpha_bot", CLIENT.id, 2)
    assert relayed.copied_from == (OLGA.id, answer["message_id"])
    await webhook.idle()
    # Every update was accepted at its first push, and only ever pushed to the webhook paths.
    assert telegram.deliveries
    assert all(d.error is None for d in telegram.deliveries)
    assert {d.url for d in telegram.deliveries} <= {
        f"{webhook.url}/webhook/111111",
        f"{webhook.url}/webhook/222222",
    }


async def test_requests_without_the_right_secret_are_refused_and_change_nothing(
    webhook: Running,
):
    telegram = webhook.telegram
    await webhook.add_operator(OLGA, limit=5)
    await telegram.send_message("alpha_bot", CLIENT, "Hello")
    await telegram.wait_received("alpha_bot", CLIENT.id, 1)
    await webhook.idle()
    to_olga = len(telegram.received("alpha_bot", OLGA.id))
    updates = await webhook.metric("switchboard_updates_total", bot="alpha_bot")
    forged = {
        "update_id": 900_001,
        "message": {
            "message_id": 77,
            "date": int(time.time()),
            "chat": {"id": 6001, "type": "private", "first_name": "Mallory"},
            "from": {"id": 6001, "is_bot": False, "first_name": "Mallory"},
            "text": "forged",
        },
    }

    for headers in ({}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: SECRET[:-1]}):
        async with webhook.http.post(
            f"{webhook.url}/webhook/{ALPHA_ID}", json=forged, headers=headers
        ) as response:
            assert response.status in (401, 403)

    await webhook.idle()
    assert await _count(webhook, Lead) == 1
    assert await _count(webhook, Message) == 1
    assert len(telegram.received("alpha_bot", OLGA.id)) == to_olga
    assert telegram.received("alpha_bot", 6001) == []
    assert await webhook.metric("switchboard_updates_total", bot="alpha_bot") == updates


class FailingCommits:
    """While ``failing``, the COMMIT of every transaction that stored a client message fails
    as if the connection had dropped at that very moment; everything else works."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.failing = False
        self.failed = 0
        sync_engine = engine.sync_engine
        event.listen(sync_engine, "after_cursor_execute", self._executed)
        event.listen(sync_engine, "commit", self._commit)
        event.listen(sync_engine, "rollback", self._rollback)

    def _executed(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO MESSAGES"):
            conn.info["stored_message"] = True

    def _commit(self, conn: Any) -> None:
        if conn.info.pop("stored_message", False) and self.failing:
            self.failed += 1
            raise OperationalError("COMMIT", None, ConnectionResetError("injected: link down"))

    def _rollback(self, conn: Any) -> None:
        conn.info.pop("stored_message", None)


async def test_the_webhook_answers_200_only_after_the_update_is_committed(webhook: Running):
    telegram = webhook.telegram
    await webhook.add_operator(OLGA, limit=5)
    to_olga = len(telegram.received("alpha_bot", OLGA.id))
    faults = FailingCommits(webhook.app.engine)
    faults.failing = True

    sent = await telegram.send_message("alpha_bot", CLIENT, "Are you there?")
    await telegram.wait_for(lambda: len(_pushes(webhook, _last_update_id(webhook))) >= 3)
    update_id = _last_update_id(webhook)

    # Each push hit a failed commit and was answered with an error: the update stays at
    # Telegram, nothing of it is stored or sent.
    assert faults.failed >= 3
    assert all(error and "503" in error for error in _pushes(webhook, update_id))
    assert telegram.pending_updates("alpha_bot") == 1
    await webhook.app.worker.drain()
    assert await _count(webhook, Message) == 0
    assert await _count(webhook, Contact) == 0
    assert telegram.received("alpha_bot", CLIENT.id) == []
    assert len(telegram.received("alpha_bot", OLGA.id)) == to_olga

    faults.failing = False
    await webhook.idle()  # Telegram's next retry is accepted: it was committed first
    pushes = _pushes(webhook, update_id)
    assert pushes[-1] is None and all(pushes[:-1])
    assert await _count(webhook, Message) == 1
    (ack,) = telegram.received("alpha_bot", CLIENT.id)
    assert "operator has your message" in ack.plain_text
    copies = [
        item
        for item in telegram.received("alpha_bot", OLGA.id)
        if carried(telegram, "alpha_bot", item) == (CLIENT.id, sent["message_id"])
    ]
    assert len(copies) == 1


@contextlib.asynccontextmanager
async def unreachable(database_url: str) -> AsyncIterator[None]:
    """The database refuses connections and loses the open ones (a server restarting)."""
    url = make_url(database_url)
    admin = create_async_engine(
        url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    name = url.database
    async with admin.connect() as conn:
        await conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        await conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
            {"db": name},
        )
    try:
        yield
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))
        await admin.dispose()


async def test_while_the_database_is_unreachable_updates_wait_at_telegram(
    webhook: Running, database_url: str, caplog: pytest.LogCaptureFixture
):
    postgres_url_or_skip()
    telegram = webhook.telegram
    await webhook.add_operator(OLGA, limit=5)

    async with unreachable(database_url):
        status, health = await webhook.get("/healthz")
        assert status == 503
        assert health["status"] == "database unreachable"
        await telegram.send_message("alpha_bot", CLIENT, "Anybody?")
        await telegram.wait_for(lambda: len(_pushes(webhook, _last_update_id(webhook))) >= 2)
        assert all(_pushes(webhook, _last_update_id(webhook)))
        assert telegram.pending_updates("alpha_bot") == 1
        webhook.app.wakeup.notify()  # the worker looks for work now, and fails

        async def worker_failed() -> bool:
            return any("delivery worker failed" in r.getMessage() for r in caplog.records)

        await eventually(worker_failed, "the delivery worker hit the outage")

    await telegram.wait_for(lambda: telegram.pending_updates("alpha_bot") == 0)
    assert await _count(webhook, Message) == 1
    # The delivery worker survived the outage: it sends on its own (no drain() here), once
    # its restart pause is over.
    (ack,) = await telegram.wait_received("alpha_bot", CLIENT.id, 1, timeout=MAX_RESTART_PAUSE)
    assert "operator has your message" in ack.plain_text
    status, health = await webhook.get("/healthz")
    assert (status, health) == (200, {"status": "ok", "bots": ["alpha_bot", "beta_bot"]})
