"""Each bot's canned replies (``/template``, ``/t``)."""

from sqlalchemy import delete, select

from db.base import utcnow
from db.models import Template
from db.repositories.base import Repository


class TemplateRepository(Repository):
    """Data access for templates."""

    async def of_source(self, source_id: int) -> list[Template]:
        """A bot's templates by name."""
        stmt = select(Template).where(Template.source_id == source_id).order_by(Template.name)
        return list(await self.session.scalars(stmt))

    async def named(self, source_id: int, name: str) -> Template | None:
        """A bot's template of that name, as the database has it now (``put`` writes the
        table, not a loaded template)."""
        stmt = (
            select(Template)
            .where(Template.source_id == source_id, Template.name == name)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, template_id: int) -> Template | None:
        """A template by id (a button names it so)."""
        return await self.session.get(Template, template_id)

    async def put(self, source_id: int, name: str, text: str) -> None:
        """Add a template, or replace the text of the one of that name; the same id stays,
        so buttons offering it send the new text."""
        values = {"text": text, "updated_at": utcnow()}
        stmt = self.upsert(Template.__table__).values(source_id=source_id, name=name, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["source_id", "name"], set_=values)
        )

    async def remove(self, source_id: int, name: str) -> bool:
        """Remove a template; whether there was one."""
        stmt = delete(Template).where(Template.source_id == source_id, Template.name == name)
        return (await self.session.execute(stmt)).rowcount == 1
