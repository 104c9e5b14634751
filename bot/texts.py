"""Every text a Telegram user sees, keyed, per language.

Handlers and the renderer never hold literal user-facing strings: they call ``t(key, ...)``.
Parameters are HTML-escaped here, so names like ``<b>&amp;`` are shown as typed. To serve
another language, add a dictionary to ``MESSAGES``; missing keys fall back to English.
"""

import html
from typing import Any

DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # Clients
        "client.greeting": "Hello! Write your question here and an operator will answer.",
        "client.assigned": "Thank you! An operator has your message and will answer here.",
        "client.queued": (
            "Thank you! All operators are busy right now. You are in the queue; keep writing "
            "if you like, nothing gets lost, and an operator will answer here."
        ),
        "client.operator_joined": "An operator has joined and is reading your messages.",
        "client.closed": "This conversation is closed. Write again any time to start a new one.",
        "client.auto_closed": (
            "This conversation was closed after a long silence. Just write again to reopen it."
        ),
        "client.unsupported": "Sorry, this kind of message cannot be passed on. Please send text.",
        # Operators
        "operator.card": (
            "📨 <b>New contact #{contact_id}</b> via @{source}\n"
            "Client: {client}\n"
            "{history}"
            "Reply to any message of this contact to answer; /close {contact_id} ends it."
        ),
        "operator.card_words": "{card}\n\n{words}",
        "operator.card.history_none": "First contact of this client.\n",
        "operator.card.history_head": "Earlier contacts:\n",
        "operator.card.history_item": "  #{id} via @{source}, {status}, {created}\n",
        "operator.contact_closed": "✅ Contact #{contact_id} is closed.",
        "operator.contact_closed_by": "✅ Contact #{contact_id} was closed ({by}).",
        "operator.contact_taken_away": "↪️ Contact #{contact_id} was given to another operator.",
        "operator.reminder": (
            "⏰ Contact #{contact_id}: the client has waited {minutes} min for your first reply."
        ),
        "operator.client_edited": (
            "✏️ Contact #{contact_id}: the client edited a message; its new version follows."
        ),
        "operator.sent": "Sent to contact #{contact_id}.",
        "operator.already_sent": "This message was sent to contact #{contact_id} already.",
        "operator.unsupported": (
            "Telegram does not let bots pass this kind of message on; it was not sent."
        ),
        "operator.ambiguous": "You have several open contacts here. Which one is this for?",
        "operator.ambiguous_more": (
            "Only the {shown} with the latest activity are listed; {hidden} more are open. "
            "To answer one of those, reply to one of its messages."
        ),
        "operator.choice": "#{contact_id} {client}",
        "operator.no_contact": "You have no open contact in this bot to send this to.",
        "operator.reply_closed": "Contact #{contact_id} is closed; your message was not sent.",
        "operator.reply_taken_away": (
            "Contact #{contact_id} was given to another operator; your message was not sent."
        ),
        "operator.edit_not_relayed": (
            "✏️ Edits do not reach the client: contact #{contact_id} keeps the message as you "
            "first sent it. Please send the correction as a new message."
        ),
        "operator.contacts_none": "You have no open contacts.",
        "operator.contacts_head": "Your open contacts ({count}):",
        "operator.contacts_item": "#{contact_id} via @{source}: {client}, {status}, {created}",
        "operator.deactivated": (
            "⏸ An admin has deactivated you: you get no new contacts until an admin activates "
            "you again. Your open contacts stay with you."
        ),
        "operator.activated": "▶️ An admin has activated you: you get new contacts again.",
        "operator.activated_paused": (
            "An admin has activated you; you have paused yourself, so send /resume to get new "
            "contacts."
        ),
        "operator.limit_changed": (
            "An admin set your limit of open contacts to {limit} (it was {previous})."
        ),
        "operator.paused": "⏸ Paused: you get no new contacts. Your open contacts stay with you.",
        "operator.resumed": "▶️ Resumed: you get new contacts again.",
        "operator.resumed_inactive": (
            "▶️ Your pause is lifted, but an admin has deactivated you: you get no new contacts "
            "until an admin activates you again. Your open contacts stay with you."
        ),
        "operator.me": ("{name}: {state}, {open} open of {limit}.\nBots: {links}"),
        "operator.state_active": "active",
        "operator.state_paused": "paused",
        "operator.state_inactive": "inactive",
        "operator.state_inactive_paused": "inactive and paused",
        "operator.welcome": (
            "Welcome, {name}! You are an operator now (limit {limit}). Open every bot you should "
            "answer in and press Start there, too."
        ),
        "operator.started": "You will get contacts from @{source} here.",
        "operator.close_usage": (
            "Usage: /close &lt;contact number&gt;, or reply /close to a message."
        ),
        "operator.only": "This command is for operators.",
        "button.close": "✅ Close #{contact_id}",
        "button.stale": "This button is no longer valid.",
        # Admins
        "admin.only": "Sorry, only admins can do that.",
        "admin.usage": "Usage: {usage}",
        "admin.not_a_client": (
            "You are an admin, so your messages here do not open a conversation with an "
            "operator. /help lists your commands."
        ),
        "admin.operator_added": (
            "Operator {name} added with limit {limit}. They get contacts from a bot once they have "
            "pressed Start there: {bots}"
        ),
        "admin.operator_removed": (
            "Operator {telegram_id} removed; {requeued} open contact(s) went back to the queue."
        ),
        "admin.limit_set": "Limit of {name}: {previous} → {limit}.",
        "admin.activated": "{name} is active.",
        "admin.activated_paused": (
            "{name} is active, but has paused themselves: they get new contacts once they /resume."
        ),
        "admin.deactivated": "{name} is inactive; their open contacts stay with them.",
        "admin.operators_none": (
            "No operators yet. Add one with /addop &lt;telegram id&gt; [limit]."
        ),
        "admin.operator_line": "{name} ({telegram_id}{username}): {state}, {open}/{limit}",
        "admin.operator_link": "   @{source}: weight {weight}{flags}",
        "admin.flag_not_started": ", has not started the bot",
        "admin.flag_unreachable": ", blocked the bot",
        "admin.weights_head": "Weights in @{source}:",
        "admin.weights_line": "{name}: weight {weight}, share {share}{flags}",
        "admin.weights_none": (
            "Nobody gets contacts from @{source} yet. Use /weights &lt;op&gt;=&lt;w&gt;."
        ),
        "admin.sources_line": (
            "@{source} ({title}): {total} contacts, {open} open, {queued} queued, "
            "{operators} operator(s) with weight"
        ),
        "admin.queue_empty": "The queue is empty.",
        "admin.queue_head": "Queue: {total} contact(s), oldest first:",
        "admin.queue_line": "#{contact_id} via @{source}: {client}, waiting {waited}",
        "admin.queue_more": "…and {more} more.",
        "admin.stats_source": ("@{source}: {total} contacts, {open} open, {queued} queued"),
        "admin.stats_share": "   {name}: {assigned} ({share}, weight share {configured})",
        "admin.stats_operators": "Operators:",
        "admin.stats_operator": "   {name}: {open}/{limit} open, {assigned} got, {closed} closed",
        "admin.assigned": "Contact #{contact_id} is now with {operator}.",
        "admin.invite": (
            "One-time invite (limit {limit}): {link}\nWhoever opens it becomes an operator."
        ),
        "admin.alert.queue_wait": (
            "⚠️ The oldest queued contact has waited {minutes} min; {total} contact(s) queued."
        ),
        "admin.alert.delivery_failed": (
            "⚠️ A message to chat {chat} (contact #{contact_id}) could not be delivered: {error}"
        ),
        "admin.alert.operator_unreachable": (
            "⚠️ Operator {operator} ({telegram_id}) blocked @{source}; {requeued} contact(s) "
            "from it went back to the queue. Their next message to a client through @{source}, "
            "or /start there, undoes this."
        ),
        "help.client": "Write your question and an operator will answer here.",
        "help.operator": (
            "Operator commands:\n/contacts – your open contacts\n/close [number] – close a "
            "contact\n/pause, /resume – stop or restart getting contacts\n/me – your load"
        ),
        "help.admin": (
            "Admin commands:\n/operators\n/addop &lt;id&gt; [limit]\n/delop &lt;op&gt;\n"
            "/limit &lt;op&gt; &lt;n&gt;\n/activate &lt;op&gt;, /deactivate &lt;op&gt;\n"
            "/weights [&lt;op&gt;=&lt;w&gt; …]\n/sources\n/queue\n/stats\n"
            "/assign &lt;contact&gt; &lt;op&gt;\n/invite [limit]\n"
            "&lt;op&gt; is a Telegram id or an @username."
        ),
        # Errors (keys of services.errors.DomainError)
        "error.generic": "That did not work.",
        "error.unknown_operator": "There is no operator {ref}.",
        "error.ambiguous_operator": (
            "Several operators were known as {ref} (Telegram ids {ids}); use the id instead."
        ),
        "error.operator_exists": "{ref} is an operator already.",
        "error.invalid_limit": "The limit must be a whole number from 0 to {maximum}, not {value}.",
        "error.invalid_weights": "Nothing changed: {detail}.",
        "error.invalid_operator_ref": "{ref} is neither a Telegram id nor an @username.",
        "error.unknown_contact": "There is no contact #{contact_id}.",
        "error.contact_closed": "Contact #{contact_id} is closed already.",
        "error.contact_changed": (
            "Contact #{contact_id} was assigned or closed by someone else just now; nothing was "
            "changed. Look at it again (/queue) and retry if still needed."
        ),
        "error.not_your_contact": "Contact #{contact_id} is not yours.",
        "error.operator_full": (
            "{ref} cannot take it: inactive, paused, has not started this bot, or at the limit."
        ),
        "error.unknown_source": "Unknown bot {ref}.",
        "error.invalid_invite": "This invite link is invalid or was used already.",
        "error.internal": "Sorry, something went wrong on our side. Please try again.",
        # Command menus
        "menu.help": "What I can do",
        "menu.contacts": "Your open contacts",
        "menu.close": "Close a contact",
        "menu.pause": "Stop getting new contacts",
        "menu.resume": "Get new contacts again",
        "menu.me": "Your load and limit",
        "menu.operators": "Operators, load, weights",
        "menu.addop": "Add an operator",
        "menu.delop": "Remove an operator",
        "menu.limit": "Set an operator's limit",
        "menu.activate": "Activate an operator",
        "menu.deactivate": "Deactivate an operator",
        "menu.weights": "Show or set this bot's weights",
        "menu.sources": "Bots and their traffic",
        "menu.queue": "Queued contacts",
        "menu.stats": "Statistics",
        "menu.assign": "Give a contact to an operator",
        "menu.invite": "One-time operator invite link",
    },
}


def escape(value: Any) -> str:
    """Text made safe for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=False)


def t(key: str, language: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``language`` (English fallback), parameters HTML-escaped.

    Parameters wrapped in ``Markup`` are inserted as they are (already rendered HTML).
    """
    table = MESSAGES.get((language or DEFAULT_LANGUAGE)[:2], MESSAGES[DEFAULT_LANGUAGE])
    template = table.get(key) or MESSAGES[DEFAULT_LANGUAGE][key]
    safe = {k: v if isinstance(v, Markup) else escape(v) for k, v in params.items()}
    return template.format(**safe)


def plain(key: str, language: str | None = None, /, **params: Any) -> str:
    """The text for ``key`` as the user should read it where Telegram shows text verbatim
    instead of parsing HTML (button labels): names like ``<b>&amp;`` stay as typed."""
    return html.unescape(t(key, language, **params))


class Markup(str):
    """A string that is already HTML and must not be escaped again."""

    __slots__ = ()
