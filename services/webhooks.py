"""Subscriptions of other systems to events (``/api/v1/webhooks``): validated here, stored in
the database (so every process sends to them at once)."""

from collections.abc import Sequence
from urllib.parse import urlsplit

from db.models import Webhook
from services.base import Service
from services.errors import (
    InvalidWebhookSecret,
    InvalidWebhookUrl,
    NoEvents,
    UnknownEvent,
    UnknownWebhook,
)
from services.events import EVENT_NAMES
from services.numbers import MAX_ID

URL_LIMIT = 2048
SECRET_LIMIT = 256


def check_url(url: str) -> str:
    """``url`` if it is an http(s) URL with a host, printable ASCII without spaces."""
    if not 0 < len(url) <= URL_LIMIT or not url.isascii() or not url.isprintable() or " " in url:
        raise InvalidWebhookUrl(maximum=URL_LIMIT)
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise InvalidWebhookUrl(maximum=URL_LIMIT) from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidWebhookUrl(maximum=URL_LIMIT)
    return url


def check_events(events: Sequence[str]) -> list[str]:
    """The known event names given, each once, in the order given."""
    known = ", ".join(EVENT_NAMES)
    if not events:
        raise NoEvents(events=known)
    for event in events:
        if event not in EVENT_NAMES:
            raise UnknownEvent(event=event, events=known)
    return list(dict.fromkeys(events))


def check_secret(secret: str) -> str:
    """``secret`` if it is 1 to ``SECRET_LIMIT`` printable characters."""
    if not 0 < len(secret) <= SECRET_LIMIT or not secret.isprintable():
        raise InvalidWebhookSecret(maximum=SECRET_LIMIT)
    return secret


class WebhookService(Service):
    """Webhook subscriptions."""

    async def create(self, url: str, events: Sequence[str], secret: str) -> Webhook:
        """Subscribe ``url`` to ``events``, signed with ``secret``; the events that happen from
        the commit on are sent to it."""
        row = (check_url(url), check_events(events), check_secret(secret))
        async with self.transaction():
            return await self.webhooks.add(*row)

    async def subscriptions(self) -> list[Webhook]:
        """Every subscription, oldest first."""
        async with self.transaction():
            return await self.webhooks.all()

    async def remove(self, webhook_id: int) -> Webhook:
        """Delete a subscription with the events it has not been sent yet."""
        async with self.transaction():
            removed = await self.webhooks.remove(webhook_id) if 1 <= webhook_id <= MAX_ID else None
        if removed is None:
            raise UnknownWebhook(ref=webhook_id)
        return removed
