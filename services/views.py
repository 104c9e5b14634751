"""Read models the services return and the bot renders."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from db.models import Contact, DistributionMode, Lead, Message, Operator, Source, Topic
from services.activity import Activity


@dataclass(frozen=True, slots=True)
class LinkView:
    """An operator's standing in one source."""

    source: Source
    weight: int
    started: bool
    unreachable: bool


@dataclass(frozen=True, slots=True)
class OperatorView:
    """An operator with their load and per-source links."""

    operator: Operator
    links: list[LinkView]
    # Within their shift now (always, without one).
    on_shift: bool = True

    @property
    def not_started(self) -> list[Source]:
        """Bots this operator has not started yet (they get nothing from those; a form
        source is its announcing bot's matter)."""
        return [link.source for link in self.links if not link.started and not link.source.is_form]


@dataclass(frozen=True, slots=True)
class WeightRow:
    """One operator's weight in a source and the share of new contacts it gives them."""

    operator: Operator
    weight: int
    share: float
    started: bool


@dataclass(frozen=True, slots=True)
class WeightsView:
    """A source's weights."""

    source: Source
    rows: list[WeightRow]


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source with its traffic."""

    source: Source
    total: int
    open: int
    queued: int
    operators: int


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A queued contact and how long it has waited."""

    contact: Contact
    lead: Lead
    source: Source
    waited: timedelta


@dataclass(frozen=True, slots=True)
class QueueView:
    """One page of the queue, oldest first."""

    total: int
    items: list[QueueItem]


@dataclass(frozen=True, slots=True)
class OperatorShare:
    """An operator's part of a source's contacts, against their configured weight."""

    operator: Operator
    assigned: int
    share: float
    configured_share: float


@dataclass(frozen=True, slots=True)
class SourceStats:
    """Per-source statistics."""

    source: Source
    total: int
    open: int
    queued: int
    shares: list[OperatorShare]


@dataclass(frozen=True, slots=True)
class OperatorStats:
    """Per-operator statistics."""

    operator: Operator
    assigned: int
    closed: int
    performance: "Performance"


@dataclass(frozen=True, slots=True)
class Performance:
    """How an operator did with the contacts given to them in ``/stats``' window: how many,
    how many of those are closed, the medians from the assignment to their first reply and
    to the close (``None`` when none has happened), and the clients' average rating of them
    with how many rated."""

    contacts: int = 0
    closed: int = 0
    first_reply: timedelta | None = None
    handling: timedelta | None = None
    rating: float | None = None
    ratings: int = 0


@dataclass(frozen=True, slots=True)
class StatsView:
    """What ``/stats`` shows; the operators' performance is of the last ``days`` days."""

    sources: list[SourceStats]
    operators: list[OperatorStats]
    days: int


@dataclass(frozen=True, slots=True)
class DayView:
    """What ``/stats chart`` draws: the statistics, and the day's queue and loads."""

    stats: StatsView
    activity: Activity


@dataclass(frozen=True, slots=True)
class OperatorRemoved:
    """Result of removing an operator: their open contacts went back to the queue."""

    telegram_id: int
    requeued: int
    # The sources (bots) they had started: each shows them an operator menu until reset.
    started_source_ids: tuple[int, ...] = ()
    # The language they read, for the menu they get instead.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRow:
    """A contact with its lead, source and operator (``None`` while queued, or removed)."""

    contact: Contact
    lead: Lead
    source: Source
    operator: Operator | None


@dataclass(frozen=True, slots=True)
class ContactPage:
    """One page of a listing, newest first; ``next_cursor`` asks for the next (``None``:
    this was the last)."""

    rows: list[ContactRow]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class ContactDetail:
    """A contact with its messages, both directions, oldest first."""

    row: ContactRow
    messages: list[Message]


@dataclass(frozen=True, slots=True)
class LeadPage:
    """One page of leads, newest first."""

    leads: list[Lead]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class LeadDetail:
    """A lead with their contacts through every source, newest first."""

    lead: Lead
    contacts: list[ContactRow]


@dataclass(frozen=True, slots=True)
class ModeView:
    """A source's distribution mode, and the one before if ``/mode`` just changed it."""

    source: Source
    mode: DistributionMode
    previous: DistributionMode | None = None


@dataclass(frozen=True, slots=True)
class EligibleView:
    """An operator who could take the contact when it was decided, as they were then.

    ``chance`` is the probability the random mode gave them; ``None`` in the other modes.
    """

    name: str
    weight: int
    open: int
    limit: int
    chance: float | None


@dataclass(frozen=True, slots=True)
class DecisionView:
    """One recorded decision about a contact: when, how, among whom, and who got it (``None``:
    nobody could, it was queued). ``mode`` is a DistributionMode value or ``reassigned``."""

    at: datetime
    mode: str
    pick: str | None
    eligible: list[EligibleView]
    left_out: list[tuple[str, str]]  # name, LeftOut value


@dataclass(frozen=True, slots=True)
class WhyView:
    """``/why``: every decision about a contact, oldest first."""

    contact: Contact
    source: Source
    decisions: list[DecisionView]
    # The title of the contact's topic, if it has one (its weights were the ones that applied).
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class BannedView:
    """A blocked client for ``/banned``: the lead, and the name of the operator who blocked
    them (``None`` for an admin, or an operator removed since: then their id is shown)."""

    lead: Lead
    by_name: str | None


@dataclass(frozen=True, slots=True)
class TopicView:
    """A topic of a source and its own weights (none: the source's apply)."""

    topic: Topic
    weights: list[tuple[Operator, int]]


@dataclass(frozen=True, slots=True)
class TopicCount:
    """``/stats``: a source's contacts of one topic (``title`` None: of no topic)."""

    title: str | None
    contacts: int
    open: int


@dataclass(frozen=True, slots=True)
class TopicStats:
    """``/stats``: a source with topics, its contacts by topic."""

    source: Source
    counts: list[TopicCount]
