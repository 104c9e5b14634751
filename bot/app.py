"""The application factory: builds the engine, bots, dispatcher, worker and scheduler once and
passes them down (nothing of this lives at module level)."""

import asyncio
import contextlib
import functools
import gc
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import mount_api
from api.context import ApiContext
from bot import lazy_models
from bot.config import Settings
from bot.handlers import build_router
from bot.handlers.replies import on_domain_error, on_unexpected_error
from bot.menus import reset_removed_operator, set_chat_menu, set_default_menu
from bot.metrics import Metrics
from bot.middlewares import CountingMiddleware, ServicesMiddleware
from bot.scheduler import build_scheduler
from bot.texts import Languages
from bot.transport import AiogramTransport, DatabaseTranscripts
from bot.web import Health, build_web_app, serve_webhooks, start_server
from bot.webhooks import AiohttpPoster
from db.checkpoint import WalCheckpointer
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade_to_head
from db.models import Source
from db.outage import is_database_outage
from db.repositories import LanguageRepository, OperatorRepository, SourceRepository
from services.clock import SYSTEM_CLOCK, Clock
from services.delivery import (
    Backoff,
    DeliveryService,
    DeliveryWorker,
    Pacer,
    Pacing,
    Wakeup,
    WorkerConfig,
)
from services.delivery.webhooks import SenderConfig, WebhookSender
from services.errors import DomainError
from services.texts import TextService
from services.views import OperatorRemoved

log = logging.getLogger(__name__)

# Telegram answers within seconds; a hung request is given up and retried after this long.
REQUEST_TIMEOUT = 20
# Pauses before restarting a failed background loop, doubling up to the maximum.
RESTART_PAUSE = 0.5
MAX_RESTART_PAUSE = 30.0


