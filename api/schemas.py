"""What the API reads and answers, as pydantic models: they validate the requests and are the
OpenAPI schema's components. The rules (ranges of limits and weights, who may be an operator)
are the services'; these models only say the shape."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

from db.models import (
    Contact,
    ContactStatus,
    Direction,
    DistributionMode,
    Lead,
    Operator,
    Template,
    Webhook,
)
from db.repositories import ContactState
from services.admin import MAX_LIMIT, MAX_WEIGHT
from services.business_hours import HoursView
from services.events import EVENT_NAMES
from services.numbers import MAX_ID
from services.templates import TEMPLATE_LIMIT
from services.views import (
    ContactDetail,
    ContactPage,
    ContactRow,
    LeadDetail,
    LeadPage,
    ModeView,
    OperatorView,
    SourceView,
    StatsView,
    TopicView,
    WeightsView,
)

# The most rows one page of a listing holds.
MAX_PAGE = 500


class Request(BaseModel):
    """A request body: exact types (``"5"`` is no number, ``true`` no limit) and no unknown
    fields, so that a typo is refused instead of ignored."""

    model_config = ConfigDict(strict=True, extra="forbid")


class FieldError(BaseModel):
    """One field of a request that was refused."""

    field: str = Field(description="Where it is: body, path or query, then the field's name.")
    message: str


class Problem(BaseModel):
    """A refused request; nothing was changed."""

    error: str = Field(description="What was wrong, naming the field.")
    errors: list[FieldError] = Field(default_factory=list)


class OperatorSource(BaseModel):
    """An operator's standing in one source."""

    source_id: int
    source: str = Field(description="The source's username (a bot's @username).")
    weight: int
    started: bool = Field(description="Whether the operator pressed Start in this bot.")
    unreachable: bool = Field(description="Whether the operator blocked this bot.")


class OperatorOut(BaseModel):
    """An operator with load, limit, state and weights per source."""

    telegram_id: int
    name: str
    username: str | None
    state: Literal["active", "paused", "inactive"] = Field(
        description="inactive: switched off by an admin; paused: by themselves."
    )
    active: bool
    paused: bool
    load: int = Field(description="Open contacts now.")
    limit: int
    shift: str | None = Field(
        description="Their own working hours, as /shift shows them (e.g. mon-fri 10:00-19:00 "
        "tz=Europe/Moscow); null: whenever active."
    )
    on_shift: bool = Field(description="Within their shift now (always true without one).")
    on_duty: bool = Field(description="Takes contacts while a bot with /afterhours duty is closed.")
    sources: list[OperatorSource]

    @classmethod
    def of(cls, view: OperatorView) -> "OperatorOut":
        """The answer for a service's view of an operator."""
        operator = view.operator
        return cls(
            telegram_id=operator.telegram_id,
            name=operator.display_name,
            username=operator.username,
            state=_state(operator),
            active=operator.active,
            paused=operator.paused,
            load=operator.open_count,
            limit=operator.max_open,
            shift=operator.shift,
            on_shift=view.on_shift,
            on_duty=operator.on_duty,
            sources=[
                OperatorSource(
                    source_id=link.source.id,
                    source=link.source.username,
                    weight=link.weight,
                    started=link.started,
                    unreachable=link.unreachable,
                )
                for link in view.links
            ],
        )


def _state(operator: Operator) -> Literal["active", "paused", "inactive"]:
    if not operator.active:
        return "inactive"
    return "paused" if operator.paused else "active"


class OperatorCreate(Request):
    """A Telegram user to make an operator (weight 1 in every source), as ``/addop``."""

    telegram_id: int = Field(description="The user's Telegram id (positive).")
    name: str | None = Field(
        default=None, description="Shown until the operator starts a bot; then Telegram's name."
    )
    limit: int | None = Field(
        default=None,
        description=f"Open contacts at most, 0 to {MAX_LIMIT}; DEFAULT_LIMIT when left out.",
    )


