"""What a delivery's outcome means for contacts and operators: the domain reactions the worker
asks for (a client or an operator blocked the bot, a message could not be delivered)."""

from db.models import Delivery, DeliveryKind
from services.base import Actor, Service
from services.contacts import ContactService
from services.notices import (
    BotDegradedAlert,
    BotRecoveredAlert,
    DeliveryFailedAlert,
    MessageCopy,
    OperatorUnreachableAlert,
    is_alert,
    notice_payload,
    read_notice,
)


class DeliveryService(Service):
    """Records delivery outcomes, including what a blocked user means for contacts."""

    async def client_blocked(self, source_id: int, chat_id: int) -> None:
        """A client blocked the bot: close their open contact there and free the slot."""
        async with self.transaction():
            await self.deliveries.fail_chat(source_id, chat_id, "blocked by the user")
            lead = await self.leads.by_telegram_id(chat_id)
            found = await self.contacts.find_open(lead.id, source_id) if lead else None
        if found is not None:
            await self._close_for_client(found.id, chat_id)

    async def _close_for_client(self, contact_id: int, chat_id: int) -> None:
        closer = ContactService(self.session, self.rng, self.signal, clock=self.clock)
        await closer.close(contact_id, Actor("client", chat_id), "client blocked the bot")

    async def operator_unreachable(
        self, source_id: int, telegram_id: int, admin_ids: list[int]
    ) -> None:
        """An operator blocked a bot: no more contacts from it; their work there is requeued."""
        async with self.transaction():
            await self.deliveries.fail_chat(source_id, telegram_id, "operator blocked the bot")
            operator = await self.operators.by_telegram_id(telegram_id)
            if operator is None:
                return
            await self.operators.set_link(operator.id, source_id, unreachable=True)
            rows = await self.contacts.open_of_operator(operator.id, source_id)
            for contact, lead, _source in rows:
                await self.contacts.requeue(contact.id, operator.id)
                self.events.requeued(
                    contact.id, source_id, lead.id, telegram_id, "operator_unreachable"
                )
            if rows:
                await self.operators.release_slot(operator.id, len(rows))
            self.drain_queue_after_commit()
            source = await self.sources.get(source_id)
            assert source is not None  # it sent the message that was refused
            alert = OperatorUnreachableAlert(
                operator=operator.display_name,
                telegram_id=telegram_id,
                source=source.username,
                requeued=len(rows),
            )
            await self.alert_admins(source_id, admin_ids, alert)

    async def card_sent_apart(self, copy: Delivery, card_message_id: int) -> None:
        """A copy meant to carry its card went as the card, then the copy (too long for one
        message): record the card, so that replies to it reach the contact too. In the
        caller's transaction."""
        carrier = MessageCopy.model_validate(copy.payload)
        assert carrier.card is not None  # only such copies come back with two messages
        payload = notice_payload(carrier.card, carrier.language)
        await self.deliveries.add_sent(copy, DeliveryKind.NOTICE, payload, card_message_id)

    async def gave_up(self, delivery: Delivery, error: str, admin_ids: list[int]) -> None:
        """A message could not be delivered after every retry: record it and tell the admins."""
        async with self.transaction():
            await self.deliveries.fail(delivery.id, error)
            alerted = delivery.kind == DeliveryKind.NOTICE and is_alert(
                read_notice(delivery.payload).notice
            )
            if not alerted:  # an alert about a failed alert would loop
                alert = DeliveryFailedAlert(
                    chat=delivery.chat_id, contact_id=delivery.contact_id, error=error
                )
                await self.alert_admins(delivery.source_id, admin_ids, alert)

    async def bot_degraded(
        self, source_id: int, via: int, minutes: int, admin_ids: list[int]
    ) -> None:
        """Telegram has taken nothing through a bot for ``minutes``: tell the admins through
        the bot ``via`` (another one that works, if there is one)."""
        async with self.transaction():
            source = await self.sources.get(source_id)
            assert source is not None  # its messages are being sent
            alert = BotDegradedAlert(source=source.username, minutes=minutes)
            await self.alert_admins(via, admin_ids, alert)

    async def bot_recovered(
        self, source_id: int, via: int, minutes: int, admin_ids: list[int]
    ) -> None:
        """A degraded bot sends again: tell the admins (through ``via``, as when it went
        down) how many messages it has to catch up on."""
        async with self.transaction():
            source = await self.sources.get(source_id)
            assert source is not None  # a message of it was just sent
            waited = await self.deliveries.pending_count(source_id)
            alert = BotRecoveredAlert(source=source.username, minutes=minutes, waited=waited)
            await self.alert_admins(via, admin_ids, alert)
