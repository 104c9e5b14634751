"""One-time operator invites."""

from sqlalchemy import update

from db.base import utcnow
from db.models import Invite
from db.repositories.base import Repository


class InviteRepository(Repository):
    """Data access for invites."""

    def add(self, code: str, max_open: int, created_by: int) -> None:
        """Stage a new invite."""
        self.session.add(Invite(code=code, max_open=max_open, created_by=created_by))

    async def redeem(self, code: str, telegram_id: int) -> int | None:
        """Mark an unused invite used by ``telegram_id``; its limit, or ``None`` if unusable.

        Conditional on ``used_by IS NULL``, so two people racing for one link cannot both win.
        """
        stmt = (
            update(Invite)
            .where(Invite.code == code, Invite.used_by.is_(None))
            .values(used_by=telegram_id, used_at=utcnow())
            .returning(Invite.max_open)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