class OperatorChange(Request):
    """What to change of an operator (as ``/activate``, ``/deactivate``, ``/limit``,
    ``/shift``, ``/duty``); a field left out stays as it is."""

    active: bool | None = None
    limit: int | None = Field(default=None, description=f"0 to {MAX_LIMIT}.")
    shift: str | None = Field(
        default=None,
        description="Their own working hours, written as /hours writes a bot's (in UTC "
        "without tz=), or off: whenever active.",
    )
    on_duty: bool | None = None


class OperatorRemovedOut(BaseModel):
    """A removed operator; their open contacts went back to the queue."""

    telegram_id: int
    requeued: int = Field(description="How many of their open contacts went back to the queue.")


class SourceOut(BaseModel):
    """A source with its counts."""

    id: int
    kind: Literal["bot", "form"] = Field(
        description="bot: leads write to a Telegram bot; form: a web form, a landing page, a "
        "phone line, whose leads' requests come through POST /contacts."
    )
    username: str = Field(description="A bot's @username, or a form source's name.")
    title: str
    announcer_id: int | None = Field(
        description="A form source's: the bot's source that brings its cards to operators."
    )
    contacts: int = Field(description="Contacts ever opened.")
    open: int
    queued: int
    operators: int = Field(description="Operators with a weight above 0.")

    @classmethod
    def of(cls, view: SourceView) -> "SourceOut":
        """The answer for a service's view of a source."""
        source = view.source
        return cls(
            id=source.id,
            kind="form" if source.is_form else "bot",
            username=source.username,
            title=source.title,
            announcer_id=source.announcer_id,
            contacts=view.total,
            open=view.open,
            queued=view.queued,
            operators=view.operators,
        )


class WeightIn(Request):
    """One operator's weight in a source."""

    operator: int | str = Field(description="The operator's Telegram id, or their @username.")
    weight: int = Field(description=f"0 to {MAX_WEIGHT}; 0 gives them no new contacts here.")


class WeightsIn(Request):
    """Weights to set in a source, all or nothing; operators left out keep theirs."""

    weights: list[WeightIn]


class WeightOut(BaseModel):
    """One operator's weight in a source and the share of new contacts it gives them."""

    telegram_id: int
    name: str
    weight: int
    share: float = Field(description="weight / the sum of the source's weights.")
    started: bool


class WeightsOut(BaseModel):
    """A source's weights."""

    source_id: int
    source: str
    weights: list[WeightOut]

    @classmethod
    def of(cls, view: WeightsView) -> "WeightsOut":
        """The answer for a service's view of a source's weights."""
        return cls(
            source_id=view.source.id,
            source=view.source.username,
            weights=[
                WeightOut(
                    telegram_id=row.operator.telegram_id,
                    name=row.operator.display_name,
                    weight=row.weight,
                    share=row.share,
                    started=row.started,
                )
                for row in view.rows
            ],
        )


class TopicWeightOut(BaseModel):
    """One operator's own weight in a topic."""

    telegram_id: int
    name: str
    weight: int


class TopicOut(BaseModel):
    """A topic a source offers its clients, with its own weights (none: the source's apply)."""

    name: str
    title: str
    weights: list[TopicWeightOut]

    @classmethod
    def of(cls, view: TopicView) -> "TopicOut":
        """The answer for a service's view of a topic."""
        return cls(
            name=view.topic.name,
            title=view.topic.title,
            weights=[
                TopicWeightOut(telegram_id=op.telegram_id, name=op.display_name, weight=weight)
                for op, weight in view.weights
            ],
        )


class TopicPutOut(TopicOut):
    """A topic just added or retitled."""

    replaced: bool = Field(description="Whether a topic of that name was there (retitled).")


class TopicIn(Request):
    """A topic to add or retitle (as ``/topic add``), with weights of its own to set (as
    ``/weights <topic> …``), all or nothing; operators left out keep theirs."""

    title: str = Field(description="1-64 characters on one line, shown on the client's button.")
    weights: list[WeightIn] = Field(default_factory=list)


class TemplateOut(BaseModel):
    """A canned reply of a bot (as ``/templates``)."""

    name: str
    text: str = Field(description="As sent: Telegram HTML; {name} becomes the client's first name.")

    @classmethod
    def of(cls, template: Template) -> "TemplateOut":
        """The answer for a stored template."""
        return cls(name=template.name, text=template.text)


