"""Business hours per bot (/hours, /holiday, /holidays), with a clock the test moves: outside
the hours a client is told when the desk opens, once, and waits; the minute check assigns
them when it opens. Reminders, auto-close and the queue alert count working time only."""

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

import db.base
from fake_telegram import User
from tests.e2e.helpers import cards, copies_from, texts
from tests.harness import ADMIN
from tests.support.clock import MovableClock, berlin, minute_check, running, tick
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
CLARA = User(3001, "Clara")
DAN = User(3002, "Dan")
HOURS = "/hours mon-fri 09:00-18:00 tz=Europe/Berlin"
JOINED = "An operator has joined and is reading your messages."
QUEUED_AFTER_HOURS = (
    "Thank you! We are closed right now and open {opens}. You are in the queue; keep writing "
    "if you like, nothing gets lost, and an operator will answer here once we are open."
)


@pytest.fixture
def switchboard(clocked: Switchboard) -> Switchboard:
    """The Switchboard of these tests reads the clock they move (a Thursday evening)."""
    return clocked


@pytest.fixture
async def timed(
    telegram, make_settings, clock: MovableClock, monkeypatch
) -> AsyncIterator[Switchboard]:
    """A Switchboard with reminders after 15 minutes, auto-close after 24 hours and the queue
    alert after 15 minutes, whose database stamps its rows by the test's clock too (the timers
    compare those stamps with the clock)."""

    class Moved(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return clock.at

    monkeypatch.setattr(db.base, "datetime", Moved)
    settings = make_settings(reminder_minutes=15, auto_close_hours=24, queue_alert_minutes=15)
    async with running(telegram, settings, clock) as started:
        yield started


async def test_after_hours_a_client_is_told_once_waits_and_is_assigned_at_nine(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    assert await switchboard.command(ADMIN, HOURS) == (
        "Saved. Business hours of @alpha_bot: mon-fri 09:00-18:00 tz=Europe/Berlin\n"
        "Closed now; opens on Friday, 2027-01-08, at 09:00 (Europe/Berlin time)."
    )
    first = await telegram.send_message("alpha_bot", CLARA, "Hello")
    await switchboard.idle()
    second = await telegram.send_message("alpha_bot", CLARA, "Anyone there?")
    await switchboard.idle()
    opens = "on Friday, 2027-01-08, at 09:00 (Europe/Berlin time)"
    assert texts(telegram, "alpha_bot", CLARA.id) == [QUEUED_AFTER_HOURS.format(opens=opens)]
    assert cards(telegram, "alpha_bot", ANN.id) == []
    # Another bot has no hours: it answers at once.
    await telegram.send_message("beta_bot", DAN, "Hi")
    await switchboard.idle()
    assert len(cards(telegram, "beta_bot", ANN.id)) == 1

    await minute_check(switchboard)  # still 20:00: nothing moves
    assert cards(telegram, "alpha_bot", ANN.id) == []

    clock.at = berlin(2027, 1, 8, 8, 59)
    await minute_check(switchboard)
    assert cards(telegram, "alpha_bot", ANN.id) == []
    clock.at = berlin(2027, 1, 8, 9, 0)
    await minute_check(switchboard)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    handed = copies_from(telegram, "alpha_bot", ANN.id, CLARA)
    assert [copy.copied_from[1] for copy in handed] == [first["message_id"], second["message_id"]]
    assert texts(telegram, "alpha_bot", CLARA.id)[1:] == [JOINED]
    assert "Open now." in await switchboard.command(ADMIN, "/hours")
    why = await switchboard.command(ADMIN, "/why 1")
    assert "the desk was closed (business hours); the client was told when it opens" in why


async def test_a_holiday_moves_the_assignment_to_the_next_working_day(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    await switchboard.command(ADMIN, HOURS)
    assert await switchboard.command(ADMIN, "/holiday 2027-01-08") == (
        "Holiday 2027-01-08 added.\n"
        "Closed now; opens on Monday, 2027-01-11, at 09:00 (Europe/Berlin time)."
    )
    assert await switchboard.command(ADMIN, "/holiday 2027-01-08") == (
        "2027-01-08 is a holiday already.\n"
        "Closed now; opens on Monday, 2027-01-11, at 09:00 (Europe/Berlin time)."
    )
    await telegram.send_message("alpha_bot", CLARA, "Hello")
    await switchboard.idle()
    opens = "on Monday, 2027-01-11, at 09:00 (Europe/Berlin time)"
    assert texts(telegram, "alpha_bot", CLARA.id) == [QUEUED_AFTER_HOURS.format(opens=opens)]

    clock.at = berlin(2027, 1, 8, 9, 0)  # the holiday
    await minute_check(switchboard)
    assert cards(telegram, "alpha_bot", ANN.id) == []
    clock.at = berlin(2027, 1, 9, 12, 0)  # Saturday
    await minute_check(switchboard)
    assert cards(telegram, "alpha_bot", ANN.id) == []
    clock.at = berlin(2027, 1, 11, 9, 0)  # Monday
    await minute_check(switchboard)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    assert texts(telegram, "alpha_bot", CLARA.id)[1:] == [JOINED]

    assert await switchboard.command(ADMIN, "/holidays") == (
        "Holidays of @alpha_bot (closed all day): 2027-01-08"
    )
    assert await switchboard.command(ADMIN, "/holiday del 2027-01-08") == (
        "2027-01-08 is no holiday any more.\nOpen now."
    )
    assert await switchboard.command(ADMIN, "/holidays") == (
        "@alpha_bot has no holidays. Add one with /holiday 2027-01-01."
    )


async def test_hours_off_assigns_the_waiting_at_once(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN)
    await switchboard.command(ADMIN, HOURS)
    await telegram.send_message("alpha_bot", CLARA, "Hello")
    await switchboard.idle()
    assert cards(telegram, "alpha_bot", ANN.id) == []
    assert await switchboard.command(ADMIN, "/hours off") == (
        "Saved: @alpha_bot is always open now; whoever waits is assigned as operators are free."
    )
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    assert texts(telegram, "alpha_bot", CLARA.id)[1:] == [JOINED]
    assert await switchboard.command(ADMIN, "/hours") == (
        "@alpha_bot has no business hours: it is always open. "
        "Set them with /hours mon-fri 09:00-18:00 tz=Europe/Moscow."
    )


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        (
            "/hours mon-fri 09:00-25:00",
            "Nothing changed: “09:00-25:00” is no time range; times are HH:MM from 00:00 to "
            "24:00, e.g. 09:00-18:00.",
        ),
        (
            "/hours mon-xyz 09:00-18:00",
            "Nothing changed: “mon-xyz” names no days; days are mon, tue, wed, thu, fri, sat, "
            "sun, or a range like mon-fri.",
        ),
        (
            "/hours mon-fri 09:00-18:00 tz=Mars/Olympus",
            "Nothing changed: “Mars/Olympus” is no time zone; use an IANA name such as "
            "Europe/Moscow or America/New_York.",
        ),
        (
            "/hours mon-fri 09:00-13:00 12:00-18:00",
            "Nothing changed: mon 09:00-13:00 and mon 12:00-18:00 overlap.",
        ),
        (
            "/hours tz=Europe/Berlin",
            "Nothing changed: give day groups with their hours, e.g. /hours mon-fri "
            "09:00-18:00 tz=Europe/Moscow, or /hours off.",
        ),
        (
            "/holiday 2027-02-30",
            "Nothing changed: “2027-02-30” is no date; write it as YYYY-MM-DD, e.g. 2027-01-01.",
        ),
        ("/holiday remove 2027-01-08", "Usage: /holiday YYYY-MM-DD or /holiday del YYYY-MM-DD"),
        ("/holidays 2027", "Usage: /holidays"),
    ],
)
async def test_malformed_hours_and_holidays_change_nothing(
    switchboard: Switchboard, command: str, answer: str
):
    await switchboard.command(ADMIN, HOURS)
    before = await switchboard.command(ADMIN, "/hours")
    assert await switchboard.command(ADMIN, command) == answer
    assert await switchboard.command(ADMIN, "/hours") == before
    assert await switchboard.command(ANN, "/hours off") == "Sorry, only admins can do that."
    assert await switchboard.command(ADMIN, "/hours") == before


async def test_the_bots_own_out_of_hours_text_says_when_it_opens_in_russian(
    switchboard: Switchboard,
):
    telegram = switchboard.telegram
    await switchboard.command(ADMIN, HOURS)
    russian = User(3003, "Ольга", language_code="ru")
    await telegram.send_message("alpha_bot", russian, "Здравствуйте")
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", russian.id) == [
        "Спасибо! Сейчас мы не работаем и откроемся в пятницу, 2027-01-08, в 09:00 (по времени "
        "Europe/Berlin). Вы в очереди: можете писать дальше, ничего не потеряется, и оператор "
        "ответит Вам здесь, когда мы откроемся."
    ]
    listed = await switchboard.command(ADMIN, "/texts")
    assert "out_of_hours" in listed
    assert "We are closed right now and open {opens}." in listed
    await switchboard.command(ADMIN, "/text out_of_hours en We are back {opens}. Stay tuned!")
    await telegram.send_message("alpha_bot", DAN, "Hello")
    await switchboard.idle()
    assert texts(telegram, "alpha_bot", DAN.id) == [
        "We are back on Friday, 2027-01-08, at 09:00 (Europe/Berlin time). Stay tuned!"
    ]


