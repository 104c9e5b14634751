"""Inline-button payloads."""

from aiogram.filters.callback_data import CallbackData


class CloseContact(CallbackData, prefix="close"):
    """The Close button under an operator's card."""

    contact_id: int


class TransferMenu(CallbackData, prefix="pass"):
    """The Transfer button under a card: which colleagues could take the contact?"""

    contact_id: int


class TransferTo(CallbackData, prefix="passto"):
    """One of the free colleagues offered for a contact."""

    contact_id: int
    telegram_id: int


class BanAsk(CallbackData, prefix="ban"):
    """The Block button under a card: asks to confirm."""

    contact_id: int


class BanConfirm(CallbackData, prefix="banyes"):
    """The confirmation of a Block: the client of the contact is blocked."""

    contact_id: int


class BanCancel(CallbackData, prefix="banno"):
    """A Block taken back before it was confirmed."""

    contact_id: int


class RateContact(CallbackData, prefix="rate"):
    """One of the stars a client gives a closed contact."""

    contact_id: int
    stars: int


class SendTo(CallbackData, prefix="send"):
    """An operator's choice of contact for an ambiguous message."""

    contact_id: int
    message_id: int


class SendTemplate(CallbackData, prefix="tpl"):
    """One of the templates ``/t`` offers, for the contact it was asked for; ``message_id``
    is the ``/t`` (a second tap sends nothing more)."""

    contact_id: int
    message_id: int
    template_id: int


class ChooseLanguage(CallbackData, prefix="lang"):
    """A button of ``/language``."""

    language: str


class ChooseTopic(CallbackData, prefix="topic"):
    """One of the topics a bot offers its clients."""

    topic_id: int


class MoveMenu(CallbackData, prefix="mv"):
    """The Topic button under a card: which topics could the contact move to?"""

    contact_id: int


class MoveTo(CallbackData, prefix="mvto"):
    """One of the topics offered for a contact (by name: ``a-z 0-9 _ -``, no colon)."""

    contact_id: int
    name: str
