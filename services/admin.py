"""Admin use cases: operators, limits, weights, sources, queue and statistics."""

import secrets
import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from db.base import utcnow
from db.models import Decision, DistributionMode, Operator, Source
from db.repositories import Handled
from services.activity import Span, activity, sample_times
from services.base import Service
from services.errors import (
    InvalidDays,
    InvalidLimit,
    InvalidOperatorRef,
    MalformedWeight,
    NoWeights,
    OperatorExists,
    UnknownContact,
    UnknownMode,
    WeightGivenTwice,
    WeightOutOfRange,
)
from services.notices import (
    Notice,
    OperatorActivated,
    OperatorActivatedPaused,
    OperatorDeactivated,
    OperatorLimitChanged,
)
from services.numbers import MAX_ID, parse_number
from services.views import (
    DayView,
    DecisionView,
    EligibleView,
    ModeView,
    OperatorRemoved,
    OperatorShare,
    OperatorStats,
    OperatorView,
    Performance,
    QueueItem,
    QueueView,
    SourceStats,
    SourceView,
    StatsView,
    WeightRow,
    WeightsView,
    WhyView,
)

MAX_LIMIT = 1000
# Marks invite deep links, so other /start payloads (e.g. from adverts) just greet.
INVITE_PREFIX = "op_"
MAX_WEIGHT = 1000
# /stats: the operators' performance over this many days, unless told otherwise (a window keeps
# it to the contacts of those days, however long the history), and at most over this many.
STATS_DAYS = 7
# /stats chart: the queue and the operators' loads over the last day, a sample every quarter
# of an hour (fine enough to see a morning peak, few enough points to draw at once).
CHART_WINDOW = timedelta(days=1)
CHART_STEP = timedelta(minutes=15)
MAX_STATS_DAYS = 366


def parse_limit(value: str | int) -> int:
    """A limit of open contacts: a whole number from 0 to ``MAX_LIMIT``."""
    limit = parse_number(str(value).strip(), 0, MAX_LIMIT)
    if limit is None:
        raise InvalidLimit(value=str(value), maximum=MAX_LIMIT)
    return limit


def parse_weight(ref: str | int, weight: str | int) -> int:
    """One operator's weight in a source: a whole number from 0 to ``MAX_WEIGHT``."""
    number = parse_number(str(weight), 0, MAX_WEIGHT)
    if number is None:
        raise WeightOutOfRange(ref=str(ref), maximum=MAX_WEIGHT)
    return number


def parse_weights(pairs: list[str]) -> list[tuple[str, int]]:
    """``["@ann=3", "42=0"]`` → ``[("@ann", 3), ("42", 0)]``; raises ``InvalidWeights``."""
    parsed: list[tuple[str, int]] = []
    for pair in pairs:
        ref, sep, weight = pair.partition("=")
        if not sep or not ref:
            raise MalformedWeight(pair=pair)
        parsed.append((ref, parse_weight(ref, weight)))
    return parsed


def parse_days(value: str) -> int:
    """The window of ``/stats <days>``: a whole number from 1 to ``MAX_STATS_DAYS``."""
    days = parse_number(value.strip(), 1, MAX_STATS_DAYS)
    if days is None:
        raise InvalidDays(value=value, maximum=MAX_STATS_DAYS)
    return days


def _median(durations: list[timedelta]) -> timedelta | None:
    return statistics.median(durations) if durations else None