@dataclass
class App:
    """Everything one Switchboard process runs."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    bots: list[Bot]
    sources: dict[int, Source]  # bot id → Source
    dispatcher: Dispatcher
    worker: DeliveryWorker
    wakeup: Wakeup
    webhooks: WebhookSender  # the API's webhooks: their events
    poster: AiohttpPoster
    rng: random.Random
    languages: Languages
    metrics: Metrics
    checkpointer: WalCheckpointer | None  # SQLite files only
    clock: Clock
    # Built at start-up (its jobs run on the event loop of the polling or the webhooks).
    scheduler: AsyncIOScheduler | None = None
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    started: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def _session(settings: Settings, timeout: float) -> AiohttpSession:
    if settings.telegram_api_url:
        api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
        return AiohttpSession(api=api, timeout=timeout)
    return AiohttpSession(timeout=timeout)


async def create_app(
    settings: Settings,
    *,
    rng: random.Random | None = None,
    pacing: Pacing | None = None,
    worker_config: WorkerConfig | None = None,
    request_timeout: float = REQUEST_TIMEOUT,
    clock: Clock = SYSTEM_CLOCK,
) -> App:
    """Build the whole application: migrate the database, register every bot as a source.

    ``clock`` is what business hours are decided by (the tests give one they move)."""
    await upgrade_to_head(settings.database_url)
    engine = create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    rng = rng or random.Random()
    bots = [
        Bot(
            token,
            session=_session(settings, request_timeout),
            default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        )
        for token in settings.tokens
    ]
    try:
        sources = await _register_sources(bots, session_factory)
    except BaseException:  # e.g. Telegram unreachable: leave no open sessions behind
        for bot in bots:
            await bot.session.close()
        await engine.dispose()
        raise
    metrics = Metrics()
    languages = Languages(settings.default_language)
    bots_by_source = {sources[bot.id].id: bot for bot in bots}
    usernames = {source.id: source.username for source in sources.values()}

    async def custom_text(source_id: int, name: str, language: str) -> str | None:
        async with session_factory() as session:
            return await TextService(session, rng).custom(source_id, name, language)

    transport = AiogramTransport(
        bots_by_source,
        languages,
        custom_text,
        on_error=metrics.telegram_error,
        transcripts=DatabaseTranscripts(session_factory, rng),
        ask_rating=settings.rating_enabled,
    )
    admin_ids = list(settings.admin_ids)

    wakeup = Wakeup()  # made first: the services announce to it, the worker waits on it
    pacer = Pacer(pacing or Pacing())
    transport.count_direct_sends(pacer)

    def delivery_service(session: AsyncSession) -> DeliveryService:
        return DeliveryService(session, rng, wakeup, clock=clock)

    worker = DeliveryWorker(
        session_factory,
        transport,
        delivery_service,
        wakeup,
        pacer,
        admin_ids,
        config=worker_config or _worker_config(settings),
        on_sent=metrics.delivered,
        on_degraded=lambda source_id, flag: metrics.bot_degraded(usernames[source_id], flag),
        rng=rng,
    )
    poster = AiohttpPoster(settings.event_timeout_seconds)
    webhooks = WebhookSender(
        session_factory,
        poster,
        wakeup.listen(),
        SenderConfig(
            timeout=settings.event_timeout_seconds,
            retry_base=min(SenderConfig().retry_base, settings.event_retry_max_seconds),
            retry_max=settings.event_retry_max_seconds,
        ),
        rng,
    )
    dispatcher = Dispatcher(
        admin_ids=frozenset(admin_ids),
        languages=languages,
        default_limit=settings.default_limit,
        client_messages_per_minute=settings.client_messages_per_minute,
        bots_by_source=bots_by_source,
    )
    dispatcher.update.outer_middleware(CountingMiddleware(metrics, sources))
    dispatcher.update.outer_middleware(
        ServicesMiddleware(session_factory, rng, wakeup, sources, clock)
    )
    dispatcher.include_router(build_router())
    dispatcher.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    if settings.webhook_url:
        dispatcher.errors.register(_redeliver_later, _database_outage)
    dispatcher.errors.register(on_unexpected_error)
    app = App(
        settings,
        engine,
        session_factory,
        bots,
        sources,
        dispatcher,
        worker,
        wakeup,
        webhooks,
        poster,
        rng,
        languages,
        metrics,
        WalCheckpointer.for_url(settings.database_url),
        clock,
    )
    dispatcher.startup.register(functools.partial(_on_startup, app))
    dispatcher.shutdown.register(functools.partial(_on_shutdown, app))
    return app


def _worker_config(settings: Settings) -> WorkerConfig:
    backoff = Backoff(
        base=min(Backoff().base, settings.send_retry_max_seconds),
        cap=settings.send_retry_max_seconds,
        alert_after=settings.outage_alert_seconds,
    )
    return WorkerConfig(backoff=backoff)


def freeze_startup_objects() -> None:
    """Build the models of an update and of the answers to the bot's calls, then keep what
    start-up created out of the garbage collector's passes.

    Those objects (about 165,000, many of them aiogram's models of the Bot API) live as
    long as the process; without this every full collection walks them all and stalls the
    handlers for tens of milliseconds.
    """
    lazy_models.warm_up()
    gc.collect()
    gc.freeze()


async def _register_sources(
    bots: list[Bot], session_factory: async_sessionmaker[AsyncSession]
) -> dict[int, Source]:
    sources: dict[int, Source] = {}
    for bot in bots:
        # bot.me() keeps the answer, so starting to poll does not ask Telegram again (a failed
        # getMe there would end the polling).
        me = await bot.me()
        async with session_factory() as session, session.begin():
            sources[bot.id] = await SourceRepository(session).ensure(
                me.id, me.username or str(me.id), me.full_name
            )
    return sources


def _database_outage(event: ErrorEvent) -> bool:
    return is_database_outage(event.exception)


async def _redeliver_later(event: ErrorEvent) -> None:
    """Webhook mode: the update could not be stored because the database is unreachable.

    Re-raised so that the webhook answers with an error and Telegram delivers the update again
    later, instead of a 200 that would drop it (see ``bot.web``)."""
    raise event.exception


async def _on_startup(app: App) -> None:
    if app.checkpointer:
        app.checkpointer.start()
    await _set_menus(app)
    alert_source = next(iter(app.sources.values())).id  # admins hear alerts from the first bot
    scheduler = build_scheduler(
        app.settings, app.session_factory, app.rng, app.wakeup, alert_source, app.clock
    )
    scheduler.start()
    app.scheduler = scheduler
    app.tasks.append(
        asyncio.create_task(
            _keep_running(app, "delivery worker", lambda: app.worker.run(app.stop)),
            name="delivery-worker",
        )
    )
    app.tasks.append(
        asyncio.create_task(
            _keep_running(app, "webhook sender", lambda: app.webhooks.run(app.stop)),
            name="webhook-sender",
        )
    )
    app.tasks.append(asyncio.create_task(_stop_scheduler_on(app, scheduler), name="scheduler"))
    app.started.set()


async def _keep_running(app: App, name: str, run: Callable[[], Awaitable[None]]) -> None:
    """Run ``run`` until the app stops, restarting it after a failure (e.g. the database
    restarted under it) with a growing pause, so an outage does not end it for good."""
    pause = RESTART_PAUSE
    while not app.stop.is_set():
        began = time.monotonic()
        try:
            await run()
        except Exception:
            if time.monotonic() - began > MAX_RESTART_PAUSE:
                pause = RESTART_PAUSE  # it had been running fine: a new failure, start over
            log.exception("%s failed; restarting it in %.1f s", name, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(app.stop.wait(), pause)
            pause = min(pause * 2, MAX_RESTART_PAUSE)


async def _stop_scheduler_on(app: App, scheduler: object) -> None:
    await app.stop.wait()
    scheduler.shutdown(wait=False)  # type: ignore[attr-defined]


async def _on_shutdown(app: App) -> None:
    app.stop.set()
    await asyncio.gather(*app.tasks, return_exceptions=True)
    await app.poster.close()
    if app.checkpointer:
        await app.checkpointer.stop()
    for bot in app.bots:  # also those this process does not poll
        await bot.session.close()
    await app.engine.dispose()


async def _set_menus(app: App) -> None:
    admin_ids = list(app.settings.admin_ids)
    async with app.session_factory() as session, session.begin():
        repository = OperatorRepository(session)
        links = await repository.links()
        ops = {op.id: op for op in await repository.all()}
        preferred = await LanguageRepository(session).of_admins(admin_ids)
    # An admin who is an operator too reads what they chose as either.
    preferred.update({op.telegram_id: op.preferred_language for op in ops.values()})
    started = {(link.source_id, link.operator_id) for link in links if link.started}
    for bot in app.bots:
        source = app.sources[bot.id]
        await set_default_menu(bot, app.languages)
        operator_chats = {
            ops[op_id].telegram_id for sid, op_id in started if sid == source.id and op_id in ops
        }
        for chat_id in operator_chats | set(admin_ids):
            await set_chat_menu(
                bot,
                chat_id,
                app.languages.pick(preferred.get(chat_id)),
                is_admin=chat_id in admin_ids,
                operator=chat_id in operator_chats,
            )


async def run_polling(app: App) -> None:
    """Long polling. Updates are handled one at a time per bot and the next getUpdates
    (which confirms them) is only sent after the handler committed, so a crash loses none."""
    polled = set(app.settings.polled_tokens)
    bots = [bot for bot in app.bots if bot.token in polled]
    runner = await start_server(_web_app(app), app.settings.http_host, app.settings.http_port)
    try:
        await app.dispatcher.start_polling(
            *bots,
            handle_as_tasks=False,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            close_bot_session=False,
        )
    finally:
        await runner.cleanup()


async def run_webhook(app: App) -> None:
    """Webhook mode until SIGINT/SIGTERM (see ``bot.web.serve_webhooks``)."""
    settings = app.settings
    assert settings.webhook_url and settings.webhook_secret
    await serve_webhooks(
        _web_app(app),
        app.dispatcher,
        app.bots,
        base_url=settings.webhook_url,
        secret=settings.webhook_secret.get_secret_value(),
        host=settings.http_host,
        port=settings.http_port,
    )


def _web_app(app: App) -> web.Application:
    usernames = [source.username for source in app.sources.values()]
    by_id = {source.id: source.username for source in app.sources.values()}

    def degraded() -> list[str]:
        return [by_id.get(source_id, str(source_id)) for source_id in app.worker.outages.degraded()]

    health = Health(app.started, app.stop, app.tasks, usernames, degraded)
    web_app = build_web_app(app.session_factory, app.metrics, health)
    bots_by_source = {app.sources[bot.id].id: bot for bot in app.bots}
    admin_ids = frozenset(app.settings.admin_ids)

    async def operator_removed(removed: OperatorRemoved) -> None:
        await reset_removed_operator(bots_by_source, removed, admin_ids, app.languages)

    context = ApiContext(
        app.session_factory,
        app.rng,
        app.wakeup,
        app.settings.default_limit,
        operator_removed,
        app.clock,
    )
    mount_api(web_app, context, [key.get_secret_value() for key in app.settings.api_keys])
    return web_app
