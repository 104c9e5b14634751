"""Client-side use cases: incoming messages, closing and reassigning contacts."""

import enum
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from db.base import utcnow
from db.models import (
    MAX_RATING,
    Contact,
    ContactStatus,
    Direction,
    Lead,
    Message,
    Operator,
    Source,
)
from db.repositories import LeadProfile, MessageKey, OpenContact, Touched
from services.assignment import OUT_OF_HOURS, Desk, tell_client
from services.base import Actor, Service
from services.errors import (
    AlreadyBanned,
    AlreadyRated,
    BanFormLead,
    BanStaff,
    ContactAlreadyClosed,
    ContactChanged,
    NotBanned,
    NoteTooLong,
    NotYourContact,
    NotYourRating,
    OperatorFull,
    OperatorOffShift,
    RatingTooLate,
    TopicGone,
    TransferToSelf,
)
from services.notices import (
    ClientAssigned,
    ClientAutoClosed,
    ClientClosed,
    ClientOperatorJoined,
    ClientQueued,
    ClientSlowedDown,
    ClientTopics,
    ClientTransferred,
    MessageCopy,
    Notice,
    OperatorClientEdited,
    OperatorClientSlowed,
    OperatorClosed,
    OperatorTransferred,
    TopicButton,
)
from services.numbers import MAX_ID
from services.shifts import on_shift, read_shift
from services.topics import check_name
from services.views import BannedView

# The longest note for a colleague with a transfer (Fluent refuses longer parameters, and the
# notice must stay within a message).
NOTE_LIMIT = 1000
# How long after the close a client's rating is still taken: "How did we do?" is about a
# conversation they remember, and a rating days later says little about the operator.
RATING_WINDOW = timedelta(days=1)
# How many messages a minute of one client are passed on one by one (CLIENT_MESSAGES_PER_MINUTE).
DEFAULT_MESSAGES_PER_MINUTE = 20
# How the contacts a ban closed are recorded (``close_reason``), and what their operators read.
BANNED = "banned"
# How often to retry opening a contact when a concurrent transaction keeps opening and closing
# the same (lead, source) pair; in practice the second attempt always finds the winner's row.
_OPEN_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A client's message as the bot received it."""

    source_id: int
    chat_id: int
    message_id: int
    profile: LeadProfile
    content_type: str
    text: str | None = None
    media_group_id: str | None = None
    phone: str | None = None
    # ``text`` with its formatting, as Telegram HTML: what a card carrying it shows.
    html: str | None = None

    @property
    def key(self) -> MessageKey:
        """Where Telegram delivered it."""
        return MessageKey(self.source_id, self.chat_id, self.message_id)


class Outcome(enum.StrEnum):
    """What ``register_incoming`` did."""

    ASSIGNED = "assigned"
    QUEUED = "queued"
    APPENDED = "appended"
    DUPLICATE = "duplicate"
    # Stored, and not passed on one by one: the client is past their messages a minute.
    SLOWED = "slowed"
    # Dropped unstored: the client is blocked.
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Registration:
    """The result of ``register_incoming``."""

    outcome: Outcome
    contact_id: int | None = None
    operator_telegram_id: int | None = None


@dataclass(frozen=True, slots=True)
class ClosedContact:
    """A contact that was just closed."""

    contact_id: int
    operator_telegram_id: int | None


@dataclass(frozen=True, slots=True)
class Reassignment:
    """A contact given to an operator by an admin."""

    contact_id: int
    operator_telegram_id: int
    previous_operator_telegram_id: int | None
    operator_name: str = ""
    # A form source's contact: its lead was told nothing (there is no chat with them).
    form: bool = False


class TopicOutcome(enum.StrEnum):
    """What a client's tap on a topic did."""

    OPENED = "opened"  # a contact opened in the topic
    MOVED = "moved"  # their contact, not answered yet, went to the topic
    ANSWERED = "answered"  # recorded; an operator is already on their contact
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class TopicChoice:
    """The result of ``choose_topic``."""

    outcome: TopicOutcome
    title: str
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class TopicMove:
    """A contact moved to a topic: its title, and who has the contact now (``None``:
    nobody was free in the topic, it waits queued)."""

    contact_id: int
    topic: str
    operator_name: str | None


