"""Operators: relaying replies to clients, closing contacts, pause / resume, load."""

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot import render
from bot.callbacks import (
    BanAsk,
    BanCancel,
    BanConfirm,
    CloseContact,
    MoveMenu,
    MoveTo,
    SendTemplate,
    SendTo,
    TransferMenu,
    TransferTo,
)
from bot.content import can_pass_on
from bot.filters import IsOperator
from bot.handlers.replies import answer_pages
from bot.menus import OPERATOR_COMMANDS
from bot.middlewares import Sender
from bot.texts import t
from db.models import Source
from services.base import Actor
from services.numbers import parse_contact_number
from services.operators import TEMPLATE, OperatorMessage, RelayOutcome
from services.registry import Services


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


async def ban_command(
    message: Message,
    command: CommandObject,
    services: Services,
    sender: Sender,
    admin_ids: frozenset[int],
) -> None:
    """``/ban <number>``: block the client of a contact (the operator's own; an admin's any,
    through the admin router)."""
    language = await sender.language()
    arg = (command.args or "").strip()
    contact_id = parse_contact_number(arg) if arg else None
    if contact_id is None:
        await message.answer(t("operator-ban-usage", language))
        return
    kind = "admin" if sender.is_admin else "operator"
    banned = await services.contacts.ban(contact_id, Actor(kind, _sender(message)), admin_ids)
    await message.answer(render.banned_done(banned, language))


async def ban_ask(query: CallbackQuery, callback_data: BanAsk, sender: Sender) -> None:
    """The Block button under a card: confirmed first, since a block closes the contact
    without a word to the client and cannot be undone by the operator."""
    text, markup = render.ban_question(callback_data.contact_id, await sender.language())
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply(text, reply_markup=markup)


async def ban_confirm(
    query: CallbackQuery,
    callback_data: BanConfirm,
    services: Services,
    sender: Sender,
    admin_ids: frozenset[int],
) -> None:
    """Block confirmed: the client of the contact is blocked."""
    language = await sender.language()
    actor = Actor("operator", _sender(query))
    banned = await services.contacts.ban(callback_data.contact_id, actor, admin_ids)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render.banned_done(banned, language))


async def ban_cancel(query: CallbackQuery, callback_data: BanCancel, sender: Sender) -> None:
    """Block taken back: nothing changes."""
    text = t("operator-ban-cancelled", await sender.language(), contact_id=callback_data.contact_id)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text)


