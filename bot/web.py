"""The HTTP side: /healthz and /metrics in both modes, and the bots' webhooks in webhook mode."""

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text

if TYPE_CHECKING:  # bot.app imports this module
    from bot.app import App

log = logging.getLogger(__name__)


APP_KEY: web.AppKey["App"] = web.AppKey("switchboard")


def webhook_path(bot_id: int) -> str:
    """Each bot has its own path; the secret header, not the path, authenticates Telegram."""
    return f"/webhook/{bot_id}"


async def _healthz(request: web.Request) -> web.Response:
    app: App = request.app[APP_KEY]
    try:
        async with app.session_factory() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means unhealthy; say which
        return web.json_response({"status": "database unreachable", "error": str(exc)}, status=503)
    if not app.started.is_set():
        return web.json_response({"status": "starting"}, status=503)
    bots = sorted(source.username for source in app.sources.values())
    return web.json_response({"status": "ok", "bots": bots})


async def _metrics(request: web.Request) -> web.Response:
    app: App = request.app[APP_KEY]
    body = await app.metrics.render(app.session_factory)
    return web.Response(body=body, content_type="text/plain", charset="utf-8")


def build_web_app(app: "App") -> web.Application:
    """The aiohttp application with health and metrics routes."""
    web_app = web.Application()
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", _healthz)
    web_app.router.add_get("/metrics", _metrics)
    return web_app


async def start_server(web_app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve ``web_app``; the caller cleans the runner up."""
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("HTTP server on %s:%s", host, port)
    return runner


async def run_webhook(app: "App") -> None:
    """Webhook mode: every bot on its own path of one server; answers 200 only after the
    update was handled (committed), so Telegram redelivers anything we did not store."""
    settings = app.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    web_app = build_web_app(app)
    for bot in app.bots:
        SimpleRequestHandler(
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
    await stop.wait()
