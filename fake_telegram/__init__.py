"""A local fake of the Telegram Bot API for end-to-end tests and demos.

Start a :class:`FakeTelegram`, register bots, point aiogram at ``fake.base_url`` and play
users with ``send_message``/``press_button``/...; see ``fake_telegram/README.md``.
"""

from .faults import SEND_METHODS, FaultPlan, RateLimits
from .media import MEDIA_KINDS
from .server import FakeTelegram
from .state import Call, Delivery, Received
from .users import User
from .webhook import SECRET_HEADER

__all__ = [
    "MEDIA_KINDS",
    "SECRET_HEADER",
    "SEND_METHODS",
    "Call",
    "Delivery",
    "FakeTelegram",
    "FaultPlan",
    "RateLimits",
    "Received",
    "User",
]
