"""``/api/v1/contacts``: list contacts, read one with its messages, close one (as the card's
button or ``/close``: the client and the operator are told, the queue drains at once)."""

from datetime import datetime

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404, r409

from api.forms import FormContactsView
from api.schemas import (
    ContactDetailOut,
    ContactOut,
    ContactPageOut,
    PageSize,
    Problem,
    RowId,
    StateName,
)
from api.views import ApiView, json, utc
from db.repositories import ContactFilter, ContactState
from services.base import Actor

# The API acts with an admin's rights: the client and the operator are told an admin closed it.
API_ACTOR = Actor("admin")


class ContactsView(FormContactsView):
    """Contacts, newest first; a lead's request through a form source."""

    async def get(
        self,
        state: StateName | None = None,
        source_id: RowId | None = None,
        operator: RowId | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        cursor: RowId | None = None,
        limit: PageSize = 50,
    ) -> r200[ContactPageOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """Contacts, newest first, filtered by state, source, operator (Telegram id) and the
        time they were opened (``since`` included, ``until`` not; ISO 8601, UTC when no zone
        is given). ``cursor`` is the previous page's ``next_cursor``.

        Tags: contacts
        """
        chosen = ContactState(state) if state is not None else None
        where = ContactFilter(chosen, source_id, None, utc(since), utc(until))
        async with self.context.services() as services:
            page = await services.records.list_contacts(where, cursor, limit, operator)
        return json(ContactPageOut.of(page))


class ContactView(ApiView):
    """One contact."""

    async def get(
        self, contact_id: int, /
    ) -> r200[ContactDetailOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """A contact with its messages, oldest first.

        Tags: contacts
        """
        async with self.context.services() as services:
            detail = await services.records.contact_detail(contact_id)
        return json(ContactDetailOut.of_detail(detail))


class CloseView(ApiView):
    """Closing a contact."""

    async def post(
        self, contact_id: int, /
    ) -> r200[ContactOut] | r400[Problem] | r401[Problem] | r404[Problem] | r409[Problem]:
        """Close an open contact: the client and the operator are told, and the freed slot
        goes to the oldest queued contact at once.

        Tags: contacts
        Status Codes:
            409: The contact is closed already.
        """
        async with self.context.services() as services:
            await services.contacts.close(contact_id, API_ACTOR)
            detail = await services.records.contact_detail(contact_id)
        return json(ContactOut.of(detail.row))


def add_routes(api: web.Application) -> None:
    """The contact routes, relative to the API's prefix."""
    api.router.add_view("/contacts", ContactsView)
    api.router.add_view("/contacts/{contact_id}", ContactView)
    api.router.add_view("/contacts/{contact_id}/close", CloseView)
