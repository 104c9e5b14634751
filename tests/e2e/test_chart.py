"""``/stats chart``: the day's queue, the operators' loads and each bot's shares, as a picture."""

import io
import random

from PIL import Image

from bot import charts
from bot.charts import draw_day
from fake_telegram import User
from services.outbox import NoSignal
from services.registry import Services
from tests.harness import ADMIN
from tests.support.charts import busy_day
from tests.support.switchboard import Switchboard

OLGA = User(1001, "$<b>& Olga", username="olga_op")  # "$" would start matplotlib's math
PETE = User(1002, "Pete", username="pete_op")
CAPTION = (
    "Switchboard statistics: the queue and the operators' loads over the last 24 hours (UTC), "
    "and each bot's shares against the weights."
)


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every pixel: a truncated or corrupt file raises here
    assert image.format == "PNG"
    return image


async def test_the_chart_is_a_picture_of_the_day(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=1)
    await switchboard.add_operator(PETE, limit=1)
    for n in range(4):  # two assigned, two queued
        await telegram.send_message("alpha_bot", User(3001 + n, f"Client {n}"), "Hello")
    await switchboard.idle()

    assert await switchboard.command(ADMIN, "/stats chart") == CAPTION

    chart = telegram.received("alpha_bot", ADMIN.id)[-1]
    assert chart.method == "sendPhoto"
    image = _png(telegram.photo("alpha_bot", ADMIN.id, chart.message_id))
    assert image.width == 1000
    assert len(image.getcolors(maxcolors=1 << 24)) > 100  # drawn, not blank


async def test_the_day_counts_the_queue_and_each_operators_load(switchboard: Switchboard):
    telegram = switchboard.telegram
    await switchboard.add_operator(OLGA, limit=1)
    for n in range(3):
        await telegram.send_message("alpha_bot", User(3001 + n, f"Client {n}"), "Hello")
    await switchboard.idle()
    await switchboard.command(OLGA, "/close 1")  # the next in the queue is hers at once

    async with switchboard.app.session_factory() as session:
        day = await Services(session, random.Random(7), NoSignal()).admin.day()

    (olga,) = day.activity.load.values()
    assert (olga[-1], day.activity.queue[-1]) == (1, 1)
    assert day.activity.queue[0] == olga[0] == 0  # a day ago, before the test began
    assert len(day.activity.times) == 97  # every quarter of an hour, both ends included


async def test_anything_after_chart_gets_the_usage(switchboard: Switchboard):
    assert await switchboard.command(ADMIN, "/stats chart 7") == (
        "Usage: /stats [days], /stats chart"
    )


def test_a_hundred_operators_in_four_bots_still_fit_a_photo():
    chart = draw_day(busy_day(100, 4), "ru")

    image = _png(chart.png)
    assert (image.width, image.height) == (chart.width, chart.height)
    assert chart.fits_a_photo


def test_a_chart_too_tall_for_a_photo_says_so():
    chart = draw_day(busy_day(400, 1), "en")  # a row of the heat map per operator

    _png(chart.png)
    assert chart.width + chart.height > 10_000
    assert not chart.fits_a_photo


async def test_a_chart_too_tall_for_a_photo_comes_as_a_png_document(
    switchboard: Switchboard, monkeypatch
):
    monkeypatch.setattr(charts, "PHOTO_SIDES", 500)  # as if the desk had 400 operators

    assert await switchboard.command(ADMIN, "/stats chart") == CAPTION

    sent = switchboard.telegram.received("alpha_bot", ADMIN.id)[-1]
    assert sent.method == "sendDocument"
    name, data = switchboard.telegram.document("alpha_bot", ADMIN.id, sent.message_id)
    assert name == "switchboard-stats.png"
    _png(data)
