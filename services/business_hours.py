"""When the desks and their operators work, as admins set it: the bots' business hours and
holidays (``/hours``, ``/holiday``), what a closed desk does (``/afterhours``), the operators'
shifts (``/shift``) and who is on duty (``/duty``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from db.models import Operator, Source
from services.assignment import Desk
from services.base import Service
from services.hours import DEFAULT_ZONE, Schedule, format_schedule, parse, parse_holiday
from services.shifts import on_shift, parse_shift, read_shift


@dataclass(frozen=True, slots=True)
class HoursView:
    """A source's hours as ``/hours`` shows them; ``changed`` tells whether the request
    changed anything (a holiday added twice, say, did not)."""

    source: Source
    schedule: Schedule | None
    holidays: list[date]
    open_now: bool
    opens: datetime | None  # the next opening, when closed now
    changed: bool = True

    @property
    def spec(self) -> str:
        """The schedule as ``/hours`` takes it (``off``: always open)."""
        return format_schedule(self.schedule)


@dataclass(frozen=True, slots=True)
class ShiftView:
    """An operator's shift as ``/shift`` shows it, and whether they are on it now."""

    operator: Operator
    schedule: Schedule | None
    on_shift: bool

    @property
    def spec(self) -> str:
        """The shift as ``/shift`` takes it (``off``: whenever active)."""
        return format_schedule(self.schedule)


class HoursService(Service):
    """Reads and changes the business hours and holidays of a source."""

    async def hours(self, source_id: int) -> HoursView:
        """The source's schedule, holidays, whether it is open now and when it opens."""
        async with self.transaction():
            source = await self.find_source(source_id)
            return self._view(source, changed=False)

    async def set_hours(self, source_id: int, spec: str) -> HoursView:
        """Set the schedule from ``spec`` (``off``: always open). A malformed spec is refused
        (``services.hours.InvalidHours``) and nothing changes; if the source is open now, its
        queue drains at once."""
        return await self.change(source_id, spec=spec)

    async def change(
        self,
        source_id: int,
        *,
        spec: str | None = None,
        holidays: Sequence[str] | None = None,
        duty: bool | None = None,
    ) -> HoursView:
        """Change any of a source's schedule (``spec``, ``off``: always open), its holidays
        (the whole list, ``YYYY-MM-DD`` each) and whether its on-duty operators take
        contacts while it is closed, in one transaction: all or nothing, a malformed spec or
        date changes nothing. If contacts can be taken now, the queue drains at once."""
        schedule = parse(spec.strip()) if spec is not None else None
        days = sorted({parse_holiday(day).isoformat() for day in holidays or ()})
        async with self.transaction():
            # Locked: two admins adding two holidays at once must both be kept.
            source = await self.find_source(source_id, lock=True)
            if spec is not None:
                stored = None if schedule is None else format_schedule(schedule)
                await self.sources.set_hours(source.id, stored)
            if holidays is not None:
                await self.sources.set_holidays(source.id, days)
            if duty is not None:
                await self.sources.set_duty_after_hours(source.id, duty)
            view = self._view(source)
            if view.open_now or source.duty_after_hours:
                self.drain_queue_after_commit()
        return view

    async def add_holiday(self, source_id: int, day: str) -> HoursView:
        """Close the source on ``day`` (``YYYY-MM-DD``, in the schedule's zone)."""
        return await self._change_holidays(source_id, parse_holiday(day), add=True)

    async def remove_holiday(self, source_id: int, day: str) -> HoursView:
        """Open the source on ``day`` again, as its schedule says."""
        return await self._change_holidays(source_id, parse_holiday(day), add=False)

    async def _change_holidays(self, source_id: int, day: date, *, add: bool) -> HoursView:
        async with self.transaction():
            # Locked: two admins adding two holidays at once must both be kept.
            source = await self.find_source(source_id, lock=True)
            days = set(source.holidays or ())
            wanted = days | {day.isoformat()} if add else days - {day.isoformat()}
            if wanted == days:
                return self._view(source, changed=False)
            await self.sources.set_holidays(source.id, sorted(wanted))
            view = self._view(source)
            if view.open_now:
                self.drain_queue_after_commit()  # a holiday of today taken back
        return view

    async def shift(self, ref: str) -> ShiftView:
        """An operator's shift (``ref``: Telegram id or @username)."""
        async with self.transaction():
            operator = await self.find_operator(ref)
            return self._shift_view(operator, read_shift(operator.shift))

    async def set_shift(self, ref: str, spec: str, source_id: int | None = None) -> ShiftView:
        """Set an operator's shift from ``spec`` (``off``: whenever active), in the zone of
        the hours of source ``source_id`` (UTC without one) when it names none. A malformed
        spec is refused (``services.hours.InvalidHours``) and nothing changes; if they are on
        shift now, the queue drains to them at once."""
        async with self.transaction():
            zone = DEFAULT_ZONE
            if source_id is not None:
                zone = Desk.of(await self.find_source(source_id)).zone
            schedule = parse_shift(spec.strip(), zone)
            operator = await self.find_operator(ref)
            stored = None if schedule is None else format_schedule(schedule)
            await self.operators.set_fields(operator.id, shift=stored)
            view = self._shift_view(operator, schedule)
            if view.on_shift:
                self.drain_queue_after_commit()
        return view

    async def set_duty(self, ref: str, on_duty: bool) -> Operator:
        """Put an operator on duty or take them off it; on duty, the queues of the closed
        desks that let on-duty operators take contacts drain to them at once."""
        async with self.transaction():
            operator = await self.find_operator(ref)
            await self.operators.set_fields(operator.id, on_duty=on_duty)
            if on_duty:
                self.drain_queue_after_commit()
        return operator

    def _shift_view(self, operator: Operator, schedule: Schedule | None) -> ShiftView:
        return ShiftView(operator, schedule, on_shift(schedule, self.clock.now()))

    def _view(self, source: Source, *, changed: bool = True) -> HoursView:
        desk = Desk.of(source)
        now = self.clock.now()
        open_now = desk.is_open(now)
        return HoursView(
            source,
            desk.schedule,
            sorted(desk.holidays),
            open_now,
            None if open_now else desk.next_opening(now),
            changed,
        )