class TemplatePutOut(TemplateOut):
    """A template just added or replaced."""

    replaced: bool = Field(description="Whether a template of that name was there.")


class TemplateIn(Request):
    """A template's text, plain (as ``/template add`` without formatting: it is sent as
    written, <b> and & included); {name} becomes the client's first name."""

    text: str = Field(min_length=1, description=f"At most {TEMPLATE_LIMIT} characters.")


class RemovedOut(BaseModel):
    """Something of a source removed by name."""

    source_id: int
    name: str


# What a closed source does with new contacts, as /afterhours names it.
AfterHours = Literal["queue", "duty"]
# Far beyond any desk's year of holidays: each one is read with every decision of the source.
MAX_HOLIDAYS = 400


class HoursOut(BaseModel):
    """A source's business hours (as ``/hours``)."""

    source_id: int
    source: str
    hours: str | None = Field(
        description="The weekly schedule as /hours shows it (e.g. mon-fri 09:00-18:00 "
        "tz=Europe/Moscow); null: always open."
    )
    holidays: list[str] = Field(description="Days it stays closed (YYYY-MM-DD), oldest first.")
    after_hours: AfterHours = Field(
        description="While closed: queue, every new contact waits for the opening; duty, the "
        "operators on duty take them."
    )
    open_now: bool
    opens: datetime | None = Field(
        description="When it opens next, while closed; null while open, or if every day "
        "ahead as far as it looks is a holiday."
    )

    @classmethod
    def of(cls, view: HoursView) -> "HoursOut":
        """The answer for a service's view of a source's hours."""
        return cls(
            source_id=view.source.id,
            source=view.source.username,
            hours=None if view.schedule is None else view.spec,
            holidays=[day.isoformat() for day in view.holidays],
            after_hours="duty" if view.source.duty_after_hours else "queue",
            open_now=view.open_now,
            opens=view.opens,
        )


class HoursIn(Request):
    """What to change of a source's business hours, all or nothing (as ``/hours``,
    ``/holiday`` and ``/afterhours``); a field left out stays as it is."""

    hours: str | None = Field(
        default=None,
        description="A weekly schedule as /hours takes it (mon-fri 09:00-18:00 sat 10:00-14:00 "
        "tz=Europe/Moscow), or off: always open.",
    )
    holidays: list[str] | None = Field(
        default=None,
        max_length=MAX_HOLIDAYS,
        description="Every holiday (YYYY-MM-DD), replacing the ones there are.",
    )
    after_hours: AfterHours | None = None


class ModeIn(Request):
    """How a source is to distribute its new contacts (as ``/mode <mode>``)."""

    # Strict elsewhere, but a mode comes as its name: JSON has no enums.
    mode: Annotated[DistributionMode, Strict(False)] = Field(
        description="random: weighted random; exact: shares follow the weights over any "
        "window; least_loaded: the lowest open / limit ratio, weights breaking ties."
    )


class ModeOut(BaseModel):
    """A source's distribution mode."""

    source_id: int
    source: str
    mode: DistributionMode
    previous: DistributionMode = Field(
        description="The mode before this request: the same as mode unless it changed it."
    )

    @classmethod
    def of(cls, view: ModeView) -> "ModeOut":
        """The answer for a service's view of a source's mode."""
        return cls(
            source_id=view.source.id,
            source=view.source.username,
            mode=view.mode,
            previous=view.previous or view.mode,
        )


class OperatorShareOut(BaseModel):
    """An operator's part of a source's contacts, against their configured weight."""

    telegram_id: int
    name: str
    assigned: int = Field(description="Contacts of this source ever assigned to them.")
    share: float = Field(description="Their part of the source's assigned contacts.")
    configured_share: float = Field(description="What their weight gives: weight / sum.")


class SourceStatsOut(BaseModel):
    """One source's statistics."""

    id: int
    username: str
    contacts: int
    open: int
    queued: int
    operators: list[OperatorShareOut]


