"""What a (re)start sets up: command menus per scope, and each bot's source from getMe."""

import json
import random
from typing import Any

from bot.app import create_app
from fake_telegram import FakeTelegram, User
from tests.e2e.helpers import BOTS
from tests.harness import ADMIN, ALPHA, BETA, FAST
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
CLIENT_MENU = ["help", "language"]
OPERATOR_MENU = [
    *CLIENT_MENU,
    "contacts",
    "close",
    "transfer",
    "move",
    "t",
    "history",
    "ban",
    "pause",
    "resume",
    "me",
]
# An admin's own commands; an admin who is no operator also has /history, /ban and /move.
ADMIN_COMMANDS = [
    "operators",
    "addop",
    "delop",
    "limit",
    "activate",
    "deactivate",
    "weights",
    "mode",
    "sources",
    "queue",
    "stats",
    "assign",
    "why",
    "invite",
    "texts",
    "text",
    "templates",
    "template",
    "topics",
    "topic",
    "unban",
    "banned",
    "hours",
    "holiday",
    "holidays",
    "afterhours",
    "shift",
    "duty",
]
ADMIN_MENU = [*CLIENT_MENU, "history", "ban", "move", *ADMIN_COMMANDS]


def _chat(user: User) -> dict[str, Any]:
    """The menu scope of one user's chat."""
    return {"type": "chat", "chat_id": user.id}


def _menu(telegram: FakeTelegram, bot: str, scope: dict[str, Any] | None = None) -> list[str]:
    """The command names ``bot`` shows in ``scope`` (each with a description)."""
    commands = telegram.commands_of(bot, scope)
    assert all(command["description"] for command in commands)
    return [command["command"] for command in commands]


def _menus_set_for(telegram: FakeTelegram, user: User, since: int) -> list[str]:
    """The bots that (re)set ``user``'s chat menu in setMyCommands calls after the first
    ``since`` ones."""
    bots = {ALPHA: "alpha_bot", BETA: "beta_bot"}
    found = []
    for call in telegram.calls_of("setMyCommands")[since:]:
        scope = call.params.get("scope")
        scope = json.loads(scope) if isinstance(scope, str) else scope
        if call.status == 200 and scope == _chat(user):
            found.append(bots[call.token])
    return sorted(found)


async def test_menus_per_scope_are_set_at_start(switchboard: Switchboard):
    telegram = switchboard.telegram
    for bot in BOTS:
        assert _menu(telegram, bot) == CLIENT_MENU
        assert _menu(telegram, bot, _chat(ADMIN)) == ADMIN_MENU
        assert _menu(telegram, bot, _chat(OLGA)) == []

    # An operator gets the operator menu in each bot they start.
    await switchboard.add_operator(OLGA, bots=("alpha_bot",))
    assert _menu(telegram, "alpha_bot", _chat(OLGA)) == OPERATOR_MENU
    assert _menu(telegram, "beta_bot", _chat(OLGA)) == []
    await switchboard.command(OLGA, "/start", "beta_bot")
    assert _menu(telegram, "beta_bot", _chat(OLGA)) == OPERATOR_MENU


async def test_admin_menu_is_set_again_when_the_admin_starts_a_bot(switchboard: Switchboard):
    # Telegram refuses a chat's menu before the user has started the bot, so the menu tried
    # at startup is not enough for an admin who opens the bot later.
    telegram = switchboard.telegram
    since = len(telegram.calls_of("setMyCommands"))
    await switchboard.command(ADMIN, "/start")
    assert _menus_set_for(telegram, ADMIN, since) == ["alpha_bot"]
    assert _menu(telegram, "alpha_bot", _chat(ADMIN)) == ADMIN_MENU


async def test_admin_who_is_an_operator_gets_both_menus(switchboard: Switchboard):
    await switchboard.add_operator(ADMIN, bots=("alpha_bot",))
    expected = OPERATOR_MENU + ADMIN_COMMANDS
    assert _menu(switchboard.telegram, "alpha_bot", _chat(ADMIN)) == expected


async def test_restart_sets_the_menus_of_known_operators(telegram: FakeTelegram, make_settings):
    first = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await first.start()
    await first.add_operator(OLGA)
    await first.stop()

    since = len(telegram.calls_of("setMyCommands"))
    again = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await again.start()
    try:
        # The first process's last long poll may still count as polling: wait for startup.
        await telegram.wait_for(again.app.started.is_set)
        assert _menus_set_for(telegram, OLGA, since) == ["alpha_bot", "beta_bot"]
        assert _menus_set_for(telegram, ADMIN, since) == ["alpha_bot", "beta_bot"]
        assert _menu(telegram, "alpha_bot", _chat(OLGA)) == OPERATOR_MENU
    finally:
        await again.stop()


async def test_a_restart_refreshes_each_bots_name_from_telegram(
    telegram: FakeTelegram, make_settings
):
    first = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await first.start()
    assert "@beta_bot (Beta):" in await first.command(ADMIN, "/sources")
    await first.stop()

    telegram.rename_bot("beta_bot", "Beta <Support> & Sales")
    again = Switchboard(
        await create_app(make_settings(), rng=random.Random(7), pacing=FAST), telegram
    )
    await again.start()
    try:
        sources = await again.command(ADMIN, "/sources")
    finally:
        await again.stop()
    assert "@beta_bot (Beta <Support> & Sales):" in sources
    assert sources.count("@beta_bot") == 1  # refreshed, not a second source


async def test_a_removed_operator_gets_the_client_menu_back_in_every_bot_they_started(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, bots=("alpha_bot", "beta_bot"))
    assert _menu(telegram, "beta_bot", _chat(OLGA)) == OPERATOR_MENU

    await switchboard.command(ADMIN, f"/delop {OLGA.id}")

    assert _menu(telegram, "alpha_bot", _chat(OLGA)) == CLIENT_MENU
    assert _menu(telegram, "beta_bot", _chat(OLGA)) == CLIENT_MENU


async def test_a_removed_operator_who_is_an_admin_keeps_the_admin_menu(switchboard: Switchboard):
    await switchboard.add_operator(ADMIN, bots=("alpha_bot",))

    await switchboard.command(ADMIN, f"/delop {ADMIN.id}")

    assert _menu(switchboard.telegram, "alpha_bot", _chat(ADMIN)) == ADMIN_MENU


async def test_start_asks_telegram_who_each_bot_is_once(switchboard: Switchboard):
    # Polling starts from the answer kept at startup: asking again could fail and end it.
    asked = [call.token for call in switchboard.telegram.calls_of("getMe")]
    assert sorted(asked) == sorted({ALPHA, BETA})