def _performance(handled: Iterable[Handled]) -> dict[int, Performance]:
    """Per operator: their contacts, closed ones, median first-reply and handling times, and
    the clients' ratings."""
    contacts: dict[int, int] = {}
    first_replies: dict[int, list[timedelta]] = {}
    handling: dict[int, list[timedelta]] = {}
    ratings: dict[int, list[int]] = {}
    for row in handled:
        operator_id, assigned_at = row.operator_id, row.assigned_at
        contacts[operator_id] = contacts.get(operator_id, 0) + 1
        # A reply before the assignment was to an earlier operator of a moved contact.
        if row.first_reply_at is not None and row.first_reply_at >= assigned_at:
            first_replies.setdefault(operator_id, []).append(row.first_reply_at - assigned_at)
        if row.closed_at is not None:
            handling.setdefault(operator_id, []).append(row.closed_at - assigned_at)
        if row.rating is not None:
            ratings.setdefault(operator_id, []).append(row.rating)
    return {
        operator_id: Performance(
            count,
            len(handling.get(operator_id, [])),
            _median(first_replies.get(operator_id, [])),
            _median(handling.get(operator_id, [])),
            statistics.fmean(ratings[operator_id]) if operator_id in ratings else None,
            len(ratings.get(operator_id, [])),
        )
        for operator_id, count in contacts.items()
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def parse_mode(value: str) -> DistributionMode:
    """A distribution mode by its name, any case: ``exact``, ``least_loaded``, ..."""
    try:
        return DistributionMode(value.strip().lower())
    except ValueError:
        modes = ", ".join(mode.value for mode in DistributionMode)
        raise UnknownMode(mode=value, modes=modes) from None


def _decision_view(decision: Decision, names: dict[int, str]) -> DecisionView:
    """A recorded decision with the operators' names of today (an id if they were removed)."""

    def name(operator_id: int) -> str:
        return names.get(operator_id, f"#{operator_id}")

    facts = decision.facts
    eligible = facts.get("eligible", [])
    total = sum(weight for _id, weight, _open, _limit in eligible)
    random_mode = decision.mode == DistributionMode.RANDOM.value
    return DecisionView(
        decision.created_at,
        decision.mode,
        name(decision.operator_id) if decision.operator_id is not None else None,
        [
            EligibleView(
                name(op_id),
                weight,
                open_count,
                limit,
                _share(weight, total) if random_mode else None,
            )
            for op_id, weight, open_count, limit in eligible
        ],
        [(name(op_id), reason) for op_id, reason in facts.get("left_out", [])],
    )


async def resolve_weights(service: Service, checked: Sequence[tuple[str, int]]) -> dict[int, int]:
    """Operator id → weight of parsed pairs, inside the caller's transaction; an unknown
    operator, or one given twice, is refused."""
    resolved: dict[int, int] = {}
    for ref, weight in checked:
        operator = await service.find_operator(ref)
        if operator.id in resolved:
            raise WeightGivenTwice(ref=ref)
        resolved[operator.id] = weight
    return resolved


def _activation_notice(operator: Operator) -> Notice:
    """What an operator is told after an admin switched them on or off."""
    if not operator.active:
        return OperatorDeactivated()
    return OperatorActivatedPaused() if operator.paused else OperatorActivated()


class AdminService(Service):
    """What admins do. Policy on an operator's open contacts:

    * removing an operator returns their open contacts to the queue (redistributed at once);
    * deactivating, pausing or lowering the limit below the current load keeps the open
      contacts with the operator; they just get no new ones until below the limit again.

    Deactivation is the admin's switch and the pause the operator's own: neither lifts the
    other, and new contacts come only with both off.
    """

    async def add_operator(
        self, telegram_id: str | int, limit: str | int, display_name: str | None = None
    ) -> OperatorView:
        """Make a Telegram user an operator with weight 1 in every source."""
        ref = parse_number(str(telegram_id).strip(), 1, MAX_ID)  # user ids are positive
        if ref is None:
            raise InvalidOperatorRef(ref=str(telegram_id))
        max_open = parse_limit(limit)
        async with self.transaction():
            if await self.operators.by_telegram_id(ref) is not None:
                raise OperatorExists(ref=ref)
            operator = await self.create_operator(ref, max_open, display_name or f"id {ref}")
            return (await self.operator_views([operator]))[0]

    async def remove_operator(self, ref: str) -> OperatorRemoved:
        """Remove an operator; their open contacts return to the queue and are redistributed."""
        async with self.transaction():
            operator = await self.find_operator(ref)
            for contact, lead, source in await self.contacts.open_of_operator(operator.id):
                self.tell_taken_away(contact.id, source, operator)
                self.events.requeued(
                    contact.id, source.id, lead.id, operator.telegram_id, "operator_removed"
                )
            requeued = await self.contacts.requeue_of(operator.id)
            started = tuple(
                link.source_id
                for link in await self.operators.links(operator_id=operator.id)
                if link.started
            )
            await self.operators.delete(operator.id)
            self.drain_queue_after_commit()
        return OperatorRemoved(operator.telegram_id, requeued, started, operator.preferred_language)

    async def set_active(self, ref: str, active: bool) -> Operator:
        """Activate or deactivate an operator (open contacts stay with them). Activating does
        not lift the operator's own pause: the operator returned tells whether one holds."""
        async with self.transaction():
            operator = await self.find_operator(ref)
            changed = operator.active != active
            await self.operators.set_fields(operator.id, active=active)
            operator.active = active
            if changed:
                await self._tell_operator(operator, _activation_notice(operator))
            if operator.available:
                self.drain_queue_after_commit()
        return operator

    async def set_limit(self, ref: str, limit: str | int) -> tuple[Operator, int]:
        """Set an operator's limit; return the operator and the previous limit."""
        max_open = parse_limit(limit)
        async with self.transaction():
            operator = await self.find_operator(ref)
            previous = operator.max_open
            changed = max_open != previous
            await self.operators.set_fields(operator.id, max_open=max_open)
            operator.max_open = max_open
            if changed:
                await self._tell_operator(
                    operator, OperatorLimitChanged(limit=max_open, previous=previous)
                )
            if max_open > previous:
                self.drain_queue_after_commit()
        return operator, previous

    async def _tell_operator(self, operator: Operator, notice: Notice) -> None:
        """Stage a notice to an operator through the first bot that can reach them (none if
        they have started no bot, or blocked every one)."""
        reachable = [
            link.source_id
            for link in await self.operators.links(operator_id=operator.id)
            if link.started and not link.unreachable
        ]
        if reachable:
            self.outbox.notice(
                min(reachable), operator.telegram_id, notice, language=operator.preferred_language
            )

    async def set_weights(self, source_id: int, pairs: list[str]) -> WeightsView:
        """``/weights <op>=<w> …`` in a source, all or nothing: any bad pair changes nothing."""
        return await self.assign_weights(source_id, parse_weights(pairs))

    async def assign_weights(
        self, source_id: int, weights: Sequence[tuple[str, str | int]]
    ) -> WeightsView:
        """Set weights (operator reference, weight) in a source, all or nothing: any bad
        reference or weight, or an operator given twice, changes nothing."""
        if not weights:
            raise NoWeights()
        checked = [(ref, parse_weight(ref, weight)) for ref, weight in weights]
        async with self.transaction():
            source = await self.find_source(source_id)
            resolved = await resolve_weights(self, checked)
            for operator_id, weight in resolved.items():
                await self.operators.set_link(operator_id, source.id, weight=weight)
            view = await self._weights(source)
            if any(resolved.values()):
                self.drain_queue_after_commit()
        return view

    async def form_source_id(self, name: str) -> int | None:
        """The id of the form source called ``name`` (``@name`` too, any case), if any."""
        async with self.transaction():
            source = await self.sources.named(name.removeprefix("@"))
        return source.id if source is not None and source.is_form else None

    async def announced_weights(self, bot_source_id: int) -> list[WeightsView]:
        """The weights of the form sources the bot of ``bot_source_id`` announces."""
        async with self.transaction():
            forms = [s for s in await self.sources.all() if s.announcer_id == bot_source_id]
            return [await self._weights(form) for form in forms]

    async def weights(self, source_id: int) -> WeightsView:
        """A source's weights and the share of new contacts each gives."""
        async with self.transaction():
            return await self._weights(await self.find_source(source_id))

    async def _weights(self, source: Source) -> WeightsView:
        operators = {op.id: op for op in await self.operators.all()}
        links = await self.operators.links(source.id)
        total = sum(link.weight for link in links)
        # Whether they can be reached is the sending bot's (a form's announcer's) to say.
        reach = links
        if source.is_form:
            reach = await self.operators.links(source.bot_source_id)
        started = {link.operator_id: link.started for link in reach}
        rows = [
            WeightRow(
                operators[link.operator_id],
                link.weight,
                _share(link.weight, total),
                started.get(link.operator_id, False),
            )
            for link in links
        ]
        return WeightsView(source, rows)

    async def operator(self, ref: str) -> OperatorView:
        """One operator (Telegram id or @username) with load, limit and per-source links."""
        async with self.transaction():
            return (await self.operator_views([await self.find_operator(ref)]))[0]

    async def mode(self, source_id: int) -> ModeView:
        """How a source distributes its new contacts."""
        async with self.transaction():
            source = await self.find_source(source_id)
            return ModeView(source, source.mode)

    async def set_mode(self, source_id: int, value: str) -> ModeView:
        """Switch a source to another distribution mode. Switching to ``exact`` starts it
        over: nobody is owed anything from an earlier run of it."""
        mode = parse_mode(value)
        async with self.transaction():
            source = await self.find_source(source_id)
            previous = source.mode
            if mode is not previous:
                await self.sources.set_mode(source.id, mode)
                if mode is DistributionMode.EXACT:
                    await self.operators.reset_credits(source.id)
            return ModeView(source, mode, previous)

    async def why(self, contact_id: int) -> WhyView:
        """The recorded decisions about a contact: why it went where it went."""
        async with self.transaction():
            row = await self.contacts.get_full(contact_id)
            if row is None:
                raise UnknownContact(contact_id=contact_id)
            contact, _lead, source = row
            decisions = await self.decisions.of_contact(contact.id)
            names = {op.id: op.display_name for op in await self.operators.all()}
            topic = await self.topics.get(contact.topic_id) if contact.topic_id else None
        views = [_decision_view(d, names) for d in decisions]
        return WhyView(contact, source, views, topic.title if topic else None)

    async def list_operators(self) -> list[OperatorView]:
        """Every operator with load, limit and per-source weight / started flags."""
        async with self.transaction():
            return await self.operator_views(await self.operators.all())

    async def list_sources(self) -> list[SourceView]:
        """Every source with its contacts, open and queued counts and linked operators."""
        async with self.transaction():
            await self.contacts.roll_up_closed()
            counts = {row[0]: row[1:] for row in await self.contacts.source_stats()}
            linked: dict[int, int] = {}
            for link in await self.operators.links():
                if link.weight > 0:
                    linked[link.source_id] = linked.get(link.source_id, 0) + 1
            return [
                SourceView(s, *counts.get(s.id, (0, 0, 0)), linked.get(s.id, 0))
                for s in await self.sources.all()
            ]

    async def queue(self, limit: int = 20, offset: int = 0) -> QueueView:
        """Queued contacts, oldest first, with how long they have waited."""
        now = utcnow()
        async with self.transaction():
            total, rows = await self.contacts.queue_overview(limit, offset)
        items = [QueueItem(c, lead, s, now - c.queued_since) for c, lead, s in rows]
        return QueueView(total, items)

    async def stats(
        self,
        days: str | int = STATS_DAYS,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> StatsView:
        """Per source: contacts, queued, each operator's share vs weight; per operator: load,
        and how they did with the contacts of the last ``days`` days. With a range, the counts
        are of the contacts opened in it (``since`` included, ``until`` not)."""
        window = parse_days(str(days))
        async with self.transaction():
            await self.contacts.roll_up_closed()
            sources = await self.sources.all()
            operators = {op.id: op for op in await self.operators.all()}
            counts = {row[0]: row[1:] for row in await self.contacts.source_stats(since, until)}
            weights: dict[int, dict[int, int]] = {}
            for link in await self.operators.links():
                weights.setdefault(link.source_id, {})[link.operator_id] = link.weight
            assigned: dict[int, dict[int, int]] = {}
            per_operator: dict[int, list[int]] = {op_id: [0, 0] for op_id in operators}
            for source_id, operator_id, n, closed in await self.contacts.operator_stats(
                since, until
            ):
                assigned.setdefault(source_id, {})[operator_id] = n
                if operator_id in per_operator:
                    per_operator[operator_id][0] += n
                    per_operator[operator_id][1] += closed
            performance = _performance(
                await self.contacts.handled_since(utcnow() - timedelta(days=window))
            )
        source_stats = []
        for source in sources:
            got = assigned.get(source.id, {})
            configured = weights.get(source.id, {})
            got_total, weight_total = sum(got.values()), sum(configured.values())
            shares = [
                OperatorShare(
                    operators[op_id],
                    got.get(op_id, 0),
                    _share(got.get(op_id, 0), got_total),
                    _share(configured.get(op_id, 0), weight_total),
                )
                for op_id in sorted(set(got) | set(configured))
                if op_id in operators
            ]
            source_stats.append(SourceStats(source, *counts.get(source.id, (0, 0, 0)), shares))
        operator_stats = [
            OperatorStats(operators[op_id], n, closed, performance.get(op_id, Performance()))
            for op_id, (n, closed) in per_operator.items()
        ]
        return StatsView(source_stats, operator_stats, window)

    async def day(self, until: datetime | None = None) -> DayView:
        """What ``/stats chart`` draws: ``stats()`` (each operator's share against their
        weight), and over the day before ``until`` (now) the queue's length and each
        operator's open contacts, every ``CHART_STEP``."""
        view = await self.stats()
        end = until or utcnow()
        times = sample_times(end, CHART_WINDOW, CHART_STEP)
        async with self.transaction():
            rows = await self.contacts.spans_between(times[0], end)
        return DayView(view, activity([Span(*row) for row in rows], times))

    async def create_invite(self, created_by: int, limit: str | int) -> str:
        """A one-time code; whoever opens the bot with it becomes an operator."""
        max_open = parse_limit(limit)
        code = INVITE_PREFIX + secrets.token_urlsafe(12)
        async with self.transaction():
            self.invites.add(code, max_open, created_by)
        return code
