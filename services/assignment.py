"""Giving contacts to operators: the atomic capacity check, the queue, and the record of each
decision."""

import functools
import logging
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Contact, Direction, DistributionMode, Lead, Message, Source
from db.repositories import (
    CandidateRow,
    ContactRepository,
    DecisionRepository,
    DeliveryRepository,
    LeadRepository,
    MessageRepository,
    OperatorRepository,
    SourceRepository,
    TopicRepository,
    WebhookRepository,
)
from services import hours
from services.clock import SYSTEM_CLOCK, Clock
from services.distribution import LeftOut, choose, left_out
from services.events import Events
from services.notices import ClientOperatorJoined, ClientOutOfHours, Notice
from services.outbox import Outbox, carries_card
from services.shifts import off_hours_reason
from services.topics import applicable_weights

log = logging.getLogger(__name__)

# A contact moved by an admin's /assign (or a reminder's reassignment), recorded as a decision
# too.
REASSIGNED = "reassigned"
# The client wrote while the source was closed (business hours) and was told when it opens:
# the contact waits, queued. Recorded once per contact.
OUT_OF_HOURS = "out_of_hours"


@functools.lru_cache(maxsize=1024)
def _holidays(days: tuple[str, ...]) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in days)


@dataclass(frozen=True, slots=True)
class Desk:
    """A source's business hours as stored on its row, read."""

    schedule: hours.Schedule | None
    holidays: frozenset[date]

    @classmethod
    def of(cls, source: Source) -> "Desk":
        """The hours of ``source`` (always open without a schedule). Both readings are
        cached, since every new contact reads its source's.

        A stored schedule that no longer reads (its time zone gone from a newer tz database)
        counts as none: the desk stays open rather than hold every contact back unseen.
        """
        try:
            schedule = hours.parse(source.hours) if source.hours else None
        except hours.InvalidHours as error:
            log.warning("hours of source %s unreadable, always open: %s", source.id, error)
            schedule = None
        return cls(schedule, _holidays(tuple(source.holidays or ())))

    @property
    def zone(self) -> str:
        """The zone of its schedule (UTC without one)."""
        return self.schedule.zone if self.schedule else hours.DEFAULT_ZONE

    def is_open(self, at: datetime) -> bool:
        """Whether contacts are assigned at ``at``."""
        return hours.is_open(self.schedule, self.holidays, at)

    def next_opening(self, after: datetime) -> datetime | None:
        """When it opens next, from ``after`` on."""
        return hours.next_opening(self.schedule, self.holidays, after)

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """How long it is open within ``[start, end)``."""
        return hours.working_time(self.schedule, self.holidays, start, end)

    def working_cutoff(self, until: datetime, amount: timedelta) -> datetime | None:
        """From when ``amount`` of working time has passed by ``until`` (see
        ``hours.working_cutoff``)."""
        return hours.working_cutoff(self.schedule, self.holidays, until, amount)

    def out_of_hours(self, contact_id: int, at: datetime) -> ClientOutOfHours:
        """What a client who writes at ``at``, while it is closed, is told."""
        return ClientOutOfHours(contact_id=contact_id, opens=self.next_opening(at), zone=self.zone)


@dataclass(frozen=True, slots=True)
class Field:
    """The operators who may take a contact now and, as ``[operator id, reason]``, those who
    may not; ``closed`` when the desk is closed (only its on-duty operators were asked)."""

    eligible: list[CandidateRow]
    left: list[list[Any]]
    closed: bool


@dataclass(frozen=True, slots=True)
class Decided:
    """The outcome of one distribution decision and its facts, as ``/why`` will tell them."""

    mode: DistributionMode
    pick: CandidateRow | None
    facts: dict[str, Any]
    # Made while the source was closed: nobody was asked (``facts`` is empty), or only its
    # on-duty operators, and none could take it.
    closed: bool = False


def _facts(eligible: Sequence[CandidateRow], left: list[list[Any]]) -> dict[str, Any]:
    """The compact facts of a decision (see ``db.models.Decision``)."""
    return {
        "eligible": [[c.operator_id, c.weight, c.open_count, c.max_open] for c in eligible],
        "left_out": left,
    }


def _in_topic(rows: list[CandidateRow], topic_weights: dict[int, int]) -> list[CandidateRow]:
    """The candidates of a source with the weights that apply in a topic."""
    weights = applicable_weights({row.operator_id: row.weight for row in rows}, topic_weights)
    return [row._replace(weight=weights[row.operator_id]) for row in rows]