@dataclass(frozen=True, slots=True)
class Ban:
    """A client just blocked, and the contacts that closed with it."""

    telegram_id: int
    name: str
    closed: list[int]


class ContactService(Service):
    """Use cases around contacts."""

    async def register_incoming(
        self, incoming: IncomingMessage, per_minute: int = DEFAULT_MESSAGES_PER_MINUTE
    ) -> Registration:
        """Store a client's message in their open contact, opening and assigning one if needed.

        A duplicate update (same source, chat and message id) changes nothing. A blocked
        client's message is dropped: not stored, nobody told. Past ``per_minute`` messages in
        a minute (0: no limit) the rest of the minute's are stored but not passed on one by
        one; the client and the operator are told once.
        """
        try:
            async with self.transaction():
                result = await self._register(incoming, per_minute)
        except IntegrityError:
            # Duplicates are rare (a redelivery after a crash, or a concurrent one), so instead of
            # a lookup before every message the unique message key rejects them and the whole
            # transaction is undone.
            async with self.transaction():
                if not await self.messages.exists(incoming.key):
                    raise
            return Registration(Outcome.DUPLICATE)
        return result

    async def _register(self, incoming: IncomingMessage, per_minute: int) -> Registration:
        # One statement tells the lead, whether they are blocked and their burst so far: the
        # checks cost an unblocked client below the limit no query.
        touched = await self.leads.touch(incoming.profile, incoming.phone)
        if touched.banned:
            return Registration(Outcome.BLOCKED)
        found, opened = await self._find_or_open(touched.id, incoming.source_id)
        message = await self.messages.add(
            incoming.key,
            found.id,
            Direction.IN,
            incoming.content_type,
            incoming.text,
            incoming.media_group_id,
        )
        if opened:
            result = await self._assign_new(found.id, message, incoming.html)
        else:
            result = await self._append(found, message, incoming.source_id, per_minute, touched)
        # After the assignment: the event names the operator the message goes to.
        self.events.message(
            found.id,
            incoming.source_id,
            touched.id,
            result.operator_telegram_id,
            incoming.text,
            incoming.content_type,
        )
        return result

    async def _append(
        self,
        found: OpenContact,
        message: Message,
        source_id: int,
        per_minute: int,
        touched: Touched,
    ) -> Registration:
        await self.contacts.touch(found.id)
        if found.operator_telegram_id is None:
            # Still queued: the message waits and is handed over with the contact.
            if found.source_hours is not None:
                await self._tell_if_closed(found.id, touched.id, source_id)
            return Registration(Outcome.APPENDED, found.id)
        if per_minute and touched.burst_count > per_minute:
            operator = found.operator_telegram_id
            # Told once a burst, and again only if the contact went to another operator since
            # (a transfer, or the queue's drain mid-burst): nobody misses a message unawares.
            if touched.burst_told_to != operator:
                await self._tell_slowed(found.id, operator, per_minute, touched)
            return Registration(Outcome.SLOWED, found.id, operator)
        self.outbox.relay(message, found.operator_telegram_id)
        return Registration(Outcome.APPENDED, found.id, found.operator_telegram_id)

    async def _tell_if_closed(self, contact_id: int, lead_id: int, source_id: int) -> None:
        """The client of a queued contact writes while its desk is closed (it closed while
        they waited): they are told when it opens, once per contact. The contact's row lock
        (``_find_or_open``) keeps two of their messages at once from both telling them."""
        source = await self.sources.get(source_id)
        assert source is not None  # the contact's
        desk, now = Desk.of(source), self.clock.now()
        if desk.is_open(now) or await self.decisions.made(contact_id, OUT_OF_HOURS):
            return
        self.decisions.add(contact_id, OUT_OF_HOURS, None, {})
        lead = await self.leads.get(lead_id)
        assert lead is not None  # just touched
        self._tell_client(lead, source, desk.out_of_hours(contact_id, now))

    async def _find_or_open(self, lead_id: int, source_id: int) -> tuple[OpenContact, bool]:
        for _ in range(_OPEN_ATTEMPTS):
            # Locked: another process may be assigning (or closing) this queued contact right
            # now; without the lock the message would be stored as "still queued" after the
            # assignment had copied the backlog, and never reach the operator.
            found = await self.contacts.find_open(lead_id, source_id, lock=True)
            if found is not None:
                return found, False
            new_id = await self.contacts.open(lead_id, source_id)
            if new_id is not None:
                self.events.opened(new_id, source_id, lead_id)
                return OpenContact(new_id, None, ContactStatus.NEW), True
        raise RuntimeError(f"could not open a contact for lead {lead_id} in source {source_id}")

    async def _assign_new(
        self, contact_id: int, message: Message | None, words: str | None
    ) -> Registration:
        """Distribute a contact just opened: by a first ``message`` (``words``: its Telegram
        HTML), or by the tap on a topic (no message yet)."""
        row = await self.contacts.get_full(contact_id)
        assert row is not None  # inserted in this transaction
        contact, lead, source = row
        decided = await self.assigner.take_operator(source, lead, contact.topic_id)
        self.assigner.record(contact.id, decided)
        pick = decided.pick
        if decided.closed:
            notice = Desk.of(source).out_of_hours(contact.id, self.clock.now())
            self._tell_client(lead, source, notice)
            result = Registration(Outcome.QUEUED, contact.id)
        elif pick is None:
            self._tell_client(lead, source, ClientQueued(contact_id=contact.id))
            result = Registration(Outcome.QUEUED, contact.id)
        else:
            await self.contacts.assign(contact.id, pick.operator_id)
            backlog = [message] if message else []
            await self.assigner.hand_over(
                contact, lead, source, pick.telegram_id, pick.language, backlog, first_words=words
            )
            self._tell_client(lead, source, ClientAssigned(contact_id=contact.id))
            result = Registration(Outcome.ASSIGNED, contact.id, pick.telegram_id)
        if source.has_topics and contact.topic_id is None:
            # Written before choosing: the topic can still be picked (see choose_topic).
            topics = [
                TopicButton(id=t.id, title=t.title) for t in await self.topics.of_source(source.id)
            ]
            self._tell_client(lead, source, ClientTopics(contact_id=contact.id, topics=topics))
        return result

    async def choose_topic(
        self, source_id: int, profile: LeadProfile, topic_id: int
    ) -> TopicChoice:
        """A client taps a topic of the bot ``source_id``.

        Without an open contact, one opens in that topic and goes to its operators at once
        (the client's messages follow it). With one no operator has answered yet, it moves to
        the topic and is distributed there again (``_redistribute``). Once an operator has
        answered, the topic is recorded and the contact stays with them. A blocked client's
        tap does nothing.
        """
        async with self.transaction():
            topic = await self.topics.get(topic_id)
            if topic is None or topic.source_id != source_id:
                raise TopicGone()
            touched = await self.leads.touch(profile)
            if touched.banned:
                return TopicChoice(TopicOutcome.BLOCKED, topic.title)
            found, opened = await self._find_or_open(touched.id, source_id)
            await self.topics.set_contact_topic(found.id, topic.id)
            if opened:
                await self._assign_new(found.id, None, None)
                return TopicChoice(TopicOutcome.OPENED, topic.title, found.id)
            contact, lead, source = await self.find_contact(found.id)
            if contact.first_reply_at is not None:
                return TopicChoice(TopicOutcome.ANSWERED, topic.title, contact.id)
            await self._redistribute(contact, lead, source)
            return TopicChoice(TopicOutcome.MOVED, topic.title, contact.id)

    async def move_to_topic(self, contact_id: int, by: Actor, name: str) -> TopicMove:
        """An operator moves their open contact (an admin any) to another topic of its bot,
        by name: it is distributed again among that topic's operators, who may be the same
        one (then it just stays); nobody free there, it waits in the queue under that topic."""
        topic_name = check_name(name)
        async with self.transaction():
            contact, lead, source = await self._open_contact(contact_id)
            # Locked, as a client's tap locks it: a close or move by another process is waited
            # for and seen, so the slot released below is still the contact's.
            locked = await self.contacts.find_open(lead.id, source.id, lock=True)
            if locked is None or (locked.id, locked.operator_id) != (
                contact.id,
                contact.operator_id,
            ):
                raise ContactChanged(contact_id=contact_id)
            if by.kind == "operator":
                operator = await self._operator_of(contact)
                if operator is None or operator.telegram_id != by.telegram_id:
                    raise NotYourContact(contact_id=contact_id)
            topic = await self.find_topic(source.id, topic_name)
            await self.topics.set_contact_topic(contact.id, topic.id)
            operator = await self._redistribute(contact, lead, source)
        return TopicMove(contact_id, topic.title, operator.display_name if operator else None)

    async def _redistribute(self, contact: Contact, lead: Lead, source: Source) -> Operator | None:
        """Distribute an open contact again (its topic just changed), inside the caller's
        transaction: whoever the topic's weights pick gets it with its backlog, the previous
        operator is told and freed (they may be picked again: then it stays with them);
        nobody free, it waits queued. Returns its operator now (``None``: queued)."""
        previous = await self._operator_of(contact)
        if previous is not None:
            # Their slot is free for the choice: keeping the contact is one of its outcomes.
            await self.operators.release_slot(previous.id)
        decided = await self.assigner.take_operator(source, lead, contact.topic_id)
        pick = decided.pick
        if previous is not None and pick is not None and pick.operator_id == previous.id:
            return previous
        self.assigner.record(contact.id, decided)
        if previous is not None:
            # Conditional: a close or move by another process since the read undoes it all.
            moved = (
                await self.contacts.move(contact.id, previous.id, pick.operator_id)
                if pick is not None
                else await self.contacts.requeue(contact.id, previous.id)
            )
            if not moved:
                raise ContactChanged(contact_id=contact.id)
            if pick is None:
                self.events.requeued(
                    contact.id, source.id, lead.id, previous.telegram_id, "topic_changed"
                )
            self.drain_queue_after_commit()  # the previous operator's freed slot
            self.tell_taken_away(contact.id, source, previous)
        elif pick is not None and not await self.contacts.assign(contact.id, pick.operator_id):
            raise ContactChanged(contact_id=contact.id)
        if pick is None:
            if previous is not None:
                self._tell_client(lead, source, ClientQueued(contact_id=contact.id))
            return None
        backlog = await self.messages.of_contact(contact.id, Direction.IN)
        await self.assigner.hand_over(
            contact,
            lead,
            source,
            pick.telegram_id,
            pick.language,
            backlog,
            previous_operator_telegram_id=previous.telegram_id if previous else None,
        )
        joined = ClientTransferred if previous is not None else ClientOperatorJoined
        self._tell_client(lead, source, joined(contact_id=contact.id))
        return await self.operators.get(pick.operator_id)

    async def register_edit(
        self, source_id: int, chat_id: int, message_id: int, html: str | None = None
    ) -> bool:
        """Pass on a message the client edited: a text (``html``, its new version as Telegram
        HTML) is edited in place in the operator's copy; anything else, or a text that the
        card carried or that went to a previous operator, reaches the operator as a marked
        copy (a copy shows the message as it is now, whatever its type or length). ``False``
        if nobody needs to know (unknown or operator's message, closed or still queued
        contact: a queued copy is made later, from the edited message itself)."""
        async with self.transaction():
            stored = await self.messages.by_key(MessageKey(source_id, chat_id, message_id))
            # An operator's reply (e.g. edited after /delop, so no operator handler took it) is
            # not the client's: announcing it as a client edit would mislead its own author.
            if stored is None or stored.direction is not Direction.IN:
                return False
            contact = await self.contacts.get(stored.contact_id)
            if contact is None or contact.status is ContactStatus.CLOSED:
                return False
            operator = await self._operator_of(contact)
            if operator is None:
                return False
            if await self.edit_copy_in_place(stored, operator.telegram_id, html):
                return True
            self.outbox.notice(
                source_id,
                operator.telegram_id,
                OperatorClientEdited(contact_id=contact.id),
                language=operator.preferred_language,
            )
            # Not as part of its album, if it was in one: the album went out long ago.
            copy = MessageCopy(from_chat_id=stored.chat_id, message_id=stored.telegram_message_id)
            self.outbox.copy(
                source_id, operator.telegram_id, copy, contact_id=contact.id, message_id=stored.id
            )
        return True

    async def _tell_slowed(
        self, contact_id: int, operator_chat_id: int, per_minute: int, touched: Touched
    ) -> None:
        """The client went past ``per_minute``: they learn (once a burst) that nothing is
        lost, their operator where the rest of the minute's messages are."""
        row = await self.contacts.get_full(contact_id)
        operator = await self.operators.by_telegram_id(operator_chat_id)
        assert row is not None and operator is not None  # both locked or read in this transaction
        _, lead, source = row
        await self.leads.told_of_burst(touched.id, operator_chat_id)
        if touched.burst_told_to is None:
            self._tell_client(lead, source, ClientSlowedDown(contact_id=contact_id))
        self.outbox.notice(
            source.bot_source_id,
            operator_chat_id,
            OperatorClientSlowed(contact_id=contact_id, per_minute=per_minute),
            language=operator.preferred_language,
        )

    def _tell_client(self, lead: Lead, source: Source, notice: Notice) -> None:
        tell_client(self.outbox, lead, source, notice)

    async def close(self, contact_id: int, by: Actor, reason: str = "") -> ClosedContact:
        """Close an open contact, tell the client and the operator, and reuse the freed slot.

        An operator may close only their own contacts; admins and the system any.
        """
        async with self.transaction():
            contact, lead, source = await self._open_contact(contact_id)
            operator = await self._operator_of(contact)
            if by.kind == "operator" and (
                operator is None or operator.telegram_id != by.telegram_id
            ):
                raise NotYourContact(contact_id=contact_id)
            if not await self._close_open(contact, lead, source, operator, by, reason or by.kind):
                raise ContactAlreadyClosed(contact_id=contact_id)
        return ClosedContact(contact_id, operator.telegram_id if operator else None)

    async def _close_open(
        self,
        contact: Contact,
        lead: Lead,
        source: Source,
        operator: Operator | None,
        by: Actor,
        reason: str,
    ) -> bool:
        """Close an open contact inside the caller's transaction: the operator is told and gets
        the slot back, the client is told (unless they closed it, or are being blocked), and
        the queue drains after the commit. ``False`` (nothing done) if it was closed
        meanwhile (by another process, say)."""
        closed, _ = await self.contacts.close(contact.id, by.label, reason)
        if not closed:
            return False
        self.events.closed(
            contact.id, source.id, lead.id, operator.telegram_id if operator else None, by.kind
        )
        banned = reason == BANNED
        if operator is not None:
            await self.operators.release_slot(operator.id)
        # An operator who blocks the client has the answer to their /ban: no notice on top.
        if operator is not None and not (banned and operator.telegram_id == by.telegram_id):
            self.outbox.notice(
                source.bot_source_id,
                operator.telegram_id,
                OperatorClosed(contact_id=contact.id, by=BANNED if banned else by.kind),
                language=operator.preferred_language,
            )
        # A blocked client is told nothing: a spammer who learns it just writes from elsewhere.
        if by.kind != "client" and not banned:
            told = ClientAutoClosed if by.kind == "system" else ClientClosed
            rateable = operator is not None
            self._tell_client(lead, source, told(contact_id=contact.id, rateable=rateable))
        self.drain_queue_after_commit()
        return True

    async def ban(self, contact_id: int, by: Actor, admin_ids: frozenset[int]) -> Ban:
        """Block the client of contact ``contact_id`` (their operator's or any admin's
        ``/ban``): every open contact of theirs, in any source, closes as by ``close`` (their
        operators get the slots back, the queue drains) without a word to the client, and
        whatever they send later is dropped. Only Telegram clients, and never an operator or
        an admin (``admin_ids``)."""
        async with self.transaction():
            contact, lead, _ = await self.find_contact(contact_id)
            if by.kind == "operator":
                operator = await self._operator_of(contact)
                if operator is None or operator.telegram_id != by.telegram_id:
                    raise NotYourContact(contact_id=contact_id)
            if lead.telegram_id is None:
                raise BanFormLead(contact_id=contact_id)
            staff = lead.telegram_id in admin_ids or await self.operators.is_operator(
                lead.telegram_id
            )
            if staff:
                raise BanStaff(contact_id=contact_id)
            if not await self.leads.ban(lead.id, by.telegram_id):
                raise AlreadyBanned(contact_id=contact_id)
            closed = []
            for open_id in await self.contacts.open_of_lead(lead.id):
                found = await self.contacts.get_full(open_id)
                assert found is not None  # listed in this transaction
                open_contact, _, source = found
                operator = await self._operator_of(open_contact)
                # One closed meanwhile (its operator's /close) is closed all the same.
                if await self._close_open(open_contact, lead, source, operator, by, BANNED):
                    closed.append(open_id)
            return Ban(lead.telegram_id, lead.first_name, closed)

    async def unban(self, telegram_id: int) -> None:
        """Lift the block of the client with this Telegram id (an admin's ``/unban``)."""
        async with self.transaction():
            if not await self.leads.unban(telegram_id):
                raise NotBanned(telegram_id=telegram_id)

    async def banned(self) -> list[BannedView]:
        """Every blocked client, most recently blocked first, with who blocked them (an
        operator's name where they are one)."""
        async with self.transaction():
            leads = await self.leads.banned()
            names: dict[int, str] = {}
            for by in {lead.banned_by for lead in leads if lead.banned_by is not None}:
                operator = await self.operators.by_telegram_id(by)
                if operator is not None:
                    names[by] = operator.display_name
        return [BannedView(lead, names.get(lead.banned_by or 0)) for lead in leads]

    async def rate(self, contact_id: int, source_id: int, by: int, stars: int) -> int:
        """The client ``by`` (Telegram id) rates their contact ``contact_id`` of the bot
        ``source_id``: ``stars`` from 1 to ``MAX_RATING``, once, within ``RATING_WINDOW`` of
        the close, and only a contact an operator had. Returns the stars stored."""
        async with self.transaction():
            closed_since = utcnow() - RATING_WINDOW
            valid = 1 <= stars <= MAX_RATING and 1 <= contact_id <= MAX_ID
            if valid and await self.contacts.rate(contact_id, source_id, by, stars, closed_since):
                return stars
            # Refused: the conditional UPDATE changed nothing; say why.
            row = await self.contacts.get_full(contact_id) if valid else None
            if row is None:
                raise NotYourRating(contact_id=contact_id)
            contact, lead, _ = row
            mine = contact.source_id == source_id and lead.telegram_id == by
            if not mine or contact.closed_at is None or contact.assigned_at is None:
                raise NotYourRating(contact_id=contact_id)
            if contact.rating is not None:
                raise AlreadyRated(contact_id=contact_id, stars=contact.rating)
            raise RatingTooLate(
                contact_id=contact_id, hours=int(RATING_WINDOW.total_seconds() // 3600)
            )

    async def _operator_of(self, contact: Contact) -> Operator | None:
        if contact.operator_id is None:
            return None
        return await self.operators.get(contact.operator_id)

    async def _open_contact(self, contact_id: int) -> tuple[Contact, Lead, Source]:
        contact, lead, source = await self.find_contact(contact_id)
        if contact.status is ContactStatus.CLOSED:
            raise ContactAlreadyClosed(contact_id=contact_id)
        return contact, lead, source

    async def _take_slot_of(self, target: Operator, source: Source, ref: str | int) -> None:
        """Count one more contact against ``target``, who must be able to take it from
        ``source`` (active, not paused, on shift, started the bot, below the limit)."""
        # Weight only steers random distribution; an explicit choice ignores it. A shift does
        # not: whoever named them may not know they have gone home.
        if not on_shift(read_shift(target.shift), self.clock.now()):
            raise OperatorOffShift(ref=ref, shift=target.shift)
        link = await self.operators.link(target.id, source.bot_source_id)
        reachable = link is not None and link.started and not link.unreachable
        if not reachable or not await self.operators.take_slot(target.id):
            raise OperatorFull(ref=ref)

    async def free_colleagues(self, contact_id: int, by: int) -> list[Operator]:
        """The colleagues who could take the open contact the operator ``by`` (Telegram id)
        wants to pass on, right now: the operators its bot would give a new contact to."""
        async with self.transaction():
            contact, lead, source = await self._open_contact(contact_id)
            previous = await self._operator_of(contact)
            if previous is None or previous.telegram_id != by:
                raise NotYourContact(contact_id=contact_id)
            # By the contact's topic's weights and the shifts; not the desk's hours: an
            # operator may pass a contact on at night, as /transfer does.
            field = await self.assigner.field(source, lead, contact.topic_id, any_hour=True)
            assert field is not None  # any hour: never closed
            found = [await self.operators.get(c.operator_id) for c in field.eligible]
        return [op for op in found if op is not None and op.id != previous.id]

    async def transfer(
        self, contact_id: int, by: int, operator_ref: str | int, note: str = ""
    ) -> Reassignment:
        """An operator (Telegram id ``by``) passes one of their open contacts to a colleague,
        who must be able to take it, with an optional ``note`` for them.

        The colleague gets a notice (with the note), the card and the client's messages so far;
        the client is told that another operator continues; the first operator's slot is freed
        (and the queue drains to it).
        """
        if len(note) > NOTE_LIMIT:
            raise NoteTooLong(length=len(note), limit=NOTE_LIMIT)
        async with self.transaction():
            contact, lead, source = await self._open_contact(contact_id)
            previous = await self._operator_of(contact)
            if previous is None or previous.telegram_id != by:
                raise NotYourContact(contact_id=contact_id)
            target = await self.find_operator(operator_ref)
            if target.id == previous.id:
                raise TransferToSelf(contact_id=contact_id)
            await self._take_slot_of(target, source, operator_ref)
            if not await self.contacts.move(contact.id, previous.id, target.id):
                raise ContactChanged(contact_id=contact_id)
            await self.operators.release_slot(previous.id)
            self.drain_queue_after_commit()
            self._tell_client(lead, source, ClientTransferred(contact_id=contact.id))
            passed = OperatorTransferred(contact_id=contact.id, by=previous.display_name, note=note)
            self.outbox.notice(
                source.bot_source_id, target.telegram_id, passed, language=target.preferred_language
            )
            backlog = await self.messages.of_contact(contact.id, Direction.IN)
            await self.assigner.hand_over(
                contact,
                lead,
                source,
                target.telegram_id,
                target.preferred_language,
                backlog,
                previous_operator_telegram_id=previous.telegram_id,
            )
        return Reassignment(
            contact_id,
            target.telegram_id,
            previous.telegram_id,
            target.display_name,
            form=source.is_form,
        )

    async def reassign(self, contact_id: int, operator_ref: str | int) -> Reassignment:
        """Give an open contact to another operator (an admin's ``/assign``).

        The new operator must be able to take it (active, not paused, started the bot, below
        the limit); the previous one, if any, is told and gets the slot back.
        """
        async with self.transaction():
            contact, lead, source = await self._open_contact(contact_id)
            target = await self.find_operator(operator_ref)
            if contact.operator_id == target.id:
                return Reassignment(contact_id, target.telegram_id, target.telegram_id)
            await self._take_slot_of(target, source, operator_ref)
            previous = await self._operator_of(contact)
            # Conditional updates: another process may have assigned, moved or closed it since
            # it was read; then nothing here happened (the transaction is undone).
            if previous is None:
                if not await self.contacts.assign(contact.id, target.id):
                    raise ContactChanged(contact_id=contact_id)
                self._tell_client(lead, source, ClientOperatorJoined(contact_id=contact.id))
            else:
                if not await self.contacts.move(contact.id, previous.id, target.id):
                    raise ContactChanged(contact_id=contact_id)
                await self.operators.release_slot(previous.id)
                self.drain_queue_after_commit()  # the previous operator's freed slot
                self.tell_taken_away(contact.id, source, previous)
            self.assigner.record_reassigned(contact.id, target.id)
            backlog = await self.messages.of_contact(contact.id, Direction.IN)
            await self.assigner.hand_over(
                contact,
                lead,
                source,
                target.telegram_id,
                target.preferred_language,
                backlog,
                previous_operator_telegram_id=previous.telegram_id if previous else None,
            )
        return Reassignment(
            contact_id, target.telegram_id, previous.telegram_id if previous else None
        )
