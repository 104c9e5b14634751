"""The one place that turns service results and outbox notices into Telegram messages."""

import itertools
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import (
    BanAsk,
    BanCancel,
    BanConfirm,
    ChooseLanguage,
    ChooseTopic,
    CloseContact,
    MoveMenu,
    MoveTo,
    RateContact,
    SendTemplate,
    SendTo,
    TransferMenu,
    TransferTo,
)
from bot.texts import Markup, available_languages, escape, plain, t
from db.models import (
    MAX_RATING,
    ContactStatus,
    Direction,
    Lead,
    Operator,
    Source,
    Template,
    Topic,
)
from services.assignment import OUT_OF_HOURS, REASSIGNED
from services.business_hours import HoursView, ShiftView
from services.contacts import Ban, Reassignment, TopicChoice, TopicMove, TopicOutcome
from services.errors import DomainError
from services.hours import DAYS
from services.notices import (
    ClientOutOfHours,
    ClientRef,
    ClientTopics,
    ClosingNotice,
    Notice,
    OperatorCard,
    OperatorFormMessage,
    TopicButton,
)
from services.operators import TEMPLATE, ContactChoice, OpenContactView, Relay, RelayOutcome
from services.texts import CUSTOM_TEXTS, PLACEHOLDERS
from services.transcripts import TranscriptHead, TranscriptLine
from services.views import (
    BannedView,
    DecisionView,
    ModeView,
    OperatorView,
    Performance,
    QueueView,
    SourceView,
    StatsView,
    TopicStats,
    TopicView,
    WeightsView,
    WhyView,
)