async def test_a_client_queued_before_closing_time_is_told_once_when_writing_after_it(
    switchboard: Switchboard, clock: MovableClock
):
    telegram = switchboard.telegram
    await switchboard.add_operator(ANN, limit=1)
    await switchboard.command(ADMIN, HOURS)
    clock.at = berlin(2027, 1, 8, 17, 50)  # Friday, open
    await telegram.send_message("alpha_bot", DAN, "Hello")  # takes Ann's only slot
    await telegram.send_message("alpha_bot", CLARA, "Hello")
    await switchboard.idle()
    (queued,) = texts(telegram, "alpha_bot", CLARA.id)
    assert "You are in the queue" in queued

    clock.at = berlin(2027, 1, 8, 18, 30)  # closed
    await telegram.send_message("alpha_bot", CLARA, "Still there?")
    await switchboard.idle()
    await telegram.send_message("alpha_bot", CLARA, "Hello?")
    await switchboard.idle()
    opens = "on Monday, 2027-01-11, at 09:00 (Europe/Berlin time)"
    assert texts(telegram, "alpha_bot", CLARA.id)[1:] == [QUEUED_AFTER_HOURS.format(opens=opens)]
    # Ann's slot frees after hours: nobody is given to her until the desk opens.
    await switchboard.command(ANN, "/close 1")
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1
    clock.at = berlin(2027, 1, 11, 9, 0)
    await minute_check(switchboard)
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 2
    assert len(copies_from(telegram, "alpha_bot", ANN.id, CLARA)) == 3
    assert texts(telegram, "alpha_bot", CLARA.id)[2:] == [JOINED]


