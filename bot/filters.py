"""Role filters: admins come from the settings, operators from the database."""

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from services.operators import OperatorService


class IsAdmin(Filter):
    """The sender's Telegram id is in ADMIN_IDS."""

    async def __call__(self, event: Message | CallbackQuery, admin_ids: frozenset[int]) -> bool:
        """Check the sender."""
        return event.from_user is not None and event.from_user.id in admin_ids


class IsOperator(Filter):
    """The sender is an operator."""

    async def __call__(self, event: Message | CallbackQuery, operators: OperatorService) -> bool:
        """Check the sender."""
        return event.from_user is not None and await operators.is_operator(event.from_user.id)
