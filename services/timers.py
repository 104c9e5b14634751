"""Time-driven use cases the scheduler runs: reminders, auto-close, queue alerts.

They count working time: for a source with business hours only the time it is open
(``services.hours.working_time``), for the others all of it. Which contacts are due stays one
comparison in SQL: the moment counted from (assignment, last activity, queueing) against the
source's cutoff, the instant from which the amount of working time has passed by now
(``services.hours.working_cutoff``, computed once per run for each schedule).

Each is safe to run in several processes at once: reminders are claimed by a conditional
UPDATE, closing is conditional, and an alert is skipped when one was staged recently (the
check and the staging hold a lock, so two processes cannot both find none).
"""

import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from db.models import Source
from db.repositories import Cutoff
from services.assignment import Desk
from services.base import SYSTEM, Service
from services.contacts import ContactService
from services.distribution import pick_operator
from services.errors import ContactAlreadyClosed, ContactChanged, OperatorFull
from services.notices import OperatorReminder, QueueWaitAlert

BATCH = 100
# How a source without business hours counts: all the time is working time.
_ALWAYS_OPEN = Desk(None, frozenset())


def _cutoff(
    desks: Mapping[int, Desk], amount: timedelta, now: datetime, *, skip_closed: bool = False
) -> Cutoff:
    """From when ``amount`` of working time has passed by ``now``, for the sources of
    ``desks`` by their hours, for the others by the wall clock: what started before is due.
    With ``skip_closed`` nothing is due of a desk closed now."""
    # Sources of one schedule (and holidays) share their cutoff: computed once.
    of_desk = {
        desk: None if skip_closed and not desk.is_open(now) else desk.working_cutoff(now, amount)
        for desk in set(desks.values())
    }
    return Cutoff(now - amount, {source_id: of_desk[desk] for source_id, desk in desks.items()})


class TimerService(Service):
    """Reminders, auto-close and queue alerts."""

    async def remind(self, after: timedelta, *, reassign: bool = False) -> int:
        """Remind operators whose client has waited ``after`` for a first reply; optionally
        give such a contact to another free operator. Returns how many were reminded."""
        minutes = math.ceil(after.total_seconds() / 60)  # REMINDER_MINUTES=0.5 says 1
        async with self.transaction():
            cutoff = _cutoff(await self._desks(), after, self.clock.now())
            due = await self.contacts.due_reminders(cutoff, BATCH)
            operators = {op.id: op for op in await self.operators.all()}
            for contact_id, operator_id, source_id in due:
                self.outbox.notice(
                    source_id,
                    operators[operator_id].telegram_id,
                    OperatorReminder(contact_id=contact_id, minutes=minutes),
                    language=operators[operator_id].preferred_language,
                )
        if reassign:
            for contact_id, operator_id, _source_id in due:
                await self._hand_to_another(contact_id, operator_id)
        return len(due)

    async def _hand_to_another(self, contact_id: int, operator_id: int) -> None:
        async with self.transaction():
            row = await self.contacts.get_full(contact_id)
            assert row is not None  # contacts are never deleted
            contact, lead, source = row
            # Whom a new contact of its topic could go to now (shifts, duty and the desk's
            # hours included), by the topic's weights.
            field = await self.assigner.field(source, lead, contact.topic_id)
        others = [c for c in field.eligible if c.operator_id != operator_id] if field else []
        # In the bot's mode; a reassignment leaves the exact mode's credits as they are.
        pick = pick_operator(others, self.rng, source.mode)
        if pick is None:
            return
        contacts = ContactService(self.session, self.rng, self.signal, clock=self.clock)
        try:
            await contacts.reassign(contact_id, pick.telegram_id)
        except (OperatorFull, ContactAlreadyClosed, ContactChanged):
            return  # the pick filled up or the contact ended meanwhile: keep it where it is

    async def drain_open_desks(self) -> int:
        """Assign what waits in the queues that the time of day may have opened, oldest
        first, as far as the operators' limits allow (the rest waits for freed capacity as
        usual): of the sources with business hours that are open now, or closed but letting
        their on-duty operators take contacts, and, while any operator has a shift, of every
        source. Returns how many were assigned.

        Freed capacity drains the queue at once, but the opening of a desk or the start of a
        shift is no event: this runs every minute, so such a queue starts draining within a
        minute of it.
        """
        async with self.transaction():
            sources = await self.sources.all()
            shifts = await self.operators.any_shift()
        now = self.clock.now()

        def timed(source: Source) -> bool:
            if source.hours is None:
                return shifts
            return source.duty_after_hours or Desk.of(source).is_open(now)

        skip = frozenset(s.id for s in sources if not timed(s))
        if len(skip) == len(sources):
            return 0  # no queue the time of day could have opened: nothing to look at
        return len(await self.assign_pending(skip=skip))

    async def _desks(self) -> dict[int, Desk]:
        """The hours of the sources that have some (one that no longer reads is always open,
        as ``Desk.of`` says, and counts all the time like a source without)."""
        desks = {s.id: Desk.of(s) for s in await self.sources.all() if s.hours is not None}
        return {source_id: desk for source_id, desk in desks.items() if desk.schedule}

    async def auto_close(self, idle_for: timedelta) -> int:
        """Close contacts idle for ``idle_for`` of working time; the client is told how to
        reopen."""
        async with self.transaction():
            cutoff = _cutoff(await self._desks(), idle_for, self.clock.now())
            idle = await self.contacts.idle(cutoff, BATCH)
        contacts = ContactService(self.session, self.rng, self.signal, clock=self.clock)
        closed = 0
        for contact_id in idle:
            try:
                await contacts.close(contact_id, SYSTEM, "idle")
            except ContactAlreadyClosed:
                continue  # closed by someone else meanwhile
            closed += 1
        return closed

    async def queue_alert(self, waited: timedelta, admin_ids: list[int], source_id: int) -> bool:
        """Tell admins when a queued contact has waited longer than ``waited`` of working time
        (at most once per ``waited``)."""
        async with self.transaction():
            return await self.stage_queue_alert(waited, admin_ids, source_id)

    async def stage_queue_alert(
        self, waited: timedelta, admin_ids: list[int], source_id: int
    ) -> bool:
        """``queue_alert`` inside the caller's transaction (which must commit to send it)."""
        now = self.clock.now()
        desks = await self._desks()
        # A desk's night or weekend is no wait: its contacts wait for the opening by design,
        # and a wait that reached the limit before the closing alerted then, not all night.
        cutoff = _cutoff(desks, waited, now, skip_closed=True)
        oldest = await self.contacts.oldest_queued_before(cutoff)
        if not oldest:
            return False
        await self.deliveries.lock("queue_wait_alert")
        if await self.deliveries.alerted_since(QueueWaitAlert.kind(), now - waited):
            return False
        # The longest wait in working time: by the wall clock the oldest may be of another
        # desk, one that was closed longer.
        longest = max(
            desks.get(source_id, _ALWAYS_OPEN).working_time(since, now)
            for source_id, since in oldest.items()
        )
        alert = QueueWaitAlert(
            minutes=int(longest.total_seconds() // 60), total=await self.contacts.queued_count()
        )
        await self.alert_admins(source_id, admin_ids, alert)
        return True
