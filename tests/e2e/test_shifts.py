"""Operator shifts (/shift), operators on duty (/duty) and what a closed desk does
(/afterhours), with a clock the test moves: outside their shift an operator gets no new
contacts, inside it they do; while the desk is closed its operators on duty take contacts at
once, if the bot lets them."""

import dataclasses

import pytest

from fake_telegram import User
from tests.e2e.helpers import buttons, cards, texts
from tests.harness import ADMIN
from tests.support.clock import MovableClock, berlin, minute_check
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")
HOSTILE = User(1003, "<b>&", username="odd_op")
HOURS = "/hours mon-fri 09:00-18:00 tz=Europe/Berlin"
ASSIGNED = "Thank you! An operator has your message and will answer here."
QUEUED = (
    "Thank you! All operators are busy right now. You are in the queue; keep writing if you "
    "like, nothing gets lost, and an operator will answer here."
)
QUEUED_AFTER_HOURS = (
    "Thank you! We are closed right now and open on Friday, 2027-01-08, at 09:00 "
    "(Europe/Berlin time). You are in the queue; keep writing if you like, nothing gets lost, "
    "and an operator will answer here once we are open."
)
JOINED = "An operator has joined and is reading your messages."


@pytest.fixture
def switchboard(clocked: Switchboard) -> Switchboard:
    """The Switchboard of these tests reads the clock they move (a Thursday evening)."""
    return clocked


async def write(switchboard: Switchboard, client: User, text: str = "Hello") -> None:
    await switchboard.telegram.send_message("alpha_bot", client, text)
    await switchboard.idle()


async def test_an_operator_outside_their_shift_is_never_picked_inside_it_normally(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN, limit=50)
    await switchboard.add_operator(BOB, limit=50)
    await switchboard.command(ADMIN, HOURS)
    # Without tz= a shift is in the zone of the bot's hours.
    assert await switchboard.command(ADMIN, "/shift @ann_op mon-fri 09:00-13:00") == (
        "Saved. Shift of Ann: mon-fri 09:00-13:00 tz=Europe/Berlin; off shift now: no new "
        "contacts until it starts (the open ones stay theirs)."
    )
    await switchboard.command(ADMIN, "/shift @bob_op mon-fri 13:00-18:00 tz=Europe/Berlin")

    # Friday morning: Ann's shift. By the weights (1:1) alone, all twelve would go to her
    # once in 4,096 runs; the seeded generator makes each run the same anyway.
    clock.at = berlin(2027, 1, 8, 10, 0)
    morning = [User(3100 + n, f"Client {n}") for n in range(12)]
    for client in morning:
        await write(switchboard, client)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 12
    assert cards(telegram, "alpha_bot", BOB.id) == []
    operators = await switchboard.command(ADMIN, "/operators")
    assert "shift mon-fri 09:00-13:00 tz=Europe/Berlin, on shift now" in operators
    assert "shift mon-fri 13:00-18:00 tz=Europe/Berlin, off shift now" in operators
    why = await switchboard.command(ADMIN, "/why 1")
    assert "Bob left out: outside their shift" in why
    assert (await switchboard.command(BOB, "/me")).endswith(
        "shift mon-fri 13:00-18:00 tz=Europe/Berlin, off shift now"
    )

    clock.at = berlin(2027, 1, 8, 14, 0)  # Bob's shift; Ann's open contacts stay hers
    for n in range(12):
        await write(switchboard, User(3200 + n, f"Client {n}"))
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 12
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 12
    await write(switchboard, morning[0], "Still there?")
    assert texts(telegram, "alpha_bot", ANN.id)[-1] == "Still there?"

    # No hours and no shift for Bob any more: Ann's shift alone still decides about her.
    await switchboard.command(ADMIN, "/hours off")
    assert await switchboard.command(ADMIN, "/shift @bob_op off") == (
        "Saved: Bob has no shift now; they get new contacts whenever they are active."
    )
    clock.at = berlin(2027, 1, 8, 22, 0)
    for n in range(6):
        await write(switchboard, User(3300 + n, f"Client {n}"))
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 18
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 12


