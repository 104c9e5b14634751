"""``python -m bot`` runs Switchboard; ``python -m bot demo`` (from a source checkout) shows it
working without tokens."""

import asyncio
import logging
import sys

from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError

from bot.app import create_app, freeze_startup_objects, run_polling, run_webhook
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.texts import available_languages
from db.migrate import DatabaseURLError

# Fatal errors after logging is configured go through it: JSON stays JSON, tokens are redacted
# (a network error's text contains the request URL, and with it the token).
log = logging.getLogger("switchboard")


async def _run(settings: Settings) -> None:
    app = await create_app(settings)
    freeze_startup_objects()
    if settings.webhook_url:
        await run_webhook(app)
    else:
        await run_polling(app)


USAGE = "usage: python -m bot [demo [--language LANGUAGE]]"


def _demo(argv: list[str]) -> int:
    language = "en"
    if argv:
        if len(argv) != 2 or argv[0] != "--language" or argv[1] not in available_languages():
            print(f"{USAGE} (languages: {', '.join(available_languages())})", file=sys.stderr)
            return 2
        language = argv[1]
    try:  # the demo and the fake Telegram it plays on are in the checkout, not in the package
        from demo.play import run_demo
    except ModuleNotFoundError:
        print("switchboard: the demo runs from a source checkout: make demo", file=sys.stderr)
        return 2
    return asyncio.run(run_demo(language))


def main(argv: list[str]) -> int:
    """Entry point; returns the process exit code."""
    if argv[:1] == ["demo"]:
        return _demo(argv[1:])
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"switchboard: invalid setting {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format, settings.log_level)
    try:
        asyncio.run(_run(settings))
    except ConfigError as exc:
        log.error("invalid setting %s", exc)
        return 2
    except TelegramUnauthorizedError:
        log.error("Telegram rejected a token in BOT_TOKENS")
        return 2
    except DatabaseURLError as exc:
        log.error("invalid setting DATABASE_URL: %s", exc)
        return 2
    except (TelegramAPIError, OSError) as exc:
        log.error("cannot reach Telegram or the database: %s", exc)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
