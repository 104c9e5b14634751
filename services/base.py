"""What every use-case service shares: the unit of work, repositories and the queue drain."""

import functools
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Contact, Lead, Message, Operator, Source, Topic
from db.repositories import (
    ContactRepository,
    DecisionRepository,
    DeliveryRepository,
    InviteRepository,
    LanguageRepository,
    LeadRepository,
    MessageRepository,
    OperatorRepository,
    RequestRepository,
    SourceRepository,
    SourceTextRepository,
    TemplateRepository,
    TopicRepository,
    WebhookRepository,
)
from db.session import request_drain, take_after_commit
from services.assignment import Assigner, Assignment
from services.clock import SYSTEM_CLOCK, Clock
from services.errors import (
    AmbiguousOperator,
    InvalidOperatorRef,
    NoTopics,
    UnknownContact,
    UnknownOperator,
    UnknownSource,
    UnknownTopic,
)
from services.events import Events
from services.notices import AdminAlert, OperatorTakenAway
from services.numbers import MAX_ID, MIN_INT64, parse_number
from services.outbox import NoSignal, Outbox, OutboxSignal
from services.shifts import on_shift, read_shift
from services.views import LinkView, OperatorView


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks for a change: ``operator``, ``admin``, ``client`` or ``system`` (timers)."""

    kind: str
    telegram_id: int = 0

    @property
    def label(self) -> str:
        """How the change is recorded (e.g. ``closed_by``)."""
        return f"{self.kind}:{self.telegram_id}" if self.telegram_id else self.kind


SYSTEM = Actor("system")


def parse_operator_ref(ref: str) -> int | str:
    """A Telegram id (int) or a lower-case username (str) from ``123`` or ``@name``.

    Negative ids (those of groups) are read, too: they name no operator, and the answer says so.
    A number that does not fit a Telegram id's 64 bits is no reference at all.
    """
    ref = ref.strip()
    telegram_id = parse_number(ref, MIN_INT64, MAX_ID, signed=True)
    if telegram_id is not None:
        return telegram_id
    name = ref.removeprefix("@")
    if ref.startswith("@") and name and all(ch.isalnum() or ch == "_" for ch in name):
        return name.lower()
    raise InvalidOperatorRef(ref=ref)


class Service:
    """Base of the use-case services.

    A service is bound to one session (one per update, injected by the bot's middleware) and
    owns the transactions: every use case runs in ``async with self.transaction()``, which
    after the commit announces the deliveries it wrote through ``signal`` and drains the queue
    if it freed capacity (``drain_queue_after_commit``).
    """

    def __init__(
        self,
        session: AsyncSession,
        rng: random.Random,
        signal: OutboxSignal | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.session = session
        self.rng = rng
        self.signal = signal or NoSignal()
        # Read where business hours decide (whether a source is open); see services.clock.
        self.clock = clock

    # Built on first use: most use cases need two or three of these, and a service is built
    # for every update.
    @functools.cached_property
    def operators(self) -> OperatorRepository:
        """Operators and their links to sources."""
        return OperatorRepository(self.session)

    @functools.cached_property
    def contacts(self) -> ContactRepository:
        """Contacts."""
        return ContactRepository(self.session)

    @functools.cached_property
    def messages(self) -> MessageRepository:
        """Messages of contacts, both directions."""
        return MessageRepository(self.session)

    @functools.cached_property
    def leads(self) -> LeadRepository:
        """Clients."""
        return LeadRepository(self.session)

    @functools.cached_property
    def sources(self) -> SourceRepository:
        """The bots."""
        return SourceRepository(self.session)

    @functools.cached_property
    def requests(self) -> RequestRepository:
        """The first answers of idempotent API requests."""
        return RequestRepository(self.session)

    @functools.cached_property
    def deliveries(self) -> DeliveryRepository:
        """The outbox table."""
        return DeliveryRepository(self.session)

    @functools.cached_property
    def decisions(self) -> DecisionRepository:
        """The recorded distribution decisions."""
        return DecisionRepository(self.session)

    @functools.cached_property
    def invites(self) -> InviteRepository:
        """Operator invites."""
        return InviteRepository(self.session)

    @functools.cached_property
    def languages(self) -> LanguageRepository:
        """Data access for the languages people read."""
        return LanguageRepository(self.session)

    @functools.cached_property
    def texts(self) -> SourceTextRepository:
        """Data access for the texts each bot's admin set."""
        return SourceTextRepository(self.session)

    @functools.cached_property
    def templates(self) -> TemplateRepository:
        """Data access for each bot's canned replies."""
        return TemplateRepository(self.session)

    @functools.cached_property
    def topics(self) -> TopicRepository:
        """Data access for topics and their weights."""
        return TopicRepository(self.session)

    @functools.cached_property
    def outbox(self) -> Outbox:
        """Stages outgoing messages in the current transaction."""
        return Outbox(self.deliveries)

    @functools.cached_property
    def webhooks(self) -> WebhookRepository:
        """Webhook subscriptions and their outbox."""
        return WebhookRepository(self.session)

    @functools.cached_property
    def events(self) -> Events:
        """Stages events for webhooks in the current transaction."""
        return Events(self.webhooks)

    @functools.cached_property
    def assigner(self) -> Assigner:
        """Picks operators for contacts."""
        return Assigner(self.session, self.rng, self.clock)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """``session.begin()``, then what the commit asks for: the delivery worker woken if
        deliveries were written, the queue drained if capacity was freed."""
        async with self.session.begin():
            yield
        due = take_after_commit(self.session.sync_session)
        if due.wake_worker:
            self.signal.notify()
        if due.drain_queue:
            await self.assign_pending()

    def drain_queue_after_commit(self) -> None:
        """The transaction under way frees capacity (a slot, an operator available again):
        queued contacts are assigned once it has committed."""
        request_drain(self.session.sync_session)

    def tell_taken_away(self, contact_id: int, source: Source, operator: Operator) -> None:
        """Stage the notice that contact ``contact_id`` is no longer ``operator``'s."""
        self.outbox.notice(
            source.bot_source_id,
            operator.telegram_id,
            OperatorTakenAway(contact_id=contact_id),
            language=operator.preferred_language,
        )

    async def assign_pending(
        self, limit: int | None = None, skip: frozenset[int] = frozenset()
    ) -> list[Assignment]:
        """Assign queued contacts oldest first while capacity exists, leaving the sources of
        ``skip`` alone.

        One transaction per contact: each locks one contact and one operator row, so several
        processes can drain at once without deadlocks. A source whose operators are all busy
        is skipped for the rest of the run (a topic of it on its own), as is one that is
        closed (business hours) and gives nobody anything then.
        """
        done: list[Assignment] = []
        # A topic's operators are not its source's: a full topic is skipped on its own, and
        # a source's contacts without a topic on their own; a shut source as a whole.
        skip_sources = set(skip)
        skip_topics: set[int] = set()
        skip_plain: set[int] = set()
        while limit is None or len(done) < limit:
            async with self.transaction():
                step = await self.assigner.assign_next(skip_sources, skip_topics, skip_plain)
            if step is None:
                break
            contact = step.contact
            if step.assignment is not None:
                done.append(step.assignment)
            elif self.assigner.shut(step.source):
                skip_sources.add(contact.source_id)
            elif contact.topic_id is not None:
                skip_topics.add(contact.topic_id)
            else:
                skip_plain.add(contact.source_id)
        return done

    async def create_operator(self, telegram_id: int, max_open: int, name: str) -> Operator:
        """Add an operator with weight 1 in every source (admins tune it with /weights)."""
        operator = Operator(
            telegram_id=telegram_id,
            display_name=name[:256],
            active=True,
            max_open=max_open,
            open_count=0,
            # Whoever chose a language as a client (or admin) keeps it as an operator.
            chosen_language=await self.languages.chosen(telegram_id),
        )
        self.operators.add(operator)
        await self.session.flush()
        for source in await self.sources.all():
            await self.operators.set_link(operator.id, source.id, weight=1)
        return operator

    async def alert_admins(self, source_id: int, admin_ids: list[int], alert: AdminAlert) -> None:
        """Stage an alert to every admin through one bot, each in their own language."""
        languages = await self.languages.of_admins(admin_ids)
        for admin_id in admin_ids:
            self.outbox.notice(source_id, admin_id, alert, language=languages[admin_id])

    async def edit_copy_in_place(self, stored: Message, chat_id: int, text: str | None) -> bool:
        """Stage an edit of the copy of an edited text (``text``, Telegram HTML) in ``chat_id``;
        whether it can be edited in place: a text, copied into that chat and recorded, and not
        inside a card (the card would have to be rendered again)."""
        copied = stored.copy_message_id
        if text is None or stored.content_type != "text" or copied is None:
            return False
        if stored.copy_chat_id != chat_id:
            return False  # copied to an operator the contact no longer has
        payload = await self.deliveries.sent_payload(stored.source_id, chat_id, copied)
        if payload is None or payload.get("card") is not None:
            return False
        self.outbox.edit(stored, chat_id, copied, text)
        return True

    async def operator_views(self, operators: list[Operator]) -> list[OperatorView]:
        """Operators with their per-source links."""
        sources = {s.id: s for s in await self.sources.all()}
        links = await self.operators.links()
        by_pair = {(link.operator_id, link.source_id): link for link in links}
        by_operator: dict[int, list[LinkView]] = {}
        for link in links:
            source = sources[link.source_id]
            # A form source reaches its operators through its announcing bot.
            reach = by_pair.get((link.operator_id, source.bot_source_id), link)
            view = LinkView(source, link.weight, reach.started, reach.unreachable)
            by_operator.setdefault(link.operator_id, []).append(view)
        now = self.clock.now()
        return [
            OperatorView(op, by_operator.get(op.id, []), on_shift(read_shift(op.shift), now))
            for op in operators
        ]

    async def is_operator(self, telegram_id: int) -> bool:
        """Whether a Telegram user (or their private chat) is an operator."""
        async with self.transaction():
            return await self.operators.is_operator(telegram_id)

    async def is_blocked(self, telegram_id: int) -> bool:
        """Whether a Telegram user is a blocked client (``/ban``)."""
        async with self.transaction():
            lead = await self.leads.by_telegram_id(telegram_id)
            return lead is not None and lead.banned_at is not None

    async def find_contact(self, contact_id: int) -> tuple[Contact, Lead, Source]:
        """Contact ``contact_id`` with its lead and source, open or closed; must run inside a
        transaction. A number no primary key can be (the API takes any integer) names no
        contact."""
        row = await self.contacts.get_full(contact_id) if 1 <= contact_id <= MAX_ID else None
        if row is None:
            raise UnknownContact(contact_id=contact_id)
        contact, lead, source = row
        return contact, lead, source

    async def find_source(self, source_id: int, *, lock: bool = False) -> Source:
        """Source ``source_id``; must run inside a transaction; with ``lock`` its row stays
        locked until it ends. A number no primary key can be (the API takes any integer)
        names no source."""
        found = None
        if 1 <= source_id <= MAX_ID:
            found = await (self.sources.locked(source_id) if lock else self.sources.get(source_id))
        if found is None:
            raise UnknownSource(ref=source_id)
        return found

    async def find_topic(self, source_id: int, name: str) -> Topic:
        """The source's topic of that (lower-case) name; must run inside a transaction. The
        refusal names the topics there are."""
        topic = await self.topics.named(source_id, name)
        if topic is not None:
            return topic
        names = [topic.name for topic in await self.topics.of_source(source_id)]
        if not names:
            raise NoTopics()
        raise UnknownTopic(name=name, names=", ".join(names))

    async def find_operator(self, ref: str | int) -> Operator:
        """The operator a Telegram id or @username refers to; must run inside a transaction."""
        key = parse_operator_ref(ref) if isinstance(ref, str) else ref
        if isinstance(key, int):
            operator = await self.operators.by_telegram_id(key)
        else:
            named = await self.operators.with_username(key)
            if len(named) > 1:
                # Acting on either could hit the wrong person (a removal, say): ask for the id.
                ids = ", ".join(str(o.telegram_id) for o in named)
                raise AmbiguousOperator(ref=ref, ids=ids)
            operator = named[0] if named else None
        if operator is None:
            raise UnknownOperator(ref=ref)
        return operator
