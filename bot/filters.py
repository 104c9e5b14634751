"""Role filters: they read the update's Sender (see ``bot.middlewares``)."""

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.middlewares import Sender


class IsAdmin(Filter):
    """The sender's Telegram id is in ADMIN_IDS."""

    async def __call__(self, _event: Message | CallbackQuery, sender: Sender) -> bool:
        """Check the sender."""
        return sender.is_admin


class IsOperator(Filter):
    """The sender is an operator."""

    async def __call__(self, _event: Message | CallbackQuery, sender: Sender) -> bool:
        """Check the sender."""
        return await sender.is_operator()


class NotBlocked(Filter):
    """The sender is no blocked client: a blocked one's /help and /language go unanswered,
    as their /start and messages do."""

    async def __call__(self, _event: Message | CallbackQuery, sender: Sender) -> bool:
        """Check the sender."""
        return not await sender.is_blocked_client()
