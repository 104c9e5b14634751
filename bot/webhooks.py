"""The HTTP side of the API's webhooks: the sender's POSTs, with aiohttp."""

from collections.abc import Mapping

import aiohttp

from services.delivery.webhooks import PostFailed

USER_AGENT = "Switchboard-Webhooks/1"


class AiohttpPoster:
    """A ``services.delivery.webhooks.Poster`` on one aiohttp ``ClientSession`` (made on first
    use, inside the event loop; ``close`` ends it)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST ``body`` to ``url``; the status code. No redirect is followed: the body and
        its signature are for the URL subscribed."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout, headers={"User-Agent": USER_AGENT}
            )
        try:
            async with self._session.post(
                url, data=body, headers=dict(headers), allow_redirects=False
            ) as response:
                return response.status
        except aiohttp.InvalidURL as exc:
            raise PostFailed(f"invalid URL: {exc}", lasting=True) from exc
        except TimeoutError as exc:
            raise PostFailed("timed out") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise PostFailed(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        """Close the connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None
