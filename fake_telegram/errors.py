"""Telegram-style API errors, raised by handlers and rendered as error envelopes."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """One error answer: HTTP status (== ``error_code``), description and optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        # aiogram only raises TelegramRetryAfter when parameters.retry_after is present.
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    """Build a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """Build a 403 error with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """Build the 429 flood-control answer that tells the client how long to back off."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def missing(name: str) -> ApiError:
    """Build the 400 error for a required parameter that was not sent."""
    return bad_request(f'parameter "{name}" is required')
