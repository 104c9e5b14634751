"""``/language``: anyone chooses the language the bots write to them in."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.callbacks import ChooseLanguage
from bot.content import lead_profile
from bot.filters import NotBlocked
from bot.menus import set_chat_menu
from bot.middlewares import Sender, Services
from bot.render import language_buttons
from bot.texts import available_languages, t


async def language(message: Message, sender: Sender) -> None:
    """One button per language, each named in its own language."""
    await message.answer(
        t("language-choose", await sender.language()), reply_markup=language_buttons()
    )


async def choose(
    query: CallbackQuery,
    callback_data: ChooseLanguage,
    services: Services,
    sender: Sender,
    bots_by_source: dict[int, Bot],
) -> None:
    """Store the choice (it wins over Telegram's language from now on, for every message of
    every bot) and show each bot's menu in it."""
    user = query.from_user
    chosen = callback_data.language
    await services.languages.choose(
        lead_profile(user), chosen, available_languages(), is_admin=sender.is_admin
    )
    sender.chose(chosen)
    is_operator = await sender.is_operator()
    for bot in bots_by_source.values():
        await set_chat_menu(bot, user.id, chosen, is_admin=sender.is_admin, operator=is_operator)
    await query.answer()
    if isinstance(query.message, Message) and not isinstance(query.message, InaccessibleMessage):
        await query.message.edit_text(t("language-chosen", chosen))


def build_router() -> Router:
    """/language and its buttons, for every role."""
    router = Router(name=__name__)
    router.message.register(language, Command("language"), NotBlocked())
    router.callback_query.register(choose, ChooseLanguage.filter(), NotBlocked())
    return router
