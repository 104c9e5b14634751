"""The delivery core, by job: ``pacing`` (Telegram's limits), ``transport`` (what the worker
sends through, and its errors), ``reactions`` (what an outcome means for contacts),
``outages`` (bots through which Telegram cannot be reached) and ``worker`` (leasing, sending
and recording the outbox)."""

from services.delivery.outages import Backoff, Outages
from services.delivery.pacing import BotLine, Pacer, Pacing, TokenBucket
from services.delivery.reactions import DeliveryService
from services.delivery.transport import (
    DeliveryError,
    Rejected,
    RetryAfter,
    Transient,
    Transport,
    Unreachable,
)
from services.delivery.worker import DeliveryWorker, Wakeup, WorkerConfig

__all__ = [
    "Backoff",
    "BotLine",
    "DeliveryError",
    "DeliveryService",
    "DeliveryWorker",
    "Outages",
    "Pacer",
    "Pacing",
    "Rejected",
    "RetryAfter",
    "TokenBucket",
    "Transient",
    "Transport",
    "Unreachable",
    "Wakeup",
    "WorkerConfig",
]
