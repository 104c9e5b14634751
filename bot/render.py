"""The one place that turns service results and outbox notices into Telegram messages."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CloseContact, SendTo
from bot.texts import Markup, plain, t
from db.models import Lead, Operator
from services.errors import DomainError
from services.notices import ClientRef, Notice, OperatorCard
from services.operators import ContactChoice, OpenContactView, Relay, RelayOutcome
from services.views import OperatorView, QueueView, SourceView, StatsView, WeightsView

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


def client_name(lead: Lead | ClientRef) -> str:
    """A client as operators see them: name, @username and id (not escaped)."""
    name = " ".join(p for p in (lead.first_name, lead.last_name) if p) or "—"
    username = f" @{lead.username}" if lead.username else ""
    phone = f", {lead.phone}" if lead.phone else ""
    return f"{name}{username} (id {lead.telegram_id}{phone})"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "—"


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _label(key: str, **params: Any) -> str:
    """A button label: shown verbatim (not HTML) and kept short."""
    return plain(key, **params)[:64]


def close_button(contact_id: int) -> InlineKeyboardMarkup:
    """The keyboard under a card."""
    button = InlineKeyboardButton(
        text=_label("button.close", contact_id=contact_id),
        callback_data=CloseContact(contact_id=contact_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def notice(notice: Notice, language: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    """Render an outbox notice into text and keyboard: its text, with its fields as the
    text's parameters (the card, formatted, has a button)."""
    if isinstance(notice, OperatorCard):
        return _card(notice, language), close_button(notice.contact_id)
    return t(notice.text_key, language, **notice.arguments()), None


def carried_card(card: OperatorCard, words: str | None, limit: int) -> str | None:
    """The card followed by the client's words (Telegram HTML) that one message carries, or
    ``None`` when that is longer than ``limit`` (then the card and the copy go apart)."""
    text = _card(card, None)
    if words:
        text = t("operator.card_words", card=Markup(text), words=Markup(words))
    return text if telegram_length(text) <= limit else None


def _card(card: OperatorCard, language: str | None) -> str:
    if card.history:
        items = "".join(
            t(
                "operator.card.history_item",
                language,
                id=past.id,
                source=past.source,
                status=past.status.value,
                created=_when(past.created_at),
            )
            for past in card.history
        )
        rendered = t("operator.card.history_head", language) + items
    else:
        rendered = t("operator.card.history_none", language)
    return t(
        card.text_key,
        language,
        contact_id=card.contact_id,
        source=card.source.username,
        client=client_name(card.lead),
        history=Markup(rendered),
    )


def _clip(value: object, limit: int = 100) -> object:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error(exc: DomainError, language: str | None = None) -> str:
    """A domain error as the user reads it; echoed input is clipped so the reply always fits."""
    return t(exc.key, language, **{k: _clip(v) for k, v in exc.params.items()})


def choose_contact(
    choices: list[ContactChoice], message_id: int
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
                text=_label("operator.choice", contact_id=c.contact_id, client=client_name(c.lead)),
                callback_data=SendTo(contact_id=c.contact_id, message_id=message_id).pack(),
            )
        ]
        for c in offered
    ]
    text = t("operator.ambiguous")
    if hidden := len(choices) - len(offered):
        text += "\n" + t("operator.ambiguous_more", shown=len(offered), hidden=hidden)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


# Why an operator's message was not sent, by outcome.
_NOT_SENT = {
    RelayOutcome.NO_CONTACT: "operator.no_contact",
    RelayOutcome.CLOSED: "operator.reply_closed",
    RelayOutcome.TAKEN_AWAY: "operator.reply_taken_away",
}


def not_sent(relay: Relay) -> str | None:
    """Why an operator's message was not sent; ``None`` when there is nothing to say (it was
    sent, or it is a redelivered update of one that was)."""
    key = _NOT_SENT.get(relay.outcome)
    return t(key, contact_id=relay.contact_id) if key else None


def contact_chosen(relay: Relay) -> str:
    """The "which contact?" question, once the operator pressed one of its buttons."""
    if relay.outcome is RelayOutcome.DUPLICATE:
        # A second tap: say where the message went, not where this button points.
        return t("operator.already_sent", contact_id=relay.contact_id)
    return not_sent(relay) or t("operator.sent", contact_id=relay.contact_id)


def open_contacts(views: list[OpenContactView]) -> list[str]:
    """``/contacts``."""
    if not views:
        return [t("operator.contacts_none")]
    lines = [t("operator.contacts_head", count=len(views))]
    lines += [
        t(
            "operator.contacts_item",
            contact_id=v.contact.id,
            source=v.source.username,
            client=client_name(v.lead),
            status=v.contact.status.value,
            created=_when(v.contact.created_at),
        )
        for v in views
    ]
    return paginate(lines)