async def test_a_contact_waits_for_the_start_of_a_shift(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    # No business hours: the bot's zone is UTC, the shift is in Berlin's.
    await switchboard.command(ADMIN, "/shift @ann_op mon-fri 09:00-18:00 tz=Europe/Berlin")
    client = User(3001, "Clara")
    await write(switchboard, client)
    assert texts(telegram, "alpha_bot", client.id) == [QUEUED]
    assert cards(telegram, "alpha_bot", ANN.id) == []

    clock.at = berlin(2027, 1, 8, 8, 59)
    await minute_check(switchboard)
    assert cards(telegram, "alpha_bot", ANN.id) == []
    clock.at = berlin(2027, 1, 8, 9, 0)  # the shift starts: the minute check assigns
    await minute_check(switchboard)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    assert texts(telegram, "alpha_bot", client.id)[1:] == [JOINED]
    # Set in a bot without hours, a shift without tz= is in UTC.
    assert await switchboard.command(ADMIN, "/shift 1001 sat 10:00-12:00") == (
        "Saved. Shift of Ann: sat 10:00-12:00 tz=UTC; off shift now: no new contacts until it "
        "starts (the open ones stay theirs)."
    )


async def test_with_an_operator_on_duty_a_client_after_hours_is_assigned_at_once(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    await switchboard.add_operator(BOB, limit=1)
    await switchboard.command(ADMIN, HOURS)
    assert await switchboard.command(ADMIN, "/afterhours") == (
        "Outside its business hours @alpha_bot keeps new contacts in the queue until it opens. "
        "Let operators on duty take them with /afterhours duty."
    )
    assert await switchboard.command(ADMIN, "/afterhours duty") == (
        "Saved. Outside its business hours @alpha_bot gives new contacts to its operators on "
        "duty (/duty), within their shifts; while none of them is free, they wait for the "
        "opening."
    )
    assert (await switchboard.command(ADMIN, "/hours")).endswith(
        "Closed now; opens on Friday, 2027-01-08, at 09:00 (Europe/Berlin time).\n"
        "Outside these hours its operators on duty take new contacts (/afterhours)."
    )
    assert await switchboard.command(ADMIN, "/duty @bob_op on") == (
        "Bob is on duty: while a bot that lets operators on duty take contacts "
        "(/afterhours duty) is closed, they get its new contacts, within their shift."
    )
    clara, dan = User(3001, "Clara"), User(3002, "Dan")
    await write(switchboard, clara)  # Thursday 20:00, closed: Bob on duty takes it
    assert texts(telegram, "alpha_bot", clara.id) == [ASSIGNED]
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 1
    assert cards(telegram, "alpha_bot", ANN.id) == []
    assert "Ann left out: not on duty (the desk was closed)" in (
        await switchboard.command(ADMIN, "/why 1")
    )
    assert "on duty outside business hours" in await switchboard.command(ADMIN, "/operators")

    await write(switchboard, dan)  # Bob is at his limit: Dan waits for the opening
    assert texts(telegram, "alpha_bot", dan.id) == [QUEUED_AFTER_HOURS]
    why = await switchboard.command(ADMIN, "/why 2")
    assert "no operator on duty could take it" in why
    assert "Bob left out: at their limit" in why
    await switchboard.command(BOB, "/close 1")  # his slot frees up at night: Dan is his
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 2
    assert texts(telegram, "alpha_bot", dan.id)[1:] == [JOINED]

    await switchboard.command(ADMIN, "/afterhours queue")
    eve = User(3003, "Eve")
    await switchboard.command(BOB, "/close 2")
    await write(switchboard, eve)  # back to waiting for the opening, on duty or not
    assert texts(telegram, "alpha_bot", eve.id) == [QUEUED_AFTER_HOURS]
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 2

    await switchboard.command(ADMIN, "/afterhours duty")  # Eve goes to Bob at once
    assert len(cards(telegram, "alpha_bot", BOB.id)) == 3
    assert await switchboard.command(ADMIN, "/duty @bob_op off") == (
        "Bob is off duty: they get new contacts only while the desk is open."
    )
    assert "on duty" not in await switchboard.command(ADMIN, "/operators")


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        (
            "/shift @ann_op mon 25:00-26:00",
            "Nothing changed: “25:00-26:00” is no time range; times are HH:MM from 00:00 to "
            "24:00, e.g. 09:00-18:00.",
        ),
        (
            "/shift @ann_op mon-xyz 09:00-18:00",
            "Nothing changed: “mon-xyz” names no days; days are mon, tue, wed, thu, fri, sat, "
            "sun, or a range like mon-fri.",
        ),
        (
            "/shift @ann_op mon 09:00-18:00 tz=Mars/Olympus",
            "Nothing changed: “Mars/Olympus” is no time zone; use an IANA name such as "
            "Europe/Moscow or America/New_York.",
        ),
        (
            "/shift @ann_op mon 09:00-13:00 mon 12:00-18:00",
            "Nothing changed: mon 09:00-13:00 and mon 12:00-18:00 overlap.",
        ),
        ("/shift @nobody mon 09:00-18:00", "There is no operator @nobody."),
        (
            "/shift",
            "Usage: /shift <op>, /shift <op> mon-fri 10:00-19:00 [tz=Europe/Moscow] or "
            "/shift <op> off",
        ),
        ("/duty @ann_op maybe", "Usage: /duty <op> on or /duty <op> off"),
        ("/duty @ann_op", "Usage: /duty <op> on or /duty <op> off"),
        ("/afterhours later", "Usage: /afterhours, /afterhours duty or /afterhours queue"),
    ],
)
async def test_malformed_shifts_and_switches_change_nothing(
    switchboard: Switchboard, command: str, answer: str
):
    await switchboard.add_operator(ANN)
    await switchboard.command(ADMIN, "/shift @ann_op mon-fri 09:00-18:00 tz=Europe/Berlin")
    before = [
        await switchboard.command(ADMIN, "/shift @ann_op"),
        await switchboard.command(ADMIN, "/operators"),
        await switchboard.command(ADMIN, "/afterhours"),
    ]
    assert await switchboard.command(ADMIN, command) == answer
    assert await switchboard.command(ANN, command) == "Sorry, only admins can do that."
    after = [
        await switchboard.command(ADMIN, "/shift @ann_op"),
        await switchboard.command(ADMIN, "/operators"),
        await switchboard.command(ADMIN, "/afterhours"),
    ]
    assert after == before


