"""Sources: one per configured bot, and the form sources the API creates."""

from sqlalchemy import func, select, update

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

    async def add_form(self, name: str, announcer_id: int) -> Source | None:
        """Create a form source announced by the bot of ``announcer_id``; ``None`` if a form
        source of that name exists (the unique index decides, whoever inserts at once)."""
        stmt = (
            self.upsert(_SOURCES)
            .values(username=name, title=name, announcer_id=announcer_id, created_at=utcnow())
            .on_conflict_do_nothing()
            .returning(_SOURCES.c.id)
        )
        source_id = (await self.session.execute(stmt)).scalar_one_or_none()
        return None if source_id is None else await self.get(source_id)

    async def named(self, name: str) -> Source | None:
        """The source called ``name`` (a bot's @username or a form's name), any case."""
        stmt = select(Source).where(func.lower(Source.username) == name.lower()).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def bots(self) -> list[Source]:
        """The sources that are bots, in the order they were added."""
        stmt = select(Source).where(Source.bot_id.is_not(None)).order_by(Source.id)
        return list((await self.session.execute(stmt)).scalars())

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

    async def locked(self, source_id: int) -> Source | None:
        """A source, its row locked until the transaction ends (PostgreSQL; SQLite runs one
        writing transaction at a time): for a read-modify-write of its holidays."""
        stmt = (
            select(Source)
            .where(Source.id == source_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def set_hours(self, source_id: int, hours: str | None) -> None:
        """Set a source's business hours (``None``: always open)."""
        await self.session.execute(
            update(_SOURCES).where(_SOURCES.c.id == source_id).values(hours=hours)
        )
        self.refresh_loaded(Source, source_id, hours=hours)

    async def set_holidays(self, source_id: int, holidays: list[str]) -> None:
        """Set a source's holidays (ISO dates, sorted)."""
        await self.session.execute(
            update(_SOURCES).where(_SOURCES.c.id == source_id).values(holidays=holidays)
        )
        self.refresh_loaded(Source, source_id, holidays=holidays)

    async def set_duty_after_hours(self, source_id: int, duty: bool) -> None:
        """Whether on-duty operators take a source's new contacts while it is closed."""
        await self.session.execute(
            update(_SOURCES).where(_SOURCES.c.id == source_id).values(duty_after_hours=duty)
        )
        self.refresh_loaded(Source, source_id, duty_after_hours=duty)