REMINDED = "⏰ Contact #{n}: the client has waited 15 min for your first reply."
AUTO_CLOSED = "This conversation was closed after a long silence. Just write again to reopen it."


def auto_closed(telegram, bot: str, user: User) -> bool:
    """Whether ``user`` was told their contact was closed for silence (then asked to rate)."""
    return any(text.startswith(AUTO_CLOSED) for text in texts(telegram, bot, user.id))


async def test_a_reminder_waits_for_the_next_working_day(timed: Switchboard, clock: MovableClock):
    telegram = timed.telegram
    await timed.add_operator(ANN)
    await timed.command(ADMIN, HOURS)
    clock.at = berlin(2027, 1, 8, 17, 50)  # Friday, open
    await telegram.send_message("alpha_bot", CLARA, "Hello")  # contact 1
    await timed.idle()
    await telegram.send_message("beta_bot", DAN, "Hello")  # contact 2, a bot without hours
    await timed.idle()
    assert len(cards(telegram, "alpha_bot", ANN.id)) == 1

    # Without hours the wall clock counts; the desk closed after 10 of the 15 minutes.
    clock.at = berlin(2027, 1, 8, 18, 5, 30)
    await tick(timed, "remind")
    assert REMINDED.format(n=2) in texts(telegram, "beta_bot", ANN.id)
    for clock.at in (berlin(2027, 1, 8, 23), berlin(2027, 1, 9, 12), berlin(2027, 1, 11, 9, 4)):
        await tick(timed, "remind")
        assert REMINDED.format(n=1) not in texts(telegram, "alpha_bot", ANN.id)
    clock.at = berlin(2027, 1, 11, 9, 5, 30)  # Monday
    await tick(timed, "remind")
    assert texts(telegram, "alpha_bot", ANN.id)[-1] == REMINDED.format(n=1)


async def test_a_weekends_silence_does_not_close_a_contact(timed: Switchboard, clock: MovableClock):
    telegram = timed.telegram
    await timed.add_operator(ANN)
    await timed.command(ADMIN, HOURS)
    clock.at = berlin(2027, 1, 8, 17)  # Friday, open
    await telegram.send_message("alpha_bot", CLARA, "Hello")
    await telegram.send_message("beta_bot", DAN, "Hello")
    await timed.idle()

    clock.at = berlin(2027, 1, 11, 9, 30)  # Monday: 1.5 working hours of silence
    await tick(timed, "auto_close")
    assert auto_closed(telegram, "beta_bot", DAN)
    assert not auto_closed(telegram, "alpha_bot", CLARA)
    # Friday's hour, Monday's and Tuesday's nine, Wednesday's five: 24 working hours.
    clock.at = berlin(2027, 1, 13, 13, 59)
    await tick(timed, "auto_close")
    assert not auto_closed(telegram, "alpha_bot", CLARA)
    clock.at = berlin(2027, 1, 13, 14, 1)
    await tick(timed, "auto_close")
    assert auto_closed(telegram, "alpha_bot", CLARA)


async def test_a_queue_that_waited_overnight_alerts_after_working_minutes(
    timed: Switchboard, clock: MovableClock
):
    telegram = timed.telegram
    await timed.command(ADMIN, HOURS)  # nobody to answer at all
    await telegram.send_message("alpha_bot", CLARA, "Hello")  # Thursday 20:00, closed
    await timed.idle()
    before = len(telegram.received("alpha_bot", ADMIN.id))

    for clock.at in (berlin(2027, 1, 7, 23), berlin(2027, 1, 8, 9, 0), berlin(2027, 1, 8, 9, 14)):
        await minute_check(timed)
        await tick(timed, "queue_alert")
        assert texts(telegram, "alpha_bot", ADMIN.id, since=before) == []
    clock.at = berlin(2027, 1, 8, 9, 16)
    await tick(timed, "queue_alert")
    assert texts(telegram, "alpha_bot", ADMIN.id, since=before) == [
        "⚠️ A queued contact has waited 16 min of working time; 1 contact is queued."
    ]
