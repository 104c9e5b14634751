"""Many clients writing to many operators through several bots, and what the operators got.

A scenario is two maps from bot username to people: the operators who started that bot (an
operator may appear under several bots) and the clients who write to it.
"""

import random
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import App
from db.models import Delivery, DeliveryStatus
from fake_telegram import FakeTelegram, User
from services.admin import AdminService
from tests.e2e.helpers import carried
from tests.harness import eventually
from tests.support.switchboard import Switchboard

People = dict[str, list[User]]  # bot username → people

# Telegram ids of the simulated people; they never overlap.
OPERATOR_IDS = 700_000
CLIENT_IDS = 800_000


@dataclass(frozen=True, slots=True)
class Written:
    """A client's message: through which bot, in which chat, its id, and when it was written
    (``time.monotonic()`` just before the fake queued the update)."""

    bot: str
    chat_id: int
    message_id: int
    at: float

    @property
    def key(self) -> tuple[str, int, int]:
        """(bot, client chat, message id): what identifies it and its copies."""
        return self.bot, self.chat_id, self.message_id


@dataclass(frozen=True, slots=True)
class Copy:
    """A copy of a client's message in an operator's chat."""

    operator_id: int
    message_id: int  # in the operator's chat: the order the operator sees


def people(bots: list[str], per_bot: int, first_id: int, name: str) -> People:
    """``per_bot`` different people for each bot, named ``<name><n>``."""
    return {
        bot: [
            User(first_id + n, f"{name}{n}", username=f"{name.lower()}{n}")
            for n in range(i * per_bot, (i + 1) * per_bot)
        ]
        for i, bot in enumerate(bots)
    }


def operators_of(bots: list[str], per_bot: int) -> People:
    """``per_bot`` operators for each bot, each of whom starts only that bot."""
    return people(bots, per_bot, OPERATOR_IDS, "Op")


def clients_of(bots: list[str], per_bot: int) -> People:
    """``per_bot`` clients for each bot."""
    return people(bots, per_bot, CLIENT_IDS, "Client")


def everyone(by_bot: People) -> list[User]:
    """Each person once."""
    return list({person.id: person for group in by_bot.values() for person in group}.values())


@asynccontextmanager
async def serving(app: App, telegram: FakeTelegram) -> AsyncIterator[None]:
    """Run ``app`` (polling its bots in this event loop) for the duration of the block; on
    leaving, it stops polling and finishes the messages in flight."""
    switchboard = Switchboard(app, telegram)
    await switchboard.start()
    try:
        yield
    finally:
        await switchboard.stop()


async def outbox(session_factory: async_sessionmaker[AsyncSession]) -> Counter[DeliveryStatus]:
    """How many outbox rows are in each state."""
    async with session_factory() as session:
        rows = await session.execute(select(Delivery.status))
        return Counter(rows.scalars())


async def all_sent(session_factory: async_sessionmaker[AsyncSession], timeout: float) -> None:  # noqa: ASYNC109
    """Wait until every outbox row is sent: acknowledgements to clients may still be on their
    way when the last copy reaches its operator."""

    async def done() -> bool:
        return set(await outbox(session_factory)) == {DeliveryStatus.SENT}

    await eventually(done, "every outbox row sent", timeout)


async def seed_operators(
    session_factory: async_sessionmaker[AsyncSession], staff: People, limit: int
) -> None:
    """Make the operators of ``staff`` operators of every bot the database knows, as
    ``/addop <id> <limit>`` does (``start_bots`` then says which bots they start)."""
    for person in everyone(staff):
        async with session_factory() as session:
            await AdminService(session, random.Random()).add_operator(
                person.id, limit, person.first_name
            )


async def start_bots(telegram: FakeTelegram, staff: People) -> None:
    """Every operator presses Start in their bots; wait until the bots handled all of it."""
    for bot, group in staff.items():
        for person in group:
            await telegram.send_command(bot, person, "/start")
    await telegram.wait_for(
        lambda: all(telegram.pending_updates(bot) == 0 for bot in staff), timeout=60
    )


async def write_burst(telegram: FakeTelegram, crowd: People, per_client: int) -> list[Written]:
    """Each client writes ``per_client`` texts to its bot, interleaved as a burst of traffic:
    the first message of every client, then every second one, and so on."""
    written = []
    for n in range(per_client):
        for bot, group in crowd.items():
            for person in group:
                at = time.monotonic()
                message = await telegram.send_message(bot, person, f"{person.first_name} #{n}")
                written.append(Written(bot, person.id, message["message_id"], at))
    return written


class Copies:
    """The copies of client messages that the operators of ``staff`` received so far."""

    def __init__(self, telegram: FakeTelegram, staff: People) -> None:
        self.telegram = telegram
        self.staff = staff

    def by_message(self) -> dict[tuple[str, int, int], list[Copy]]:
        """(bot, client chat, client message id) → its copies, in the order they arrived."""
        found: dict[tuple[str, int, int], list[Copy]] = defaultdict(list)
        for bot, group in self.staff.items():
            for person in group:
                for item in self.telegram.received(bot, person.id):
                    if (origin := carried(self.telegram, bot, item)) is not None:
                        chat_id, message_id = origin
                        found[bot, chat_id, message_id].append(Copy(person.id, item.message_id))
        return found

    def count(self) -> int:
        """How many copies arrived (a card carrying a message counts as its copy), duplicates
        included."""
        return sum(
            carried(self.telegram, bot, item) is not None
            for bot, group in self.staff.items()
            for person in group
            for item in self.telegram.received(bot, person.id)
        )


def check_delivered(
    written: list[Written],
    copies: dict[tuple[str, int, int], list[Copy]],
    may_repeat: frozenset[tuple[str, int, int]] = frozenset(),
) -> None:
    """Every written message reached one operator chat, once (twice at most for those in
    ``may_repeat``), and each client's messages appear there in the order they were written."""
    keys = [w.key for w in written]
    assert set(copies) == set(keys), "copies of messages nobody wrote, or messages not copied"
    repeated = {key for key in keys if len(copies[key]) > 1}
    assert repeated <= may_repeat, f"copied more than once: {sorted(repeated - may_repeat)}"
    assert all(len(copies[key]) <= 2 for key in may_repeat), "copied three times or more"
    by_client: dict[tuple[str, int], list[int]] = defaultdict(list)
    for bot, chat_id, message_id in keys:
        by_client[bot, chat_id].append(message_id)
    for (bot, chat_id), message_ids in by_client.items():
        seen = sorted(
            (copy.operator_id, copy.message_id, message_id)
            for message_id in message_ids
            for copy in copies[bot, chat_id, message_id]
        )
        assert len({operator for operator, _, _ in seen}) == 1, f"{chat_id} split over operators"
        in_chat = [message_id for _, _, message_id in seen]
        collapsed = [m for i, m in enumerate(in_chat) if i == 0 or in_chat[i - 1] != m]
        assert collapsed == message_ids, f"client {chat_id} of {bot} out of order"
