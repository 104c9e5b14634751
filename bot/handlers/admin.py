"""Admin commands. The source of ``/weights`` is the bot the command is sent to."""

import asyncio

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot import charts, render
from bot.content import text_argument
from bot.filters import IsAdmin
from bot.handlers import operator
from bot.handlers.replies import answer_pages
from bot.menus import ADMIN_COMMANDS, reset_removed_operator
from bot.middlewares import Sender
from bot.texts import Languages, Markup, available_languages, t
from db.models import Source
from services.admin import parse_limit
from services.numbers import MAX_ID, is_number, parse_contact_number, parse_number
from services.registry import Services


def _args(command: CommandObject, low: int, high: int) -> list[str] | None:
    args = (command.args or "").split()
    return args if low <= len(args) <= high else None


async def _usage(message: Message, name: str, language: str) -> None:
    usage = Markup(t(f"usage-{name}", language))
    await message.answer(t("admin-usage", language, usage=usage))


# Commands that take no arguments: anything after them is a mistake worth pointing out.
NO_ARGUMENTS = (
    "operators",
    "sources",
    "queue",
    "texts",
    "templates",
    "topics",
    "banned",
    "holidays",
)
# ``/stats chart``: the word is the same in every language, as the commands are.
CHART = "chart"


def _has_arguments(_message: Message, command: CommandObject) -> bool:
    return bool(command.args)


async def takes_no_arguments(message: Message, command: CommandObject, sender: Sender) -> None:
    """``/stats now`` and the like: the usage line, not a silently ignored argument."""
    usage = f"/{command.command}"
    await message.answer(t("admin-usage", await sender.language(), usage=usage))


async def list_operators(message: Message, services: Services, sender: Sender) -> None:
    """Every operator: state, load / limit, weight per source, bots not started."""
    views = await services.admin.list_operators()
    await answer_pages(message, render.operators(views, await sender.language()))


async def add_operator(
    message: Message,
    command: CommandObject,
    services: Services,
    sender: Sender,
    default_limit: int,
) -> None:
    """``/addop <telegram id> [limit]``."""
    args = _args(command, 1, 2)
    # Only a numeric id: usernames are not known yet. Its range is the service's to check.
    if args is None or not is_number(args[0]):
        return await _usage(message, "addop", await sender.language())
    view = await services.admin.add_operator(args[0], args[1] if len(args) > 1 else default_limit)
    await message.answer(render.operator_added(view, await sender.language()))
    return None


async def remove_operator(
    message: Message,
    command: CommandObject,
    services: Services,
    sender: Sender,
    admin_ids: frozenset[int],
    languages: Languages,
    bots_by_source: dict[int, Bot],
) -> None:
    """``/delop <op>``: their open contacts go back to the queue, and every bot they started
    shows them the menu of who they are now (a client's, or an admin's)."""
    language = await sender.language()  # first: the removal drains the queue after its commit
    args = _args(command, 1, 1)
    if args is None:
        return await _usage(message, "delop", language)
    removed = await services.admin.remove_operator(args[0])
    text = t(
        "admin-operator-removed",
        language,
        telegram_id=removed.telegram_id,
        requeued=removed.requeued,
    )
    await message.answer(text)
    await reset_removed_operator(bots_by_source, removed, admin_ids, languages)
    return None


