"""A contact's whole conversation as one file (``/history``): who may have it, and its parts
read page by page when the bot builds the file."""

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime

from db.models import Contact, Direction, Lead, Source
from services.base import Service
from services.errors import NotYourContact
from services.notices import TranscriptRequest

# Messages read per transaction while the file is written: a long conversation never sits in
# memory at once.
TRANSCRIPT_PAGE = 500


@dataclass(frozen=True, slots=True)
class TranscriptHead:
    """What a transcript starts with: the contact, its client, bot and operator."""

    contact: Contact
    lead: Lead
    source: Source
    operator_name: str | None


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One message of the conversation: ``author`` is the operator's name for an answer
    (``None``: the client's, or an operator since removed), ``text`` its text or caption."""

    at: datetime
    direction: Direction
    author: str | None
    content_type: str
    text: str | None


class TranscriptService(Service):
    """Transcripts of contacts."""

    async def request(
        self, contact_id: int, telegram_id: int, *, is_admin: bool, source_id: int, language: str
    ) -> None:
        """Stage the transcript of a contact to ``telegram_id`` through the bot of
        ``source_id``. An admin may have any; an operator the contacts that are or were
        theirs, and the earlier contacts of a client whose open contact they have (their card
        points to them). Refused otherwise, or for a contact there is none of."""
        async with self.transaction():
            contact, _, _ = await self.find_contact(contact_id)
            if not is_admin:
                operator = await self.find_operator(telegram_id)
                if contact.operator_id != operator.id and not any(
                    open_contact.lead_id == contact.lead_id
                    for open_contact, _lead, _source in await self.contacts.open_of_operator(
                        operator.id
                    )
                ):
                    raise NotYourContact(contact_id=contact_id)
            request = TranscriptRequest(contact_id=contact_id, language=language)
            self.outbox.transcript(source_id, telegram_id, request)

    async def head(self, contact_id: int) -> TranscriptHead | None:
        """The contact, client, bot and operator of a transcript (``None``: it is gone)."""
        async with self.transaction():
            row = await self.contacts.get_full(contact_id)
            if row is None:
                return None
            contact, lead, source = row
            operator = (
                await self.operators.get(contact.operator_id) if contact.operator_id else None
            )
        return TranscriptHead(contact, lead, source, operator.display_name if operator else None)

    async def lines(self, contact_id: int) -> AsyncGenerator[TranscriptLine, None]:
        """The contact's messages in the order they arrived, a page per transaction."""
        after = 0
        while True:
            async with self.transaction():
                rows = await self.messages.page_of(contact_id, after, TRANSCRIPT_PAGE)
            for message, author in rows:
                yield TranscriptLine(
                    message.created_at,
                    message.direction,
                    author,
                    message.content_type,
                    message.text,
                )
            if len(rows) < TRANSCRIPT_PAGE:
                return
            after = rows[-1][0].id