# Telegram allows 4096 characters per message; stay below to leave room for entities.
MESSAGE_LIMIT = 4000
# Telegram's limits of a message's text and of a caption (in UTF-16 units, after parsing; the
# HTML source is never shorter).
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# Buttons of the "which contact?" question; Telegram allows 100 per keyboard, and a list longer
# than this is no help to choose from.
CHOICE_BUTTONS = 50


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units, so most emoji count twice."""
    return len(text.encode("utf-16-le")) // 2


def paginate(lines: Iterable[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join lines into as few messages as fit Telegram's length limit."""
    pages: list[str] = []
    current = ""
    for line in lines:
        while telegram_length(line) > limit:  # a single huge line is cut, never dropped
            if current:
                pages.append(current)
                current = ""
            # Half the limit in characters is within it in UTF-16 units, whatever they are.
            pages.append(line[: limit // 2])
            line = line[limit // 2 :]
        candidate = f"{current}\n{line}" if current else line
        if telegram_length(candidate) > limit:
            pages.append(current)
            candidate = line
        current = candidate
    if current:
        pages.append(current)
    return pages


def _full_name(lead: Lead | ClientRef) -> str:
    return " ".join(p for p in (lead.first_name, lead.last_name) if p) or "—"


def client_name(lead: Lead | ClientRef) -> str:
    """A client as operators see them: name, @username, id and phone (not escaped); a form's
    lead may have no Telegram id."""
    name = _full_name(lead)
    username = f" @{lead.username}" if lead.username else ""
    known = [f"id {lead.telegram_id}" if lead.telegram_id is not None else "", lead.phone or ""]
    details = ", ".join(part for part in known if part)
    return f"{name}{username} ({details})" if details else f"{name}{username}"


def _card_client(lead: Lead) -> str:
    """A client as their card names them (not escaped): name and Telegram id; the card shows
    their @username and phone on a line of their own."""
    name = _full_name(lead)
    return f"{name} (id {lead.telegram_id})" if lead.telegram_id is not None else name


def _when(moment: datetime | None, language: str) -> str:
    return t("datetime", language, moment=moment) if moment else "—"


def _duration(delta: timedelta, language: str) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return t("duration-minutes", language, minutes=minutes)
    return t("duration-hours", language, hours=minutes // 60, minutes=minutes % 60)


def _status(status: ContactStatus, language: str) -> str:
    return t("contact-status", language, status=status.value)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _label(key: str, language: str, **params: Any) -> str:
    """A button label: shown verbatim (not HTML) and kept short."""
    return plain(key, language, **params)[:64]


def card_keyboard(
    contact_id: int, language: str, *, form: bool = False, topics: bool = False
) -> InlineKeyboardMarkup:
    """The keyboard under a card: Close, Transfer (to a colleague) and, for a Telegram
    client (a form's lead cannot be blocked), Block (asks first); in a bot with topics,
    Topic (move it to another) on a row of its own."""
    close = InlineKeyboardButton(
        text=_label("button-close", language, contact_id=contact_id),
        callback_data=CloseContact(contact_id=contact_id).pack(),
    )
    transfer = InlineKeyboardButton(
        text=_label("button-transfer", language),
        callback_data=TransferMenu(contact_id=contact_id).pack(),
    )
    block = InlineKeyboardButton(
        text=_label("button-ban", language),
        callback_data=BanAsk(contact_id=contact_id).pack(),
    )
    row = [close, transfer] if form else [close, transfer, block]
    if not topics:
        return InlineKeyboardMarkup(inline_keyboard=[row])
    move = InlineKeyboardButton(
        text=_label("button-move-topic", language),
        callback_data=MoveMenu(contact_id=contact_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[row, [move]])


def ban_question(contact_id: int, language: str) -> tuple[str, InlineKeyboardMarkup]:
    """The Block button pressed: what a block does, and Block / Cancel."""
    yes = InlineKeyboardButton(
        text=_label("button-ban-confirm", language, contact_id=contact_id),
        callback_data=BanConfirm(contact_id=contact_id).pack(),
    )
    no = InlineKeyboardButton(
        text=_label("button-ban-cancel", language),
        callback_data=BanCancel(contact_id=contact_id).pack(),
    )
    text = t("operator-ban-confirm", language, contact_id=contact_id)
    return text, InlineKeyboardMarkup(inline_keyboard=[[yes, no]])


def banned_done(banned: Ban, language: str) -> str:
    """A client blocked, and which of their contacts closed with it."""
    closed = ", ".join(f"#{n}" for n in banned.closed) or "—"
    return t(
        "operator-banned",
        language,
        client=banned.name or "—",
        telegram_id=banned.telegram_id,
        count=len(banned.closed),
        closed=closed,
    )


def banned(views: list[BannedView], language: str) -> list[str]:
    """``/banned``: every blocked client (name, id, when, by whom), as pages."""
    if not views:
        return [t("admin-banned-none", language)]
    lines = [t("admin-banned-head", language, count=len(views))]
    for view in views:
        lead = view.lead
        lines.append(
            t(
                "admin-banned-item",
                language,
                client=client_name(lead),
                telegram_id=lead.telegram_id or 0,
                when=_when(lead.banned_at, language),
                by=view.by_name or str(lead.banned_by or "—"),
            )
        )
    return paginate(lines)


def transfer_done(moved: Reassignment, operator: str, language: str) -> str:
    """A contact passed to ``operator`` (as the operator named them); a form's lead was told
    nothing, so the answer does not say they were."""
    key = "operator-transfer-done-form" if moved.form else "operator-transfer-done"
    return t(key, language, contact_id=moved.contact_id, operator=operator)


def free_colleagues(
    contact_id: int, colleagues: list[Operator], language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The Transfer button pressed: the colleagues who could take the contact now, as buttons
    (at most ``CHOICE_BUTTONS``), or why there are none."""
    if not colleagues:
        return t("operator-transfer-nobody", language, contact_id=contact_id), None
    rows = [
        [
            InlineKeyboardButton(
                text=_label("operator-transfer-choice", language, name=op.display_name),
                callback_data=TransferTo(contact_id=contact_id, telegram_id=op.telegram_id).pack(),
            )
        ]
        for op in colleagues[:CHOICE_BUTTONS]
    ]
    text = t("operator-transfer-choose", language, contact_id=contact_id)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def notice(
    notice: Notice, language: str, custom: str | None = None, *, ask_rating: bool = False
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Render an outbox notice into text and keyboard: ``custom`` (the bot's own text for it)
    or its text with its fields as the text's parameters; the card, formatted, has buttons,
    and with ``ask_rating`` the close of a contact an operator had asks for stars."""
    if isinstance(notice, OperatorCard):
        keyboard = card_keyboard(
            notice.contact_id, language, form=notice.form, topics=notice.topics
        )
        return _card(notice, language), keyboard
    if isinstance(notice, ClientTopics):
        return t(notice.text_key, language), topic_keyboard(notice.topics)
    if isinstance(notice, OperatorFormMessage):
        head = t(notice.text_key, language, contact_id=notice.contact_id)
        return _with_words(head, [notice.text]), None
    if isinstance(notice, ClientOutOfHours):
        opens = Markup(opens_at(notice.opens, notice.zone, language))
        if custom is not None:
            return custom.replace("{opens}", opens), None
        return t(notice.text_key, language, opens=opens), None
    text = custom if custom is not None else t(notice.text_key, language, **notice.arguments())
    if ask_rating and isinstance(notice, ClosingNotice) and notice.rateable:
        asked = f"{text}\n\n{t('client-rate-ask', language)}"
        # A bot's own closing text may fill a message: then the stars go without the question.
        text = asked if telegram_length(asked) <= MESSAGE_LIMIT else text
        return text, rating_keyboard(notice.contact_id, language)
    return text, None


def opens_at(opens: datetime | None, zone: str, language: str) -> str:
    """When a desk opens, as its time zone's weekday, date and time."""
    if opens is None:
        return t("hours-opens-never", language)
    local = opens.astimezone(ZoneInfo(zone))
    return t(
        "hours-opens",
        language,
        weekday=DAYS[local.weekday()],
        date=local.date().isoformat(),
        time=local.strftime("%H:%M"),
        zone=zone,
    )


def _hours_now(view: HoursView, language: str) -> list[str]:
    """Whether the desk is open now and, if not, when it opens (nothing without hours)."""
    if view.schedule is None:
        return []
    if view.open_now:
        return [t("hours-open-now", language)]
    opens = Markup(opens_at(view.opens, view.schedule.zone, language))
    return [t("hours-closed-now", language, opens=opens)]


def hours(view: HoursView, language: str, *, changed: bool = False) -> str:
    """``/hours``: the bot's schedule (or that it is always open), whether it is open now and
    when it opens, whether its operators on duty take contacts outside it, and its holidays;
    after a change, that it was saved."""
    source = view.source.username
    if view.schedule is None:
        return t("admin-hours-off-set" if changed else "admin-hours-off", language, source=source)
    head = t(
        "admin-hours-set" if changed else "admin-hours", language, source=source, spec=view.spec
    )
    lines = [head, *_hours_now(view, language)]
    if view.source.duty_after_hours:
        lines.append(t("hours-duty-after-hours", language))
    if view.holidays:
        lines.append(_holidays_line(view, language))
    return "\n".join(lines)


def _holidays_line(view: HoursView, language: str) -> str:
    if not view.holidays:
        return t("admin-holidays-none", language, source=view.source.username)
    days = ", ".join(day.isoformat() for day in view.holidays)
    return t("admin-holidays", language, source=view.source.username, days=days)


def holidays(view: HoursView, language: str) -> str:
    """``/holidays``: the bot's holidays, oldest first."""
    return _holidays_line(view, language)


def holiday_changed(view: HoursView, day: str, language: str, *, added: bool) -> str:
    """``/holiday [del] <day>``: what changed, and whether the desk is open now."""
    if added:
        key = "admin-holiday-added" if view.changed else "admin-holiday-known"
    else:
        key = "admin-holiday-removed" if view.changed else "admin-holiday-unknown"
    return "\n".join([t(key, language, day=day), *_hours_now(view, language)])


def rating_keyboard(contact_id: int, language: str) -> InlineKeyboardMarkup:
    """One row of stars, 1 to ``MAX_RATING``, under the close of a contact."""
    stars = [
        InlineKeyboardButton(
            text=_label("button-rate", language, stars=n),
            callback_data=RateContact(contact_id=contact_id, stars=n).pack(),
        )
        for n in range(1, MAX_RATING + 1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[stars])


def _with_words(head: str, words: list[str]) -> str:
    """``head`` followed by a form lead's words, escaped (they are the lead's, not HTML),
    each after a blank line and clipped so that the whole fits one message. Not through a
    catalog: Fluent refuses parameters over 1,000 characters."""
    text = head
    for said in words:
        room = MESSAGE_LIMIT - telegram_length(text) - 2
        if room <= 1:
            break
        piece = escape(said)
        if telegram_length(piece) > room:
            piece = escape(_clip_to(said, room))
        text = f"{text}\n\n{piece}"
    return text


def _clip_to(said: str, room: int) -> str:
    """The longest start of ``said`` whose escaped form, with an ellipsis, fits ``room``."""
    cut = min(len(said), room)
    while cut and (over := telegram_length(escape(said[:cut])) + 1 - room) > 0:
        # An escaped character is at most 5 long (&amp;), so this cuts no more than needed.
        cut -= max(1, over // 5)
    return said[:cut] + "…"


def carried_card(card: OperatorCard, words: str | None, language: str, limit: int) -> str | None:
    """The card followed by the client's words (Telegram HTML) that one message carries, or
    ``None`` when that is longer than ``limit`` (then the card and the copy go apart)."""
    text = _card(card, language)
    if words:
        # Not through a catalog: Fluent refuses parameters over 1,000 characters, and the
        # words are the client's, after a blank line, in every language.
        text = f"{text}\n\n{words}"
    return text if telegram_length(text) <= limit else None


def _card(card: OperatorCard, language: str) -> str:
    lines = [t("operator-card-history-none", language)]
    if card.history:
        lines = [t("operator-card-history-head", language)]
        lines += [
            t(
                "operator-card-history-item",
                language,
                id=past.id,
                source=past.source,
                status=_status(past.status, language),
                created=_when(past.created_at, language),
            )
            for past in card.history
        ]
    rendered = "\n".join(lines)
    if card.form:
        lead = card.lead
        head = t(
            card.text_key,
            language,
            contact_id=card.contact_id,
            source=card.source.username,
            client=_card_client(lead),
            phone=lead.phone or "—",
            email=lead.email or "—",
            external_id=lead.external_id or "—",
            history=Markup(rendered),
        )
        return _with_words(head, card.messages)
    return t(
        card.text_key,
        language,
        contact_id=card.contact_id,
        source=card.source.username,
        client=_card_client(card.lead),
        context=Markup(_topic_line(card, language) + _context(card, language)),
        history=Markup(rendered),
    )


def _topic_line(card: OperatorCard, language: str) -> str:
    """The card's line naming the contact's topic (escaped), if it has one."""
    if card.topic is None:
        return ""
    return t("operator-card-topic", language, topic=card.topic) + "\n"


def _context(card: OperatorCard, language: str) -> str:
    """The client at a glance: @username, language, phone (what they shared), how many
    earlier contacts, and how the last one ended; escaped, one line."""
    lead = card.lead
    last = card.history[0] if card.history else None
    outcome = (
        t("operator-card-outcome", language, how=last.closed_how or "")
        if last is not None and last.status is ContactStatus.CLOSED
        else _status(last.status, language)
        if last is not None
        else ""
    )
    return t(
        "operator-card-context",
        language,
        username=f"@{lead.username}" if lead.username else "—",
        language_code=lead.language or "—",
        phone=lead.phone or "—",
        earlier=card.earlier,
        outcome=Markup(outcome),
    )


def _clip(value: object, limit: int = 100) -> object:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error(exc: DomainError, language: str) -> str:
    """A domain error as the user reads it; echoed input is clipped so the reply always fits."""
    return t(exc.key, language, **{k: _clip(v) for k, v in exc.params.items()})


def choose_contact(
    choices: list[ContactChoice], message_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask an operator which contact an unaddressed message is for.

    Beyond ``CHOICE_BUTTONS`` contacts, the most recently active ones are offered (in the order
    given) and the question says how many more there are and how to answer them.
    """
    by_activity = sorted(choices, key=lambda c: c.last_activity_at, reverse=True)
    recent = {c.contact_id for c in by_activity[:CHOICE_BUTTONS]}
    offered = [c for c in choices if c.contact_id in recent]
    rows = [
        [
            InlineKeyboardButton(
                text=_label(
                    "operator-choice", language, contact_id=c.contact_id, client=client_name(c.lead)
                ),
                callback_data=SendTo(contact_id=c.contact_id, message_id=message_id).pack(),
            )
        ]
        for c in offered
    ]
    text = t("operator-ambiguous", language)
    if hidden := len(choices) - len(offered):
        text += "\n" + t("operator-ambiguous-more", language, shown=len(offered), hidden=hidden)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


# Why an operator's message was not sent, by outcome (the others need no answer).
NOT_SENT = {
    RelayOutcome.NO_CONTACT: "operator-no-contact",
    RelayOutcome.CLOSED: "operator-reply-closed",
    RelayOutcome.TAKEN_AWAY: "operator-reply-taken-away",
    RelayOutcome.FORM: "operator-reply-form",
}


def not_sent(relay: Relay, language: str) -> str:
    """Why an operator's message was not sent (an outcome of ``NOT_SENT``; the others, sent
    or a redelivered update of one that was, need no answer)."""
    return t(NOT_SENT[relay.outcome], language, contact_id=relay.contact_id)


def contact_chosen(relay: Relay, language: str) -> str:
    """The "which contact?" question, once the operator pressed one of its buttons."""
    if relay.outcome is RelayOutcome.DUPLICATE:
        # A second tap: say where the message went, not where this button points.
        return t("operator-already-sent", language, contact_id=relay.contact_id)
    if relay.outcome in NOT_SENT:
        return not_sent(relay, language)
    return t("operator-sent", language, contact_id=relay.contact_id)


def open_contacts(views: list[OpenContactView], language: str) -> list[str]:
    """``/contacts``."""
    if not views:
        return [t("operator-contacts-none", language)]
    lines = [t("operator-contacts-head", language, count=len(views))]
    lines += [
        t(
            "operator-contacts-item",
            language,
            contact_id=v.contact.id,
            source=v.source.username,
            client=client_name(v.lead),
            status=_status(v.contact.status, language),
            created=_when(v.contact.created_at, language),
        )
        for v in views
    ]
    return paginate(lines)


def _links(view: OperatorView, language: str) -> list[str]:
    lines = []
    for link in view.links:
        flags = ""
        if not link.started:
            flags += t("admin-flag-not-started", language)
        if link.unreachable:
            flags += t("admin-flag-unreachable", language)
        lines.append(
            t(
                "admin-operator-link",
                language,
                source=link.source.username,
                weight=link.weight,
                flags=Markup(flags),
            )
        )
    return lines


# An operator's state by (active, paused): the admin's switch and the operator's own.
_STATES = {
    (True, False): "operator-state-active",
    (True, True): "operator-state-paused",
    (False, False): "operator-state-inactive",
    (False, True): "operator-state-inactive-paused",
}


def _state(operator: Operator, language: str) -> str:
    return t(_STATES[operator.active, operator.paused], language)


def paused(operator: Operator, language: str) -> str:
    """``/pause`` and ``/resume``: whether new contacts come now, and if not, why."""
    if operator.paused:
        return t("operator-paused", language)
    return t("operator-resumed" if operator.active else "operator-resumed-inactive", language)


def activated(operator: Operator, language: str) -> str:
    """``/activate`` and ``/deactivate``: whether new contacts come now, and if not, why."""
    if not operator.active:
        key = "admin-deactivated"
    else:
        key = "admin-activated-paused" if operator.paused else "admin-activated"
    return t(key, language, name=operator.display_name)


def me(view: OperatorView, language: str) -> str:
    """``/me``."""
    op = view.operator
    links = "\n" + "\n".join(_links(view, language)) if view.links else "—"
    head = t(
        "operator-me",
        language,
        name=op.display_name,
        state=_state(op, language),
        open=op.open_count,
        limit=op.max_open,
        links=Markup(links),
    )
    return "\n".join([head, *_shift_lines(view, language)])


def operators(views: list[OperatorView], language: str) -> list[str]:
    """``/operators``."""
    if not views:
        return [t("admin-operators-none", language)]
    lines: list[str] = []
    for view in views:
        op = view.operator
        lines.append(
            t(
                "admin-operator-line",
                language,
                name=op.display_name,
                telegram_id=op.telegram_id,
                username=f", @{op.username}" if op.username else "",
                state=_state(op, language),
                open=op.open_count,
                limit=op.max_open,
            )
        )
        lines += _shift_lines(view, language)
        lines += _links(view, language)
    return paginate(lines)


def _shift_lines(view: OperatorView, language: str) -> list[str]:
    """An operator's shift and duty, where they have them (``/operators``, ``/me``)."""
    op = view.operator
    lines = []
    if op.shift is not None:
        now = "on" if view.on_shift else "off"
        lines.append(t("admin-operator-shift", language, spec=op.shift, now=now))
    if op.on_duty:
        lines.append(t("admin-operator-on-duty", language))
    return lines


def shift(view: ShiftView, language: str, *, changed: bool = False) -> str:
    """``/shift <op> [spec|off]``: the operator's shift and whether they are on it now."""
    name = view.operator.display_name
    if view.schedule is None:
        return t("admin-shift-none-set" if changed else "admin-shift-none", language, name=name)
    key = "admin-shift-set" if changed else "admin-shift"
    now = "on" if view.on_shift else "off"
    return t(key, language, name=name, spec=view.spec, now=now)


def duty(operator: Operator, language: str) -> str:
    """``/duty <op> on|off``."""
    key = "admin-duty-on" if operator.on_duty else "admin-duty-off"
    return t(key, language, name=operator.display_name)


def after_hours(source: Source, language: str, *, changed: bool = False) -> str:
    """``/afterhours [queue|duty]``: what the bot does with new contacts while it is closed."""
    mode = "duty" if source.duty_after_hours else "queue"
    key = "admin-after-hours-set" if changed else "admin-after-hours"
    return t(key, language, source=source.username, mode=mode)


def operator_added(view: OperatorView, language: str) -> str:
    """``/addop`` succeeded."""
    bots = ", ".join(f"@{s.username}" for s in view.not_started) or "—"
    return t(
        "admin-operator-added",
        language,
        name=view.operator.display_name,
        limit=view.operator.max_open,
        bots=bots,
    )


def weights(view: WeightsView, language: str) -> list[str]:
    """``/weights``."""
    if not any(row.weight for row in view.rows):
        return [t("admin-weights-none", language, source=view.source.username)]
    lines = [t("admin-weights-head", language, source=view.source.username)]
    for row in view.rows:
        flags = "" if row.started else t("admin-flag-not-started", language)
        lines.append(
            t(
                "admin-weights-line",
                language,
                name=row.operator.display_name,
                weight=row.weight,
                share=_percent(row.share),
                flags=Markup(flags),
            )
        )
    return paginate(lines)


def sources(views: list[SourceView], language: str) -> list[str]:
    """``/sources``."""
    return paginate(
        t(
            "admin-sources-line",
            language,
            source=v.source.username,
            title=v.source.title,
            total=v.total,
            open=v.open,
            queued=v.queued,
            operators=v.operators,
        )
        for v in views
    )


def queue(view: QueueView, language: str) -> list[str]:
    """``/queue``."""
    if not view.total:
        return [t("admin-queue-empty", language)]
    lines = [t("admin-queue-head", language, total=view.total)]
    lines += [
        t(
            "admin-queue-line",
            language,
            contact_id=item.contact.id,
            source=item.source.username,
            client=client_name(item.lead),
            waited=_duration(item.waited, language),
        )
        for item in view.items
    ]
    if view.total > len(view.items):
        lines.append(t("admin-queue-more", language, more=view.total - len(view.items)))
    return paginate(lines)


def stats(view: StatsView, language: str) -> list[str]:
    """``/stats``."""
    lines: list[str] = []
    for s in view.sources:
        lines.append(
            t(
                "admin-stats-source",
                language,
                source=s.source.username,
                total=s.total,
                open=s.open,
                queued=s.queued,
            )
        )
        lines += [
            t(
                "admin-stats-share",
                language,
                name=share.operator.display_name,
                assigned=share.assigned,
                share=_percent(share.share),
                configured=_percent(share.configured_share),
            )
            for share in s.shares
        ]
    lines.append(t("admin-stats-operators", language, days=view.days))
    for o in view.operators:
        lines.append(
            t(
                "admin-stats-operator",
                language,
                name=o.operator.display_name,
                open=o.operator.open_count,
                limit=o.operator.max_open,
                assigned=o.assigned,
                closed=o.closed,
            )
        )
        lines.append(_performance(o.performance, language))
    return paginate(lines)


def _performance(performance: Performance, language: str) -> str:
    def median(delta: timedelta | None) -> str:
        if delta is None:
            return "—"
        if delta < timedelta(minutes=1):  # first replies often come within seconds
            return t("duration-seconds", language, seconds=int(delta.total_seconds()))
        return _duration(delta, language)

    return t(
        "admin-stats-performance",
        language,
        contacts=performance.contacts,
        closed=performance.closed,
        first_reply=median(performance.first_reply),
        handling=median(performance.handling),
        ratings=performance.ratings,
        rating=performance.rating or 0,
    )


def mode(view: ModeView, language: str) -> str:
    """``/mode``: the bot's mode, or that it just changed."""
    about = t("mode-about", language, mode=view.mode.value)
    if view.previous is None:
        return t(
            "admin-mode", language, source=view.source.username, mode=view.mode.value, about=about
        )
    return t(
        "admin-mode-set",
        language,
        source=view.source.username,
        mode=view.mode.value,
        previous=view.previous.value,
        about=about,
    )


def _decision(decision: DecisionView, language: str) -> list[str]:
    when = _when(decision.at, language)
    left = [
        t("why-left-out", language, name=name, reason=reason) for name, reason in decision.left_out
    ]
    if decision.mode == OUT_OF_HOURS:
        # With operators left out, its on-duty operators were asked and none could take it.
        key = "why-out-of-hours-duty" if left else "why-out-of-hours"
        return [t(key, language, when=when), *left]
    if decision.pick is None:
        head = t("why-queued", language, when=when, mode=decision.mode)
    elif decision.mode == REASSIGNED:
        return [t("why-reassigned", language, when=when, name=decision.pick)]
    else:
        head = t("why-assigned", language, when=when, mode=decision.mode, name=decision.pick)
    lines = [head]
    lines += [
        t(
            "why-eligible",
            language,
            name=row.name,
            weight=row.weight,
            open=row.open,
            limit=row.limit,
            chance="none" if row.chance is None else _percent(row.chance),
        )
        for row in decision.eligible
    ]
    return lines + left


def why(view: WhyView, language: str) -> list[str]:
    """``/why <n>``: every recorded decision about the contact, oldest first."""
    if not view.decisions:
        return [t("why-none", language, contact_id=view.contact.id)]
    lines = [t("why-head", language, contact_id=view.contact.id, source=view.source.username)]
    if view.topic is not None:
        lines.append(t("why-topic", language, topic=view.topic))
    for decision in view.decisions:
        lines += _decision(decision, language)
    return paginate(lines)


def default_text_key(name: str) -> str:
    """The catalog's key of the default text a bot's own text ``name`` replaces."""
    return f"client-{name.replace('_', '-')}"


def source_texts(source: Source, custom: dict[tuple[str, str], str], language: str) -> list[str]:
    """``/texts``: each text of this bot in every language, its own (as its admin formatted
    it) or the default. A text is never cut: a long one gets a message of its own."""
    lines = [t("admin-texts-head", language, source=source.username)]
    for name in CUSTOM_TEXTS:
        lines.append(t("admin-texts-name", language, name=name))
        for text_language in available_languages():
            own = custom.get((name, text_language))
            # A placeholder shows as the admin writes it in their own text: {opens}.
            shown = {key: "{" + key + "}" for key in PLACEHOLDERS.get(name, ())}
            default = t(default_text_key(name), text_language, **shown)
            text = Markup(own) if own else Markup(default)
            lines.append(
                t(
                    "admin-texts-value",
                    language,
                    language=text_language,
                    custom="yes" if own else "no",
                    text=text,
                )
            )
    return _pack(lines)


def _pack(lines: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join lines into as few messages as fit ``limit``, never cutting one (each line is
    valid HTML on its own and short enough for Telegram as it counts, without the markup)."""
    pages: list[str] = []
    for line in lines:
        if pages and len(pages[-1]) + 1 + len(line) <= limit:
            pages[-1] += "\n" + line
        else:
            pages.append(line)
    return pages


def language_buttons() -> InlineKeyboardMarkup:
    """``/language``: a button per language, each named in its own language."""
    rows = [
        [
            InlineKeyboardButton(
                text=_label("language-name", language),
                callback_data=ChooseLanguage(language=language).pack(),
            )
        ]
        for language in available_languages()
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def templates(source: Source, items: list[Template], language: str) -> list[str]:
    """``/templates``: this bot's templates, each name and its text as its admin formatted it
    (a text is never cut: a long one gets a message of its own)."""
    if not items:
        return [t("admin-templates-none", language, source=source.username)]
    lines = [t("admin-templates-head", language, source=source.username, count=len(items))]
    lines += [
        t("admin-templates-item", language, name=item.name, text=Markup(item.text))
        for item in items
    ]
    return _pack(lines)


def template_set(source: Source, name: str, text: str, replaced: bool, language: str) -> str:
    """``/template add``: what was stored (and whether it replaced one), the text as sent."""
    key = "admin-template-replaced" if replaced else "admin-template-added"
    return f"{t(key, language, name=name, source=source.username)}\n\n{text}"


def template_choices(
    contact_id: int, items: list[Template], message_id: int, language: str
) -> tuple[str, InlineKeyboardMarkup]:
    """``/t`` alone: the bot's templates as buttons that send one to the contact (at most
    ``CHOICE_BUTTONS``; the others by name, ``/t <name>``)."""
    rows = [
        [
            InlineKeyboardButton(
                text=_label("operator-template-choice", language, name=item.name),
                callback_data=SendTemplate(
                    contact_id=contact_id, message_id=message_id, template_id=item.id
                ).pack(),
            )
        ]
        for item in items[:CHOICE_BUTTONS]
    ]
    text = t("operator-template-choose", language, contact_id=contact_id)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def template_sent(relay: Relay, language: str) -> str:
    """A template sent with ``/t`` or its button: where it went, or why it went nowhere."""
    if relay.outcome is RelayOutcome.DUPLICATE:
        return t("operator-template-already-sent", language, contact_id=relay.contact_id)
    if relay.outcome in NOT_SENT:
        return not_sent(relay, language)
    return t("operator-template-sent", language, contact_id=relay.contact_id)


def _moment(moment: datetime | None) -> str:
    """A time in a transcript: UTC, to the second, the same in every language."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "—"


def transcript_head(head: TranscriptHead, language: str) -> str:
    """The header of ``/history``'s file (plain text, not HTML)."""
    contact = head.contact
    return plain(
        "transcript-head",
        language,
        contact_id=contact.id,
        source=head.source.username,
        client=client_name(head.lead),
        operator=head.operator_name or "—",
        status=_status(contact.status, language),
        opened=_moment(contact.created_at),
        closed=_moment(contact.closed_at),
    )


def transcript_caption(head: TranscriptHead, language: str) -> str:
    """The caption of ``/history``'s file."""
    return t(
        "transcript-caption", language, contact_id=head.contact.id, client=client_name(head.lead)
    )


def transcript_line(line: TranscriptLine, language: str) -> str:
    """One message of ``/history``'s file (plain text): when, who, and what was said, or
    which kind of message it was."""
    if line.direction is Direction.IN:
        author = plain("transcript-client", language)
    else:
        author = plain("transcript-operator", language, name=line.author or "—")
    words = line.text or ""
    if line.content_type not in ("text", TEMPLATE):
        kind = plain("transcript-media", language, kind=line.content_type)
        words = f"{kind} {words}".rstrip()
    return f"[{_moment(line.at)}] {author}: {words}"


# A topic as stored, or as a client's notice carries it: both have an id and a title.
_AnyTopic = TypeVar("_AnyTopic", bound=Topic | TopicButton)


def _topic_rows(
    topics: Iterable[_AnyTopic], data: Callable[[_AnyTopic], str]
) -> list[list[InlineKeyboardButton]]:
    """One button a row for each topic (up to ``CHOICE_BUTTONS``), titled as the admin wrote
    it (Telegram shows a button's text verbatim), its callback data ``data(topic)``."""
    chosen = itertools.islice(topics, CHOICE_BUTTONS)
    return [
        [InlineKeyboardButton(text=topic.title[:64], callback_data=data(topic))] for topic in chosen
    ]


def topic_keyboard(topics: Iterable[Topic | TopicButton]) -> InlineKeyboardMarkup | None:
    """A client's topic buttons, one a row, titled as the admin wrote them (Telegram shows a
    button's text verbatim); ``None`` without topics."""
    rows = _topic_rows(topics, lambda topic: ChooseTopic(topic_id=topic.id).pack())
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


_TOPIC_CHOSEN = {
    TopicOutcome.OPENED: "client-topic-opened",
    TopicOutcome.MOVED: "client-topic-moved",
    TopicOutcome.ANSWERED: "client-topic-answered",
}


def topic_chosen(choice: TopicChoice, language: str) -> str | None:
    """What a client's tap on a topic did (the answer of the tap); nothing for a blocked
    client."""
    key = _TOPIC_CHOSEN.get(choice.outcome)
    return plain(key, language, topic=choice.title) if key else None


def move_menu(
    contact_id: int, topics: list[Topic], language: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The Topic button under a card pressed: the bot's topics as buttons."""
    if not topics:
        return t("error-no-topics", language), None
    rows = _topic_rows(topics, lambda topic: MoveTo(contact_id=contact_id, name=topic.name).pack())
    return t("operator-move-choose", language, contact_id=contact_id), InlineKeyboardMarkup(
        inline_keyboard=rows
    )


def topic_moved(moved: TopicMove, language: str) -> str:
    """A contact moved to a topic: who has it now, or that it waits."""
    if moved.operator_name is None:
        return t("operator-moved-queued", language, contact_id=moved.contact_id, topic=moved.topic)
    return t(
        "operator-moved",
        language,
        contact_id=moved.contact_id,
        topic=moved.topic,
        operator=moved.operator_name,
    )


def _topic_weights(view: TopicView, language: str) -> str:
    if not view.weights:
        return t("admin-topic-weights-source", language)
    return ", ".join(
        t("admin-topic-weight", language, name=op.display_name, weight=weight)
        for op, weight in view.weights
    )


def topics(source: Source, views: list[TopicView], language: str) -> list[str]:
    """``/topics``: a bot's topics, name, title and own weights (or that the bot's apply)."""
    if not views:
        return [t("admin-topics-none", language, source=source.username)]
    lines = [t("admin-topics-head", language, source=source.username)]
    lines += [
        t(
            "admin-topics-item",
            language,
            name=view.topic.name,
            title=view.topic.title,
            weights=Markup(_topic_weights(view, language)),
        )
        for view in views
    ]
    return paginate(lines)


def topic_stats(stats: list[TopicStats], language: str) -> list[str]:
    """``/stats``: the contacts of each bot with topics, by topic."""
    lines: list[str] = []
    for source_stats in stats:
        lines.append(t("admin-stats-topics-head", language, source=source_stats.source.username))
        lines += [
            t(
                "admin-stats-topic",
                language,
                topic=count.title,
                contacts=count.contacts,
                open=count.open,
            )
            if count.title is not None
            else t("admin-stats-no-topic", language, contacts=count.contacts, open=count.open)
            for count in source_stats.counts
        ]
    return lines
