"""Nothing is lost when the bot's process is killed (SIGKILL) in the middle of a burst, and
sending resumes as soon as another process (or the same, restarted) is there."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import create_engine, create_session_factory
from db.models import Delivery, DeliveryKind, DeliveryStatus, Source
from fake_telegram import FakeTelegram, User
from tests.e2e.helpers import carried
from tests.e2e.load import (
    Copies,
    all_sent,
    check_delivered,
    clients_of,
    everyone,
    operators_of,
    seed_operators,
    start_bots,
    write_burst,
)
from tests.e2e.process import BotProcess, bot_environment
from tests.harness import ADMIN, ALPHA, BETA, eventually
from tests.support.db import TEST_DATABASE_URL

BOTS = ["alpha_bot", "beta_bot"]
# 50 operators who started both bots, 2 open contacts each: the 100 clients fill every slot,
# and no operator's chat gets more than 2 cards + 10 copies, which the default pacing
# (≈1/s per chat after a burst of 3) sends in ≈10 s.
STAFF = dict.fromkeys(BOTS, everyone(operators_of(BOTS, 25)))
LIMIT = 2
CLIENTS = clients_of(BOTS, 50)
BEFORE_KILL, AFTER_KILL = 3, 2  # messages per client written before and after the kill


@pytest.fixture
async def db_sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The test's own connection to the bot's database."""
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


# Sending must resume this soon after a restart, or after the death of the process that sent.
TAKEOVER_SECONDS = 2.0


def environment(telegram: FakeTelegram, database_url: str, **settings: object) -> dict[str, str]:
    """A bot process's environment: both bots, on this Telegram and database."""
    return bot_environment(
        bot_tokens=f"{ALPHA},{BETA}",
        admin_ids=ADMIN.id,
        database_url=database_url,
        telegram_api_url=telegram.base_url,
        **settings,
    )


@pytest.fixture
async def bot(telegram: FakeTelegram, database_url: str, tmp_path) -> AsyncIterator[BotProcess]:
    env = environment(telegram, database_url)
    process = BotProcess(telegram, BOTS, env, tmp_path / "bot.log")
    await process.start()
    yield process
    await process.stop()


async def unrecorded_copies(
    session_factory: async_sessionmaker[AsyncSession], telegram: FakeTelegram
) -> frozenset[tuple[str, int, int]]:
    """Copies Telegram made whose success the killed process had not yet recorded.

    The only window: between Telegram accepting ``copyMessage`` and our commit of the answer.
    The Bot API can neither deduplicate a request nor tell whether it was performed, so such a
    copy is sent again after the restart (at least once, rather than possibly never).
    """
    async with session_factory() as session:
        bots = {s.id: s.username for s in (await session.execute(select(Source))).scalars()}
        pending = (
            await session.execute(
                select(Delivery).where(
                    Delivery.status == DeliveryStatus.PENDING,
                    Delivery.kind == DeliveryKind.COPY,
                )
            )
        ).scalars()
        found = set()
        for delivery in pending:
            bot = bots[delivery.source_id]
            original = (delivery.payload["from_chat_id"], delivery.payload["message_id"])
            received = telegram.received(bot, delivery.chat_id)
            # A copy, or the card that carries a client's first message.
            if any(carried(telegram, bot, item) == original for item in received):
                found.add((bot, *original))
    return frozenset(found)


async def test_sigkill_mid_burst_loses_nothing_and_duplicates_only_unrecorded_sends(
    telegram: FakeTelegram, bot: BotProcess, db_sessions
):
    await seed_operators(db_sessions, STAFF, LIMIT)
    await start_bots(telegram, STAFF)
    copies = Copies(telegram, STAFF)

    written = await write_burst(telegram, CLIENTS, BEFORE_KILL)
    await telegram.wait_for(lambda: copies.count() >= 100, timeout=60)
    await bot.kill()
    assert copies.count() < len(written), "the kill came too late to interrupt the burst"
    resent = await unrecorded_copies(db_sessions, telegram)
    written += await write_burst(telegram, CLIENTS, AFTER_KILL)  # while the bot is down
    await bot.start()
    # The dead process's hold on the bots (its file lock on SQLite, its connection's advisory
    # locks on PostgreSQL) died with it, and the leases of the messages it had on their way
    # are lifted by the new sender: nothing waits for them to run out (10 s).
    restarted_with = copies.count()
    await telegram.wait_for(lambda: copies.count() > restarted_with, timeout=TAKEOVER_SECONDS)

    await telegram.wait_for(lambda: copies.count() >= len(written) + len(resent), timeout=90)
    await all_sent(db_sessions, timeout=30)
    await bot.stop()  # finishes what is in flight: nothing more may arrive after this

    assert len(written) == 500
    check_delivered(written, copies.by_message(), may_repeat=resent)


async def senders(session_factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Bot username → the process id of the worker sending for it."""
    async with session_factory() as session:
        rows = (await session.execute(select(Source.username, Source.sender))).all()
    return {bot: int(sender.split(":")[1]) for bot, sender in rows if sender}


@pytest.mark.skipif(
    TEST_DATABASE_URL is None or not TEST_DATABASE_URL.startswith("postgresql"),
    reason="several processes need PostgreSQL",
)
async def test_killing_the_process_sending_for_the_bots_hands_them_to_the_other_at_once(
    telegram: FakeTelegram, database_url: str, tmp_path: Path, db_sessions
):
    # Each process polls one bot (Telegram allows one poller per token); either may send.
    first = BotProcess(
        telegram,
        ["alpha_bot"],
        environment(telegram, database_url, poll_tokens=ALPHA),
        tmp_path / "first.log",
    )
    second = BotProcess(
        telegram,
        ["beta_bot"],
        environment(telegram, database_url, poll_tokens=BETA),
        tmp_path / "second.log",
    )
    await first.start()
    await second.start()
    try:
        assert first.process is not None and second.process is not None
        assert await senders(db_sessions) == dict.fromkeys(BOTS, first.process.pid)

        await first.kill()

        async def second_sends() -> bool:
            return await senders(db_sessions) == dict.fromkeys(BOTS, second.process.pid)

        await eventually(second_sends, "the second process sends", timeout=TAKEOVER_SECONDS)
        client = User(800_001, "Ann")
        await telegram.send_message("beta_bot", client, "Hello")
        (answer,) = await telegram.wait_received("beta_bot", client.id, 1)
        assert "queue" in answer.plain_text
    finally:
        await first.stop()
        await second.stop()
