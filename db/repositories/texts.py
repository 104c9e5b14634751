"""Texts a bot's admin wrote to replace default ones (``/text``)."""

from sqlalchemy import delete, select

from db.base import utcnow
from db.models import SourceText
from db.repositories.base import Repository


class SourceTextRepository(Repository):
    """Data access for the per-bot texts."""

    async def get(self, source_id: int, name: str, language: str) -> str | None:
        """The bot's own text ``name`` in ``language``, if its admin set one."""
        stmt = select(SourceText.text).where(
            SourceText.source_id == source_id,
            SourceText.name == name,
            SourceText.language == language,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def of_source(self, source_id: int) -> dict[tuple[str, str], str]:
        """Every text the bot's admin set, by (name, language)."""
        stmt = select(SourceText).where(SourceText.source_id == source_id)
        return {(row.name, row.language): row.text for row in await self.session.scalars(stmt)}

    async def put(self, source_id: int, name: str, language: str, text: str) -> None:
        """Set (or replace) one text."""
        values = {"text": text, "updated_at": utcnow()}
        stmt = self.upsert(SourceText.__table__).values(
            source_id=source_id, name=name, language=language, **values
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["source_id", "name", "language"], set_=values
            )
        )

    async def remove(self, source_id: int, name: str, language: str) -> None:
        """Go back to the default text."""
        await self.session.execute(
            delete(SourceText).where(
                SourceText.source_id == source_id,
                SourceText.name == name,
                SourceText.language == language,
            )
        )
