"""``/start`` (greeting, operator onboarding, invite links) and ``/help`` for every role."""

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message

from bot import render
from bot.filters import NotBlocked
from bot.menus import set_chat_menu
from bot.middlewares import Sender
from bot.texts import t
from db.models import Source
from services.admin import INVITE_PREFIX
from services.registry import Services


def _name(message: Message) -> str:
    user = message.from_user
    assert user is not None
    return user.full_name


async def start_with_invite(
    message: Message,
    command: CommandObject,
    services: Services,
    source: Source,
    bot: Bot,
    sender: Sender,
) -> None:
    """``/start <code>`` from an invite link: the user becomes an operator (an operator
    already is just starting this bot)."""
    user = message.from_user
    assert user is not None and command.args
    language = await sender.language()  # first: joining drains the queue after its commit
    operator, joined = await services.operators.redeem_invite(
        command.args, user.id, source.id, user.username, _name(message)
    )
    await services.languages.seen(user.id, user.language_code, is_admin=sender.is_admin)
    await set_chat_menu(bot, user.id, language, is_admin=sender.is_admin)
    if joined:
        text = t("operator-welcome", language, name=_name(message), limit=operator.max_open)
    else:
        text = t("operator-started", language, source=source.username)
    await message.answer(text)


async def start(
    message: Message,
    services: Services,
    source: Source,
    bot: Bot,
    sender: Sender,
) -> None:
    """Clients get the greeting (a blocked one nothing); operators are recorded as reachable
    through this bot.

    Operators and admins get their command menu here: Telegram refuses a chat's menu until
    the user has started the bot, so the one tried at startup may have failed."""
    user = message.from_user
    assert user is not None
    language = await sender.language()  # first: an operator's start drains the queue
    operator = await services.operators.bot_started(
        user.id, source.id, user.username, _name(message)
    )
    is_admin = sender.is_admin
    if operator is not None or is_admin:
        await services.languages.seen(user.id, user.language_code, is_admin=is_admin)
    if operator is not None or is_admin:
        await set_chat_menu(
            bot, user.id, language, is_admin=is_admin, operator=operator is not None
        )
    if operator is None:
        # A bot with topics offers them to clients with the greeting (an admin is no client
        # here).
        greeting = await services.texts.greeting(
            source.id, language, user.id, with_topics=not is_admin
        )
        if greeting is None and not is_admin:
            return  # a blocked client gets nothing, not even the greeting
        text = greeting.text if greeting else ""
        buttons = render.topic_keyboard(greeting.topics if greeting else [])
        await message.answer(text or t("client-greeting", language), reply_markup=buttons)
        return
    await message.answer(t("operator-started", language, source=source.username))


async def help_(message: Message, sender: Sender) -> None:
    """What this user can do here, by role."""
    language = await sender.language()
    parts = []
    if sender.is_admin:
        parts.append(t("help-admin", language))
    if await sender.is_operator():
        parts.append(t("help-operator", language))
    await message.answer("\n\n".join(parts) or t("help-client", language))


def build_router() -> Router:
    """/start and /help for every role."""
    router = Router(name=__name__)
    router.message.register(
        start_with_invite, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX))
    )
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"), NotBlocked())
    return router
