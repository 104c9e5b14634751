"""Inline-button payloads."""

from aiogram.filters.callback_data import CallbackData


class CloseContact(CallbackData, prefix="close"):
    """The Close button under an operator's card."""

    contact_id: int


class SendTo(CallbackData, prefix="send"):
    """An operator's choice of contact for an ambiguous message."""

    contact_id: int
    message_id: int


class ChooseLanguage(CallbackData, prefix="lang"):
    """A button of ``/language``."""

    language: str
