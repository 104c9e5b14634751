"""The use-case services of one unit of work (a Telegram update, an API request), bound to its
session; the bot's middleware and the HTTP API both hand them out."""

import functools
import random

from sqlalchemy.ext.asyncio import AsyncSession

from services.admin import AdminService
from services.business_hours import HoursService
from services.clock import SYSTEM_CLOCK, Clock
from services.contacts import ContactService
from services.forms import FormService
from services.languages import LanguageService
from services.operators import OperatorService
from services.outbox import OutboxSignal
from services.records import RecordService
from services.templates import TemplateService
from services.texts import TextService
from services.topic_admin import TopicService
from services.transcripts import TranscriptService
from services.webhooks import WebhookService


class Services:
    """Each service is built the first time it is asked for (a client's message needs one of
    the three)."""

    def __init__(
        self,
        session: AsyncSession,
        rng: random.Random,
        signal: OutboxSignal,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.session = session
        self.rng = rng
        self.signal = signal
        self.clock = clock

    @functools.cached_property
    def contacts(self) -> ContactService:
        """Clients' messages, closing and reassigning contacts."""
        return ContactService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def forms(self) -> FormService:
        """Form sources and their leads' requests."""
        return FormService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def operators(self) -> OperatorService:
        """What operators do."""
        return OperatorService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def admin(self) -> AdminService:
        """What admins do."""
        return AdminService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def languages(self) -> LanguageService:
        """Who reads which language."""
        return LanguageService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def texts(self) -> TextService:
        """The bots' own texts."""
        return TextService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def records(self) -> RecordService:
        """Contacts and leads, read by other systems."""
        return RecordService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def templates(self) -> TemplateService:
        """The bots' canned replies."""
        return TemplateService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def transcripts(self) -> TranscriptService:
        """Contacts' conversations as files."""
        return TranscriptService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def webhooks(self) -> WebhookService:
        """Subscriptions of other systems to events."""
        return WebhookService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def hours(self) -> HoursService:
        """The bots' business hours and holidays."""
        return HoursService(self.session, self.rng, self.signal, clock=self.clock)

    @functools.cached_property
    def topics(self) -> TopicService:
        """Each bot's topics and their weights."""
        return TopicService(self.session, self.rng, self.signal, clock=self.clock)
