"""Contacts: conversations, the queue, and their link to operator capacity."""

import enum
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
    text,
    true,
    update,
)

from db.base import utcnow
from db.models import (
    OPEN_CONTACT_SQL,
    Contact,
    ContactStatus,
    Decision,
    Lead,
    Operator,
    OperatorTally,
    Source,
    SourceTally,
    TallyMark,
)
from db.repositories.base import Repository, upsert_for

_OPEN = Contact.status != ContactStatus.CLOSED
_QUEUED = and_(Contact.operator_id.is_(None), Contact.status == ContactStatus.NEW)
_CLOSED = Contact.status == ContactStatus.CLOSED
# Closed contacts go into the tallies once no transaction that could still close one at an
# earlier time can be running (none lasts this long, clocks of the hosts included) ...
_SETTLED = timedelta(minutes=10)
# ... at most this often.
_ROLL_UP_EVERY = timedelta(minutes=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_BACK_TO_QUEUE = {
    "operator_id": None,
    "status": ContactStatus.NEW,
    "assigned_at": None,
    "first_reply_at": None,
    "reminded_at": None,
}


# The operator's Telegram id as a subquery, not a join: a locked read that waited for a
# concurrent assignment sees the new operator_id, and PostgreSQL re-evaluates the subquery with
# it, whereas a joined row would still be the one read before the wait.
_OPERATOR_TELEGRAM_ID = (
    select(Operator.telegram_id).where(Operator.id == Contact.operator_id).scalar_subquery()
)
# Whether the source has business hours: a message to a queued contact may then have to say
# the desk is closed (then the source row is read; without hours, nothing more).
_SOURCE_HOURS = select(Source.hours).where(Source.id == Contact.source_id).scalar_subquery()
_FIND_OPEN = select(
    Contact.id, Contact.operator_id, Contact.status, _OPERATOR_TELEGRAM_ID, _SOURCE_HOURS
).where(
    Contact.lead_id == bindparam("lead_id"),
    Contact.source_id == bindparam("source_id"),
    _OPEN,
)
_FIND_OPEN_LOCKED = _FIND_OPEN.with_for_update()
_SOURCES = Source.__table__
_CONTACTS = Contact.__table__
_TOUCH = (
    update(_CONTACTS)
    .where(_CONTACTS.c.id == bindparam("contact_id"))
    .values(last_activity_at=bindparam("now"))
)


_ASSIGN = (
    update(_CONTACTS)
    .where(_CONTACTS.c.id == bindparam("contact_id"), _QUEUED)
    .values(
        operator_id=bindparam("operator_id"),
        assigned_at=bindparam("assigned_at"),
        # Idle time counts from here: waiting in the queue was the desk's silence.
        last_activity_at=bindparam("last_activity_at"),
    )
)
_GET_FULL = (
    select(Contact, Lead, Source)
    .join(Lead, Lead.id == Contact.lead_id)
    .join(Source, Source.id == Contact.source_id)
    .where(Contact.id == bindparam("contact_id"))
)


@functools.cache
def _open_statement(dialect: str) -> Any:
    return (
        upsert_for(dialect, _CONTACTS)
        .on_conflict_do_nothing(
            index_elements=["lead_id", "source_id"], index_where=text(OPEN_CONTACT_SQL)
        )
        .returning(_CONTACTS.c.id)
    )


@dataclass(frozen=True, slots=True)
class PastContact:
    """One of a lead's other contacts, as an operator's card lists it."""

    id: int
    source_username: str | None
    status: ContactStatus
    created_at: datetime
    close_reason: str | None = None
    # How many other contacts the lead has in all (the same on every row).
    total: int = 0


_HISTORY = (
    select(
        _CONTACTS.c.id,
        _SOURCES.c.username,
        _CONTACTS.c.status,
        _CONTACTS.c.created_at,
        _CONTACTS.c.close_reason,
        # Counted over every row the WHERE keeps, before the LIMIT: no second query.
        func.count().over(),
    )
    .join(_SOURCES, _SOURCES.c.id == _CONTACTS.c.source_id)
    .where(_CONTACTS.c.lead_id == bindparam("lead_id"), _CONTACTS.c.id != bindparam("exclude_id"))
    .order_by(_CONTACTS.c.created_at.desc(), _CONTACTS.c.id.desc())
    .limit(bindparam("limit"))
)


@dataclass(frozen=True, slots=True)
class Handled:
    """A contact an operator was given, as ``/stats`` measures their performance."""

    operator_id: int
    assigned_at: datetime
    first_reply_at: datetime | None
    closed_at: datetime | None
    rating: int | None


@dataclass(frozen=True, slots=True)
class OpenContact:
    """The few columns needed to route a message to an open contact."""

    id: int
    operator_id: int | None
    status: ContactStatus
    operator_telegram_id: int | None = None
    source_hours: str | None = None  # the source's business hours, if it has any


class ContactState(enum.StrEnum):
    """Where a contact is, as a reader outside sees it."""

    QUEUED = "queued"  # waiting for an operator
    ASSIGNED = "assigned"  # open, with an operator
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """Which contacts a listing shows; ``None`` leaves a criterion out."""

    state: ContactState | None = None
    source_id: int | None = None
    operator_id: int | None = None
    since: datetime | None = None  # opened at or after
    until: datetime | None = None  # opened before


_STATES = {
    ContactState.QUEUED: _QUEUED,
    ContactState.ASSIGNED: and_(_OPEN, Contact.operator_id.is_not(None)),
    ContactState.CLOSED: _CLOSED,
}


def _with_parties() -> Select[tuple[Contact, Lead, Source, Operator | None]]:
    """Contacts with their lead, source and operator (if any)."""
    return (
        select(Contact, Lead, Source, Operator)
        .join(Lead, Lead.id == Contact.lead_id)
        .join(Source, Source.id == Contact.source_id)
        .outerjoin(Operator, Operator.id == Contact.operator_id)
    )


@dataclass(frozen=True, slots=True)
class Cutoff:
    """Before when a timer's moment of a contact (its assignment, last activity, queueing)
    must lie for the contact to be due: ``at``, but for the sources in ``of_sources`` (those
    with business hours, where working time counts) their own instant, ``None`` when none of
    theirs is due."""

    at: datetime
    of_sources: Mapping[int, datetime | None] = field(default_factory=dict)

    def before(self, moment: ColumnElement[datetime]) -> ColumnElement[bool]:
        """Whether ``moment`` of a contact lies before its source's cutoff."""
        if not self.of_sources:
            return moment < self.at
        # Sources of one schedule share their cutoff: one condition for all of them.
        by_cutoff: dict[datetime, list[int]] = {}
        for source_id, at in self.of_sources.items():
            if at is not None:
                by_cutoff.setdefault(at, []).append(source_id)
        return or_(
            and_(Contact.source_id.not_in(list(self.of_sources)), moment < self.at),
            *(and_(Contact.source_id.in_(ids), moment < at) for at, ids in by_cutoff.items()),
        )


class ContactRepository(Repository):
    """Data access for contacts."""

    async def find_open(
        self, lead_id: int, source_id: int, *, lock: bool = False
    ) -> OpenContact | None:
        """The open contact of a lead in a source, if any.

        ``lock`` takes its row lock, so that the operator read stays true until commit: a
        concurrent assignment or close is waited for and seen.
        """
        stmt = _FIND_OPEN_LOCKED if lock else _FIND_OPEN
        params = {"lead_id": lead_id, "source_id": source_id}
        row = (await self.session.execute(stmt, params)).first()
        return OpenContact(*row) if row else None

    async def open(self, lead_id: int, source_id: int) -> int | None:
        """Open a contact; ``None`` if another transaction opened one for the pair first."""
        now = utcnow()
        values = {
            "lead_id": lead_id,
            "source_id": source_id,
            "status": ContactStatus.NEW.value,
            "created_at": now,
            "last_activity_at": now,
        }
        return (
            await self.session.execute(_open_statement(self.dialect), values)
        ).scalar_one_or_none()

    async def get(self, contact_id: int) -> Contact | None:
        """A contact by primary key."""
        return await self.session.get(Contact, contact_id)

    async def get_full(self, contact_id: int) -> Row[tuple[Contact, Lead, Source]] | None:
        """A contact together with its lead and source."""
        return (await self.session.execute(_GET_FULL, {"contact_id": contact_id})).first()

    async def assign(self, contact_id: int, operator_id: int) -> bool:
        """Give a queued contact to an operator; ``False`` if it is no longer queued."""
        now = utcnow()
        values = {"operator_id": operator_id, "assigned_at": now, "last_activity_at": now}
        if (await self.session.execute(_ASSIGN, {"contact_id": contact_id, **values})).rowcount:
            self.refresh_loaded(Contact, contact_id, **values)
            return True
        return False

    async def move(self, contact_id: int, from_operator: int, to_operator: int) -> bool:
        """Hand an open contact from one operator to another (who gets a full idle period)."""
        now = utcnow()
        stmt = (
            update(Contact)
            .where(Contact.id == contact_id, Contact.operator_id == from_operator, _OPEN)
            .values(
                operator_id=to_operator, assigned_at=now, last_activity_at=now, reminded_at=None
            )
        )
        return (await self.session.execute(stmt)).rowcount == 1

    async def requeue_of(self, operator_id: int) -> int:
        """Return every open contact of an operator to the queue; how many."""
        stmt = (
            update(Contact)
            .where(Contact.operator_id == operator_id, _OPEN)
            .values(**_BACK_TO_QUEUE, requeued_at=utcnow())
        )
        return (await self.session.execute(stmt)).rowcount

    async def requeue(self, contact_id: int, operator_id: int) -> bool:
        """Return one open contact of an operator to the queue."""
        stmt = (
            update(Contact)
            .where(Contact.id == contact_id, Contact.operator_id == operator_id, _OPEN)
            .values(**_BACK_TO_QUEUE, requeued_at=utcnow())
        )
        return (await self.session.execute(stmt)).rowcount == 1

    async def close(self, contact_id: int, closed_by: str, reason: str) -> tuple[bool, int | None]:
        """Close an open contact: (whether this call closed it, its operator id)."""
        stmt = (
            update(Contact)
            .where(Contact.id == contact_id, _OPEN)
            .values(
                status=ContactStatus.CLOSED,
                closed_at=utcnow(),
                closed_by=closed_by,
                close_reason=reason,
            )
            .returning(Contact.operator_id)
        )
        row = (await self.session.execute(stmt)).first()
        return (True, row[0]) if row else (False, None)

    async def rate(
        self, contact_id: int, source_id: int, telegram_id: int, stars: int, closed_since: datetime
    ) -> bool:
        """Store a client's rating of a contact: only of their own (by ``telegram_id``) in that
        source, closed since ``closed_since`` after an operator had it, and not rated yet."""
        lead = select(Lead.id).where(Lead.telegram_id == telegram_id).scalar_subquery()
        stmt = (
            update(Contact)
            .where(
                Contact.id == contact_id,
                Contact.source_id == source_id,
                Contact.lead_id == lead,
                Contact.status == ContactStatus.CLOSED,
                Contact.assigned_at.is_not(None),
                Contact.closed_at >= closed_since,
                Contact.rating.is_(None),
            )
            .values(rating=stars)
        )
        return bool((await self.session.execute(stmt)).rowcount)

    async def mark_replied(self, contact_id: int) -> None:
        """Record an operator reply: the contact is in progress, the client was answered."""
        now = utcnow()
        stmt = (
            update(Contact)
            .where(Contact.id == contact_id, _OPEN)
            .values(
                status=ContactStatus.IN_PROGRESS,
                first_reply_at=func.coalesce(Contact.first_reply_at, now),
                last_activity_at=now,
            )
        )
        await self.session.execute(stmt)

    async def touch(self, contact_id: int) -> None:
        """Record client activity on a contact."""
        await self.session.execute(_TOUCH, {"contact_id": contact_id, "now": utcnow()})

    async def next_queued(
        self,
        skip_sources: Collection[int],
        skip_topics: Collection[int] = (),
        skip_plain: Collection[int] = (),
    ) -> Contact | None:
        """Lock and return the oldest queued contact outside ``skip_sources``, of no topic of
        ``skip_topics``, and with a topic if its source is in ``skip_plain``.

        ``SKIP LOCKED`` lets several processes drain the queue at once without waiting on
        each other's rows (SQLite ignores it; its transactions are serialised anyway).
        """
        stmt = (
            select(Contact)
            .where(
                _QUEUED,
                Contact.source_id.not_in(skip_sources),
                # A topic has operators of its own: one busy topic leaves the others' turn.
                or_(Contact.topic_id.is_not(None), Contact.source_id.not_in(skip_plain)),
                or_(Contact.topic_id.is_(None), Contact.topic_id.not_in(skip_topics)),
            )
            .order_by(Contact.created_at, Contact.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def due_reminders(self, cutoff: Cutoff, limit: int) -> list[Row[tuple[int, int, int]]]:
        """Mark and return (id, operator id, source id) of assigned contacts whose client has
        waited since before the ``cutoff`` for a first reply and was not reminded yet.

        The conditional UPDATE makes each reminder happen once, whichever process runs it.
        """
        due = (
            select(Contact.id)
            .where(
                _OPEN,
                Contact.operator_id.is_not(None),
                Contact.first_reply_at.is_(None),
                Contact.reminded_at.is_(None),
                cutoff.before(Contact.assigned_at),
                # A form's lead is answered outside Telegram (by phone, by email): no first
                # reply is ever recorded, so a reminder would only nag.
                Contact.source_id.not_in(select(Source.id).where(Source.bot_id.is_(None))),
            )
            .order_by(Contact.assigned_at)
            .limit(limit)
        )
        stmt = (
            update(Contact)
            .where(Contact.id.in_(due.scalar_subquery()), Contact.reminded_at.is_(None))
            .values(reminded_at=utcnow())
            .returning(Contact.id, Contact.operator_id, Contact.source_id)
        )
        return list((await self.session.execute(stmt)).all())

    async def idle(self, cutoff: Cutoff, limit: int) -> list[int]:
        """Open contacts with an operator and without activity since before the ``cutoff``,
        oldest first. A queued contact is never idle: the silence is the desk's, not the
        client's."""
        stmt = (
            select(Contact.id)
            .where(_OPEN, Contact.operator_id.is_not(None), cutoff.before(Contact.last_activity_at))
            .order_by(Contact.last_activity_at)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def open_of_operator(
        self, operator_id: int, source_id: int | None = None
    ) -> list[Row[tuple[Contact, Lead, Source]]]:
        """Open contacts of an operator with their lead and source, oldest first."""
        stmt = (
            select(Contact, Lead, Source)
            .join(Lead, Lead.id == Contact.lead_id)
            .join(Source, Source.id == Contact.source_id)
            .where(Contact.operator_id == operator_id, _OPEN)
            .order_by(Contact.created_at, Contact.id)
        )
        if source_id is not None:
            stmt = stmt.where(Contact.source_id == source_id)
        return list((await self.session.execute(stmt)).all())

    async def page(
        self, where: ContactFilter, before_id: int | None, limit: int
    ) -> list[Row[tuple[Contact, Lead, Source, Operator | None]]]:
        """Contacts matching ``where``, newest first, with lead, source and operator: those
        with an id below ``before_id`` (the cursor: the last id of the previous page)."""
        stmt = _with_parties().order_by(Contact.id.desc()).limit(limit)
        conditions = [
            _STATES[where.state] if where.state is not None else None,
            Contact.source_id == where.source_id if where.source_id is not None else None,
            Contact.operator_id == where.operator_id if where.operator_id is not None else None,
            Contact.id < before_id if before_id is not None else None,
        ]
        stmt = stmt.where(*(condition for condition in conditions if condition is not None))
        stmt = stmt.where(*_opened_between(where.since, where.until))
        return list((await self.session.execute(stmt)).all())

    async def of_lead(
        self, lead_id: int, limit: int
    ) -> list[Row[tuple[Contact, Lead, Source, Operator | None]]]:
        """A lead's contacts through every source, newest first."""
        stmt = (
            _with_parties()
            .where(Contact.lead_id == lead_id)
            .order_by(Contact.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).all())

    async def history(self, lead_id: int, exclude_id: int, limit: int = 5) -> list[PastContact]:
        """A lead's other contacts through any source, newest first."""
        params = {"lead_id": lead_id, "exclude_id": exclude_id, "limit": limit}
        return [PastContact(*row) for row in await self.session.execute(_HISTORY, params)]

    async def open_of_lead(self, lead_id: int) -> list[int]:
        """The ids of a lead's open contacts through every source."""
        stmt = select(Contact.id).where(Contact.lead_id == lead_id, _OPEN).order_by(Contact.id)
        return list((await self.session.execute(stmt)).scalars())

    async def queue_overview(
        self, limit: int, offset: int = 0
    ) -> tuple[int, list[Row[tuple[Contact, Lead, Source]]]]:
        """Length of the queue and one page of it (oldest first) with lead and source."""
        total = await self.queued_count()
        stmt = (
            select(Contact, Lead, Source)
            .join(Lead, Lead.id == Contact.lead_id)
            .join(Source, Source.id == Contact.source_id)
            .where(_QUEUED)
            .order_by(Contact.created_at, Contact.id)
            .limit(limit)
            .offset(offset)
        )
        return total, list((await self.session.execute(stmt)).all())

    async def queued_count(self) -> int:
        """How many contacts wait for an operator."""
        stmt = select(func.count()).select_from(Contact).where(_QUEUED)
        return (await self.session.execute(stmt)).scalar_one()

    async def oldest_queued_at(self) -> datetime | None:
        """Since when the contact waiting longest has waited (from its requeueing, if any)."""
        stmt = select(func.min(Contact.queued_since)).where(_QUEUED)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def oldest_queued_before(self, cutoff: Cutoff) -> dict[int, datetime]:
        """Per source, since when its longest waiting contact has waited, for the sources
        with one queued since before the ``cutoff`` (none: an empty answer)."""
        stmt = (
            select(Contact.source_id, func.min(Contact.queued_since))
            .where(_QUEUED, cutoff.before(Contact.queued_since))
            .group_by(Contact.source_id)
        )
        return dict((await self.session.execute(stmt)).all())

    async def roll_up_closed(self) -> None:
        """Count the contacts closed up to a few minutes ago into the tallies, where statistics
        read them from a few rows (a closed contact never changes again). Cheap when done a
        minute ago; one process at a time does the work."""
        before = utcnow() - _SETTLED
        if await self._tallied_until() > before - _ROLL_UP_EVERY:
            return
        mark = self.upsert(TallyMark.__table__).values(id=1, closed_before=_EPOCH)
        await self.session.execute(mark.on_conflict_do_nothing(index_elements=["id"]))
        locked = select(TallyMark.closed_before).where(TallyMark.id == 1).with_for_update()
        since = (await self.session.execute(locked)).scalar_one()
        if since > before - _ROLL_UP_EVERY:
            return  # another process just did it
        window = and_(_CLOSED, Contact.closed_at >= since, Contact.closed_at < before)
        by_source = self.upsert(SourceTally.__table__).from_select(
            ["source_id", "contacts"],
            select(Contact.source_id, func.count()).where(window).group_by(Contact.source_id),
        )
        await self.session.execute(
            by_source.on_conflict_do_update(
                index_elements=["source_id"],
                set_={"contacts": SourceTally.contacts + by_source.excluded.contacts},
            )
        )
        by_operator = self.upsert(OperatorTally.__table__).from_select(
            ["source_id", "operator_id", "contacts"],
            select(Contact.source_id, Contact.operator_id, func.count())
            .where(window, Contact.operator_id.is_not(None))
            .group_by(Contact.source_id, Contact.operator_id),
        )
        await self.session.execute(
            by_operator.on_conflict_do_update(
                index_elements=["source_id", "operator_id"],
                set_={"contacts": OperatorTally.contacts + by_operator.excluded.contacts},
            )
        )
        await self.session.execute(
            update(TallyMark).where(TallyMark.id == 1).values(closed_before=before)
        )

    async def _tallied_until(self) -> datetime:
        mark = select(TallyMark.closed_before).where(TallyMark.id == 1)
        return (await self.session.execute(mark)).scalar_one_or_none() or _EPOCH

    # Statistics add the tallies to a count of the contacts they leave out (open, or closed
    # since the mark). The tallies and their mark are read in one statement, so together; the
    # count then uses that mark, written into the query so that PostgreSQL plans it with the
    # index on closed_at. A roll-up committing in between only moves contacts the count still
    # sees into tallies it does not read. No tallies: the mark does not matter, count them all.

    async def totals(self) -> dict[str, int]:
        """Contacts ever opened, open now, queued now, assigned now, and closed."""
        tallied = select(
            select(func.sum(SourceTally.contacts)).scalar_subquery(), _mark_of_tallies()
        )
        count, mark = (await self.session.execute(tallied)).one()
        stmt = select(
            func.count(),
            func.count().filter(_OPEN),
            func.count().filter(_QUEUED),
            func.count().filter(_OPEN, Contact.operator_id.is_not(None)),
            func.count().filter(_CLOSED),
        ).where(_untallied(mark if count else None))
        live, *now, closed = (await self.session.execute(stmt)).one()
        count = int(count or 0)  # PostgreSQL sums BIGINTs as NUMERIC
        figures = (count + live, *now, count + closed)
        return dict(zip(("opened", "open", "queued", "assigned", "closed"), figures, strict=True))

    async def source_stats(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[int, int, int, int]]:
        """Per source: total contacts, open, queued; with a range, of the contacts opened in
        it (counted from the contacts themselves, not the tallies)."""
        if since is not None or until is not None:
            stmt = _SOURCE_COUNTS.where(*_opened_between(since, until))
            return [(row[0], row[1], row[2], row[3]) for row in await self.session.execute(stmt)]
        tallied = select(SourceTally.source_id, SourceTally.contacts, _mark_of_tallies())
        rows = (await self.session.execute(tallied)).all()
        stmt = _SOURCE_COUNTS.where(_untallied(rows[0][2] if rows else None))
        counts = {row[0]: list(row[1:]) for row in await self.session.execute(stmt)}
        for source_id, contacts, _mark in rows:
            counts.setdefault(source_id, [0, 0, 0])[0] += contacts
        return [(source_id, *figures) for source_id, figures in sorted(counts.items())]

    async def handled_since(self, since: datetime) -> list[Handled]:
        """Contacts given to an operator since ``since``: operator, when it was assigned, the
        operator's first reply, when it was closed and the client's rating (each may not have
        happened yet)."""
        stmt = select(
            Contact.operator_id,
            Contact.assigned_at,
            Contact.first_reply_at,
            Contact.closed_at,
            Contact.rating,
        ).where(Contact.operator_id.is_not(None), Contact.assigned_at >= since)
        return [Handled(*row) for row in await self.session.execute(stmt)]

    async def spans_between(
        self, since: datetime, until: datetime
    ) -> list[tuple[int | None, datetime, datetime | None, datetime | None, datetime | None]]:
        """Contacts waiting or open at some time in [since, until): operator, since when it
        waits, when an operator first got it after that, its assignment and its close."""
        queued_since = func.coalesce(Contact.requeued_at, Contact.created_at)
        left_queue = (
            select(func.min(Decision.created_at))
            .where(
                Decision.contact_id == Contact.id,
                Decision.operator_id.is_not(None),
                Decision.created_at >= queued_since,
            )
            .scalar_subquery()
        )
        stmt = select(
            Contact.operator_id, queued_since, left_queue, Contact.assigned_at, Contact.closed_at
        ).where(
            queued_since < until,
            (Contact.closed_at.is_(None)) | (Contact.closed_at >= since),
        )
        return [tuple(row) for row in await self.session.execute(stmt)]  # type: ignore[misc]

    async def operator_stats(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> list[tuple[int, int, int, int]]:
        """Per source and operator: contacts assigned, of which closed; with a range, of the
        contacts opened in it."""
        if since is not None or until is not None:
            stmt = _OPERATOR_COUNTS.where(*_opened_between(since, until))
            return [(row[0], row[1], row[2], row[3]) for row in await self.session.execute(stmt)]
        tallied = select(
            OperatorTally.source_id,
            OperatorTally.operator_id,
            OperatorTally.contacts,
            _mark_of_tallies(),
        )
        rows = (await self.session.execute(tallied)).all()
        stmt = _OPERATOR_COUNTS.where(_untallied(rows[0][3] if rows else None))
        counts = {(row[0], row[1]): list(row[2:]) for row in await self.session.execute(stmt)}
        for source_id, operator_id, contacts, _mark in rows:
            figures = counts.setdefault((source_id, operator_id), [0, 0])
            figures[0] += contacts
            figures[1] += contacts  # every tallied contact is closed
        return [(*key, *figures) for key, figures in sorted(counts.items())]


# Counts per source (contacts, open, queued) and per source and operator (assigned, closed),
# of the contacts a WHERE added to them selects.
_SOURCE_COUNTS = (
    select(
        Contact.source_id,
        func.count(),
        func.count().filter(_OPEN),
        func.count().filter(_QUEUED),
    )
    .group_by(Contact.source_id)
    .order_by(Contact.source_id)
)
_OPERATOR_COUNTS = (
    select(
        Contact.source_id,
        Contact.operator_id,
        func.count(),
        func.count().filter(_CLOSED),
    )
    .where(Contact.operator_id.is_not(None))
    .group_by(Contact.source_id, Contact.operator_id)
    .order_by(Contact.source_id, Contact.operator_id)
)


def _opened_between(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Contacts opened from ``since`` (included) until ``until`` (excluded)."""
    return [
        *([Contact.created_at >= since] if since is not None else []),
        *([Contact.created_at < until] if until is not None else []),
    ]


def _mark_of_tallies() -> ScalarSelect[datetime]:
    return select(TallyMark.closed_before).where(TallyMark.id == 1).scalar_subquery()


def _untallied(mark: datetime | None) -> ColumnElement[bool]:
    """Contacts the tallies up to ``mark`` do not count: open, or closed since."""
    if mark is None:
        return true()
    return _OPEN | (Contact.closed_at >= mark)
