"""Typed SQLAlchemy models of Switchboard."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ColumnElement,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, UTCDateTime, utcnow

# SQLite maps BIGINT primary keys poorly (no rowid alias); keep INTEGER there.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class ContactStatus(enum.StrEnum):
    """Life cycle of a conversation."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Direction(enum.StrEnum):
    """Whether a relayed message came from the client or from the operator."""

    IN = "in"
    OUT = "out"


class DeliveryStatus(enum.StrEnum):
    """State of one outgoing Telegram message in the outbox."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class DistributionMode(enum.StrEnum):
    """How a source's new contacts are shared among its operators (``/mode``)."""

    RANDOM = "random"  # weighted random: fair on average
    EXACT = "exact"  # smooth weighted round robin: shares follow the weights over any window
    LEAST_LOADED = "least_loaded"  # the lowest open / limit ratio, weights breaking ties


class DeliveryKind(enum.StrEnum):
    """How the delivery worker sends a staged message."""

    NOTICE = "notice"  # a text rendered by the bot from the notice in the payload
    COPY = "copy"  # copyMessage of the stored message in the payload
    EDIT = "edit"  # editMessageText of a copy the bot sent, to the text in the payload
    TEXT = "text"  # sendMessage of the Telegram HTML in the payload (a template an operator sent)
    DOCUMENT = "document"  # sendDocument of a file the bot builds when sending (a transcript)


# The most stars a client can give a contact.
MAX_RATING = 5

# The partial unique index of open contacts; ON CONFLICT clauses must name the same predicate.
OPEN_CONTACT_SQL = "status <> 'closed'"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (no native PG enum) so migrations stay simple across backends;
    # the CHECK constraint (named ck_<table>_<name> by the naming convention) makes the
    # database refuse any other value too, whoever writes it.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


