"""Clients: every message goes through ContactService.register_incoming."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot import render
from bot.callbacks import ChooseTopic, RateContact
from bot.content import can_pass_on, lead_profile
from bot.filters import IsAdmin
from bot.middlewares import Sender
from bot.texts import t
from db.models import Source
from services.contacts import IncomingMessage
from services.registry import Services


async def not_a_client(message: Message, sender: Sender) -> None:
    """An admin wrote something that is not a command: say why nothing happens."""
    await message.answer(t("admin-not-a-client", await sender.language()))


async def incoming(
    message: Message,
    services: Services,
    source: Source,
    sender: Sender,
    client_messages_per_minute: int,
) -> None:
    """Store the message in the client's contact; the services stage every reply (in the
    client's language, so this needs no query of its own)."""
    if message.from_user is None:
        return
    if not await can_pass_on(message, sender, "client-unsupported"):
        return
    shared = message.contact
    own_phone = shared.phone_number if shared and shared.user_id == message.from_user.id else None
    await services.contacts.register_incoming(
        IncomingMessage(
            source_id=source.id,
            chat_id=message.chat.id,
            message_id=message.message_id,
            profile=lead_profile(message.from_user),
            content_type=message.content_type,
            text=message.text or message.caption,
            media_group_id=message.media_group_id,
            phone=own_phone,
            html=message.html_text,
        ),
        per_minute=client_messages_per_minute,
    )


async def edited(message: Message, services: Services, source: Source) -> None:
    """An edited client message reaches the operator: a text edited in place, anything else
    as a marked new copy."""
    if message.from_user is None:
        return
    html = message.html_text if message.text is not None else None
    await services.contacts.register_edit(source.id, message.chat.id, message.message_id, html)


async def rate(
    query: CallbackQuery,
    callback_data: RateContact,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """A star under a closed contact: stored once (refusals come back as alerts), then the
    stars are taken away so the client sees it counted."""
    stars = await services.contacts.rate(
        callback_data.contact_id, source.id, query.from_user.id, callback_data.stars
    )
    await query.answer(t("client-rated", await sender.language(), stars=stars))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


async def choose_topic(
    query: CallbackQuery,
    callback_data: ChooseTopic,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """A topic button: the client's contact opens in it, or moves to it (see
    ``ContactService.choose_topic``); the tap is answered with what happened."""
    language = await sender.language()  # first: a move drains the queue after its commit
    choice = await services.contacts.choose_topic(
        source.id, lead_profile(query.from_user), callback_data.topic_id
    )
    await query.answer(render.topic_chosen(choice, language))


def build_router() -> Router:
    """Everything a client sends."""
    router = Router(name=__name__)
    # Admins who are not operators (operators' messages never get here) are not clients.
    router.message.register(not_a_client, IsAdmin())
    router.message.register(incoming)
    router.edited_message.register(edited)
    # Anyone may tap: an operator or admin is a client of the bots they do not serve.
    router.callback_query.register(rate, RateContact.filter())
    router.callback_query.register(choose_topic, ChooseTopic.filter())
    return router
