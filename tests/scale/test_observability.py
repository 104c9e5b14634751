"""/healthz, /metrics and JSON logs, in polling and in webhook mode."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.web import Health, build_web_app
from db.engine import create_engine, create_session_factory
from db.models import Delivery, DeliveryStatus
from fake_telegram import User
from tests.harness import ALPHA, eventually
from tests.support.scale import BotProcess, Running, run_switchboard

OLGA = User(1001, "Olga", username="olga_op")
ANN = User(5001, "Ann")
BEN = User(5002, "Ben")
HEALTHY = {"status": "ok", "bots": ["alpha_bot", "beta_bot"]}


@pytest.fixture(params=["polling", "webhook"])
async def running(request, telegram, make_settings) -> AsyncIterator[Running]:
    switchboard = await run_switchboard(telegram, make_settings, request.param)
    yield switchboard
    await switchboard.stop()


async def test_health_and_metrics(running: Running):
    telegram = running.telegram
    assert await running.get("/healthz") == (
        200,
        {"status": "ok", "bots": ["alpha_bot", "beta_bot"]},
    )
    await running.add_operator(OLGA, limit=1)  # updates: /addop, /start in each bot
    telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)

    to_olga = len(telegram.received("alpha_bot", OLGA.id))

    await telegram.send_message("alpha_bot", ANN, "Hello")  # assigned to Olga
    await telegram.send_message("alpha_bot", BEN, "Hello?")  # Olga is full: queued
    await telegram.wait_received("alpha_bot", BEN.id, 1)
    await telegram.wait_received("alpha_bot", OLGA.id, to_olga + 1)  # the card carrying it
    await running.idle()

    metric = running.metric
    assert await metric("switchboard_updates_total", bot="alpha_bot") == 4
    assert await metric("switchboard_updates_total", bot="beta_bot") == 1
    for state, count in {"opened": 2, "open": 2, "queued": 1, "assigned": 1, "closed": 0}.items():
        assert await metric("switchboard_contacts", state=state) == count, state
    assert await metric("switchboard_queue_length") == 1
    assert await metric("switchboard_queue_oldest_wait_seconds") > 0
    assert await metric("switchboard_telegram_errors_total", code="429") == 1
    async with running.app.session_factory() as session:
        sent = await session.scalar(
            select(func.count()).where(Delivery.status == DeliveryStatus.SENT)
        )
    assert sent >= 3  # at least Ann's and Ben's notices, Olga's card carrying Ann's message
    assert await metric("switchboard_delivery_latency_seconds_count") == sent
    assert await metric("switchboard_delivery_latency_seconds_bucket", le="+Inf") == sent
    # The copy could not go out before the 429's retry_after had passed.
    assert await metric("switchboard_delivery_latency_seconds_sum") >= 1


async def test_health_and_metrics_name_a_bot_telegram_cannot_be_reached_through(
    telegram, make_settings
):
    running = await run_switchboard(
        telegram, make_settings, "polling", send_retry_max_seconds=0.1, outage_alert_seconds=0.5
    )
    try:
        telegram.start_outage(502, "Bad Gateway")
        await telegram.send_message("alpha_bot", ANN, "Hello")  # the answer cannot go out

        async def health_is(expected: dict[str, object]):
            async def check() -> bool:
                return await running.get("/healthz") == (200, expected)

            return check

        # Still 200: the process works and stores what arrives; Telegram is what fails.
        degraded = {**HEALTHY, "status": "degraded", "degraded": ["alpha_bot"]}
        await eventually(await health_is(degraded), "alpha_bot degraded", timeout=30)
        assert await running.metric("switchboard_bot_degraded", bot="alpha_bot") == 1

        await telegram.end_outage()
        await telegram.wait_received("alpha_bot", ANN.id, 1)
        await eventually(await health_is(HEALTHY), "alpha_bot recovered", timeout=30)
        assert await running.metric("switchboard_bot_degraded", bot="alpha_bot") == 0
    finally:
        await running.stop()


async def test_health_fails_when_the_delivery_worker_stopped(running: Running):
    (worker,) = [task for task in running.app.tasks if task.get_name() == "delivery-worker"]
    worker.cancel()  # as if it had crashed
    await asyncio.wait([worker])  # it may be mid-transaction, rolling back

    status, health = await running.get("/healthz")

    assert (status, health) == (503, {"status": "stopped", "tasks": ["delivery-worker"]})


async def test_health_fails_when_the_database_is_unreachable(running: Running, tmp_path):
    # A database that cannot be opened stands in for one that went away (the real outage on
    # PostgreSQL: test_webhook.py): the running app's /healthz, served from that database.
    dead = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    app = running.app
    health = Health(app.started, app.stop, app.tasks, ["alpha_bot", "beta_bot"])
    web_app = build_web_app(create_session_factory(dead), app.metrics, health)
    try:
        async with TestClient(TestServer(web_app)) as client:
            response = await client.get("/healthz")
            status, body = response.status, await response.json()
    finally:
        await dead.dispose()

    assert status == 503
    assert body["status"] == "database unreachable"
    assert await running.get("/healthz") == (200, HEALTHY)


async def test_json_logs_are_one_object_per_line_and_never_show_a_token(tmp_path):
    # A Bot API URL that redirects forever (a misconfigured proxy): the error the process
    # stops with names the request URL, and with it the token.
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.path)

    server = web.Application()
    server.router.add_route("*", "/{path:.*}", redirect)
    runner = web.AppRunner(server)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    process = BotProcess(
        "switchboard",
        {
            "BOT_TOKENS": ALPHA,
            "ADMIN_IDS": "1",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'logs.db'}",
            "TELEGRAM_API_URL": f"http://127.0.0.1:{port}",
        },
        tmp_path,
    )
    try:
        await process.start()
        status = await process.wait()
    finally:
        await runner.cleanup()

    assert status == 1
    records = process.records()  # every line parses as one JSON object
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    fatal = records[-1]
    assert fatal["level"] == "ERROR"
    assert "cannot reach Telegram" in fatal["message"]
    assert "TooManyRedirects" in fatal["message"]
    assert "/bot<token>/getMe" in fatal["message"]
    secret = ALPHA.partition(":")[2]
    assert not [line for line in process.lines if secret in line]
