"""Operators: relaying replies to clients, closing contacts, pause / resume, load."""

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot import render
from bot.callbacks import CloseContact, SendTo
from bot.content import can_pass_on
from bot.filters import IsOperator
from bot.handlers.replies import answer_pages
from bot.menus import OPERATOR_COMMANDS
from bot.middlewares import Sender, Services
from bot.texts import t
from db.models import Source
from services.base import Actor
from services.numbers import parse_contact_number
from services.operators import OperatorMessage, RelayOutcome


def _sender(event: Message | CallbackQuery) -> int:
    assert event.from_user is not None
    return event.from_user.id


async def contacts_list(message: Message, services: Services, sender: Sender) -> None:
    """``/contacts``: open contacts, oldest first."""
    views = await services.operators.open_contacts(_sender(message))
    await answer_pages(message, render.open_contacts(views, await sender.language()))


async def close_command(
    message: Message,
    command: CommandObject,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """``/close <number>``, ``/close`` as a reply to a contact's message, or ``/close`` when
    the operator has one open contact in this bot."""
    arg = (command.args or "").strip()
    contact_id = parse_contact_number(arg) if arg else None
    if arg and contact_id is None:
        await message.answer(t("operator-close-usage", await sender.language()))
        return
    if contact_id is None:
        reply_to = message.reply_to_message.message_id if message.reply_to_message else None
        contact_id = await services.operators.current_contact(source.id, _sender(message), reply_to)
    if contact_id is None:
        await message.answer(t("operator-close-usage", await sender.language()))
        return
    await services.contacts.close(contact_id, Actor("operator", _sender(message)))


async def close_button(
    query: CallbackQuery, callback_data: CloseContact, services: Services
) -> None:
    """The Close button under a card."""
    await services.contacts.close(callback_data.contact_id, Actor("operator", _sender(query)))
    await query.answer()


async def pause(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/pause`` and ``/resume``."""
    # Asked first: a /resume drains the queue after its commit, and the answer should not wait
    # behind the cards that brings.
    language = await sender.language()
    operator = await services.operators.set_paused(_sender(message), command.command == "pause")
    await message.answer(render.paused(operator, language))


async def me(message: Message, services: Services, sender: Sender) -> None:
    """``/me``: load, limit and bots."""
    view = await services.operators.me(_sender(message))
    await message.answer(render.me(view, await sender.language()))


async def send_to(
    query: CallbackQuery,
    callback_data: SendTo,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """The operator chose the contact an unaddressed message is for."""
    relayed = await services.operators.relay(
        OperatorMessage(source.id, _sender(query), callback_data.message_id, "message"),
        contact_id=callback_data.contact_id,
    )
    await query.answer()
    if isinstance(query.message, Message) and not isinstance(query.message, InaccessibleMessage):
        await query.message.edit_text(render.contact_chosen(relayed, await sender.language()))


async def unknown_command(message: Message, sender: Sender) -> None:
    """Unknown commands are not relayed to clients by mistake."""
    await message.answer(t("help-operator", await sender.language()))


async def relay(message: Message, services: Services, source: Source, sender: Sender) -> None:
    """Anything else an operator writes goes to a client (copied, so they stay anonymous)."""
    if not await can_pass_on(message, sender, "operator-unsupported"):
        return
    relayed = await services.operators.relay(
        OperatorMessage(
            source.id,
            message.chat.id,
            message.message_id,
            message.content_type,
            message.text or message.caption,
            message.reply_to_message.message_id if message.reply_to_message else None,
            message.media_group_id,
        )
    )
    if relayed.outcome is RelayOutcome.AMBIGUOUS:
        language = await sender.language()
        text, markup = render.choose_contact(relayed.choices, message.message_id, language)
        await message.reply(text, reply_markup=markup)
    elif relayed.outcome in render.NOT_SENT:
        await message.reply(
            t(
                render.NOT_SENT[relayed.outcome],
                await sender.language(),
                contact_id=relayed.contact_id,
            )
        )


async def edited(message: Message, services: Services, source: Source, sender: Sender) -> None:
    """An operator edited a message: if it went to a client, say that the edit did not."""
    contact_id = await services.operators.edited(source.id, message.chat.id, message.message_id)
    if contact_id is not None:
        text = t("operator-edit-not-relayed", await sender.language(), contact_id=contact_id)
        await message.reply(text)


async def refuse(message: Message, sender: Sender) -> None:
    """A client trying operator commands."""
    await message.answer(t("operator-only", await sender.language()))


def build_router() -> Router:
    """Operator commands, buttons and relays for operators; a refusal for everyone else."""
    operators_only = Router(name=f"{__name__}.operators_only")
    operators_only.message.filter(IsOperator())
    operators_only.callback_query.filter(IsOperator())
    # Operators' edits stop here: the client router would take them for a client's.
    operators_only.edited_message.filter(IsOperator())
    refusals = Router(name=f"{__name__}.refusals")
    operators_only.message.register(contacts_list, Command("contacts"))
    operators_only.message.register(close_command, Command("close"))
    operators_only.callback_query.register(close_button, CloseContact.filter())
    operators_only.message.register(pause, Command("pause", "resume"))
    operators_only.message.register(me, Command("me"))
    operators_only.callback_query.register(send_to, SendTo.filter())
    operators_only.message.register(unknown_command, F.text.startswith("/"))
    operators_only.message.register(relay)
    operators_only.edited_message.register(edited)
    refusals.message.register(refuse, Command(*OPERATOR_COMMANDS))
    router = Router(name=__name__)
    router.include_routers(operators_only, refusals)
    return router
