"""Operators, their per-source links, and the atomic capacity counter."""

from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, func, or_, select, update

from db.models import Operator, OperatorSource
from db.repositories.base import Repository


class CandidateRow(NamedTuple):
    """An operator as seen by the distribution for one source (a tuple: one is built per
    operator of the source for every new contact)."""

    operator_id: int
    telegram_id: int
    weight: int
    open_count: int
    max_open: int
    active: bool
    paused: bool
    started: bool
    unreachable: bool
    # What the exact mode owes them in the source (see services.distribution.pick_exact).
    credit: float
    # Their preferred language (choice, else Telegram's): what their card is written in.
    language: str | None
    # Their shift as stored (NULL: whenever active) and whether they are on duty.
    shift: str | None
    on_duty: bool


_OPERATORS = Operator.__table__
_LINKS = OperatorSource.__table__
# Whether the operator can be reached is read from the link of the bot that sends the
# source's messages: the source's own, or for a form source its announcing bot's.
_REACH = _LINKS.alias("reach")
_CANDIDATES = (
    select(
        _OPERATORS.c.id,
        _OPERATORS.c.telegram_id,
        _LINKS.c.weight,
        _OPERATORS.c.open_count,
        _OPERATORS.c.max_open,
        _OPERATORS.c.active,
        _OPERATORS.c.paused,
        _REACH.c.started,
        _REACH.c.unreachable,
        _LINKS.c.credit,
        func.coalesce(_OPERATORS.c.chosen_language, _OPERATORS.c.language),
        _OPERATORS.c.shift,
        _OPERATORS.c.on_duty,
    )
    .join(_LINKS, _LINKS.c.operator_id == _OPERATORS.c.id)
    .join(
        _REACH,
        (_REACH.c.operator_id == _OPERATORS.c.id)
        & (_REACH.c.source_id == bindparam("reach_source_id")),
    )
    # Every operator of the source, those who cannot take a contact too: the decision records
    # who was left out and why (services.distribution.left_out).
    .where(_LINKS.c.source_id == bindparam("source_id"))
    .order_by(_OPERATORS.c.id)
)
# The exact mode reads its credits and writes them back in one transaction: the links stay
# locked until the commit, so that processes assigning in the same source take turns (in the
# operators' order, so they cannot deadlock). SQLite's BEGIN IMMEDIATE serialises anyway.
_CANDIDATES_LOCKED = _CANDIDATES.with_for_update(of=_LINKS)
# The counter goes up only below the limit, in one statement, so the limit holds under
# concurrency; a /deactivate or /pause committed since the pick holds, too. The new count is
# returned for the session's loaded Operator (refresh_loaded).
_TAKE_SLOT = (
    update(_OPERATORS)
    .where(
        _OPERATORS.c.id == bindparam("operator_id"),
        _OPERATORS.c.active.is_(True),
        _OPERATORS.c.paused.is_(False),
        _OPERATORS.c.open_count < _OPERATORS.c.max_open,
    )
    .values(open_count=_OPERATORS.c.open_count + 1)
    .returning(_OPERATORS.c.open_count)
)
_SET_CREDIT = (
    update(_LINKS)
    .where(
        _LINKS.c.source_id == bindparam("link_source_id"),
        _LINKS.c.operator_id == bindparam("link_operator_id"),
    )
    .values(credit=bindparam("credit"))
)
# Asked for every message anyone writes to a bot (is the sender an operator?).
_IS_OPERATOR = select(exists().where(Operator.telegram_id == bindparam("telegram_id")))


