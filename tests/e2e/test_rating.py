"""After a close the client is asked "How did we do?" and rates the contact once, with stars."""

import random
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import create_app
from db.base import utcnow
from db.models import Contact
from fake_telegram import User
from services.base import Actor
from services.errors import NotYourRating
from services.outbox import NoSignal
from services.registry import Services
from tests.e2e.helpers import buttons, texts
from tests.harness import ADMIN, FAST
from tests.support.api import Api
from tests.support.switchboard import Switchboard

OLGA = User(1001, "Olga", username="olga_op")
ANNA = User(3001, "Anna")
BEN = User(3002, "Ben")
IVAN = User(3003, "Иван", language_code="ru")

ASKED = (
    "This conversation is closed. Write again any time to start a new one.\n\n"
    "How did we do? Rate this conversation from 1 to 5 stars."
)
STARS = [(f"{n} ⭐", f"rate:1:{n}") for n in range(1, 6)]


async def _closed(switchboard: Switchboard, client: User = ANNA) -> int:
    """Olga handled ``client``'s contact #1 and closed it: the message id of the question."""
    await switchboard.add_operator(OLGA)
    await switchboard.telegram.send_message("alpha_bot", client, "Where is my order?")
    await switchboard.idle()
    await switchboard.command(OLGA, "/close 1")
    return switchboard.telegram.received("alpha_bot", client.id)[-1].message_id


async def _rating(switchboard: Switchboard, contact_id: int = 1) -> int | None:
    async with switchboard.app.session_factory() as session:
        return await session.scalar(select(Contact.rating).where(Contact.id == contact_id))


def _services(session: AsyncSession) -> Services:
    return Services(session, random.Random(7), NoSignal())


async def _answer(switchboard: Switchboard, query_id: str) -> str:
    (answer,) = [
        a for a in switchboard.telegram.answered_callbacks if a["callback_query_id"] == query_id
    ]
    return answer["text"]


async def test_a_rating_is_asked_for_stored_and_shown_in_stats(
    api_switchboard: Switchboard, api: Api
):
    switchboard = api_switchboard
    telegram = switchboard.telegram
    question_id = await _closed(switchboard)
    (question,) = [
        m for m in telegram.received("alpha_bot", ANNA.id) if m.message_id == question_id
    ]
    assert question.plain_text == ASKED
    assert buttons(question) == STARS

    query = await telegram.press_button("alpha_bot", ANNA, question_id, "rate:1:4")
    await switchboard.idle()

    assert await _answer(switchboard, query) == "Thank you for your rating: 4 of 5!"
    assert await _rating(switchboard) == 4
    # The stars are gone, so the client sees the rating counted and cannot tap again.
    assert buttons(telegram.received("alpha_bot", ANNA.id)[-1]) == []
    stats = await switchboard.command(ADMIN, "/stats")
    assert "rated 4 of 5 (1 rating)" in stats
    status, answer = await api.call("GET", "/api/v1/stats")
    (olga,) = answer["operators"]
    assert (status, olga["rating"], olga["ratings"]) == (200, 4.0, 1)


async def test_a_second_tap_changes_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    question_id = await _closed(switchboard)
    # Two taps before the bot answers the first (a double tap, or two devices).
    first = await telegram.press_button("alpha_bot", ANNA, question_id, "rate:1:5")
    second = await telegram.press_button("alpha_bot", ANNA, question_id, "rate:1:1")
    await switchboard.idle()

    assert await _answer(switchboard, first) == "Thank you for your rating: 5 of 5!"
    assert await _answer(switchboard, second) == (
        "You have already rated this conversation: 5 of 5. Thank you!"
    )
    assert await _rating(switchboard) == 5


async def test_a_tap_after_a_day_changes_nothing(switchboard: Switchboard):
    telegram = switchboard.telegram
    question_id = await _closed(switchboard)
    async with switchboard.app.session_factory() as session, session.begin():
        day_ago = utcnow() - timedelta(days=1, minutes=1)
        await session.execute(update(Contact).where(Contact.id == 1).values(closed_at=day_ago))

    query = await telegram.press_button("alpha_bot", ANNA, question_id, "rate:1:3")
    await switchboard.idle()

    assert await _answer(switchboard, query) == (
        "This conversation was closed more than 24 hours ago and can no longer be rated."
    )
    assert await _rating(switchboard) is None


async def test_someone_else_cannot_rate_a_contact(switchboard: Switchboard):
    await _closed(switchboard)
    await switchboard.telegram.send_message("alpha_bot", BEN, "Hi")
    await switchboard.idle()
    source_id = next(iter(switchboard.app.sources.values())).id
    async with switchboard.app.session_factory() as session:
        services = _services(session)
        refusals = []
        for contact_id, source, by, stars in [
            (1, source_id, BEN.id, 1),  # Anna's contact, Ben taps
            (1, source_id + 1, ANNA.id, 1),  # through another bot
            (2, source_id, BEN.id, 5),  # Ben's own, but still open
            (1, source_id, ANNA.id, 6),  # not a star we offer
            (10**30, source_id, ANNA.id, 1),  # no such contact
        ]:
            try:
                await services.contacts.rate(contact_id, source, by, stars)
            except NotYourRating as refused:
                refusals.append(refused.params["contact_id"])
    assert refusals == [1, 1, 2, 1, 10**30]
    assert await _rating(switchboard) is None


async def test_a_russian_client_is_asked_in_russian(switchboard: Switchboard):
    question_id = await _closed(switchboard, IVAN)
    (question,) = [
        m
        for m in switchboard.telegram.received("alpha_bot", IVAN.id)
        if m.message_id == question_id
    ]
    assert question.plain_text.endswith(
        "Как мы справились? Оцените, пожалуйста, этот разговор от 1 до 5 звёзд."
    )
    query = await switchboard.telegram.press_button("alpha_bot", IVAN, question_id, "rate:1:2")
    await switchboard.idle()
    assert await _answer(switchboard, query) == "Спасибо за Вашу оценку: 2 из 5!"


async def test_a_contact_nobody_handled_is_not_rated(switchboard: Switchboard):
    telegram = switchboard.telegram
    await telegram.send_message("alpha_bot", ANNA, "Anyone?")  # no operator: queued
    await switchboard.idle()
    async with switchboard.app.session_factory() as session:  # as the API's close does
        await _services(session).contacts.close(1, Actor("admin", ADMIN.id))
    await switchboard.idle()
    closed = telegram.received("alpha_bot", ANNA.id)[-1]
    assert closed.plain_text == (
        "This conversation is closed. Write again any time to start a new one."
    )
    assert buttons(closed) == []


async def test_ratings_can_be_turned_off(telegram, make_settings):
    app = await create_app(make_settings(rating_enabled=False), rng=random.Random(7), pacing=FAST)
    switchboard = Switchboard(app, telegram)
    await switchboard.start()
    try:
        await _closed(switchboard)
    finally:
        await switchboard.stop()
    closed = telegram.received("alpha_bot", ANNA.id)[-1]
    assert closed.plain_text == texts(telegram, "alpha_bot", ANNA.id)[-1]
    assert closed.plain_text == (
        "This conversation is closed. Write again any time to start a new one."
    )
    assert buttons(closed) == []