async def test_a_hostile_name_is_shown_as_written_in_russian(switchboard: Switchboard):
    await switchboard.add_operator(HOSTILE)
    admin = dataclasses.replace(ADMIN, language_code="ru")
    assert await switchboard.command(admin, "/shift 1003") == (
        "У оператора <b>& нет смены: новые контакты приходят, пока оператор активен. Задать "
        "смену: /shift <оператор> mon-fri 10:00-19:00."
    )
    assert await switchboard.command(admin, "/duty 1003 on") == (
        "<b>& дежурит: пока закрыт бот, который отдаёт контакты дежурным (/afterhours duty), "
        "новые контакты приходят этому оператору, в пределах смены."
    )


async def test_a_colleague_off_shift_is_not_offered_nor_given_a_contact(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    carl = User(1004, "Carl", username="carl_op")
    await switchboard.add_operator(ANN)
    await switchboard.add_operator(BOB)
    await switchboard.add_operator(carl)
    await switchboard.command(ADMIN, "/shift @bob_op mon-fri 09:00-18:00 tz=Europe/Berlin")
    await switchboard.command(carl, "/pause")
    await write(switchboard, User(3001, "Clara"))  # Thursday 20:00: Bob has gone home
    await switchboard.command(carl, "/resume")
    await switchboard.command(ADMIN, HOURS)  # closed now: a contact can be passed on all the same
    (card,) = cards(telegram, "alpha_bot", ANN.id)

    await telegram.press_button("alpha_bot", ANN, card.message_id, "pass:1")
    await switchboard.idle()
    question = telegram.received("alpha_bot", ANN.id)[-1]
    assert buttons(question) == [("Carl", f"passto:1:{carl.id}")]
    refusal = (
        "@bob_op is off shift now (shift mon-fri 09:00-18:00 tz=Europe/Berlin): pick someone "
        "on shift, or change the shift with /shift."
    )
    assert await switchboard.command(ANN, "/transfer 1 @bob_op") == refusal
    assert await switchboard.command(ADMIN, "/assign 1 @bob_op") == refusal
    assert (await switchboard.command(ANN, "/contacts")).count("#1 via @alpha_bot") == 1

    clock.at = berlin(2027, 1, 8, 9, 30)
    assert (await switchboard.command(ANN, "/transfer 1 @bob_op")).startswith(
        "Contact #1 is now with @bob_op"
    )
