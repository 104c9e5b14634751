"""Leads: end clients, one per Telegram user, and the leads of forms."""

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, case, func, null, or_, select, update

from db.base import UTCDateTime, utcnow
from db.models import Lead
from db.repositories.base import Repository, upsert_for

# What a client's every message refreshes.
_PROFILE = ("username", "first_name", "last_name", "language", "last_seen_at")


@dataclass(frozen=True, slots=True)
class LeadProfile:
    """What Telegram tells us about a client."""

    telegram_id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language: str | None = None


# How long a burst of a client's messages lasts: their count starts over after it.
BURST = timedelta(minutes=1)


@functools.cache
def _touch_statement(dialect: str) -> Any:
    leads = Lead.__table__
    stmt = upsert_for(dialect, leads)
    refresh: dict[str, Any] = {name: stmt.excluded[name] for name in _PROFILE}
    # A phone is only ever added: a message without one keeps the one shared earlier.
    refresh["phone"] = func.coalesce(stmt.excluded.phone, leads.c.phone)
    # The burst is counted in the same statement (under the row's lock, so messages taken by
    # several processes at once all count): within a minute of its start it grows by one,
    # else a new one starts with this message.
    within = leads.c.burst_started_at > bindparam("burst_since", type_=UTCDateTime())
    refresh["burst_count"] = case((within, leads.c.burst_count + 1), else_=1)
    refresh["burst_started_at"] = case(
        (within, leads.c.burst_started_at), else_=stmt.excluded.last_seen_at
    )
    refresh["burst_told_to"] = case((within, leads.c.burst_told_to), else_=null())
    return stmt.on_conflict_do_update(index_elements=["telegram_id"], set_=refresh).returning(
        leads.c.id, leads.c.banned_at, leads.c.burst_count, leads.c.burst_told_to
    )


class Touched(NamedTuple):
    """A client's lead after their message: its id, whether they are blocked, the how
    many-th message of their burst (see ``BURST``) this one is, and the operator told in this
    burst that its rest is not passed on one by one (a Telegram id), if any."""

    id: int
    banned: bool
    burst_count: int
    burst_told_to: int | None


@dataclass(frozen=True, slots=True)
class FormLead:
    """A lead as a form knows them: at least one of the ids, a name maybe."""

    external_id: str | None = None
    telegram_id: int | None = None
    phone: str | None = None
    email: str | None = None
    name: str = ""

    def identities(self) -> list[tuple[str, object]]:
        """(column, value) of what identifies them, strongest first: the Telegram id (the
        lead of the bots), the form's own id, the email, the phone."""
        given = [
            ("telegram_id", self.telegram_id),
            ("external_id", self.external_id),
            ("email", self.email),
            ("phone", self.phone),
        ]
        return [(column, value) for column, value in given if value is not None]


