"""Every kind of message the services ask the bots to send, as a typed model.

A notice is rendered by the bot (``bot.render.notice``) from the text its ``text_key`` names,
with its fields as the text's parameters; adding one takes its model here (and in ``Notice``)
and its text. A ``MessageCopy`` is a ``copyMessage`` of a stored message.

In a delivery's payload a notice is stored as ``{"key", "language", "params"}``: the shape the
untyped outbox wrote before these models, so rows already in the outbox of a running
installation read as they were written (fields a model no longer has are ignored).
"""

from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from db.models import ContactStatus


def text_id(key: str) -> str:
    """The catalog's id of a notice's text: its stored key in Fluent's spelling
    (``client.auto_closed`` → ``client-auto-closed``); stored keys keep their spelling so that
    rows already in the outbox still read."""
    return key.replace(".", "-").replace("_", "-")


class _Notice(BaseModel):
    """Fields shared by the models of notices."""

    model_config = ConfigDict(frozen=True)
    # Fields that pick the text rather than fill it in.
    selectors: ClassVar[frozenset[str]] = frozenset({"key"})
    # The name of the per-bot text (``/text``) that replaces its own, if a bot may have one.
    custom_text: ClassVar[str | None] = None

    key: str

    @property
    def text_key(self) -> str:
        """The key of its text in the catalogs."""
        return text_id(self.key)

    @property
    def contact(self) -> int | None:
        """The contact it is about (replies to it reach that contact), if any."""
        return None

    def arguments(self) -> dict[str, Any]:
        """The parameters of its text."""
        return {name: value for name, value in self if name not in self.selectors}


class _ContactNotice(_Notice):
    contact_id: int

    @property
    def contact(self) -> int | None:
        """The contact it is about."""
        return self.contact_id


class ClientAssigned(_ContactNotice):
    """The client's new contact went to an operator at once."""

    key: Literal["client.assigned"] = "client.assigned"
    custom_text: ClassVar[str | None] = "assigned"


class ClientQueued(_ContactNotice):
    """Every operator is busy: the client's new contact waits in the queue."""

    key: Literal["client.queued"] = "client.queued"
    custom_text: ClassVar[str | None] = "queued"


class ClientOutOfHours(_ContactNotice):
    """The client's new contact came while the desk is closed (business hours): it waits in
    the queue until ``opens`` (UTC; ``None``: no opening ahead, every day a holiday), which
    the text says in the desk's time zone ``zone``."""

    key: Literal["client.out_of_hours"] = "client.out_of_hours"
    custom_text: ClassVar[str | None] = "out_of_hours"
    opens: datetime | None = None
    zone: str = "UTC"


class ClientOperatorJoined(_ContactNotice):
    """A queued contact, or one an admin assigned, reached an operator."""

    key: Literal["client.operator_joined"] = "client.operator_joined"


class ClientTransferred(_ContactNotice):
    """The client's operator passed the contact to a colleague, who continues."""

    key: Literal["client.transferred"] = "client.transferred"


class TopicButton(BaseModel):
    """A topic as a client's button offers it."""

    id: int
    title: str


class ClientTopics(_ContactNotice):
    """The client wrote first in a bot with topics: they may pick one (buttons) and their
    contact goes to that topic's operators."""

    key: Literal["client.topics"] = "client.topics"
    selectors: ClassVar[frozenset[str]] = frozenset({"key", "topics"})
    topics: list[TopicButton]


class ClosingNotice(_ContactNotice):
    """Tells a client that their contact is closed; the bot may ask them to rate it."""

    selectors: ClassVar[frozenset[str]] = frozenset({"key", "rateable"})
    # Whether an operator handled it (then there is something to rate).
    rateable: bool = False


class ClientClosed(ClosingNotice):
    """An operator or an admin closed the client's contact."""

    key: Literal["client.closed"] = "client.closed"
    custom_text: ClassVar[str | None] = "closed"


class ClientAutoClosed(ClosingNotice):
    """The client's contact was closed after a long silence."""

    key: Literal["client.auto_closed"] = "client.auto_closed"
    custom_text: ClassVar[str | None] = "auto_closed"


class ClientRef(BaseModel):
    """A client as a card names them (a form's lead may have no Telegram id)."""

    telegram_id: int | None
    first_name: str
    last_name: str | None = None
    username: str | None = None
    phone: str | None = None
    email: str | None = None
    external_id: str | None = None
    # Their Telegram interface language (or /language choice), as the card's context shows it.
    language: str | None = None


