"""The delivery worker's ``Transport``: sends outbox rows through the right aiogram Bot."""

from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)

from bot import render
from db.models import Delivery
from services.delivery import Rejected, RetryAfter, Transient, Unreachable
from services.outbox import DeliveryKind

# Errors that sending the same request again cannot fix.
_REJECTED = (
    TelegramBadRequest,
    TelegramUnauthorizedError,
    TelegramNotFound,
    TelegramEntityTooLarge,
)


class AiogramTransport:
    """Sends notices with ``sendMessage`` and relays with ``copyMessage(s)``."""

    def __init__(self, bots: dict[int, Bot], on_error: Callable[[str], None]) -> None:
        self.bots = bots  # source id → Bot
        self.on_error = on_error  # counts Telegram's errors by code

    async def send(self, deliveries: list[Delivery]) -> list[int]:
        """Send one delivery or one album; map Telegram's errors to the worker's."""
        head = deliveries[0]
        bot = self.bots.get(head.source_id)
        if bot is None:
            raise Transient(f"bot of source {head.source_id} is not running in this process")
        try:
            if head.kind == DeliveryKind.NOTICE:
                text, markup = render.notice(dict(head.payload))
                sent = await bot.send_message(head.chat_id, text, reply_markup=markup)
                return [sent.message_id]
            if len(deliveries) > 1:
                # copyMessages keeps an album an album and the order of its items.
                ids = await bot.copy_messages(
                    head.chat_id,
                    from_chat_id=head.payload["from_chat_id"],
                    message_ids=[d.payload["message_id"] for d in deliveries],
                )
                return [m.message_id for m in ids]
            copied = await bot.copy_message(
                head.chat_id,
                from_chat_id=head.payload["from_chat_id"],
                message_id=head.payload["message_id"],
            )
            return [copied.message_id]
        except TelegramRetryAfter as exc:
            self.on_error("429")
            raise RetryAfter(exc.retry_after) from exc
        except TelegramForbiddenError as exc:
            self.on_error("403")
            raise Unreachable(exc.message) from exc
        except _REJECTED as exc:
            self.on_error("4xx")
            raise Rejected(exc.message) from exc
        except TelegramNetworkError as exc:
            self.on_error("network")
            raise Transient(str(exc)) from exc
        except (TelegramAPIError, TimeoutError) as exc:  # 5xx and timeouts
            self.on_error("5xx" if isinstance(exc, TelegramAPIError) else "timeout")
            raise Transient(str(exc) or type(exc).__name__) from exc