class LeadRepository(Repository):
    """Data access for leads."""

    async def touch(self, profile: LeadProfile, phone: str | None = None) -> Touched:
        """Create the lead or refresh its profile and last-seen time, and count the message
        in their burst; one statement."""
        now = utcnow()
        values = {
            "telegram_id": profile.telegram_id,
            "username": profile.username,
            "first_name": profile.first_name,
            "last_name": profile.last_name,
            "language": profile.language,
            "phone": phone,
            "created_at": now,
            "last_seen_at": now,
            "burst_started_at": now,
            "burst_count": 1,
            "burst_since": now - BURST,
        }
        row = (await self.session.execute(_touch_statement(self.dialect), values)).one()
        return Touched(row.id, row.banned_at is not None, row.burst_count, row.burst_told_to)

    async def told_of_burst(self, lead_id: int, operator_telegram_id: int) -> None:
        """Record that this operator was told of the lead's burst (its row is locked since the
        lead's upsert in this transaction)."""
        stmt = update(Lead).where(Lead.id == lead_id).values(burst_told_to=operator_telegram_id)
        await self.session.execute(stmt)

    async def identify(self, form: FormLead) -> int:
        """The id of the lead a form names, created if nobody matches, given the ids they
        lacked (the strongest match wins; an id another lead has stays that lead's).

        Locked per identity first, so that two requests for a new lead at once make one
        lead, whichever processes take them.
        """
        identities = form.identities()
        for column, value in sorted(identities, key=repr):  # one order: no deadlocks
            await self.lock(f"lead:{column}:{value}")
        leads = Lead.__table__
        for column, value in identities:
            stmt = select(leads).where(leads.c[column] == value).order_by(leads.c.id).limit(1)
            found = (await self.session.execute(stmt)).first()
            if found is not None:
                await self._complete(found._mapping, identities)
                return int(found.id)
        now = utcnow()
        values = dict(identities)
        insert = self.upsert(leads).values(
            first_name=form.name, created_at=now, last_seen_at=now, **values
        )
        # A bot's message may make this Telegram id's lead meanwhile: then it is the one.
        stmt = insert.on_conflict_do_nothing().returning(leads.c.id)
        lead_id = (await self.session.execute(stmt)).scalar_one_or_none()
        return lead_id if lead_id is not None else await self.identify(form)

    async def _complete(self, found: Any, identities: list[tuple[str, object]]) -> None:
        """Give a found lead the ids they lacked that no other lead has, and a new
        last-seen time."""
        leads = Lead.__table__
        missing: dict[str, object] = {"last_seen_at": utcnow()}
        for column, value in identities:
            if found[column] is not None:
                continue
            if column in ("telegram_id", "external_id"):
                taken = select(leads.c.id).where(leads.c[column] == value)
                if (await self.session.execute(taken)).first() is not None:
                    continue
            missing[column] = value
        stmt = update(leads).where(leads.c.id == found["id"]).values(**missing)
        await self.session.execute(stmt)

    async def get(self, lead_id: int) -> Lead | None:
        """A lead by primary key."""
        return await self.session.get(Lead, lead_id)

    async def by_telegram_id(self, telegram_id: int) -> Lead | None:
        """A lead by Telegram user id."""
        stmt = select(Lead).where(Lead.telegram_id == telegram_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_username(self, username: str) -> Lead | None:
        """A lead by Telegram @username, case-insensitive."""
        stmt = select(Lead).where(func.lower(Lead.username) == username.lower()).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def search(
        self,
        text: str | None,
        before_id: int | None,
        limit: int,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[Lead]:
        """Leads, newest first, whose name, @username or phone contains ``text`` (any case)
        or whose Telegram id it is, first seen from ``since`` until before ``until``; those
        with an id below ``before_id`` (the cursor)."""
        stmt = select(Lead).order_by(Lead.id.desc()).limit(limit)
        if before_id is not None:
            stmt = stmt.where(Lead.id < before_id)
        if since is not None:
            stmt = stmt.where(Lead.created_at >= since)
        if until is not None:
            stmt = stmt.where(Lead.created_at < until)
        if text:
            needle = text.lower().removeprefix("@")
            matches = [
                func.lower(column).contains(needle, autoescape=True)
                for column in (
                    Lead.first_name,
                    Lead.last_name,
                    Lead.username,
                    Lead.phone,
                    Lead.email,
                    Lead.external_id,
                )
            ]
            if needle.isascii() and needle.isdigit() and len(needle) <= 18:
                matches.append(Lead.telegram_id == int(needle))
            stmt = stmt.where(or_(*matches))
        return list((await self.session.execute(stmt)).scalars())

    async def ban(self, lead_id: int, by: int) -> bool:
        """Block a lead (``by``: who, a Telegram id); ``False`` if they were blocked already
        (a conditional UPDATE: of two bans at once, one wins)."""
        stmt = (
            update(Lead)
            .where(Lead.id == lead_id, Lead.banned_at.is_(None))
            .values(banned_at=utcnow(), banned_by=by)
        )
        return bool((await self.session.execute(stmt)).rowcount)

    async def unban(self, telegram_id: int) -> bool:
        """Lift the block of the client with this Telegram id; ``False`` if they had none."""
        stmt = (
            update(Lead)
            .where(Lead.telegram_id == telegram_id, Lead.banned_at.is_not(None))
            .values(
                banned_at=None,
                banned_by=None,
                burst_started_at=None,
                burst_count=0,
                burst_told_to=None,
            )
        )
        return bool((await self.session.execute(stmt)).rowcount)

    async def banned(self) -> list[Lead]:
        """Every blocked lead, most recently blocked first."""
        stmt = select(Lead).where(Lead.banned_at.is_not(None)).order_by(Lead.banned_at.desc())
        return list((await self.session.execute(stmt)).scalars())