class SourceRef(BaseModel):
    """A bot as a card names it."""

    username: str


class EarlierContact(BaseModel):
    """One of the client's earlier contacts, on a card."""

    id: int
    source: str
    status: ContactStatus
    created_at: datetime | None = None
    # How it was closed (``contacts.close_reason``: ``operator``, ``client``, ``system``, ...).
    closed_how: str | None = None


class OperatorCard(_ContactNotice):
    """Tells an operator about a contact they now own (with a button to close it)."""

    key: Literal["operator.card"] = "operator.card"
    lead: ClientRef
    source: SourceRef
    history: list[EarlierContact] = []
    # How many earlier contacts the client has in all (``history`` lists the latest few).
    earlier: int = 0
    # A form source's card: the lead's details and their messages so far (there is no chat
    # to copy them from).
    form: bool = False
    messages: list[str] = []
    # The contact's topic (its title), and whether its bot has topics to move it to.
    topic: str | None = None
    topics: bool = False

    @property
    def text_key(self) -> str:
        """A form's card tells how to reach the lead instead of how to reply."""
        return text_id("operator.form_card" if self.form else self.key)


class OperatorFormMessage(_ContactNotice):
    """A form's lead wrote again in their open contact: ``text`` is what they wrote."""

    key: Literal["operator.form_message"] = "operator.form_message"
    text: str


class OperatorClosed(_ContactNotice):
    """One of the operator's contacts was closed, by ``by`` (an ``Actor``'s kind)."""

    key: Literal["operator.contact_closed"] = "operator.contact_closed"
    by: str = "operator"

    @property
    def text_key(self) -> str:
        """Who closed it is said unless it was the operator."""
        return text_id(self.key if self.by == "operator" else "operator.contact_closed_by")


class ClientSlowedDown(_ContactNotice):
    """The client sends more messages a minute than are passed on one by one."""

    key: Literal["client.slowed_down"] = "client.slowed_down"


class OperatorClientSlowed(_ContactNotice):
    """The client of a contact sends more than ``per_minute`` messages a minute: the rest of
    the minute's are stored, not passed on one by one."""

    key: Literal["operator.client_slowed"] = "operator.client_slowed"
    per_minute: int


class OperatorTakenAway(_ContactNotice):
    """One of the operator's contacts went to another operator (or back to the queue)."""

    key: Literal["operator.contact_taken_away"] = "operator.contact_taken_away"


class OperatorTransferred(_ContactNotice):
    """A colleague (``by``, their name) passed a contact to the operator, with ``note``."""

    key: Literal["operator.transferred"] = "operator.transferred"
    by: str
    note: str = ""

    @property
    def text_key(self) -> str:
        """With or without a note."""
        return text_id(self.key if self.note else "operator.transferred_no_note")


class OperatorReminder(_ContactNotice):
    """The client has waited ``minutes`` for the operator's first reply."""

    key: Literal["operator.reminder"] = "operator.reminder"
    minutes: int


class OperatorClientEdited(_ContactNotice):
    """The client edited a message; a copy of its new version follows."""

    key: Literal["operator.client_edited"] = "operator.client_edited"


class OperatorDeactivated(_Notice):
    """An admin deactivated the operator."""

    key: Literal["operator.deactivated"] = "operator.deactivated"


class OperatorActivated(_Notice):
    """An admin activated the operator."""

    key: Literal["operator.activated"] = "operator.activated"


class OperatorActivatedPaused(_Notice):
    """An admin activated the operator, who has paused themselves."""

    key: Literal["operator.activated_paused"] = "operator.activated_paused"


class OperatorLimitChanged(_Notice):
    """An admin changed the operator's limit of open contacts."""

    key: Literal["operator.limit_changed"] = "operator.limit_changed"
    limit: int
    previous: int


class _AdminAlert(_Notice):
    """Something admins should look at; ``what`` tells which alert it is."""

    selectors: ClassVar[frozenset[str]] = frozenset({"key", "what"})

    key: Literal["admin.alert"] = "admin.alert"
    what: str

    @property
    def text_key(self) -> str:
        """Each alert has its own text."""
        return text_id(f"{self.key}.{self.what}")

    @classmethod
    def kind(cls) -> str:
        """The ``what`` of this alert, by which the outbox is searched for it."""
        return str(cls.model_fields["what"].default)


