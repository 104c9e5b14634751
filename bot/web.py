"""The HTTP side: /healthz and /metrics in both modes, and the bots' webhooks in webhook mode."""

import asyncio
import logging
import secrets
import signal
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import ConfigError
from bot.logs import redact
from bot.metrics import Metrics
from db.outage import is_database_outage

log = logging.getLogger(__name__)

# /healthz must answer even when the database hangs instead of refusing connections.
HEALTH_TIMEOUT = 5.0
# The Prometheus text format generate_latest() writes.
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# The header in which Telegram sends the secret given to setWebhook.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

RequestHandler = Callable[[web.Request], Awaitable[web.Response]]


@dataclass(frozen=True)
class Health:
    """What /healthz reports besides the database; the application sets the events and fills
    ``tasks`` as it runs."""

    started: asyncio.Event
    stopping: asyncio.Event
    tasks: Sequence[asyncio.Task[None]]  # the background loops: one ended, nothing is sent
    bot_usernames: Sequence[str]
    # The bots through which Telegram has taken nothing for longer than the alert threshold.
    degraded: Callable[[], Sequence[str]] = tuple


def webhook_path(bot_id: int) -> str:
    """Each bot has its own path; the secret header, not the path, authenticates Telegram."""
    return f"/webhook/{bot_id}"


def build_web_app(
    session_factory: async_sessionmaker[AsyncSession], metrics: Metrics, health: Health
) -> web.Application:
    """The aiohttp application with health and metrics routes."""

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), session_factory() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means unhealthy; say which
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            return web.json_response(
                {"status": "database unreachable", "error": redact(first_line)}, status=503
            )
        if not health.started.is_set():
            return web.json_response({"status": "starting"}, status=503)
        stopped = sorted(task.get_name() for task in health.tasks if task.done())
        if stopped and not health.stopping.is_set():
            return web.json_response({"status": "stopped", "tasks": stopped}, status=503)
        bots = sorted(health.bot_usernames)
        if degraded := sorted(health.degraded()):
            # Still 200: this process works and keeps what arrives; Telegram is what fails.
            return web.json_response({"status": "degraded", "bots": bots, "degraded": degraded})
        return web.json_response({"status": "ok", "bots": bots})

    async def metrics_page(_request: web.Request) -> web.Response:
        body = await metrics.render(session_factory)
        return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})

    web_app = web.Application()
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics_page)
    return web_app


async def start_server(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve ``web_app``; the caller cleans the runner up. Logs the address actually bound
    (with port 0 the system picks a free one).

    The port is bound before the application's start-up hooks run (in webhook mode they
    register the webhooks and start the workers): a taken port stops the start before anything
    began, with one line naming the settings.
    """
    sock = await _listening_socket(host, port)
    runner = web.AppRunner(web_app, access_log=None)
    try:
        await runner.setup()
    except BaseException:
        sock.close()  # the start-up failed: nothing will serve it
        raise
    await web.SockSite(runner, sock).start()
    for address in runner.addresses:
        log.info("HTTP server on %s:%s", *address[:2])
    return runner


async def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; ``ConfigError`` if the name does not resolve or the
    address cannot be had (taken, or not this host's)."""
    try:
        family, kind, proto, _, address = (
            await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )
        )[0]
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
            sock.bind(address)
        except OSError:
            sock.close()
            raise
    except OSError as exc:
        raise ConfigError(f"HTTP_HOST/HTTP_PORT {host}:{port}: {exc.strerror or exc}") from exc
    sock.setblocking(False)
    return sock


def committed_update_handler(dispatcher: Dispatcher, bot: Bot, secret: str) -> RequestHandler:
    """One bot's webhook; answers 200 only once the update was handled.

    The handlers commit before they return, so a 200 means the update is stored. When the
    database is unreachable the answer is 503 and Telegram delivers the update again later (a
    duplicate is recognised and changes nothing). Unlike aiogram's handler this one never
    answers early: aiogram's would send 200 after 55 seconds while the handler is still
    running, and the update would be lost if it then failed. No handler answers with a method
    in the reply (they all call the Bot API themselves), so the reply is empty.
    """
    expected = secret.encode()  # bytes: compare_digest takes ASCII-only strings

    async def handle(request: web.Request) -> web.Response:
        if not secrets.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), expected):
            return web.Response(status=401, text="Unauthorized")
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": bot})
        except ValueError:  # not JSON, or not an update (pydantic's ValidationError is one)
            return web.Response(status=400, text="the body is not a JSON update")
        try:
            await dispatcher.feed_update(bot, update)
        except Exception as exc:
            if not is_database_outage(exc):
                log.exception("update %s of bot %s failed", update.update_id, bot.id)
                return web.Response(status=500, text="update failed; deliver it again later")
            log.warning(
                "update %s of bot %s not stored, Telegram will deliver it again: %s",
                update.update_id,
                bot.id,
                exc,
            )
            return web.Response(status=503, text="database unavailable; deliver it again later")
        return web.Response()

    return handle


async def serve_webhooks(
    web_app: web.Application,
    dispatcher: Dispatcher,
    bots: Sequence[Bot],
    *,
    base_url: str,
    secret: str,
    host: str,
    port: int,
) -> None:
    """Webhook mode until SIGINT/SIGTERM: every bot on its own path of ``web_app``'s server,
    answering 200 only after the update was handled (committed), so Telegram redelivers
    anything we did not store. Any number of identical processes can serve the same bots
    behind a load balancer."""
    for bot in bots:
        web_app.router.add_post(
            webhook_path(bot.id), committed_update_handler(dispatcher, bot, secret)
        )
    setup_application(web_app, dispatcher, bots=list(bots))

    async def register_webhooks(_: web.Application) -> None:
        for bot in bots:
            await bot.set_webhook(
                f"{base_url.rstrip('/')}{webhook_path(bot.id)}",
                secret_token=secret,
                allowed_updates=dispatcher.resolve_used_update_types(),
            )

    web_app.on_startup.append(register_webhooks)
    runner = await start_server(web_app, host, port)
    try:
        await _until_signalled()
    finally:
        await runner.cleanup()


async def _until_signalled() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
