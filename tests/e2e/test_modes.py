"""Distribution modes per bot (/mode), why a contact went where it went (/why) and how each
operator did (/stats), through the real bot."""

import dataclasses
import re

from fake_telegram import User
from tests.e2e.helpers import cards, clients, settle
from tests.harness import ADMIN
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")
HOSTILE = User(1003, "<b>&", username="evil_op")
CLIENT = User(3001, "Carla")


def _without_dates(text: str) -> str:
    """/why's lines with the moment of each decision left out."""
    return re.sub(r"^.*UTC", "<when>", text, flags=re.MULTILINE)


async def test_mode_shows_sets_and_refuses(switchboard: Switchboard):
    command = switchboard.command
    assert await command(ADMIN, "/mode") == (
        "@alpha_bot distributes in the mode random: weighted random: fair on average.\n"
        "Change it with /mode random, /mode exact or /mode least_loaded."
    )
    assert await command(ADMIN, "/mode Exact") == (
        "@alpha_bot now distributes in the mode exact (it was random): the shares follow the "
        "weights exactly, over any stretch of contacts."
    )
    assert "in the mode exact:" in await command(ADMIN, "/mode")
    # Per bot: the other one still distributes at random.
    assert "in the mode random:" in await command(ADMIN, "/mode", "beta_bot")
    assert await command(ADMIN, "/mode fastest") == (
        "Nothing changed: fastest is not a mode. The modes: random, exact, least_loaded."
    )
    usage = "Usage: /mode [random|exact|least_loaded]"
    assert await command(ADMIN, "/mode exact now") == usage
    assert await command(CLIENT, "/mode random") == "Sorry, only admins can do that."
    assert "in the mode exact:" in await command(ADMIN, "/mode")
    russian = dataclasses.replace(ADMIN, language_code="ru")
    assert await command(russian, "/mode least_loaded") == (
        "@alpha_bot теперь распределяет контакты в режиме least_loaded (был exact): оператору "
        "с наименьшей загрузкой относительно его лимита; при равной загрузке — с большим весом."
    )


async def test_exact_mode_gives_20_contacts_at_1_to_3_as_5_and_15(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN, limit=50)
    await switchboard.add_operator(BOB, limit=50)
    await switchboard.command(ADMIN, "/weights @ann_op=1 @bob_op=3")
    await switchboard.command(ADMIN, "/mode exact")
    for client in clients(20):
        await telegram.send_message("alpha_bot", client, "Hello")
    await settle(switchboard)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 5
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 15


async def test_least_loaded_fills_operators_by_their_limits(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN, limit=4)
    await switchboard.add_operator(BOB, limit=2)
    await switchboard.command(ADMIN, "/mode least_loaded")
    for client in clients(6):
        await telegram.send_message("alpha_bot", client, "Hello")
        await switchboard.idle()
    # Ann 0/4 and Bob 0/2 tie (weights too): Ann is older. Then the lower load for the limit.
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 4
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 2


async def test_why_explains_assigned_queued_then_assigned_and_reassigned_contacts(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    command = switchboard.command
    await switchboard.add_operator(ANN, limit=1)
    await switchboard.add_operator(BOB, limit=1, bots=("beta_bot",))
    await switchboard.add_operator(HOSTILE, limit=1)
    await command(HOSTILE, "/pause")
    await command(ADMIN, "/weights @ann_op=3")
    await telegram.send_message("alpha_bot", CLIENT, "First")
    await switchboard.idle()
    second = User(3002, "Dan")
    await telegram.send_message("alpha_bot", second, "Second")  # Ann is full: queued
    await switchboard.idle()

    assert _without_dates(await command(ADMIN, "/why 1")) == (
        "Why contact #1 of @alpha_bot went where it went:\n"
        "<when>, mode random: it went to Ann.\n"
        "   Ann: weight 3, 0/1 open, chance 100%\n"
        "   Bob left out: has not started this bot\n"
        "   <b>& left out: paused"
    )
    assert _without_dates(await command(ADMIN, "/why #2")) == (
        "Why contact #2 of @alpha_bot went where it went:\n"
        "<when>, mode random: nobody could take it, so it was queued.\n"
        "   Ann left out: at their limit\n"
        "   Bob left out: has not started this bot\n"
        "   <b>& left out: paused"
    )
    await command(HOSTILE, "/resume")  # the queued contact goes to them
    await command(ADMIN, "/assign 1 @evil_op")  # full now: refused, nothing recorded
    await command(ANN, "/close 1")
    await command(ADMIN, "/assign 2 @ann_op")
    why = _without_dates(await command(ADMIN, "/why 2"))
    # Queued, then given to the only one free when they resumed, then moved by /assign.
    assert why.endswith(
        "<when>, mode random: nobody could take it, so it was queued.\n"
        "   Ann left out: at their limit\n"
        "   Bob left out: has not started this bot\n"
        "   <b>& left out: paused\n"
        "<when>, mode random: it went to <b>&.\n"
        "   <b>&: weight 1, 0/1 open, chance 100%\n"
        "   Ann left out: at their limit\n"
        "   Bob left out: has not started this bot\n"
        "<when>: moved to Ann (/assign, or a reminder handing it on)."
    ), why
    russian = dataclasses.replace(ADMIN, language_code="ru")
    assert "<when>: контакт передан оператору Ann" in _without_dates(
        await command(russian, "/why 2")
    )
    assert await command(ADMIN, "/why") == "Usage: /why <contact>"
    assert await command(ADMIN, "/why many") == "Usage: /why <contact>"
    assert await command(ADMIN, "/why 99") == "There is no contact #99."
    assert await command(CLIENT, "/why 1") == "Sorry, only admins can do that."


async def test_stats_show_how_each_operator_did_in_the_last_days(switchboard: Switchboard):
    telegram = switchboard.telegram
    command = switchboard.command
    await switchboard.add_operator(HOSTILE, limit=3)
    await telegram.send_message("alpha_bot", CLIENT, "Help")
    await switchboard.idle()
    # A single open contact in this bot: a message without a reply goes to it.
    await telegram.send_message("alpha_bot", HOSTILE, "Here to help")
    await command(HOSTILE, "/close 1")

    stats = await command(ADMIN, "/stats 1")
    assert re.search(
        r"Operators \(their contacts of the last day: median times from the assignment\):\n"
        r"   <b>&: 0/3 open, 1 got, 1 closed\n"
        r"      1 contact, 1 closed, first reply \d+ s, handled in \d+ s, not rated yet$",
        stats,
    ), stats
    russian = dataclasses.replace(ADMIN, language_code="ru")
    stats = await command(russian, "/stats 21")
    assert "Операторы (их контакты за последний 21 день; медианы от назначения):" in stats
    assert "      1 контакт, закрыто 1, первый ответ через " in stats
    assert "за последние 22 дня" in await command(russian, "/stats 22")
    assert await command(ADMIN, "/stats 0") == (
        "The number of days must be a whole number from 1 to 366."
    )