class QueueWaitAlert(_AdminAlert):
    """A queued contact has waited ``minutes`` of working time (the longest such wait)."""

    what: Literal["queue_wait"] = "queue_wait"
    minutes: int
    total: int


class DeliveryFailedAlert(_AdminAlert):
    """A message could not be delivered after every retry."""

    what: Literal["delivery_failed"] = "delivery_failed"
    chat: int
    # Named in the text only: the alert is not the contact's (an admin who is also an
    # operator replying to it must not reach the client).
    contact_id: int | None
    error: str


class OperatorUnreachableAlert(_AdminAlert):
    """An operator blocked a bot; their contacts from it went back to the queue."""

    what: Literal["operator_unreachable"] = "operator_unreachable"
    operator: str
    telegram_id: int
    source: str
    requeued: int


class BotDegradedAlert(_AdminAlert):
    """Telegram has taken no message through a bot for ``minutes``; they wait in the outbox."""

    what: Literal["bot_degraded"] = "bot_degraded"
    source: str
    minutes: int


class BotRecoveredAlert(_AdminAlert):
    """A bot that was degraded sends again; ``waited`` messages had been waiting."""

    what: Literal["bot_recovered"] = "bot_recovered"
    source: str
    minutes: int
    waited: int


AdminAlert = Annotated[
    QueueWaitAlert
    | DeliveryFailedAlert
    | OperatorUnreachableAlert
    | BotDegradedAlert
    | BotRecoveredAlert,
    Field(discriminator="what"),
]

Notice = Annotated[
    ClientAssigned
    | ClientQueued
    | ClientOutOfHours
    | ClientOperatorJoined
    | ClientTransferred
    | ClientTopics
    | ClientClosed
    | ClientAutoClosed
    | ClientSlowedDown
    | OperatorCard
    | OperatorClosed
    | OperatorTakenAway
    | OperatorTransferred
    | OperatorReminder
    | OperatorClientEdited
    | OperatorClientSlowed
    | OperatorFormMessage
    | OperatorDeactivated
    | OperatorActivated
    | OperatorActivatedPaused
    | OperatorLimitChanged
    | AdminAlert,
    Field(discriminator="key"),
]

_NOTICE: TypeAdapter[Notice] = TypeAdapter(Notice)


class StoredNotice(NamedTuple):
    """A notice read back from a delivery, with the language to render it in."""

    notice: Notice
    language: str | None


def notice_payload(notice: Notice, language: str | None = None) -> dict[str, Any]:
    """How a notice is stored in a delivery's payload."""
    params = notice.model_dump(mode="json", exclude={"key"})
    return {"key": notice.key, "language": language, "params": params}


def read_notice(payload: dict[str, Any]) -> StoredNotice:
    """The notice a delivery's payload holds."""
    notice = _NOTICE.validate_python({**payload.get("params", {}), "key": payload["key"]})
    return StoredNotice(notice, payload.get("language"))


def is_alert(notice: Notice) -> bool:
    """Whether a notice is an alert to the admins."""
    return isinstance(notice, _AdminAlert)


class MessageEdit(BaseModel):
    """An ``editMessageText`` of a copy the bot sent: an edited text passed on in place."""

    model_config = ConfigDict(frozen=True)

    message_id: int  # the copy's, in the chat the delivery goes to
    text: str  # Telegram HTML


class MessageText(BaseModel):
    """A ``sendMessage`` of a text the services wrote (a template an operator sent)."""

    model_config = ConfigDict(frozen=True)

    text: str  # Telegram HTML


class TranscriptRequest(BaseModel):
    """A ``sendDocument`` of contact ``contact_id``'s whole conversation, read from the
    database when it is sent and written in ``language``."""

    model_config = ConfigDict(frozen=True)

    contact_id: int
    language: str | None = None


class MessageCopy(BaseModel):
    """A ``copyMessage`` of a stored message into another chat of the same bot.

    With a ``card``, the client's first message of a new contact and the operator's card go as
    one message where Telegram allows it: a text becomes the card followed by ``words`` (the
    client's text as Telegram HTML), media get the card and ``words`` (its caption) as their
    caption; what does not fit goes as the card, then the copy.
    """

    model_config = ConfigDict(frozen=True)

    from_chat_id: int
    message_id: int
    # The copies of one album are sent together (the delivery repository looks them up).
    media_group_id: str | None = None
    card: OperatorCard | None = None
    words: str | None = None
    is_text: bool = False
    language: str | None = None  # the operator's, for the card