class OperatorStatsOut(BaseModel):
    """One operator's statistics."""

    telegram_id: int
    name: str
    load: int
    limit: int
    assigned: int
    closed: int
    # Of the contacts given to them in the last 7 days, as /stats shows them.
    rating: float | None = Field(description="clients' average rating (1-5), last 7 days")
    ratings: int = Field(description="how many of those contacts were rated")


class StatsOut(BaseModel):
    """What ``/stats`` shows."""

    sources: list[SourceStatsOut]
    operators: list[OperatorStatsOut]

    @classmethod
    def of(cls, view: StatsView) -> "StatsOut":
        """The answer for the service's statistics."""
        return cls(
            sources=[
                SourceStatsOut(
                    id=item.source.id,
                    username=item.source.username,
                    contacts=item.total,
                    open=item.open,
                    queued=item.queued,
                    operators=[
                        OperatorShareOut(
                            telegram_id=share.operator.telegram_id,
                            name=share.operator.display_name,
                            assigned=share.assigned,
                            share=share.share,
                            configured_share=share.configured_share,
                        )
                        for share in item.shares
                    ],
                )
                for item in view.sources
            ],
            operators=[
                OperatorStatsOut(
                    telegram_id=item.operator.telegram_id,
                    name=item.operator.display_name,
                    load=item.operator.open_count,
                    limit=item.operator.max_open,
                    assigned=item.assigned,
                    closed=item.closed,
                    rating=item.performance.rating,
                    ratings=item.performance.ratings,
                )
                for item in view.operators
            ],
        )


# Query parameters that name rows: a primary key or Telegram id is a signed 64-bit integer.
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE)]
# ContactState's values, spelt out: aiohttp-pydantic cannot describe an optional enum query
# parameter (a reference beside null); tests/e2e/test_api.py checks both agree.
StateName = Literal["queued", "assigned", "closed"]


class ContactOut(BaseModel):
    """A contact: where it came from, who has it, where it is."""

    id: int
    state: ContactState
    source_id: int
    source: str
    lead_id: int
    lead_name: str
    lead_telegram_id: int | None = Field(description="None for a form's lead without one.")
    operator_telegram_id: int | None = Field(description="None while queued.")
    created_at: datetime
    assigned_at: datetime | None
    first_reply_at: datetime | None
    last_activity_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, row: ContactRow) -> "ContactOut":
        """The answer for a service's contact row."""
        contact, lead = row.contact, row.lead
        return cls(
            id=contact.id,
            state=contact_state(contact),
            source_id=row.source.id,
            source=row.source.username,
            lead_id=lead.id,
            lead_name=lead_name(lead),
            lead_telegram_id=lead.telegram_id,
            operator_telegram_id=row.operator.telegram_id if row.operator else None,
            created_at=contact.created_at,
            assigned_at=contact.assigned_at,
            first_reply_at=contact.first_reply_at,
            last_activity_at=contact.last_activity_at,
            closed_at=contact.closed_at,
        )


def contact_state(contact: Contact) -> ContactState:
    """Queued, assigned or closed."""
    if contact.status is ContactStatus.CLOSED:
        return ContactState.CLOSED
    return ContactState.ASSIGNED if contact.operator_id is not None else ContactState.QUEUED


def lead_name(lead: Lead) -> str:
    """First and last name as Telegram gave them."""
    return " ".join(part for part in (lead.first_name, lead.last_name) if part)


class ContactPageOut(BaseModel):
    """One page of contacts, newest first."""

    items: list[ContactOut]
    next_cursor: int | None = Field(description="Pass as ``cursor`` for the next page; None: last.")

    @classmethod
    def of(cls, page: ContactPage) -> "ContactPageOut":
        """The answer for a service's page."""
        return cls(items=[ContactOut.of(row) for row in page.rows], next_cursor=page.next_cursor)


class MessageOut(BaseModel):
    """A message of a contact."""

    direction: Literal["in", "out"] = Field(description="in: from the lead; out: the operator's.")
    content_type: str
    text: str | None
    created_at: datetime