async def transfer(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/transfer <number> <op> [note…]``: pass a contact to a colleague."""
    language = await sender.language()
    contact, operator, note = [*(command.args or "").split(maxsplit=2), "", "", ""][:3]
    contact_id = parse_contact_number(contact) if contact else None
    if contact_id is None or not operator:
        await message.answer(t("operator-transfer-usage", language))
        return
    moved = await services.contacts.transfer(contact_id, _sender(message), operator, note.strip())
    await message.answer(render.transfer_done(moved, operator, language))


async def transfer_menu(
    query: CallbackQuery, callback_data: TransferMenu, services: Services, sender: Sender
) -> None:
    """The Transfer button under a card: the colleagues who can take the contact now."""
    colleagues = await services.contacts.free_colleagues(callback_data.contact_id, _sender(query))
    text, markup = render.free_colleagues(
        callback_data.contact_id, colleagues, await sender.language()
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply(text, reply_markup=markup)


async def transfer_to(
    query: CallbackQuery, callback_data: TransferTo, services: Services, sender: Sender
) -> None:
    """One of the colleagues offered by the Transfer button."""
    # Asked first: the transfer drains the queue after its commit, and the answer should not
    # wait behind the cards that brings.
    language = await sender.language()
    moved = await services.contacts.transfer(
        callback_data.contact_id, _sender(query), callback_data.telegram_id
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render.transfer_done(moved, moved.operator_name, language))


async def move_command(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/move <number> <topic>``: move a contact to another topic of its bot (an operator
    their own; an admin any, through the admin router)."""
    language = await sender.language()  # first: a move drains the queue after its commit
    args = (command.args or "").split()
    contact_id = parse_contact_number(args[0]) if len(args) == 2 else None
    if contact_id is None:
        await message.answer(t("operator-move-usage", language))
        return
    kind = "admin" if sender.is_admin else "operator"
    moved = await services.contacts.move_to_topic(
        contact_id, Actor(kind, _sender(message)), args[1]
    )
    await message.answer(render.topic_moved(moved, language))


async def move_menu(
    query: CallbackQuery,
    callback_data: MoveMenu,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """The Topic button under a card: the bot's topics to move the contact to."""
    topics = await services.topics.offered(source.id)
    text, markup = render.move_menu(callback_data.contact_id, topics, await sender.language())
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.reply(text, reply_markup=markup)


async def move_to(
    query: CallbackQuery, callback_data: MoveTo, services: Services, sender: Sender
) -> None:
    """One of the topics offered by the Topic button."""
    language = await sender.language()  # first: a move drains the queue after its commit
    actor = Actor("operator", _sender(query))
    moved = await services.contacts.move_to_topic(
        callback_data.contact_id, actor, callback_data.name
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render.topic_moved(moved, language))


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


async def send_template(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/t <name>`` as a reply to a contact's message sends that template to the client;
    ``/t`` alone offers the bot's templates as buttons for that contact."""
    language = await sender.language()
    reply_to = message.reply_to_message.message_id if message.reply_to_message else None
    name = (command.args or "").strip()
    if not name:
        contact_id, templates = await services.operators.template_choices(
            source.id, _sender(message), reply_to
        )
        text, markup = render.template_choices(contact_id, templates, message.message_id, language)
        await message.reply(text, reply_markup=markup)
        return
    relayed = await services.operators.send_template(
        OperatorMessage(source.id, _sender(message), message.message_id, TEMPLATE, None, reply_to),
        name=name,
    )
    await message.reply(render.template_sent(relayed, language))


async def send_template_button(
    query: CallbackQuery,
    callback_data: SendTemplate,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """One of the templates ``/t`` offered."""
    relayed = await services.operators.send_template(
        OperatorMessage(source.id, _sender(query), callback_data.message_id, TEMPLATE),
        template_id=callback_data.template_id,
        contact_id=callback_data.contact_id,
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(render.template_sent(relayed, await sender.language()))


async def history(
    message: Message,
    command: CommandObject,
    services: Services,
    source: Source,
    sender: Sender,
) -> None:
    """``/history <n>``: contact #n's whole conversation as a file, sent through the outbox
    (for its operator, or any admin; admins who are no operators reach it through the admin
    router)."""
    language = await sender.language()
    arg = (command.args or "").strip()
    contact_id = parse_contact_number(arg) if arg else None
    if contact_id is None:
        await message.answer(t("operator-history-usage", language))
        return
    await services.transcripts.request(
        contact_id,
        _sender(message),
        is_admin=sender.is_admin,
        source_id=source.id,
        language=language,
    )


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
    elif relayed.outcome in render.NOT_SENT:  # only these need an answer, and a language
        await message.reply(render.not_sent(relayed, await sender.language()))


async def edited(message: Message, services: Services, source: Source, sender: Sender) -> None:
    """An operator edited an answer: a text is edited in the client's copy too; of anything
    else, the operator is told that the client keeps the first version."""
    html = message.html_text if message.text is not None else None
    edited = await services.operators.edited(source.id, message.chat.id, message.message_id, html)
    if edited is not None and not edited.passed_on:
        key = (
            "operator-template-edit-not-relayed" if edited.template else "operator-edit-not-relayed"
        )
        text = t(key, await sender.language(), contact_id=edited.contact_id)
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
    operators_only.message.register(ban_command, Command("ban"))
    operators_only.callback_query.register(ban_ask, BanAsk.filter())
    operators_only.callback_query.register(ban_confirm, BanConfirm.filter())
    operators_only.callback_query.register(ban_cancel, BanCancel.filter())
    operators_only.message.register(transfer, Command("transfer"))
    operators_only.callback_query.register(transfer_menu, TransferMenu.filter())
    operators_only.callback_query.register(transfer_to, TransferTo.filter())
    operators_only.message.register(move_command, Command("move"))
    operators_only.callback_query.register(move_menu, MoveMenu.filter())
    operators_only.callback_query.register(move_to, MoveTo.filter())
    operators_only.message.register(send_template, Command("t"))
    operators_only.callback_query.register(send_template_button, SendTemplate.filter())
    operators_only.message.register(history, Command("history"))
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
