"""``POST /api/v1/sources`` (a form source) and ``POST /api/v1/contacts`` (a lead's request
through one): distributed by the same services as a bot's contacts."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r201, r400, r401, r404, r409, r422

from api.schemas import ContactIn, ContactOut, FormSourceIn, Problem, SourceOut
from api.views import ApiView, json
from db.repositories import FormLead
from services.forms import Answer, FormRequest, FormResult, RequestKey

# The longest Idempotency-Key taken (the column's width).
KEY_LIMIT = 128


def _answer(result: FormResult) -> Answer:
    """201 with a new contact, 200 with the lead's open one the message was added to."""
    body = ContactOut.of(result.row).model_dump(mode="json")
    return Answer(201 if result.opened else 200, body)


class FormSourcesView(ApiView):
    """Creating a form source (``/sources``)."""

    async def post(
        self, body: FormSourceIn
    ) -> r201[SourceOut] | r400[Problem] | r401[Problem] | r409[Problem] | r422[Problem]:
        """Create a form source (a web form, a landing page, a phone line): its leads'
        requests come through POST /contacts, and the bot of ``announcer_id`` (default: the
        first bot) brings their cards to operators. Every operator gets weight 1 in it, as in
        a new bot; set them with PUT /sources/{id}/weights or /weights in Telegram.

        Tags: sources
        Status Codes:
            409: A source of that name exists.
            422: announcer_id names no bot's source.
        """
        async with self.context.services() as services:
            view = await services.forms.create_source(body.name, body.announcer_id)
        return json(SourceOut.of(view), status=201)


class FormContactsView(ApiView):
    """Registering a lead's request (``/contacts``)."""

    async def post(
        self, body: ContactIn, *, idempotency_key: str | None = None
    ) -> (
        r200[ContactOut]
        | r201[ContactOut]
        | r400[Problem]
        | r401[Problem]
        | r404[Problem]
        | r409[Problem]
        | r422[Problem]
    ):
        """Register a lead's request in a form source: a new contact, distributed by the
        source's weights and the operators' limits (or queued), whose operator gets a card
        in Telegram through the announcing bot (201); or, if the lead has an open contact in
        that source, the message added to it (200). The lead is found by telegram_id, then
        external_id, email, phone. With an ``Idempotency-Key`` header, a retry gets the first
        answer and changes nothing.

        Tags: contacts
        Status Codes:
            404: No such source.
            422: The source is a bot, the lead is named by nothing, or the Idempotency-Key
                was used with another body.
        """
        if idempotency_key is not None and not 1 <= len(idempotency_key) <= KEY_LIMIT:
            return json(
                Problem(error=f"headers.idempotency_key: 1 to {KEY_LIMIT} characters"),
                status=400,
            )
        lead = FormLead(
            external_id=body.external_id,
            telegram_id=body.telegram_id,
            phone=body.phone,
            email=body.email.lower() if body.email else None,
            name=body.name,
        )
        request = FormRequest(body.source_id, lead, body.message)
        key = None
        if idempotency_key is not None:
            key = RequestKey.of(idempotency_key, body.model_dump_json().encode())
        async with self.context.services() as services:
            answered = await services.forms.register(request, _answer, key)
        return web.json_response(answered.body, status=answered.status)
