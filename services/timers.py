"""Time-driven use cases the scheduler runs: reminders, auto-close, queue alerts.

Each is safe to run in several processes at once: reminders are claimed by a conditional
UPDATE, closing is conditional, and an alert is skipped when one was staged recently (the
check and the staging hold a lock, so two processes cannot both find none).
"""

import math
from datetime import timedelta

from db.base import utcnow
from services.assignment import Desk
from services.base import SYSTEM, Service
from services.contacts import ContactService
from services.distribution import pick_operator
from services.errors import ContactAlreadyClosed, ContactChanged, OperatorFull
from services.notices import OperatorReminder, QueueWaitAlert

BATCH = 100


class TimerService(Service):
    """Reminders, auto-close and queue alerts."""

    async def remind(self, after: timedelta, *, reassign: bool = False) -> int:
        """Remind operators whose client has waited ``after`` for a first reply; optionally
        give such a contact to another free operator. Returns how many were reminded."""
        minutes = math.ceil(after.total_seconds() / 60)  # REMINDER_MINUTES=0.5 says 1
        async with self.transaction():
            due = await self.contacts.due_reminders(utcnow() - after, BATCH)
            operators = {op.id: op for op in await self.operators.all()}
            for contact_id, operator_id, source_id in due:
                self.outbox.notice(
                    source_id,
                    operators[operator_id].telegram_id,
                    OperatorReminder(contact_id=contact_id, minutes=minutes),
                    language=operators[operator_id].preferred_language,
                )
        if reassign:
            for contact_id, operator_id, source_id in due:
                await self._hand_to_another(contact_id, operator_id, source_id)
        return len(due)

    async def _hand_to_another(self, contact_id: int, operator_id: int, source_id: int) -> None:
        async with self.transaction():
            row = await self.contacts.get_full(contact_id)
            assert row is not None  # contacts are never deleted
            lead = row[1]
            others = [
                c
                for c in await self.operators.candidates(source_id)
                if c.operator_id != operator_id and c.telegram_id != lead.telegram_id
            ]
        pick = pick_operator(others, self.rng)
        if pick is None:
            return
        contacts = ContactService(self.session, self.rng, self.signal, clock=self.clock)
        try:
            await contacts.reassign(contact_id, pick.telegram_id)
        except (OperatorFull, ContactAlreadyClosed, ContactChanged):
            return  # the pick filled up or the contact ended meanwhile: keep it where it is

    async def drain_open_desks(self) -> int:
        """Assign what waits in the queues of the sources with business hours that are open
        now, oldest first, as far as their operators' limits allow (the rest waits for freed
        capacity as usual). Returns how many were assigned.

        Freed capacity drains the queue at once, but the opening of a desk is no event: this
        runs every minute, so a desk's queue starts draining within a minute of its opening.
        """
        async with self.transaction():
            sources = await self.sources.all()
        now = self.clock.now()
        skip = frozenset(s.id for s in sources if s.hours is None or not Desk.of(s).is_open(now))
        if len(skip) == len(sources):
            return 0  # no source with hours is open: nothing to look at
        return len(await self.assign_pending(skip=skip))

    async def _closed_desks(self) -> frozenset[int]:
        """The sources closed now by their business hours."""
        now = self.clock.now()
        return frozenset(
            s.id
            for s in await self.sources.all()
            if s.hours is not None and not Desk.of(s).is_open(now)
        )

    async def auto_close(self, idle_for: timedelta) -> int:
        """Close contacts idle for ``idle_for``; the client is told how to reopen."""
        async with self.transaction():
            idle = await self.contacts.idle(utcnow() - idle_for, BATCH)
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
        """Tell admins when the oldest queued contact has waited longer than ``waited``
        (at most once per ``waited``)."""
        async with self.transaction():
            return await self.stage_queue_alert(waited, admin_ids, source_id)

    async def stage_queue_alert(
        self, waited: timedelta, admin_ids: list[int], source_id: int
    ) -> bool:
        """``queue_alert`` inside the caller's transaction (which must commit to send it)."""
        now = utcnow()
        # A desk's night or weekend is no wait to alert about: its contacts wait for the
        # opening by design (the oldest of an open desk's still counts from when it queued).
        oldest = await self.contacts.oldest_queued_at(await self._closed_desks())
        if oldest is None or now - oldest < waited:
            return False
        await self.deliveries.lock("queue_wait_alert")
        if await self.deliveries.alerted_since(QueueWaitAlert.kind(), now - waited):
            return False
        alert = QueueWaitAlert(
            minutes=int((now - oldest).total_seconds() // 60),
            total=await self.contacts.queued_count(),
        )
        await self.alert_admins(source_id, admin_ids, alert)
        return True