class Source(Base):
    """A channel a lead writes through: a configured bot, or a form source (a web form, a
    landing page, a phone line: its contacts come through the API).

    A form source has no bot of its own (``bot_id`` NULL): ``announcer_id`` names the bot that
    brings its cards to operators, and ``username`` is its name, unique among form sources.
    """

    __tablename__ = "sources"
    __table_args__ = (
        # Either a bot, or a form announced by one: never both, never neither.
        CheckConstraint("(bot_id IS NULL) <> (announcer_id IS NULL)", name="bot_or_form"),
        Index(
            "uq_sources_form_name",
            "username",
            unique=True,
            sqlite_where=text("bot_id IS NULL"),
            postgresql_where=text("bot_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    bot_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    announcer_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    username: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The delivery worker that sends this bot's outbox, for the record: which one may send is
    # decided by db.sender_role (a hold that dies with its process), one per bot, so that the
    # bot's pace holds however many processes run. sender_until is no longer used (NULL).
    sender: Mapped[str | None] = mapped_column(String(128))
    sender_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mode: Mapped[DistributionMode] = mapped_column(
        _enum(DistributionMode, "distribution_mode"),
        default=DistributionMode.RANDOM,
        server_default=DistributionMode.RANDOM.value,
    )
    # Business hours (services.hours): the schedule as /hours writes it, NULL = always open,
    # and the holidays as sorted ISO dates. Here, not in tables of their own: every new
    # contact reads the source row anyway, so deciding whether the desk is open costs no query.
    hours: Mapped[str | None] = mapped_column(Text)
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # Whether the source offers topics (kept by /topic add and del): a new contact reads the
    # source row anyway, so a source without topics pays no query for them.
    has_topics: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Outside the business hours: whether on-duty operators take new contacts (/afterhours
    # duty) or every contact waits for the opening (/afterhours queue).
    duty_after_hours: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def is_form(self) -> bool:
        """A form source: no chat with the lead, its contacts come through the API."""
        return self.bot_id is None

    @property
    def bot_source_id(self) -> int:
        """The source whose bot sends this source's messages to operators: its own, or for a
        form source the announcing bot's."""
        return self.announcer_id if self.announcer_id is not None else self.id


class Operator(Base):
    """A Telegram user who answers contacts."""

    __tablename__ = "operators"
    __table_args__ = (
        CheckConstraint("max_open >= 0", name="max_open_non_negative"),
        CheckConstraint("open_count >= 0", name="open_count_non_negative"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(256))
    # Two switches, so that neither side can lift the other's: ``active`` is the admin's
    # (/activate, /deactivate), ``paused`` the operator's own (/pause, /resume).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    max_open: Mapped[int] = mapped_column(Integer, default=5)
    # Number of contacts with operator_id = id and status <> closed; only ever changed by
    # conditional UPDATEs in the same transaction as the contact row (see ContactRepository).
    open_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Telegram's interface language as of their last /start, and their own /language choice.
    language: Mapped[str | None] = mapped_column(String(16))
    chosen_language: Mapped[str | None] = mapped_column(String(16))
    # Their own working hours (services.shifts), as /shift writes them with the zone, NULL =
    # whenever active; and whether they take contacts while a desk is closed (/duty).
    shift: Mapped[str | None] = mapped_column(Text)
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    links: Mapped[list["OperatorSource"]] = relationship(
        back_populates="operator", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def available(self) -> bool:
        """Neither deactivated by an admin nor paused: new contacts may come (their bots and
        limit permitting)."""
        return self.active and not self.paused

    @property
    def preferred_language(self) -> str | None:
        """The language they want to read, most wanted first: their choice, else Telegram's."""
        return self.chosen_language or self.language


class OperatorSource(Base):
    """Operator × source: the distribution weight and whether the operator started that bot."""

    __tablename__ = "operator_sources"
    __table_args__ = (
        UniqueConstraint("operator_id", "source_id"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    weight: Mapped[int] = mapped_column(Integer, default=0)
    started: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when Telegram answered 403 for this operator in this bot; cleared by their next message.
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    # ``exact`` mode: the contacts this operator is owed in this source (their target so far
    # minus their count), changed only together with their slot (see services.distribution).
    credit: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))

    operator: Mapped[Operator] = relationship(back_populates="links")


class Topic(Base):
    """A subject a source offers its clients (``/topic add``): buttons a new client picks
    from, with operators and weights of its own (``topic_weights``)."""

    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("source_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicWeight(Base):
    """Operator × topic: the weight in the topic. A topic with no rows takes its source's
    weights (``services.topics.applicable_weights``)."""

    __tablename__ = "topic_weights"
    __table_args__ = (CheckConstraint("weight >= 0", name="topic_weight_non_negative"),)

    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True
    )
    weight: Mapped[int] = mapped_column(Integer, default=0)


class Lead(Base):
    """An end client, one per Telegram user across every source; a form's lead is known by
    the form's own id for them (``external_id``), their phone or email, and their Telegram
    id if the form asked for it (then they are the same lead as in the bots)."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    external_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    email: Mapped[str | None] = mapped_column(String(256), index=True)
    username: Mapped[str | None] = mapped_column(String(64))
    first_name: Mapped[str] = mapped_column(String(256), default="")
    last_name: Mapped[str | None] = mapped_column(String(256))
    # Telegram's interface language, refreshed by every message, and their /language choice.
    language: Mapped[str | None] = mapped_column(String(16))
    chosen_language: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Blocked (/ban): when, and by whom (a Telegram id); their messages are dropped.
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    banned_by: Mapped[int | None] = mapped_column(BigInteger)
    # The minute their latest burst of messages began and how many they sent in it: kept by
    # the upsert of every message (CLIENT_MESSAGES_PER_MINUTE), so counting costs no query.
    burst_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    burst_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The operator (Telegram id) told in this burst that its rest is not passed on one by one.
    burst_told_to: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def preferred_language(self) -> str | None:
        """The language they want to read: their choice, else Telegram's."""
        return self.chosen_language or self.language


class Contact(Base):
    """One conversation of a lead through one source."""

    __tablename__ = "contacts"
    __table_args__ = (
        # The invariant "one open contact per (lead, source)" lives in the database.
        Index(
            "uq_contacts_open_lead_source",
            "lead_id",
            "source_id",
            unique=True,
            sqlite_where=text(OPEN_CONTACT_SQL),
            postgresql_where=text(OPEN_CONTACT_SQL),
        ),
        # The queue: unassigned open contacts, oldest first.
        Index(
            "ix_contacts_queue",
            "created_at",
            sqlite_where=text("operator_id IS NULL AND status = 'new'"),
            postgresql_where=text("operator_id IS NULL AND status = 'new'"),
        ),
        Index("ix_contacts_operator_status", "operator_id", "status"),
        Index("ix_contacts_lead", "lead_id"),
        Index("ix_contacts_source_created", "source_id", "created_at"),
        # Contacts closed since the tallies were last brought up to date (see ContactTally).
        Index(
            "ix_contacts_closed_at",
            "closed_at",
            sqlite_where=text("closed_at IS NOT NULL"),
            postgresql_where=text("closed_at IS NOT NULL"),
        ),
        CheckConstraint(f"rating BETWEEN 1 AND {MAX_RATING}", name="rating"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id", ondelete="SET NULL"))
    status: Mapped[ContactStatus] = mapped_column(
        _enum(ContactStatus, "contact_status"), default=ContactStatus.NEW
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))
    close_reason: Mapped[str | None] = mapped_column(String(256))
    # When an operator's contact went back to the queue (removed, blocked the bot); its wait
    # counts from then, not from when the client first wrote.
    requeued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The client's answer to "How did we do?" after the close, 1 to MAX_RATING stars.
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    # The topic the client chose or an operator moved it to; NULL: none (the source's
    # weights apply). No foreign key (see migration 0016): /topic del clears it.
    topic_id: Mapped[int | None] = mapped_column(BigIntPK)

    lead: Mapped[Lead] = relationship(lazy="raise")
    source: Mapped[Source] = relationship(lazy="raise")
    operator: Mapped[Operator | None] = relationship(lazy="raise")

    @hybrid_property
    def queued_since(self) -> datetime:
        """Since when it waits for an operator (if it does); in SQL as well."""
        return self.requeued_at or self.created_at

    @queued_since.inplace.expression
    @classmethod
    def _queued_since_expression(cls) -> ColumnElement[datetime]:
        return func.coalesce(cls.requeued_at, cls.created_at)


class SourceTally(Base):
    """How many contacts of a source were closed before ``TallyMark.closed_before``.

    A closed contact never changes again, so statistics read the past from the tallies and
    count only what is open or was closed since: a few rows instead of millions.
    """

    __tablename__ = "source_tallies"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    contacts: Mapped[int] = mapped_column(BigInteger, default=0)


class OperatorTally(Base):
    """How many contacts of a source an operator had that were closed before
    ``TallyMark.closed_before`` (removing the operator removes them, as it unassigns those
    contacts)."""

    __tablename__ = "operator_tallies"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True
    )
    contacts: Mapped[int] = mapped_column(BigInteger, default=0)


class TallyMark(Base):
    """The one row saying up to when closed contacts are counted in the tallies."""

    __tablename__ = "tally_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    closed_before: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(Base):
    """A relayed message, in either direction."""

    __tablename__ = "messages"
    __table_args__ = (
        # Drops a duplicate update: the same Telegram message received twice.
        UniqueConstraint("source_id", "chat_id", "telegram_message_id"),
        Index("ix_messages_contact", "contact_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "direction"))
    # Where Telegram delivered it to us (the author's chat with the bot).
    chat_id: Mapped[int] = mapped_column(BigInteger)
    telegram_message_id: Mapped[int] = mapped_column(BigInteger)
    # Where we copied it to, once the copy is confirmed.
    copy_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    copy_message_id: Mapped[int | None] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """Transactional outbox: one message the system must send through a bot."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_pending", "status", "next_attempt_at"),
        # Reply routing: which contact does the bot's message N in chat C belong to?
        Index("ix_deliveries_sent", "source_id", "chat_id", "sent_message_id"),
        Index("ix_deliveries_chat", "source_id", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    # A DeliveryKind; a plain string with no CHECK constraint, as revision 0004 left it.
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lease: a worker owns the row until this time (safe with several processes).
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger)


class Invite(Base):
    """A one-time deep-link code that makes whoever opens it an operator."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    max_open: Mapped[int] = mapped_column(Integer, default=5)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AdminLanguage(Base):
    """The language of an admin (admins are configured, not stored, so this is all we keep):
    Telegram's as of their last /start and their own /language choice."""

    __tablename__ = "admin_languages"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(16))
    chosen_language: Mapped[str | None] = mapped_column(String(16))

    @property
    def preferred_language(self) -> str | None:
        """The language they want to read: their choice, else Telegram's."""
        return self.chosen_language or self.language


class SourceText(Base):
    """A text a bot's admin wrote to replace a default one (``/text``), in one language, as
    Telegram HTML."""

    __tablename__ = "source_texts"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Decision(Base):
    """Why a contact went where it went (``/why``): the facts of one distribution decision,
    recorded when it was made.

    ``facts`` is compact: ``{"eligible": [[operator id, weight, open, limit], ...],
    "left_out": [[operator id, reason], ...]}`` (a reason is a ``LeftOut`` value); a contact
    moved by ``/assign`` has mode ``reassigned`` and no facts. Operator ids are kept without a
    foreign key: the record stays true after an operator is removed.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_contact", "contact_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A DistributionMode value, or "reassigned".
    mode: Mapped[str] = mapped_column(String(16))
    # Who got it; None: nobody could take it (it was queued).
    operator_id: Mapped[int | None] = mapped_column(BigInteger)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class IdempotentRequest(Base):
    """The first answer to an API request sent with an ``Idempotency-Key``: a retry with the
    same key gets it again instead of registering the request twice. Written in the same
    transaction as the request's effects, so processes share it and a crash leaves neither."""

    __tablename__ = "idempotent_requests"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    # SHA-256 of the request body: the same key with another body is refused, not replayed.
    body_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    answer: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Template(Base):
    """A canned reply of one bot (``/template``): operators send it to clients with ``/t``.
    ``text`` is Telegram HTML as the admin formatted it; ``{name}`` in it becomes the client's
    first name."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("source_id", "name"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Webhook(Base):
    """A subscription of another system to events (``/api/v1/webhooks``): where to POST them,
    which ones, and the secret their signatures are made with."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    # The names of the events it gets (``services.events.EventName`` values).
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookEvent(Base):
    """The outbox of webhooks: one event to POST to one subscription, staged in the same
    transaction as the change it tells of, deleted once delivered (or given up)."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        # A contact's line per subscription: only its oldest event is sent.
        Index("ix_webhook_events_line", "webhook_id", "contact_id", "id"),
        Index("ix_webhook_events_due", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    # No foreign key: what happened to a contact is told even if its source is deleted later.
    contact_id: Mapped[int] = mapped_column(BigInteger)
    event_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(32))
    # The exact JSON sent, the bytes the signature is made of.
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Lease: a sender (of any process) owns the row until then.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
