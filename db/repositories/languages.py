"""Languages people read: Telegram's and their own choice, on each record a person has."""

from sqlalchemy import literal, select, union_all, update

from db.models import AdminLanguage, Lead, Operator
from db.repositories.base import Repository


class LanguageRepository(Repository):
    """Data access for the languages of leads, operators and admins."""

    async def chosen(self, telegram_id: int) -> str | None:
        """The language a person chose with /language (on whichever record they have)."""
        records = union_all(
            *(
                select(table.chosen_language.label("chosen"), literal(rank).label("rank")).where(
                    table.telegram_id == telegram_id, table.chosen_language.is_not(None)
                )
                for rank, table in enumerate((AdminLanguage, Operator, Lead))
            )
        ).subquery()
        stmt = select(records.c.chosen).order_by(records.c.rank).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def choose(self, telegram_id: int, language: str, *, is_admin: bool) -> bool:
        """Record a person's choice on every record they have (an admin gets one); ``False``
        when they have none (a client who has not written yet)."""
        recorded = is_admin
        if is_admin:
            await self._upsert_admin(telegram_id, {"chosen_language": language})
        for table in (Lead, Operator):
            result = await self.session.execute(
                update(table)
                .where(table.telegram_id == telegram_id)
                .values(chosen_language=language)
            )
            recorded = recorded or bool(result.rowcount)
        return recorded

    async def admin_seen(self, telegram_id: int, language: str | None) -> None:
        """Record an admin's Telegram language."""
        await self._upsert_admin(telegram_id, {"language": language})

    async def operator_seen(self, telegram_id: int, language: str | None) -> None:
        """Record an operator's Telegram language (written only when it changed)."""
        await self.session.execute(
            update(Operator)
            .where(
                Operator.telegram_id == telegram_id,
                Operator.language.is_distinct_from(language),
            )
            .values(language=language)
        )

    async def of_admins(self, telegram_ids: list[int]) -> dict[int, str | None]:
        """The preferred language of each admin, by Telegram id (``None``: not known)."""
        stmt = select(AdminLanguage).where(AdminLanguage.telegram_id.in_(telegram_ids))
        known = {a.telegram_id: a.preferred_language for a in (await self.session.scalars(stmt))}
        return {telegram_id: known.get(telegram_id) for telegram_id in telegram_ids}

    async def _upsert_admin(self, telegram_id: int, values: dict[str, str | None]) -> None:
        stmt = self.upsert(AdminLanguage.__table__).values(telegram_id=telegram_id, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["telegram_id"], set_=values)
        )
