"""Giving contacts to operators: the atomic capacity check and the queue."""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Contact, Direction, Lead, Message, Source
from db.repositories import (
    CandidateRow,
    ContactRepository,
    DeliveryRepository,
    LeadRepository,
    MessageRepository,
    OperatorRepository,
    SourceRepository,
)
from services.distribution import pick_operator
from services.notices import ClientOperatorJoined
from services.outbox import Outbox, carries_card


@dataclass(frozen=True, slots=True)
class Assignment:
    """A queued contact given to an operator."""

    contact_id: int
    operator_id: int
    operator_telegram_id: int


class Assigner:
    """Assigns contacts inside the caller's transaction."""

    def __init__(self, session: AsyncSession, rng: random.Random) -> None:
        self.rng = rng
        self.operators = OperatorRepository(session)
        self.contacts = ContactRepository(session)
        self.messages = MessageRepository(session)
        self.leads = LeadRepository(session)
        self.sources = SourceRepository(session)
        self.outbox = Outbox(DeliveryRepository(session))

    async def take_operator(self, source_id: int, lead: Lead) -> CandidateRow | None:
        """Pick an operator for the lead's contact in the source and count one more contact
        against their limit.

        The pick is only a proposal: the conditional UPDATE in ``take_slot`` is what holds the
        limit under concurrency. If it loses a race, the next pick is drawn without that operator.
        """
        pool = await self.operators.candidates(source_id, lead.telegram_id)
        while (pick := pick_operator(pool, self.rng)) is not None:
            if await self.operators.take_slot(pick.operator_id):
                return pick
            pool = [c for c in pool if c.operator_id != pick.operator_id]
        return None

    async def hand_over(
        self,
        contact: Contact,
        lead: Lead,
        source: Source,
        operator_telegram_id: int,
        operator_language: str | None,
        backlog: Sequence[Message],
        first_words: str | None = None,
    ) -> None:
        """Stage the card (in the operator's language) and the client's messages so far for
        the contact's new operator.

        With ``first_words`` (the first message's text or caption as Telegram HTML, known
        while its update is handled; the database keeps the plain text only), the first
        message carries the card where it can: one message to the operator instead of two.
        """
        history = await self.contacts.history(lead.id, exclude_id=contact.id)
        operator, language = operator_telegram_id, operator_language
        rest = backlog
        if backlog and first_words is not None and carries_card(backlog[0]):
            first = backlog[0]
            self.outbox.card(contact, lead, source, operator, language, history, first, first_words)
            rest = backlog[1:]
        else:
            self.outbox.card(contact, lead, source, operator, language, history)
        for message in rest:
            self.outbox.relay(message, operator)

    async def assign_queued(
        self, contact: Contact, lead: Lead, source: Source
    ) -> Assignment | None:
        """Give one queued contact to an operator, with its backlog; tell the client."""
        pick = await self.take_operator(source.id, lead)
        if pick is None:
            return None
        if not await self.contacts.assign(contact.id, pick.operator_id):
            # Someone else (another process) assigned or closed it meanwhile.
            await self.operators.release_slot(pick.operator_id)
            return None
        backlog = await self.messages.of_contact(contact.id, Direction.IN)
        await self.hand_over(contact, lead, source, pick.telegram_id, pick.language, backlog)
        self.outbox.notice(
            source.id,
            lead.telegram_id,
            ClientOperatorJoined(contact_id=contact.id),
            language=lead.preferred_language,
        )
        return Assignment(contact.id, pick.operator_id, pick.telegram_id)

    async def assign_next(self, skip_sources: set[int]) -> tuple[Contact, Assignment | None] | None:
        """Try to assign the oldest queued contact outside ``skip_sources``.

        Returns ``None`` when no such contact is queued, else the contact and its assignment
        (``None`` when its source has nobody free right now).
        """
        contact = await self.contacts.next_queued(skip_sources)
        if contact is None:
            return None
        lead = await self.leads.get(contact.lead_id)
        source = await self.sources.get(contact.source_id)
        assert lead is not None and source is not None  # foreign keys
        return contact, await self.assign_queued(contact, lead, source)