class OperatorRepository(Repository):
    """Data access for operators and operator × source links."""

    async def get(self, operator_id: int) -> Operator | None:
        """An operator by primary key."""
        return await self.session.get(Operator, operator_id)

    async def by_telegram_id(self, telegram_id: int) -> Operator | None:
        """An operator by Telegram user id."""
        stmt = select(Operator).where(Operator.telegram_id == telegram_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def is_operator(self, telegram_id: int) -> bool:
        """Whether a Telegram user is an operator."""
        params = {"telegram_id": telegram_id}
        return bool((await self.session.execute(_IS_OPERATOR, params)).scalar())

    async def with_username(self, username: str) -> list[Operator]:
        """Operators known by this Telegram @username (case-insensitive), oldest first.

        More than one when someone took a name an operator used to have: an operator's username
        is refreshed only when they start a bot.
        """
        stmt = (
            select(Operator)
            .where(func.lower(Operator.username) == username.lower())
            .order_by(Operator.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def all(self) -> list[Operator]:
        """Every operator, in the order they were added."""
        return list((await self.session.execute(select(Operator).order_by(Operator.id))).scalars())

    async def any_shift(self) -> bool:
        """Whether any operator has a shift (the time of day then decides who is free)."""
        stmt = select(exists().where(Operator.shift.is_not(None)))
        return bool((await self.session.execute(stmt)).scalar())

    def add(self, operator: Operator) -> None:
        """Stage a new operator."""
        self.session.add(operator)

    async def delete(self, operator_id: int) -> None:
        """Remove an operator and their links."""
        await self.session.execute(delete(Operator).where(Operator.id == operator_id))

    async def candidates(
        self, source_id: int, reach_source_id: int | None = None, *, lock: bool = False
    ) -> list[CandidateRow]:
        """Every operator of the source as the distribution sees them, by id, reachable as
        the bot of ``reach_source_id`` (default: the source's own) says; with ``lock``, their
        links stay locked until the transaction ends."""
        stmt = _CANDIDATES_LOCKED if lock else _CANDIDATES
        reach = source_id if reach_source_id is None else reach_source_id
        rows = await self.session.execute(stmt, {"source_id": source_id, "reach_source_id": reach})
        return list(map(CandidateRow._make, rows))

    async def set_credits(self, source_id: int, credits: dict[int, float]) -> None:
        """Write the exact mode's credits of these operators in the source (one executemany:
        a statement built once, unlike a CASE over the operators)."""
        rows = [
            {"link_source_id": source_id, "link_operator_id": operator_id, "credit": credit}
            for operator_id, credit in credits.items()
        ]
        await self.session.execute(_SET_CREDIT, rows)

    async def reset_credits(self, source_id: int) -> None:
        """Nobody is owed anything in the source (the exact mode starts over)."""
        stmt = update(_LINKS).where(_LINKS.c.source_id == source_id).values(credit=0.0)
        await self.session.execute(stmt)

    async def take_slot(self, operator_id: int) -> bool:
        """Atomically count one more open contact, only if the operator is active, not paused
        and below the limit."""
        taken = await self.session.execute(_TAKE_SLOT, {"operator_id": operator_id})
        open_count = taken.scalar_one_or_none()
        if open_count is None:
            return False
        self.refresh_loaded(Operator, operator_id, open_count=open_count)
        return True

    async def release_slot(self, operator_id: int, count: int = 1) -> None:
        """Count ``count`` fewer open contacts."""
        stmt = (
            update(Operator)
            .where(Operator.id == operator_id)
            .values(open_count=Operator.open_count - count)
        )
        await self.session.execute(stmt)

    async def set_fields(self, operator_id: int, **values: object) -> None:
        """Update plain columns of an operator."""
        await self.session.execute(
            update(Operator).where(Operator.id == operator_id).values(**values)
        )

    async def links(
        self, source_id: int | None = None, operator_id: int | None = None
    ) -> list[OperatorSource]:
        """Operator × source links, optionally of one source and/or one operator."""
        stmt = select(OperatorSource).order_by(OperatorSource.operator_id)
        if source_id is not None:
            stmt = stmt.where(OperatorSource.source_id == source_id)
        if operator_id is not None:
            stmt = stmt.where(OperatorSource.operator_id == operator_id)
        return list((await self.session.execute(stmt)).scalars())

    async def link(self, operator_id: int, source_id: int) -> OperatorSource | None:
        """The operator × source link, if any."""
        stmt = select(OperatorSource).where(
            OperatorSource.operator_id == operator_id, OperatorSource.source_id == source_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def mark_reachable(self, operator_id: int, source_id: int) -> bool:
        """The operator wrote in this bot, so it may message them: whether that is news (the
        link said they had not started it, or had blocked it)."""
        stmt = (
            update(OperatorSource)
            .where(
                OperatorSource.operator_id == operator_id,
                OperatorSource.source_id == source_id,
                or_(OperatorSource.started.is_(False), OperatorSource.unreachable.is_(True)),
            )
            .values(started=True, unreachable=False)
        )
        return (await self.session.execute(stmt)).rowcount == 1

    async def set_link(self, operator_id: int, source_id: int, **values: object) -> None:
        """Create or update the operator × source link with the given columns."""
        stmt = self.upsert(OperatorSource.__table__).values(
            operator_id=operator_id,
            source_id=source_id,
            weight=values.get("weight", 0),
            started=values.get("started", False),
            unreachable=values.get("unreachable", False),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["operator_id", "source_id"], set_=dict(values)
        )
        await self.session.execute(stmt)
