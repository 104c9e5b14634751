"""The HTTP side: /healthz and /metrics in both modes, and the bots' webhooks in webhook mode."""

import asyncio
import logging
import signal
import socket
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.config import ConfigError
from bot.logs import redact

if TYPE_CHECKING:  # bot.app imports this module
    from bot.app import App

log = logging.getLogger(__name__)

APP_KEY: web.AppKey["App"] = web.AppKey("switchboard")
# /healthz must answer even when the database hangs instead of refusing connections.
HEALTH_TIMEOUT = 5.0
# The Prometheus text format generate_latest() writes.
METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# PostgreSQL SQLSTATE classes of errors that pass by themselves: connection exception,
# transaction rollback (deadlock, serialization failure), insufficient resources (too many
# connections), object not in prerequisite state (database not accepting connections, lock not
# available), operator intervention (shutdown, cannot connect now), system error (I/O).
_TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "55", "57", "58"})
# SQLite's primary result codes of the same kind: busy, locked, I/O error, full, cannot open.
_TRANSIENT_SQLITE_CODES = frozenset({5, 6, 10, 13, 14})


def is_database_outage(exc: BaseException) -> bool:
    """Whether an error means "the database cannot be used right now" (unreachable, not
    accepting connections, connection lost, overloaded, deadlock) rather than "this update is
    bad": an update that failed with one is worth delivering again.

    The driver's error codes decide, as asyncpg reports most server errors, outages and bad
    data alike, as a bare DBAPIError. asyncpg raises OSError when it cannot connect at all;
    SQLAlchemy's pool raises its TimeoutError when no connection frees up.
    """
    if not isinstance(exc, DBAPIError):
        return isinstance(exc, OSError | PoolTimeout)
    if exc.connection_invalidated or isinstance(exc.orig, OSError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate:
        return str(sqlstate)[:2] in _TRANSIENT_SQLSTATE_CLASSES
    sqlite_code = getattr(exc.orig, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return sqlite_code & 0xFF in _TRANSIENT_SQLITE_CODES
    return isinstance(exc, InterfaceError)  # e.g. the connection closed mid-statement


def webhook_path(bot_id: int) -> str:
    """Each bot has its own path; the secret header, not the path, authenticates Telegram."""
    return f"/webhook/{bot_id}"


async def _healthz(request: web.Request) -> web.Response:
    app: App = request.app[APP_KEY]
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), app.session_factory() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means unhealthy; say which
        reason = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
        return web.json_response({"status": "database unreachable", "error": reason}, status=503)
    if not app.started.is_set():
        return web.json_response({"status": "starting"}, status=503)
    stopped = sorted(task.get_name() for task in app.tasks if task.done())
    if stopped and not app.stop.is_set():  # a background loop ended: nothing is sent any more
        return web.json_response({"status": "stopped", "tasks": stopped}, status=503)
    bots = sorted(source.username for source in app.sources.values())
    return web.json_response({"status": "ok", "bots": bots})


async def _metrics(request: web.Request) -> web.Response:
    app: App = request.app[APP_KEY]
    body = await app.metrics.render(app.session_factory)
    return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})


def build_web_app(app: "App") -> web.Application:
    """The aiohttp application with health and metrics routes."""
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", _healthz)
    web_app.router.add_get("/metrics", _metrics)
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


class CommittedUpdateHandler(SimpleRequestHandler):
    """One bot's webhook; answers 200 only once the update was handled.

    The handlers commit before they return, so a 200 means the update is stored. When the
    database is unreachable the answer is 503 and Telegram delivers the update again later (a
    duplicate is recognised and changes nothing). Unlike aiogram's handler this one never
    answers early: aiogram's would send 200 after 55 seconds while the handler is still
    running, and the update would be lost if it then failed.
    """

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            update: dict[str, Any] = await request.json(loads=bot.session.json_loads)
        except ValueError:
            return web.Response(status=400, text="the body is not a JSON update")
        try:
            result = await self.dispatcher.feed_raw_update(bot, update, **self.data)
        except Exception as exc:
            if not is_database_outage(exc):
                log.exception("update %s of bot %s failed", update.get("update_id"), bot.id)
                return web.Response(status=500, text="update failed; deliver it again later")
            log.warning(
                "update %s of bot %s not stored, Telegram will deliver it again: %s",
                update.get("update_id"),
                bot.id,
                exc,
            )
            return web.Response(status=503, text="database unavailable; deliver it again later")
        method = result if isinstance(result, TelegramMethod) else None
        return web.Response(body=self._build_response_writer(bot=bot, result=method))


async def run_webhook(app: "App") -> None:
    """Webhook mode until SIGINT/SIGTERM: every bot on its own path of one server, answering
    200 only after the update was handled (committed), so Telegram redelivers anything we did
    not store. Any number of identical processes can serve the same bots behind a load
    balancer."""
    settings = app.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    web_app = build_web_app(app)
    for bot in app.bots:
        CommittedUpdateHandler(
            dispatcher=app.dispatcher, bot=bot, secret_token=secret, handle_in_background=False
        ).register(web_app, path=webhook_path(bot.id))
    setup_application(web_app, app.dispatcher, bots=app.bots)

    async def register_webhooks(_: web.Application) -> None:
        base = settings.webhook_url.rstrip("/")  # type: ignore[union-attr]
        for bot in app.bots:
            await bot.set_webhook(
                f"{base}{webhook_path(bot.id)}",
                secret_token=secret,
                allowed_updates=app.dispatcher.resolve_used_update_types(),
            )

    web_app.on_startup.append(register_webhooks)
    runner = await start_server(web_app, settings.http_host, settings.http_port)
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
