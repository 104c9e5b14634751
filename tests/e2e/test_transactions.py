"""What an update costs the database: who the sender is is asked at most once, and only when a
filter or handler needs it."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject
from sqlalchemy import event

from fake_telegram import User
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
ANNA = User(3001, "Anna")


class _HandlingTasks(BaseMiddleware):
    """Remembers which tasks are handling an update right now (the delivery worker's
    transactions run in tasks of their own and are not counted)."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[Any]] = set()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        try:
            return await handler(event, data)
        finally:
            self.tasks.discard(task)


@contextmanager
def update_transactions(switchboard: Switchboard) -> Iterator[list[str]]:
    """The transactions begun while handling updates, as the first statement of each."""
    handling = _HandlingTasks()
    switchboard.app.dispatcher.update.outer_middleware(handling)
    began: list[str] = []
    counting = False

    def on_begin(_connection: Any) -> None:
        nonlocal counting
        counting = asyncio.current_task() in handling.tasks

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal counting
        if counting and not statement.startswith("BEGIN"):
            began.append(statement.split(maxsplit=1)[0])
            counting = False

    engine = switchboard.app.engine.sync_engine
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield began
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_execute)
        switchboard.app.dispatcher.update.outer_middleware.unregister(handling)


async def test_client_message_to_open_contact_costs_two_transactions(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA)
    await telegram.send_message("alpha_bot", ANNA, "Hi")
    await switchboard.idle()

    with update_transactions(switchboard) as began:
        await telegram.send_message("alpha_bot", ANNA, "me again")
        await switchboard.idle()
    # Is Anna an operator (asked once, for the operators' router), then her message stored.
    assert began == ["SELECT", "INSERT"]


async def test_admin_command_and_start_ask_no_role(switchboard: Switchboard):
    with update_transactions(switchboard) as began:
        await switchboard.command(ADMIN, "/queue")
    assert began == ["SELECT", "SELECT"]  # the language the admin chose, the queue itself

    with update_transactions(switchboard) as began:
        await switchboard.command(ANNA, "/start")
    # bot_started (which finds out about operators in its own query), the language Anna
    # chose, the greeting her bot's admin set.
    assert len(began) == 3


async def test_operator_who_is_admin_gets_both_helps_with_one_role_query(
    switchboard: Switchboard,
):
    await switchboard.command(ADMIN, f"/addop {ADMIN.id}")
    with update_transactions(switchboard) as began:
        answer = await switchboard.command(ADMIN, "/help")
    assert "/addop" in answer
    assert "/contacts" in answer
    assert began == ["SELECT", "SELECT"]  # the language they chose, then their role, once
