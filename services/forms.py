"""Form sources (a web form, a landing page, a phone line): created through the API, their
leads' requests registered through it, distributed exactly as a bot's contacts are."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from db.models import Direction, Source
from db.repositories import FormLead, MessageKey, OpenContact
from services.contacts import ContactService
from services.errors import (
    FormSourceExists,
    IdempotencyKeyReused,
    LeadUnidentified,
    NotABot,
    NotAFormSource,
)
from services.notices import OperatorFormMessage
from services.views import ContactRow, SourceView

# The content type a form's message is stored with (it is no Telegram message).
FORM_CONTENT = "form"


@dataclass(frozen=True, slots=True)
class FormRequest:
    """A lead's request through a form source."""

    source_id: int
    lead: FormLead
    message: str


@dataclass(frozen=True, slots=True)
class FormResult:
    """A registered request: its contact as it is now, and whether it was opened for it."""

    row: ContactRow
    opened: bool


@dataclass(frozen=True, slots=True)
class Answer:
    """What the API answered a request: its HTTP status and body (for a replay, the first
    request's)."""

    status: int
    body: dict[str, Any]


# Builds the API's answer from a registered request, inside its transaction (so that a retry
# with the same key gets the very same answer).
Answerer = Callable[[FormResult], Answer]


@dataclass(frozen=True, slots=True)
class RequestKey:
    """An ``Idempotency-Key`` and the hash of the body it came with."""

    key: str
    body_hash: str

    @classmethod
    def of(cls, key: str, body: bytes) -> "RequestKey":
        """The key of a request with this body."""
        return cls(key, hashlib.sha256(body).hexdigest())


class FormService(ContactService):
    """Form sources and their leads' requests."""

    async def create_source(self, name: str, announcer_id: int | None = None) -> SourceView:
        """A form source called ``name``, whose contacts the bot of source ``announcer_id``
        (default: the first bot) announces to operators; every operator gets weight 1 in it,
        as in a new bot."""
        async with self.transaction():
            bots = await self.sources.bots()
            announcer = next((b for b in bots if b.id == announcer_id), None)
            if announcer_id is None and bots:
                announcer = bots[0]
            if announcer is None:
                raise NotABot(ref="none" if announcer_id is None else announcer_id)
            if await self.sources.named(name) is not None:
                raise FormSourceExists(name=name)
            source = await self.sources.add_form(name, announcer.id)
            if source is None:
                raise FormSourceExists(name=name)
            operators = await self.operators.all()
            for operator in operators:
                await self.operators.set_link(operator.id, source.id, weight=1)
        return SourceView(source, 0, 0, 0, len(operators))

    async def register(
        self, request: FormRequest, answer: Answerer, key: RequestKey | None = None
    ) -> Answer:
        """Register a lead's request in a form source: a new contact distributed as a bot's
        (weights, limits, queue; the operator's card through the announcing bot), or the
        message added to the lead's open contact there. With ``key``, a request seen before
        gets its first answer and changes nothing."""
        if not request.lead.identities():
            raise LeadUnidentified()
        async with self.transaction():
            if key is not None:
                earlier = await self.requests.claim(key.key, key.body_hash)
                if earlier is not None:
                    if earlier.body_hash != key.body_hash:
                        raise IdempotencyKeyReused(key=key.key)
                    return Answer(earlier.status, earlier.answer)
            source = await self._form_source(request.source_id)
            contact_id, opened = await self._register_form(source, request)
            row = await self.contacts.get_full(contact_id)
            assert row is not None  # opened or found in this transaction
            contact, lead, _source = row
            operator = await self._operator_of(contact)
            answered = answer(FormResult(ContactRow(contact, lead, source, operator), opened))
            if key is not None:
                await self.requests.answer(key.key, answered.status, answered.body)
        return answered

    async def _form_source(self, source_id: int) -> Source:
        source = await self.find_source(source_id)
        if not source.is_form:
            raise NotAFormSource(ref=source_id)
        return source

    async def _register_form(self, source: Source, request: FormRequest) -> tuple[int, bool]:
        """Store the request's message in the lead's open contact (opened and distributed
        if there was none); the contact's id and whether it was opened."""
        lead_id = await self.leads.identify(request.lead)
        found, opened = await self._find_or_open(lead_id, source.id)
        # No Telegram message: the contact stands for the chat, and a form's messages are
        # numbered in it (the contact is locked, so two requests cannot take one number).
        number = len(await self.messages.of_contact(found.id, Direction.IN)) + 1
        message = await self.messages.add(
            MessageKey(source.id, found.id, number),
            found.id,
            Direction.IN,
            FORM_CONTENT,
            request.message,
        )
        if opened:
            operator_telegram_id = (
                await self._assign_new(found.id, message, None)
            ).operator_telegram_id
        else:
            operator_telegram_id = await self._append_form(source, found, request.message)
        # After the assignment: the event names the operator the message goes to.
        self.events.message(
            found.id, source.id, lead_id, operator_telegram_id, request.message, FORM_CONTENT
        )
        return found.id, opened

    async def _append_form(self, source: Source, found: OpenContact, text: str) -> int | None:
        """Add a request's message to the lead's open contact, telling its operator (if it
        has one yet: a queued contact's messages go with it); the operator's Telegram id."""
        await self.contacts.touch(found.id)
        if found.operator_telegram_id is not None:
            operator = await self.operators.by_telegram_id(found.operator_telegram_id)
            self.outbox.notice(
                source.bot_source_id,
                found.operator_telegram_id,
                OperatorFormMessage(contact_id=found.id, text=text),
                language=operator.preferred_language if operator else None,
            )
        return found.operator_telegram_id
