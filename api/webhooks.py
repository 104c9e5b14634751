"""``/api/v1/webhooks``: subscriptions of other systems to events (see ``services.events``),
POSTed to them signed, in order per contact, retried until delivered."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r201, r400, r401, r404, r422

from api.schemas import Problem, WebhookIn, WebhookOut
from api.views import ApiView, json


class WebhooksView(ApiView):
    """Every subscription; a new one."""

    async def get(self) -> r200[list[WebhookOut]] | r401[Problem]:
        """Every subscription, oldest first, without its secret.

        Tags: webhooks
        """
        async with self.context.services() as services:
            webhooks = await services.webhooks.subscriptions()
        return json([WebhookOut.of(webhook) for webhook in webhooks])

    async def post(
        self, body: WebhookIn
    ) -> r201[WebhookOut] | r400[Problem] | r401[Problem] | r422[Problem]:
        """Subscribe a URL to events: from now on each of them is POSTed to it as JSON, with
        ``X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`` and
        the event's id in ``X-Switchboard-Event-Id``. A 2xx answer delivers it; 5xx, 408, 429,
        a timeout or no connection is tried again later (the contact's next events wait);
        any other answer gives it up.

        Tags: webhooks
        Status Codes:
            422: The url is no http(s) URL, an event is unknown or none is given, or the
                secret is empty.
        """
        async with self.context.services() as services:
            webhook = await services.webhooks.create(body.url, body.events, body.secret)
        return json(WebhookOut.of(webhook), status=201)


class WebhookView(ApiView):
    """One subscription."""

    async def delete(
        self, webhook_id: int, /
    ) -> r200[WebhookOut] | r400[Problem] | r401[Problem] | r404[Problem]:
        """Remove a subscription; the events it has not been sent yet are dropped.

        Tags: webhooks
        """
        async with self.context.services() as services:
            webhook = await services.webhooks.remove(webhook_id)
        return json(WebhookOut.of(webhook))


def add_routes(api: web.Application) -> None:
    """The webhook routes, relative to the API's prefix."""
    api.router.add_view("/webhooks", WebhooksView)
    api.router.add_view("/webhooks/{webhook_id}", WebhookView)