async def set_limit(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/limit <op> <n>``."""
    language = await sender.language()
    args = _args(command, 2, 2)
    if args is None:
        return await _usage(message, "limit", language)
    operator, previous = await services.admin.set_limit(args[0], args[1])
    text = t(
        "admin-limit-set",
        language,
        name=operator.display_name,
        previous=previous,
        limit=operator.max_open,
    )
    await message.answer(text)
    return None


async def set_active(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/activate <op>`` and ``/deactivate <op>``."""
    language = await sender.language()
    args = _args(command, 1, 1)
    if args is None:
        return await _usage(message, command.command, language)
    operator = await services.admin.set_active(args[0], command.command == "activate")
    await message.answer(render.activated(operator, language))
    return None


async def weights(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/weights`` shows this bot's weights and those of the form sources it announces;
    ``/weights <op>=<w> …`` sets this bot's, ``/weights @<form> [<op>=<w> …]`` a form's,
    ``/weights <topic> [<op>=<w> …]`` a topic's."""
    language = await sender.language()  # first: new weights drain the queue after the commit
    pairs = (command.args or "").split()
    target = source.id
    # A first word naming a topic of this bot sets (or shows) the topic's weights.
    if pairs and "=" not in pairs[0] and await services.topics.exists(source.id, pairs[0]):
        view = await services.topics.set_weights(source.id, pairs[0], pairs[1:])
        await answer_pages(message, render.topics(source, [view], language))
        return
    # A first word naming a form source picks it; any other is a pair (and refused as one).
    if pairs and "=" not in pairs[0]:
        form = await services.admin.form_source_id(pairs[0])
        if form is not None:
            target, pairs = form, pairs[1:]
    if pairs:
        views = [await services.admin.set_weights(target, pairs)]
    elif target != source.id:
        views = [await services.admin.weights(target)]
    else:
        views = [await services.admin.weights(source.id)]
        views += await services.admin.announced_weights(source.id)
    await answer_pages(message, [line for view in views for line in render.weights(view, language)])


async def mode(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/mode`` shows how this bot distributes; ``/mode <mode>`` changes it."""
    args = _args(command, 0, 1)
    if args is None:
        return await _usage(message, "mode", await sender.language())
    view = (
        await services.admin.set_mode(source.id, args[0])
        if args
        else await services.admin.mode(source.id)
    )
    await message.answer(render.mode(view, await sender.language()))
    return None


async def why(message: Message, command: CommandObject, services: Services, sender: Sender) -> None:
    """``/why <contact>``: why it went where it went."""
    language = await sender.language()
    args = _args(command, 1, 1)
    contact_id = parse_contact_number(args[0]) if args else None
    if contact_id is None:
        return await _usage(message, "why", language)
    view = await services.admin.why(contact_id)
    await answer_pages(message, render.why(view, language))
    return None


async def sources(message: Message, services: Services, sender: Sender) -> None:
    """Every bot with its traffic."""
    views = await services.admin.list_sources()
    await answer_pages(message, render.sources(views, await sender.language()))


async def queue(message: Message, services: Services, sender: Sender) -> None:
    """Queued contacts, oldest first, with wait time."""
    view = await services.admin.queue(limit=50)
    await answer_pages(message, render.queue(view, await sender.language()))


async def stats(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/stats [days]``: per source and per operator statistics, the operators' performance
    over the last week or ``days`` days; ``/stats chart``: the same and the day, drawn."""
    language = await sender.language()
    args = _args(command, 0, 1)
    if args is None:
        return await _usage(message, "stats", language)
    if args[0:1] == [CHART]:
        return await _chart(message, services, language)
    view = await services.admin.stats(*args)
    by_topic = render.topic_stats(await services.topics.stats(), language)
    await answer_pages(message, render.stats(view, language) + by_topic)
    return None


async def _chart(message: Message, services: Services, language: str) -> None:
    day = await services.admin.day()
    # Drawing takes CPU for a while: off the event loop, which goes on serving updates.
    chart = await asyncio.to_thread(charts.draw_day, day, language)
    picture = BufferedInputFile(chart.png, filename="switchboard-stats.png")
    caption = t("chart-caption", language)
    if chart.fits_a_photo:
        await message.answer_photo(picture, caption=caption)
    else:
        await message.answer_document(picture, caption=caption)


async def assign(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/assign <contact> <op>``."""
    language = await sender.language()
    args = _args(command, 2, 2)
    contact_id = parse_contact_number(args[0]) if args else None
    if args is None or contact_id is None:
        return await _usage(message, "assign", language)
    moved = await services.contacts.reassign(contact_id, args[1])
    text = t("admin-assigned", language, contact_id=moved.contact_id, operator=args[1])
    await message.answer(text)
    return None


async def invite(
    message: Message,
    command: CommandObject,
    services: Services,
    sender: Sender,
    bot: Bot,
    default_limit: int,
) -> None:
    """``/invite [limit]``: a one-time deep link that makes whoever opens it an operator."""
    language = await sender.language()
    args = _args(command, 0, 1)
    if args is None:
        return await _usage(message, "invite", language)
    limit = parse_limit(args[0]) if args else default_limit
    code = await services.admin.create_invite(message.chat.id, limit)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={code}"
    await message.answer(t("admin-invite", language, limit=limit, link=link))
    return None


async def texts(message: Message, services: Services, sender: Sender, source: Source) -> None:
    """``/texts``: this bot's texts for clients, in every language, its own or the default."""
    custom = await services.texts.of_source(source.id)
    await answer_pages(message, render.source_texts(source, custom, await sender.language()))


async def set_text(
    message: Message, command: CommandObject, services: Services, sender: Sender, source: Source
) -> None:
    """``/text <name> <language> <text…>`` sets one of this bot's texts, formatted as the admin
    wrote it; ``/text <name> <language>`` restores the default."""
    language = await sender.language()
    parsed = text_argument(message)
    if parsed is None:
        return await _usage(message, "text", language)
    name, text_language, text = parsed
    await services.texts.set_text(
        source.id,
        name,
        text_language,
        available_languages(),
        text.html if text else None,
        text.length if text else 0,
    )
    key = "admin-text-set" if text else "admin-text-reset"
    head = t(key, language, name=name, language=text_language, source=source.username)
    shown = text.html if text else t(render.default_text_key(name), text_language)
    await message.answer(f"{head}\n\n{shown}")
    return None


async def list_templates(
    message: Message, services: Services, sender: Sender, source: Source
) -> None:
    """``/templates``: this bot's canned replies, name and text."""
    items = await services.templates.of_source(source.id)
    await answer_pages(message, render.templates(source, items, await sender.language()))


async def change_template(
    message: Message, services: Services, sender: Sender, source: Source
) -> None:
    """``/template add <name> <text…>`` adds (or replaces) one of this bot's templates, the
    text formatted as the admin wrote it; ``/template del <name>`` removes one."""
    language = await sender.language()
    parsed = text_argument(message)
    if parsed is None:
        return await _usage(message, "template", language)
    action, name, text = parsed
    if action == "add" and text is not None:
        replaced = await services.templates.set_template(source.id, name, text.html, text.length)
        await message.answer(render.template_set(source, name, text.html, replaced, language))
    elif action == "del" and text is None:
        await services.templates.remove(source.id, name)
        await message.answer(t("admin-template-removed", language, name=name))
    else:
        await _usage(message, "template", language)
    return None


async def list_topics(message: Message, services: Services, sender: Sender, source: Source) -> None:
    """``/topics``: this bot's topics, their titles and weights."""
    views = await services.topics.of_bot(source.id)
    await answer_pages(message, render.topics(source, views, await sender.language()))


async def change_topic(
    message: Message, command: CommandObject, services: Services, sender: Sender, source: Source
) -> None:
    """``/topic add <name> <title…>`` adds (or retitles) one of this bot's topics;
    ``/topic del <name>`` removes one."""
    language = await sender.language()  # first: a removal drains the queue after its commit
    action, name, title = [*(command.args or "").split(maxsplit=2), "", "", ""][:3]
    if action == "add" and name and title:
        topic, replaced = await services.topics.add(source.id, name, title)
        key = "admin-topic-retitled" if replaced else "admin-topic-added"
        await message.answer(t(key, language, name=topic.name, title=topic.title))
    elif action == "del" and name and not title:
        await services.topics.remove(source.id, name)
        await message.answer(t("admin-topic-removed", language, name=name.lower()))
    else:
        await _usage(message, "topic", language)


async def unban(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/unban <client telegram id>``: lift a block."""
    language = await sender.language()
    args = _args(command, 1, 1)
    telegram_id = parse_number(args[0], 1, MAX_ID) if args else None
    if telegram_id is None:
        return await _usage(message, "unban", language)
    await services.contacts.unban(telegram_id)
    await message.answer(t("admin-unbanned", language, telegram_id=telegram_id))
    return None


async def banned(message: Message, services: Services, sender: Sender) -> None:
    """``/banned``: every blocked client, when and by whom."""
    views = await services.contacts.banned()
    await answer_pages(message, render.banned(views, await sender.language()))


async def business_hours(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/hours`` shows this bot's business hours, whether it is open now and when it opens;
    ``/hours <schedule>`` sets them, ``/hours off`` makes it always open."""
    spec = (command.args or "").strip()
    if spec:
        view = await services.hours.set_hours(source.id, spec)
    else:
        view = await services.hours.hours(source.id)
    await message.answer(render.hours(view, await sender.language(), changed=bool(spec)))


async def holiday(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/holiday YYYY-MM-DD`` closes this bot all that day; ``/holiday del YYYY-MM-DD``
    takes it back."""
    language = await sender.language()
    args = _args(command, 1, 2)
    if args is None or (len(args) == 2 and args[0].lower() != "del"):
        return await _usage(message, "holiday", language)
    day = args[-1]
    added = len(args) == 1
    if added:
        view = await services.hours.add_holiday(source.id, day)
    else:
        view = await services.hours.remove_holiday(source.id, day)
    await message.answer(render.holiday_changed(view, day, language, added=added))
    return None


async def list_holidays(
    message: Message, services: Services, source: Source, sender: Sender
) -> None:
    """``/holidays``: this bot's holidays."""
    view = await services.hours.hours(source.id)
    await message.answer(render.holidays(view, await sender.language()))


async def operator_shift(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/shift <op>`` shows an operator's shift; ``/shift <op> <schedule>`` sets it (in this
    bot's zone unless it names one), ``/shift <op> off`` lets them work whenever active."""
    language = await sender.language()
    ref, _, rest = (command.args or "").strip().partition(" ")
    if not ref:
        return await _usage(message, "shift", language)
    spec = rest.strip()
    if spec:
        view = await services.hours.set_shift(ref, spec, source.id)
    else:
        view = await services.hours.shift(ref)
    await message.answer(render.shift(view, language, changed=bool(spec)))
    return None


# /duty's and /afterhours' words are the same in every language, as the commands are.
_DUTY = {"on": True, "off": False}
_AFTER_HOURS = {"duty": True, "queue": False}


async def duty(
    message: Message, command: CommandObject, services: Services, sender: Sender
) -> None:
    """``/duty <op> on|off``: whether the operator takes contacts while a desk is closed."""
    language = await sender.language()
    args = _args(command, 2, 2)
    if args is None or args[1].lower() not in _DUTY:
        return await _usage(message, "duty", language)
    operator = await services.hours.set_duty(args[0], _DUTY[args[1].lower()])
    await message.answer(render.duty(operator, language))
    return None


async def after_hours(
    message: Message, command: CommandObject, services: Services, source: Source, sender: Sender
) -> None:
    """``/afterhours`` shows what this bot does with new contacts while it is closed;
    ``/afterhours duty`` lets its on-duty operators take them, ``/afterhours queue`` makes
    them wait for the opening."""
    language = await sender.language()
    args = _args(command, 0, 1)
    if args is None or (args and args[0].lower() not in _AFTER_HOURS):
        return await _usage(message, "afterhours", language)
    if args:
        view = await services.hours.change(source.id, duty=_AFTER_HOURS[args[0].lower()])
    else:
        view = await services.hours.hours(source.id)
    await message.answer(render.after_hours(view.source, language, changed=bool(args)))
    return None


async def refuse(message: Message, sender: Sender) -> None:
    """Anyone else trying an admin command: a refusal, nothing changes."""
    await message.answer(t("admin-only", await sender.language()))


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
    admin_only.message.register(mode, Command("mode"))
    admin_only.message.register(why, Command("why"))
    admin_only.message.register(sources, Command("sources"))
    admin_only.message.register(queue, Command("queue"))
    admin_only.message.register(stats, Command("stats"))
    admin_only.message.register(assign, Command("assign"))
    admin_only.message.register(invite, Command("invite"))
    admin_only.message.register(texts, Command("texts"))
    admin_only.message.register(set_text, Command("text"))
    admin_only.message.register(list_templates, Command("templates"))
    admin_only.message.register(change_template, Command("template"))
    admin_only.message.register(list_topics, Command("topics"))
    admin_only.message.register(change_topic, Command("topic"))
    # Any admin may move any contact to another topic.
    admin_only.message.register(operator.move_command, Command("move"))
    admin_only.message.register(business_hours, Command("hours"))
    admin_only.message.register(holiday, Command("holiday"))
    admin_only.message.register(list_holidays, Command("holidays"))
    admin_only.message.register(after_hours, Command("afterhours"))
    admin_only.message.register(operator_shift, Command("shift"))
    admin_only.message.register(duty, Command("duty"))
    # Any admin may have any transcript, operator or not.
    admin_only.message.register(operator.history, Command("history"))
    # Any admin may block the client of any contact.
    admin_only.message.register(operator.ban_command, Command("ban"))
    admin_only.message.register(unban, Command("unban"))
    admin_only.message.register(banned, Command("banned"))
    refusals = Router(name=f"{__name__}.refusals")
    refusals.message.register(refuse, Command(*ADMIN_COMMANDS))
    # A router's own handlers run before its children's, so both are children, admins first.
    router = Router(name=__name__)
    router.include_routers(admin_only, refusals)
    return router
