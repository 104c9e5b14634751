"""What the delivery worker sends through: the ``Transport`` the bot implements, and the
errors it raises, by what the worker does about them."""

from typing import Protocol

from db.models import Delivery


class DeliveryError(Exception):
    """Telegram did not take a message."""


class RetryAfter(DeliveryError):
    """429: Telegram asks to wait."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """403: the user blocked the bot or never started it."""


class Rejected(DeliveryError):
    """4xx other than 403/429: sending the same request again cannot succeed."""


class Transient(DeliveryError):
    """5xx, timeouts and network errors: worth retrying."""


class Transport(Protocol):
    """Sends deliveries through the bots; raises ``DeliveryError`` subclasses."""

    async def send(self, deliveries: list[Delivery]) -> list[int]:
        """Send one delivery, or one album of copies; return Telegram's message ids, one per
        delivery, except for a copy carrying a card that had to go as two messages: the
        copy's id, then the card's."""