def _links(view: OperatorView) -> list[str]:
    lines = []
    for link in view.links:
        flags = ""
        if not link.started:
            flags += t("admin.flag_not_started")
        if link.unreachable:
            flags += t("admin.flag_unreachable")
        lines.append(
            t(
                "admin.operator_link",
                source=link.source.username,
                weight=link.weight,
                flags=Markup(flags),
            )
        )
    return lines


# An operator's state by (active, paused): the admin's switch and the operator's own.
_STATES = {
    (True, False): "operator.state_active",
    (True, True): "operator.state_paused",
    (False, False): "operator.state_inactive",
    (False, True): "operator.state_inactive_paused",
}


def _state(operator: Operator) -> str:
    return t(_STATES[operator.active, operator.paused])


def paused(operator: Operator) -> str:
    """``/pause`` and ``/resume``: whether new contacts come now, and if not, why."""
    if operator.paused:
        return t("operator.paused")
    return t("operator.resumed" if operator.active else "operator.resumed_inactive")


def activated(operator: Operator) -> str:
    """``/activate`` and ``/deactivate``: whether new contacts come now, and if not, why."""
    if not operator.active:
        key = "admin.deactivated"
    else:
        key = "admin.activated_paused" if operator.paused else "admin.activated"
    return t(key, name=operator.display_name)


def me(view: OperatorView) -> str:
    """``/me``."""
    op = view.operator
    links = "\n" + "\n".join(_links(view)) if view.links else "—"
    return t(
        "operator.me",
        name=op.display_name,
        state=_state(op),
        open=op.open_count,
        limit=op.max_open,
        links=Markup(links),
    )


def operators(views: list[OperatorView]) -> list[str]:
    """``/operators``."""
    if not views:
        return [t("admin.operators_none")]
    lines: list[str] = []
    for view in views:
        op = view.operator
        lines.append(
            t(
                "admin.operator_line",
                name=op.display_name,
                telegram_id=op.telegram_id,
                username=f", @{op.username}" if op.username else "",
                state=_state(op),
                open=op.open_count,
                limit=op.max_open,
            )
        )
        lines += _links(view)
    return paginate(lines)


def operator_added(view: OperatorView) -> str:
    """``/addop`` succeeded."""
    bots = ", ".join(f"@{s.username}" for s in view.not_started) or "—"
    return t(
        "admin.operator_added",
        name=view.operator.display_name,
        limit=view.operator.max_open,
        bots=bots,
    )


def weights(view: WeightsView) -> list[str]:
    """``/weights``."""
    if not any(row.weight for row in view.rows):
        return [t("admin.weights_none", source=view.source.username)]
    lines = [t("admin.weights_head", source=view.source.username)]
    for row in view.rows:
        flags = "" if row.started else t("admin.flag_not_started")
        lines.append(
            t(
                "admin.weights_line",
                name=row.operator.display_name,
                weight=row.weight,
                share=_percent(row.share),
                flags=Markup(flags),
            )
        )
    return paginate(lines)


def sources(views: list[SourceView]) -> list[str]:
    """``/sources``."""
    return paginate(
        t(
            "admin.sources_line",
            source=v.source.username,
            title=v.source.title,
            total=v.total,
            open=v.open,
            queued=v.queued,
            operators=v.operators,
        )
        for v in views
    )


def queue(view: QueueView) -> list[str]:
    """``/queue``."""
    if not view.total:
        return [t("admin.queue_empty")]
    lines = [t("admin.queue_head", total=view.total)]
    lines += [
        t(
            "admin.queue_line",
            contact_id=item.contact.id,
            source=item.source.username,
            client=client_name(item.lead),
            waited=_duration(item.waited),
        )
        for item in view.items
    ]
    if view.total > len(view.items):
        lines.append(t("admin.queue_more", more=view.total - len(view.items)))
    return paginate(lines)


def stats(view: StatsView) -> list[str]:
    """``/stats``."""
    lines: list[str] = []
    for s in view.sources:
        lines.append(
            t(
                "admin.stats_source",
                source=s.source.username,
                total=s.total,
                open=s.open,
                queued=s.queued,
            )
        )
        lines += [
            t(
                "admin.stats_share",
                name=share.operator.display_name,
                assigned=share.assigned,
                share=_percent(share.share),
                configured=_percent(share.configured_share),
            )
            for share in s.shares
        ]
    lines.append(t("admin.stats_operators"))
    lines += [
        t(
            "admin.stats_operator",
            name=o.operator.display_name,
            open=o.operator.open_count,
            limit=o.operator.max_open,
            assigned=o.assigned,
            closed=o.closed,
        )
        for o in view.operators
    ]
    return paginate(lines)
