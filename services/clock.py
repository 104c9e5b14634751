"""The clock of the decisions that depend on the time of day (business hours): injected, so
that the tests can move it; everything else reads ``db.base.utcnow`` directly."""

from datetime import datetime
from typing import Protocol

from db.base import utcnow


class Clock(Protocol):
    """Where the services that decide by the time of day read it (the tests move it)."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """``db.base.utcnow``."""
        return utcnow()


SYSTEM_CLOCK = SystemClock()