def _closed(source: Source, at: datetime) -> bool:
    """Whether the source is outside its business hours at ``at`` (read from its row)."""
    return source.hours is not None and not Desk.of(source).is_open(at)


@dataclass(frozen=True, slots=True)
class Assignment:
    """A queued contact given to an operator."""

    contact_id: int
    operator_id: int
    operator_telegram_id: int


@dataclass(frozen=True, slots=True)
class Step:
    """One attempt of the queue's drain: the oldest queued contact it looked at, its source,
    and its assignment (``None`` when nobody there could take it now)."""

    contact: Contact
    source: Source
    assignment: Assignment | None


def tell_client(outbox: Outbox, lead: Lead, source: Source, notice: Notice) -> None:
    """Stage a notice to the lead in the source's bot, in their language; a form source has
    no chat with them, so nothing is sent there."""
    if source.is_form or lead.telegram_id is None:
        return
    outbox.notice(source.id, lead.telegram_id, notice, language=lead.preferred_language)


class Assigner:
    """Assigns contacts inside the caller's transaction."""

    def __init__(
        self, session: AsyncSession, rng: random.Random, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.rng = rng
        self.clock = clock
        self.operators = OperatorRepository(session)
        self.contacts = ContactRepository(session)
        self.messages = MessageRepository(session)
        self.leads = LeadRepository(session)
        self.sources = SourceRepository(session)
        self.topics = TopicRepository(session)
        self.decisions = DecisionRepository(session)
        self.outbox = Outbox(DeliveryRepository(session))
        self.events = Events(WebhookRepository(session))

    async def candidates(
        self, source: Source, topic_id: int | None = None, *, lock: bool = False
    ) -> list[CandidateRow]:
        """The source's operators as the distribution sees them, with the weights of topic
        ``topic_id`` if it has any; with ``lock``, their links stay locked until the
        transaction ends."""
        rows = await self.operators.candidates(source.id, source.bot_source_id, lock=lock)
        if topic_id is not None:
            rows = _in_topic(rows, await self.topics.weights(topic_id))
        return rows

    async def field(
        self,
        source: Source,
        lead: Lead,
        topic_id: int | None = None,
        *,
        lock: bool = False,
        any_hour: bool = False,
    ) -> Field | None:
        """Who of the source's operators may take the lead's contact now (by the weights of
        topic ``topic_id`` if it has any), and why the others may not; ``None`` while the
        source is closed and nobody takes contacts then (its business hours, read from the
        row the caller loaded anyway: no query). While it is closed and its on-duty operators
        take contacts, only they may, within their shifts (``services.shifts``). With
        ``any_hour`` the desk's hours do not count (for a choice someone makes on purpose)."""
        now = self.clock.now()
        closed = not any_hour and _closed(source, now)
        if closed and not source.duty_after_hours:
            return None
        eligible: list[CandidateRow] = []
        left: list[list[Any]] = []
        for row in await self.candidates(source, topic_id, lock=lock):
            # A client who is an operator too never answers themselves.
            reason = (
                LeftOut.CLIENT
                if row.telegram_id == lead.telegram_id
                else left_out(row)
                or off_hours_reason(row.shift, row.on_duty, now, desk_closed=closed)
            )
            if reason is None:
                eligible.append(row)
            else:
                left.append([row.operator_id, reason.value])
        return Field(eligible, left, closed)

    def shut(self, source: Source) -> bool:
        """Whether the source gives nobody a contact now: closed, and its on-duty operators
        do not take contacts then."""
        return not source.duty_after_hours and _closed(source, self.clock.now())

    async def take_operator(
        self, source: Source, lead: Lead, topic_id: int | None = None
    ) -> Decided:
        """Pick an operator for the lead's contact in the source, in the source's mode, among
        those who may take it now (``field``), and count one more contact against their
        limit. A contact of topic ``topic_id`` goes by the topic's weights if it has any
        (``services.topics.applicable_weights``): one query more, for such contacts only.

        The pick is only a proposal: the conditional UPDATE in ``take_slot`` is what holds the
        limit under concurrency. If it loses a race, the next pick is made without that
        operator. The exact mode's credits are written only with a slot taken, in the same
        transaction, their links locked since they were read.

        While the source is closed nobody is picked, unless it lets its on-duty operators
        take contacts and one of them can; the decision says so.
        """
        mode = source.mode
        exact = mode is DistributionMode.EXACT
        field = await self.field(source, lead, topic_id, lock=exact)
        if field is None:
            return Decided(mode, None, {}, closed=True)
        eligible, left = field.eligible, field.left
        while (choice := choose(mode, eligible, self.rng)).pick is not None:
            pick = choice.pick
            if await self.operators.take_slot(pick.operator_id):
                if exact:
                    ids = (c.operator_id for c in eligible)
                    credits = dict(zip(ids, choice.credits, strict=True))
                    await self.operators.set_credits(source.id, credits)
                return Decided(mode, pick, _facts(eligible, left))
            eligible = [c for c in eligible if c is not pick]
            left.append([pick.operator_id, LeftOut.CHANGED.value])
        return Decided(mode, None, _facts(eligible, left), closed=field.closed)

    def record(self, contact_id: int, decided: Decided) -> None:
        """Stage the record of a decision about the contact (what ``/why`` reads)."""
        operator_id = decided.pick.operator_id if decided.pick else None
        mode = OUT_OF_HOURS if decided.closed else decided.mode.value
        self.decisions.add(contact_id, mode, operator_id, decided.facts)

    def record_reassigned(self, contact_id: int, operator_id: int) -> None:
        """Stage the record of a contact moved to an operator (``/assign``)."""
        self.decisions.add(contact_id, REASSIGNED, operator_id, {})

    async def hand_over(
        self,
        contact: Contact,
        lead: Lead,
        source: Source,
        operator_telegram_id: int,
        operator_language: str | None,
        backlog: Sequence[Message],
        first_words: str | None = None,
        previous_operator_telegram_id: int | None = None,
    ) -> None:
        """Stage the card (in the operator's language) and the client's messages so far for
        the contact's new operator, and the ``contact.assigned`` event (every assignment
        passes here: a new contact, one from the queue, one moved from
        ``previous_operator_telegram_id``).

        With ``first_words`` (the first message's text or caption as Telegram HTML, known
        while its update is handled; the database keeps the plain text only), the first
        message carries the card where it can: one message to the operator instead of two.
        """
        self.events.assigned(
            contact.id, source.id, lead.id, operator_telegram_id, previous_operator_telegram_id
        )
        history = await self.contacts.history(lead.id, exclude_id=contact.id)
        operator, language = operator_telegram_id, operator_language
        # Looked up for a contact with a topic only: the others' cards cost no query for it.
        found = await self.topics.get(contact.topic_id) if contact.topic_id else None
        topic = found.title if found else None
        if source.is_form:
            # No chat to copy a form's messages from: the card carries their words.
            words = [message.text or "" for message in backlog]
            self.outbox.card(
                contact, lead, source, operator, language, history, form_messages=words
            )
            return
        rest = backlog
        if backlog and first_words is not None and carries_card(backlog[0]):
            first = backlog[0]
            self.outbox.card(
                contact, lead, source, operator, language, history, first, first_words, topic=topic
            )
            rest = backlog[1:]
        else:
            self.outbox.card(contact, lead, source, operator, language, history, topic=topic)
        for message in rest:
            self.outbox.relay(message, operator)

    async def assign_queued(
        self, contact: Contact, lead: Lead, source: Source
    ) -> Assignment | None:
        """Give one queued contact to an operator, with its backlog; tell the client."""
        decided = await self.take_operator(source, lead, contact.topic_id)
        pick = decided.pick
        if pick is None:
            # Not recorded: the queue is drained often, and the contact's first decision says
            # why it was queued.
            return None
        if not await self.contacts.assign(contact.id, pick.operator_id):
            # Someone else (another process) assigned or closed it meanwhile.
            await self.operators.release_slot(pick.operator_id)
            return None
        self.record(contact.id, decided)
        backlog = await self.messages.of_contact(contact.id, Direction.IN)
        await self.hand_over(contact, lead, source, pick.telegram_id, pick.language, backlog)
        tell_client(self.outbox, lead, source, ClientOperatorJoined(contact_id=contact.id))
        return Assignment(contact.id, pick.operator_id, pick.telegram_id)

    async def assign_next(
        self,
        skip_sources: Collection[int],
        skip_topics: Collection[int] = (),
        skip_plain: Collection[int] = (),
    ) -> Step | None:
        """Try to assign the oldest queued contact outside ``skip_sources``, ``skip_topics``
        and (of those without a topic) ``skip_plain`` (see ``ContactRepository.next_queued``).

        Returns ``None`` when no such contact is queued, else what came of it.
        """
        contact = await self.contacts.next_queued(skip_sources, skip_topics, skip_plain)
        if contact is None:
            return None
        lead = await self.leads.get(contact.lead_id)
        source = await self.sources.get(contact.source_id)
        assert lead is not None and source is not None  # foreign keys
        return Step(contact, source, await self.assign_queued(contact, lead, source))
