"""Business hours and holidays of the bots, as admins set them (``/hours``, ``/holiday``)."""

from dataclasses import dataclass
from datetime import date, datetime

from db.models import Source
from services.assignment import Desk
from services.base import Service
from services.errors import UnknownSource
from services.hours import Schedule, format_schedule, parse, parse_holiday


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


class HoursService(Service):
    """Reads and changes the business hours and holidays of a source."""

    async def hours(self, source_id: int) -> HoursView:
        """The source's schedule, holidays, whether it is open now and when it opens."""
        async with self.transaction():
            source = await self._source(source_id)
            return self._view(source, changed=False)

    async def set_hours(self, source_id: int, spec: str) -> HoursView:
        """Set the schedule from ``spec`` (``off``: always open). A malformed spec is refused
        (``services.hours.InvalidHours``) and nothing changes; if the source is open now, its
        queue drains at once."""
        schedule = parse(spec.strip())
        async with self.transaction():
            source = await self._source(source_id)
            stored = None if schedule is None else format_schedule(schedule)
            await self.sources.set_hours(source.id, stored)
            view = self._view(source)
            if view.open_now:
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
            source = await self.sources.locked(source_id)
            if source is None:
                raise UnknownSource(ref=source_id)
            days = set(source.holidays or ())
            wanted = days | {day.isoformat()} if add else days - {day.isoformat()}
            if wanted == days:
                return self._view(source, changed=False)
            await self.sources.set_holidays(source.id, sorted(wanted))
            view = self._view(source)
            if view.open_now:
                self.drain_queue_after_commit()  # a holiday of today taken back
        return view

    async def _source(self, source_id: int) -> Source:
        source = await self.sources.get(source_id)
        if source is None:
            raise UnknownSource(ref=source_id)
        return source

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
