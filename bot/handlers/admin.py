"""Admin commands. The source of ``/weights`` is the bot the command is sent to."""

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot import render
from bot.filters import IsAdmin
from bot.handlers.replies import answer_pages
from bot.menus import ADMIN_COMMANDS, reset_removed_operator
from bot.texts import t
from db.models import Source
from services.admin import parse_limit
from services.numbers import is_number, parse_contact_number
from services.registry import Services

USAGE = {
    "addop": "/addop <telegram id> [limit]",
    "delop": "/delop <op>",
    "limit": "/limit <op> <n>",
    "activate": "/activate <op>",
    "deactivate": "/deactivate <op>",
    "weights": "/weights [<op>=<w> …]",
    "assign": "/assign <contact> <op>",
    "invite": "/invite [limit]",
}


def _args(command: CommandObject, low: int, high: int) -> list[str] | None:
    args = (command.args or "").split()
    return args if low <= len(args) <= high else None


async def _usage(message: Message, name: str) -> None:
    await message.answer(t("admin.usage", usage=USAGE[name]))


# Commands that take no arguments: anything after them is a mistake worth pointing out.
NO_ARGUMENTS = ("operators", "sources", "queue", "stats")


def _has_arguments(_message: Message, command: CommandObject) -> bool:
    return bool(command.args)


async def takes_no_arguments(message: Message, command: CommandObject) -> None:
    """``/stats now`` and the like: the usage line, not a silently ignored argument."""
    await message.answer(t("admin.usage", usage=f"/{command.command}"))


async def list_operators(message: Message, services: Services) -> None:
    """Every operator: state, load / limit, weight per source, bots not started."""
    await answer_pages(message, render.operators(await services.admin.list_operators()))


async def add_operator(
    message: Message, command: CommandObject, services: Services, default_limit: int
) -> None:
    """``/addop <telegram id> [limit]``."""
    args = _args(command, 1, 2)
    # Only a numeric id: usernames are not known yet. Its range is the service's to check.
    if args is None or not is_number(args[0]):
        return await _usage(message, "addop")
    view = await services.admin.add_operator(args[0], args[1] if len(args) > 1 else default_limit)
    await message.answer(render.operator_added(view))
    return None


async def remove_operator(
    message: Message,
    command: CommandObject,
    services: Services,
    admin_ids: frozenset[int],
    bots_by_source: dict[int, Bot],
) -> None:
    """``/delop <op>``: their open contacts go back to the queue, and every bot they started
    shows them the menu of who they are now (a client's, or an admin's)."""
    args = _args(command, 1, 1)
    if args is None:
        return await _usage(message, "delop")
    removed = await services.admin.remove_operator(args[0])
    await message.answer(
        t("admin.operator_removed", telegram_id=removed.telegram_id, requeued=removed.requeued)
    )
    await reset_removed_operator(bots_by_source, removed, admin_ids)
    return None


async def set_limit(message: Message, command: CommandObject, services: Services) -> None:
    """``/limit <op> <n>``."""
    args = _args(command, 2, 2)
    if args is None:
        return await _usage(message, "limit")
    operator, previous = await services.admin.set_limit(args[0], args[1])
    await message.answer(
        t("admin.limit_set", name=operator.display_name, previous=previous, limit=operator.max_open)
    )
    return None


async def set_active(message: Message, command: CommandObject, services: Services) -> None:
    """``/activate <op>`` and ``/deactivate <op>``."""
    args = _args(command, 1, 1)
    if args is None:
        return await _usage(message, command.command)
    operator = await services.admin.set_active(args[0], command.command == "activate")
    await message.answer(render.activated(operator))
    return None


async def weights(
    message: Message, command: CommandObject, services: Services, source: Source
) -> None:
    """``/weights`` shows this bot's weights; ``/weights <op>=<w> …`` sets them."""
    pairs = (command.args or "").split()
    view = (
        await services.admin.set_weights(source.id, pairs)
        if pairs
        else await services.admin.weights(source.id)
    )
    await answer_pages(message, render.weights(view))


async def sources(message: Message, services: Services) -> None:
    """Every bot with its traffic."""
    await answer_pages(message, render.sources(await services.admin.list_sources()))


async def queue(message: Message, services: Services) -> None:
    """Queued contacts, oldest first, with wait time."""
    await answer_pages(message, render.queue(await services.admin.queue(limit=50)))


async def stats(message: Message, services: Services) -> None:
    """Per source and per operator statistics."""
    await answer_pages(message, render.stats(await services.admin.stats()))


async def assign(message: Message, command: CommandObject, services: Services) -> None:
    """``/assign <contact> <op>``."""
    args = _args(command, 2, 2)
    contact_id = parse_contact_number(args[0]) if args else None
    if args is None or contact_id is None:
        return await _usage(message, "assign")
    moved = await services.contacts.reassign(contact_id, args[1])
    await message.answer(t("admin.assigned", contact_id=moved.contact_id, operator=args[1]))
    return None


async def invite(
    message: Message,
    command: CommandObject,
    services: Services,
    bot: Bot,
    default_limit: int,
) -> None:
    """``/invite [limit]``: a one-time deep link that makes whoever opens it an operator."""
    args = _args(command, 0, 1)
    if args is None:
        return await _usage(message, "invite")
    limit = parse_limit(args[0]) if args else default_limit
    code = await services.admin.create_invite(message.chat.id, limit)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={code}"
    await message.answer(t("admin.invite", limit=limit, link=link))
    return None


async def refuse(message: Message) -> None:
    """Anyone else trying an admin command: a refusal, nothing changes."""
    await message.answer(t("admin.only"))


def build_router() -> Router:
    """Admin commands for admins, a refusal for everyone else."""
    admin_only = Router(name=f"{__name__}.admin_only")
    admin_only.message.filter(IsAdmin())
    admin_only.message.register(takes_no_arguments, Command(*NO_ARGUMENTS), _has_arguments)
    admin_only.message.register(list_operators, Command("operators"))
    admin_only.message.register(add_operator, Command("addop"))
    admin_only.message.register(remove_operator, Command("delop"))
    admin_only.message.register(set_limit, Command("limit"))
    admin_only.message.register(set_active, Command("activate", "deactivate"))
    admin_only.message.register(weights, Command("weights"))
    admin_only.message.register(sources, Command("sources"))
    admin_only.message.register(queue, Command("queue"))
    admin_only.message.register(stats, Command("stats"))
    admin_only.message.register(assign, Command("assign"))
    admin_only.message.register(invite, Command("invite"))
    refusals = Router(name=f"{__name__}.refusals")
    refusals.message.register(refuse, Command(*ADMIN_COMMANDS))
    # A router's own handlers run before its children's, so both are children, admins first.
    router = Router(name=__name__)
    router.include_routers(admin_only, refusals)
    return router