class ContactDetailOut(ContactOut):
    """A contact with its messages, oldest first."""

    messages: list[MessageOut]

    @classmethod
    def of_detail(cls, detail: ContactDetail) -> "ContactDetailOut":
        """The answer for a service's contact with its messages."""
        messages = [
            MessageOut(
                direction="in" if message.direction is Direction.IN else "out",
                content_type=message.content_type,
                text=message.text,
                created_at=message.created_at,
            )
            for message in detail.messages
        ]
        return cls(**ContactOut.of(detail.row).model_dump(), messages=messages)


class LeadOut(BaseModel):
    """A lead: one person, across every source."""

    id: int
    telegram_id: int | None = Field(description="None for a form's lead without one.")
    external_id: str | None = Field(description="A form's own id for the person.")
    name: str
    username: str | None
    phone: str | None
    email: str | None
    language: str | None
    created_at: datetime
    last_seen_at: datetime
    blocked_at: datetime | None = Field(
        description="When an operator or admin blocked them (/ban); None: not blocked."
    )

    @classmethod
    def of(cls, lead: Lead) -> "LeadOut":
        """The answer for a lead."""
        return cls(
            id=lead.id,
            telegram_id=lead.telegram_id,
            external_id=lead.external_id,
            name=lead_name(lead),
            username=lead.username,
            phone=lead.phone,
            email=lead.email,
            language=lead.language,
            created_at=lead.created_at,
            last_seen_at=lead.last_seen_at,
            blocked_at=lead.banned_at,
        )


class LeadPageOut(BaseModel):
    """One page of leads, newest first."""

    items: list[LeadOut]
    next_cursor: int | None = Field(description="Pass as ``cursor`` for the next page; None: last.")

    @classmethod
    def of(cls, page: LeadPage) -> "LeadPageOut":
        """The answer for a service's page."""
        return cls(items=[LeadOut.of(lead) for lead in page.leads], next_cursor=page.next_cursor)


class LeadDetailOut(LeadOut):
    """A lead with their contacts, newest first."""

    contacts: list[ContactOut]

    @classmethod
    def of_detail(cls, detail: LeadDetail) -> "LeadDetailOut":
        """The answer for a service's lead with contacts."""
        contacts = [ContactOut.of(row) for row in detail.contacts]
        return cls(**LeadOut.of(detail.lead).model_dump(), contacts=contacts)


# A form source's name: shown as @name in Telegram, like a bot's, and named in /weights.
SourceName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,64}$")]
# The longest message of a form's lead: its card must stay within one Telegram message.
FORM_MESSAGE_LIMIT = 3000


class FormSourceIn(Request):
    """A new form source."""

    name: SourceName = Field(description="Letters, digits and _, up to 64; unique.")
    announcer_id: RowId | None = Field(
        default=None,
        description="The bot's source that announces its contacts to operators; "
        "default: the first bot.",
    )


class ContactIn(Request):
    """A lead's request through a form source; the lead is named by at least one of
    external_id, phone, email and telegram_id (a Telegram id makes them the lead the bots
    know)."""

    source_id: RowId = Field(description="A form source's id.")
    external_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{2,31}$")] | None = None
    email: Annotated[str, Field(pattern=r"^[^@\s]{1,128}@[^@\s]{1,127}$")] | None = None
    telegram_id: RowId | None = None
    name: Annotated[str, Field(max_length=256)] = ""
    message: Annotated[str, Field(min_length=1, max_length=FORM_MESSAGE_LIMIT)]


class WebhookIn(Request):
    """A subscription to events: each event named is POSTed to ``url``, signed with
    ``secret``."""

    url: str = Field(description="An http or https URL with a host, at most 2048 characters.")
    events: list[str] = Field(description=f"At least one of {', '.join(EVENT_NAMES)}.")
    secret: str = Field(
        description="1 to 256 printable characters; the key of the HMAC-SHA256 signature in "
        "X-Switchboard-Signature. Never shown again."
    )


class WebhookOut(BaseModel):
    """A subscription to events (its secret is never shown)."""

    id: int
    url: str
    events: list[str]
    created_at: datetime

    @classmethod
    def of(cls, webhook: Webhook) -> "WebhookOut":
        """The answer for a stored subscription."""
        return cls(
            id=webhook.id, url=webhook.url, events=webhook.events, created_at=webhook.created_at
        )
