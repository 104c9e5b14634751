"""Operator use cases: starting bots, invites, pause/resume, and relaying replies to clients."""

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from db.models import Contact, ContactStatus, Direction, Lead, Operator, Source, Template
from db.repositories import MessageKey
from services.base import Service
from services.errors import (
    InvalidInvite,
    NoContactToAnswer,
    NoTemplates,
    TemplateGone,
)
from services.notices import MessageCopy
from services.templates import fill, plain_text, unknown_template
from services.views import OperatorView


@dataclass(frozen=True, slots=True)
class OperatorMessage:
    """A message an operator sent to a bot, to be relayed to a client."""

    source_id: int
    chat_id: int
    message_id: int
    content_type: str
    text: str | None = None
    reply_to: int | None = None
    media_group_id: str | None = None

    @property
    def key(self) -> MessageKey:
        """Where Telegram delivered it."""
        return MessageKey(self.source_id, self.chat_id, self.message_id)


# The content type an operator's /t is stored with: the client got the template's text.
TEMPLATE = "template"


class RelayOutcome(enum.StrEnum):
    """What happened to an operator's message."""

    SENT = "sent"
    AMBIGUOUS = "ambiguous"
    NO_CONTACT = "no_contact"
    CLOSED = "closed"
    TAKEN_AWAY = "taken_away"  # open, but no longer this operator's (e.g. an admin's /assign)
    DUPLICATE = "duplicate"  # this message was relayed already, to ``Relay.contact_id``
    # A form source's contact: there is no chat with the lead to send it to.
    FORM = "form"


@dataclass(frozen=True, slots=True)
class ContactChoice:
    """One of the operator's open contacts, offered when a message is ambiguous."""

    contact_id: int
    lead: Lead
    last_activity_at: datetime


