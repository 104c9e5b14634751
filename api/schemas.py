"""What the API reads and answers, as pydantic models: they validate the requests and are the
OpenAPI schema's components. The rules (ranges of limits and weights, who may be an operator)
are the services'; these models only say the shape."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from db.models import Operator
from services.admin import MAX_LIMIT, MAX_WEIGHT
from services.views import OperatorView, SourceView, StatsView, WeightsView


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
    """What to change of an operator (as ``/activate``, ``/deactivate``, ``/limit``); a field
    left out stays as it is."""

    active: bool | None = None
    limit: int | None = Field(default=None, description=f"0 to {MAX_LIMIT}.")


class OperatorRemovedOut(BaseModel):
    """A removed operator; their open contacts went back to the queue."""

    telegram_id: int
    requeued: int = Field(description="How many of their open contacts went back to the queue.")


class SourceOut(BaseModel):
    """A source with its counts."""

    id: int
    username: str
    title: str
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
            username=source.username,
            title=source.title,
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
                )
                for item in view.operators
            ],
        )
