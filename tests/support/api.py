"""Calls to a running Switchboard's HTTP API, as a CRM would make them."""

from typing import Any

import aiohttp

KEY = "test-key-0123456789abcdef"


class Api:
    """An HTTP client of ``/api/v1`` with an API key (``key=None``: none sent)."""

    def __init__(self, port: int, key: str | None = KEY) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.key = key

    async def call(
        self, method: str, path: str, json: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        """The status and the decoded JSON answer (text when it is not JSON)."""
        headers = dict(kwargs.pop("headers", {}))
        if self.key is not None:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method, self.base + path, json=json, headers=headers, **kwargs
            ) as response,
        ):
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()
