"""Sources: one per configured bot."""

from sqlalchemy import select, update

from db.base import utcnow
from db.models import DistributionMode, Source
from db.repositories.base import Repository

_SOURCES = Source.__table__


class SourceRepository(Repository):
    """Data access for sources."""

    async def ensure(self, bot_id: int, username: str, title: str) -> Source:
        """Create the source of a bot or refresh its username and title; return it."""
        stmt = self.upsert(Source.__table__).values(
            bot_id=bot_id, username=username, title=title, created_at=utcnow()
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["bot_id"], set_={"username": username, "title": title}
        )
        await self.session.execute(stmt)
        source = await self.by_bot_id(bot_id)
        assert source is not None  # just upserted
        return source

    async def by_bot_id(self, bot_id: int) -> Source | None:
        """The source of a bot."""
        stmt = select(Source).where(Source.bot_id == bot_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, source_id: int) -> Source | None:
        """A source by primary key."""
        return await self.session.get(Source, source_id)

    async def all(self) -> list[Source]:
        """Every source."""
        return list((await self.session.execute(select(Source).order_by(Source.id))).scalars())

    async def mark_sending(self, sender: str, source_ids: list[int]) -> None:
        """Record that ``sender`` now sends for these bots (it holds their sender role,
        ``db.sender_role``; the columns only show who does)."""
        stmt = (
            update(_SOURCES)
            .where(_SOURCES.c.id.in_(source_ids))
            .values(sender=sender, sender_until=None)
        )
        await self.session.execute(stmt)

    async def set_mode(self, source_id: int, mode: DistributionMode) -> None:
        """Set how a source distributes its new contacts."""
        await self.session.execute(
            update(_SOURCES).where(_SOURCES.c.id == source_id).values(mode=mode)
        )
        self.refresh_loaded(Source, source_id, mode=mode)

    async def release_sending(self, sender: str) -> None:
        """``sender`` stops: the other processes may take its bots at once."""
        stmt = (
            update(_SOURCES)
            .where(_SOURCES.c.sender == sender)
            .values(sender=None, sender_until=None)
        )
        await self.session.execute(stmt)
