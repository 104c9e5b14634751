"""The first answers to API requests sent with an ``Idempotency-Key``."""

from typing import Any

from sqlalchemy import select, update

from db.base import utcnow
from db.models import IdempotentRequest
from db.repositories.base import Repository

_REQUESTS = IdempotentRequest.__table__


class RequestRepository(Repository):
    """Data access for idempotent requests."""

    async def claim(self, key: str, body_hash: str) -> IdempotentRequest | None:
        """Take ``key`` for the request under way; ``None`` if taken, else the earlier
        request's row. A request with the key in flight elsewhere is waited for (its row
        is locked until it commits), so its answer is the one read."""
        stmt = (
            self.upsert(_REQUESTS)
            .values(key=key, body_hash=body_hash, status=0, answer={}, created_at=utcnow())
            .on_conflict_do_nothing()
            .returning(_REQUESTS.c.key)
        )
        if (await self.session.execute(stmt)).scalar_one_or_none() is not None:
            return None
        found = select(IdempotentRequest).where(IdempotentRequest.key == key)
        return (await self.session.execute(found)).scalar_one()

    async def answer(self, key: str, status: int, answer: dict[str, Any]) -> None:
        """Record the answer of the request that claimed ``key``."""
        stmt = update(_REQUESTS).where(_REQUESTS.c.key == key).values(status=status, answer=answer)
        await self.session.execute(stmt)
