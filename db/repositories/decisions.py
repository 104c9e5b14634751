"""The recorded distribution decisions (``/why``)."""

from typing import Any

from sqlalchemy import select

from db.models import Decision
from db.repositories.base import Repository


class DecisionRepository(Repository):
    """Data access for decisions."""

    def add(
        self, contact_id: int, mode: str, operator_id: int | None, facts: dict[str, Any]
    ) -> None:
        """Stage the record of one decision about a contact."""
        self.session.add(
            Decision(contact_id=contact_id, mode=mode, operator_id=operator_id, facts=facts)
        )

    async def made(self, contact_id: int, mode: str) -> bool:
        """Whether a decision in ``mode`` was recorded about the contact."""
        stmt = (
            select(Decision.id)
            .where(Decision.contact_id == contact_id, Decision.mode == mode)
            .limit(1)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def of_contact(self, contact_id: int) -> list[Decision]:
        """A contact's decisions, oldest first."""
        stmt = select(Decision).where(Decision.contact_id == contact_id).order_by(Decision.id)
        return list((await self.session.execute(stmt)).scalars())
