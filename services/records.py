"""Reading contacts and leads for other systems (a CRM, a report): listings with filters and
cursors, one contact with its messages, one lead with their contacts."""

from collections.abc import AsyncIterator
from datetime import datetime

from db.models import Lead
from db.repositories import ContactFilter
from services.base import Service
from services.errors import UnknownContact, UnknownLead
from services.numbers import MAX_ID
from services.views import ContactDetail, ContactPage, ContactRow, LeadDetail, LeadPage

# The most contacts of a lead that reading the lead shows.
LEAD_CONTACTS = 100
# Rows an export reads per transaction.
EXPORT_PAGE = 1000


def _is_id(number: int) -> bool:
    """Whether a number can be a primary key at all (anything else names no row)."""
    return 1 <= number <= MAX_ID


class RecordService(Service):
    """What other systems read."""

    async def list_contacts(
        self, where: ContactFilter, cursor: int | None, limit: int, operator: int | None = None
    ) -> ContactPage:
        """Contacts matching ``where`` (and of the operator with Telegram id ``operator``),
        newest first, ``limit`` of them after ``cursor``."""
        async with self.transaction():
            if operator is not None:
                found = await self.find_operator(operator)
                where = ContactFilter(
                    where.state, where.source_id, found.id, where.since, where.until
                )
            rows = await self.contacts.page(where, cursor, limit + 1)
        more = len(rows) > limit
        page = [ContactRow(*row) for row in rows[:limit]]
        return ContactPage(page, page[-1].contact.id if more else None)

    async def each_contact(
        self, where: ContactFilter, operator: int | None = None
    ) -> AsyncIterator[ContactRow]:
        """Every contact matching ``where``, newest first, read a page per transaction so
        that a million of them never sit in memory at once (an export)."""
        cursor = None
        while True:
            page = await self.list_contacts(where, cursor, EXPORT_PAGE, operator)
            for row in page.rows:
                yield row
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def each_lead(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> AsyncIterator[Lead]:
        """Every lead first seen in the range, newest first, a page per transaction."""
        cursor = None
        while True:
            page = await self.list_leads(None, cursor, EXPORT_PAGE, since, until)
            for lead in page.leads:
                yield lead
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def contact_detail(self, contact_id: int) -> ContactDetail:
        """One contact with its messages."""
        async with self.transaction():
            row = await self.contacts.get_full(contact_id) if _is_id(contact_id) else None
            if row is None:
                raise UnknownContact(contact_id=contact_id)
            contact, lead, source = row
            operator = (
                await self.operators.get(contact.operator_id) if contact.operator_id else None
            )
            messages = await self.messages.all_of(contact_id)
        return ContactDetail(ContactRow(contact, lead, source, operator), messages)

    async def list_leads(
        self,
        text: str | None,
        cursor: int | None,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> LeadPage:
        """Leads whose name, @username, phone or Telegram id matches ``text`` (first seen
        from ``since`` until before ``until``), newest first."""
        async with self.transaction():
            leads = await self.leads.search(text, cursor, limit + 1, since, until)
        more = len(leads) > limit
        return LeadPage(leads[:limit], leads[limit - 1].id if more else None)

    async def lead_detail(self, lead_id: int) -> LeadDetail:
        """One lead with their contacts through every source."""
        async with self.transaction():
            lead = await self.leads.get(lead_id) if _is_id(lead_id) else None
            if lead is None:
                raise UnknownLead(lead_id=lead_id)
            rows = await self.contacts.of_lead(lead_id, LEAD_CONTACTS)
        return LeadDetail(lead, [ContactRow(*row) for row in rows])