@dataclass(frozen=True, slots=True)
class Relay:
    """The result of relaying an operator's message."""

    outcome: RelayOutcome
    # The contact it went to (or was refused for); for a duplicate, the one it went to first.
    contact_id: int | None = None
    choices: list[ContactChoice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EditedAnswer:
    """An answer the operator edited: its contact, and whether the client sees the edit;
    ``template``: the answer was a ``/t``, whose text the client got, not the command."""

    contact_id: int
    passed_on: bool
    template: bool = False


@dataclass(frozen=True, slots=True)
class OpenContactView:
    """An open contact of an operator, for ``/contacts``."""

    contact: Contact
    lead: Lead
    source: Source


class OperatorService(Service):
    """What operators do."""

    async def bot_started(
        self, telegram_id: int, source_id: int, username: str | None, name: str
    ) -> Operator | None:
        """Record that an operator opened a bot (it may now message them); ``None`` if the
        user is not an operator. Their profile is refreshed so @username references work."""
        async with self.transaction():
            operator = await self.operators.by_telegram_id(telegram_id)
            if operator is None:
                return None
            await self._mark_started(operator, source_id, username, name)
            self.drain_queue_after_commit()
        return operator

    async def _mark_started(
        self, operator: Operator, source_id: int, username: str | None, name: str
    ) -> None:
        await self.operators.set_fields(operator.id, username=username, display_name=name[:256])
        if await self.operators.link(operator.id, source_id) is None:
            await self.operators.set_link(operator.id, source_id, weight=1, started=True)
        else:
            await self.operators.set_link(operator.id, source_id, started=True, unreachable=False)

    async def redeem_invite(
        self, code: str, telegram_id: int, source_id: int, username: str | None, name: str
    ) -> tuple[Operator, bool]:
        """Make the user who opened an invite link an operator (once per link); whether they
        became one now.

        An operator already opening a link has pressed Start in this bot all the same: that is
        recorded, and the link stays unused for the person it was meant for.
        """
        async with self.transaction():
            operator = await self.operators.by_telegram_id(telegram_id)
            joined = operator is None
            if operator is None:
                max_open = await self.invites.redeem(code, telegram_id)
                if max_open is None:
                    raise InvalidInvite()
                operator = await self.create_operator(telegram_id, max_open, name)
            await self._mark_started(operator, source_id, username, name)
            self.drain_queue_after_commit()
        return operator, joined

    async def set_paused(self, telegram_id: int, paused: bool) -> Operator:
        """Pause (no new contacts; open ones stay) or resume an operator.

        Resuming lifts only the operator's own pause, never an admin's deactivation: the
        operator returned tells which of the two still holds.
        """
        async with self.transaction():
            operator = await self.find_operator(telegram_id)
            await self.operators.set_fields(operator.id, paused=paused)
            operator.paused = paused
            if operator.available:
                self.drain_queue_after_commit()
        return operator

    async def me(self, telegram_id: int) -> OperatorView:
        """An operator's load, limit and per-source standing."""
        async with self.transaction():
            operator = await self.find_operator(telegram_id)
            return (await self.operator_views([operator]))[0]

    async def open_contacts(self, telegram_id: int) -> list[OpenContactView]:
        """An operator's open contacts, oldest first."""
        async with self.transaction():
            operator = await self.find_operator(telegram_id)
            rows = await self.contacts.open_of_operator(operator.id)
        return [OpenContactView(*row) for row in rows]

    async def relay(self, message: OperatorMessage, contact_id: int | None = None) -> Relay:
        """Copy an operator's message to the client of the contact it belongs to.

        The contact is, in order: ``contact_id`` (chosen with a button), the contact of the
        message replied to, or the operator's only open contact in this bot. Otherwise the
        result lists the choices and nothing is sent.
        """
        return await self._answer_once(
            message, lambda operator: self._relay(operator, message, contact_id)
        )

    async def _answer_once(
        self, message: OperatorMessage, answer: Callable[[Operator], Awaitable[Relay]]
    ) -> Relay:
        """Pass on an operator's message with ``answer`` (given the operator), in one
        transaction, at most once however often the update comes."""
        try:
            async with self.transaction():
                if (earlier := await self._relayed_before(message)) is not None:
                    return earlier
                operator = await self.find_operator(message.chat_id)
                # Writing here shows the bot may message them again (after a block, say).
                if await self.operators.mark_reachable(operator.id, message.source_id):
                    self.drain_queue_after_commit()
                relay = await answer(operator)
        except IntegrityError:
            # Relayed at this very moment by another process (a redelivered update, a second
            # tap handled elsewhere): the message key was taken; this transaction is undone.
            async with self.transaction():
                if (earlier := await self._relayed_before(message)) is None:
                    raise
            return earlier
        return relay

    async def _relayed_before(self, message: OperatorMessage) -> Relay | None:
        """A redelivered update, or a second tap on the "which contact?" buttons: the message
        went to one contact, and nowhere else."""
        relayed = await self.messages.by_key(message.key)
        return None if relayed is None else Relay(RelayOutcome.DUPLICATE, relayed.contact_id)

    async def _relay(
        self, operator: Operator, message: OperatorMessage, contact_id: int | None
    ) -> Relay:
        target = await self._target(operator, message, contact_id)
        if isinstance(target, Relay):
            return target
        contact, lead = target
        stored = await self.messages.add(
            message.key,
            contact.id,
            Direction.OUT,
            message.content_type,
            message.text,
            message.media_group_id,
        )
        copy = MessageCopy(
            from_chat_id=message.chat_id,
            message_id=message.message_id,
            media_group_id=message.media_group_id,
        )
        self.outbox.copy(
            message.source_id, lead.telegram_id, copy, contact_id=contact.id, message_id=stored.id
        )
        await self.contacts.mark_replied(contact.id)
        return Relay(RelayOutcome.SENT, contact.id)

    async def send_template(
        self,
        message: OperatorMessage,
        *,
        name: str | None = None,
        template_id: int | None = None,
        contact_id: int | None = None,
    ) -> Relay:
        """Send one of the bot's templates (by ``name``, or by ``template_id`` from a button)
        to a client as the operator's answer: the contact is the one chosen (``contact_id``),
        the one of the message replied to, or the operator's only open one in this bot.
        ``message`` is the operator's ``/t`` (its key keeps a redelivered update, or a second
        tap, from sending it twice). Stored as the operator's message, it counts as their
        reply."""
        return await self._answer_once(
            message,
            lambda operator: self._send_template(operator, message, name, template_id, contact_id),
        )

    async def _send_template(
        self,
        operator: Operator,
        message: OperatorMessage,
        name: str | None,
        template_id: int | None,
        contact_id: int | None,
    ) -> Relay:
        target = await self._target(operator, message, contact_id)
        if isinstance(target, Relay):
            if target.outcome is RelayOutcome.AMBIGUOUS:
                raise NoContactToAnswer()
            return target
        contact, lead = target
        template = await self._template(message.source_id, name, template_id)
        text = fill(template, lead.first_name)
        stored = await self.messages.add(
            message.key, contact.id, Direction.OUT, TEMPLATE, plain_text(text)
        )
        self.outbox.text(message.source_id, lead.telegram_id, text, contact.id, stored.id)
        await self.contacts.mark_replied(contact.id)
        return Relay(RelayOutcome.SENT, contact.id)

    async def _template(
        self, source_id: int, name: str | None, template_id: int | None
    ) -> Template:
        template = None
        if name is not None:
            template = await self.templates.named(source_id, name)
        elif template_id is not None:
            template = await self.templates.get(template_id)
        if template is not None and template.source_id == source_id:
            return template
        if name is None:
            raise TemplateGone()  # a button of a template removed since it was offered
        raise await unknown_template(self.templates, source_id, name)

    async def template_choices(
        self, source_id: int, telegram_id: int, reply_to: int | None
    ) -> tuple[int, list[Template]]:
        """``/t`` alone: the contact it is for (as for ``send_template``) and the bot's
        templates to offer; refused when there is no such contact or no template."""
        contact_id = await self.current_contact(source_id, telegram_id, reply_to)
        if contact_id is None:
            raise NoContactToAnswer()
        async with self.transaction():
            templates = await self.templates.of_source(source_id)
        if not templates:
            raise NoTemplates()
        return contact_id, templates

    async def _target(
        self, operator: Operator, message: OperatorMessage, contact_id: int | None
    ) -> Relay | tuple[Contact, Lead]:
        """The open contact of this operator a message is for, or why it goes nowhere."""
        if contact_id is None and message.reply_to is not None:
            contact_id = await self._contact_replied_to(message)
        if contact_id is None:
            rows = await self.contacts.open_of_operator(operator.id, message.source_id)
            if not rows:
                return Relay(RelayOutcome.NO_CONTACT)
            if len(rows) > 1:
                choices = [
                    ContactChoice(contact.id, lead, contact.last_activity_at)
                    for contact, lead, _ in rows
                ]
                return Relay(RelayOutcome.AMBIGUOUS, choices=choices)
            contact_id = rows[0][0].id
        row = await self.contacts.get_full(contact_id)
        if row is not None and row[2].announcer_id == message.source_id:
            # A reply to a form's card: the lead is reached by phone or email, not here.
            return Relay(RelayOutcome.FORM, contact_id)
        if row is None or row[0].source_id != message.source_id:
            return Relay(RelayOutcome.NO_CONTACT)
        contact, lead, _source = row
        if contact.status is ContactStatus.CLOSED:
            return Relay(RelayOutcome.CLOSED, contact.id)
        if contact.operator_id != operator.id:
            return Relay(RelayOutcome.TAKEN_AWAY, contact.id)
        return contact, lead

    async def edited(
        self, source_id: int, chat_id: int, message_id: int, html: str | None = None
    ) -> EditedAnswer | None:
        """Pass on an answer the operator edited: a text (``html``, its new version as Telegram
        HTML) is edited in place in the client's copy; other messages are not (an edited
        photo or file may be another file, which an edited caption would not show). ``None``
        if it was no answer."""
        async with self.transaction():
            stored = await self.messages.by_key(MessageKey(source_id, chat_id, message_id))
            # An IN message here is one the operator wrote as a client, before becoming one.
            if stored is None or stored.direction is not Direction.OUT:
                return None
            if stored.content_type == TEMPLATE:
                return EditedAnswer(stored.contact_id, passed_on=False, template=True)
            if stored.copy_message_id is None:
                # Not sent yet (it is copied as it is then) or never delivered: nothing to edit.
                return EditedAnswer(stored.contact_id, passed_on=True)
            row = await self.contacts.get_full(stored.contact_id)
            assert row is not None  # the message's foreign key
            lead = row[1]
            passed_on = await self.edit_copy_in_place(stored, lead.telegram_id, html)
        return EditedAnswer(stored.contact_id, passed_on)

    async def current_contact(
        self, source_id: int, telegram_id: int, reply_to: int | None
    ) -> int | None:
        """The contact an operator means: the one replied to, or their only open one here."""
        async with self.transaction():
            if reply_to is not None:
                return await self._contact_replied_to(
                    OperatorMessage(source_id, telegram_id, 0, "command", reply_to=reply_to)
                )
            operator = await self.find_operator(telegram_id)
            rows = await self.contacts.open_of_operator(operator.id, source_id)
        return rows[0][0].id if len(rows) == 1 else None

    async def _contact_replied_to(self, message: OperatorMessage) -> int | None:
        assert message.reply_to is not None
        sent = await self.deliveries.contact_of_sent(
            message.source_id, message.chat_id, message.reply_to
        )
        if sent is not None:
            return sent
        own = await self.messages.by_key(
            MessageKey(message.source_id, message.chat_id, message.reply_to)
        )
        return own.contact_id if own else None
