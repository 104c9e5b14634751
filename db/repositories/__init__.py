"""Repositories: they add, flush and select, and never commit."""

from db.repositories.contacts import (
    ContactFilter,
    ContactRepository,
    ContactState,
    Cutoff,
    Handled,
    OpenContact,
    PastContact,
)
from db.repositories.decisions import DecisionRepository
from db.repositories.deliveries import DeliveryRepository, Head
from db.repositories.invites import InviteRepository
from db.repositories.languages import LanguageRepository
from db.repositories.leads import FormLead, LeadProfile, LeadRepository, Touched
from db.repositories.messages import MessageKey, MessageRepository
from db.repositories.operators import CandidateRow, OperatorRepository
from db.repositories.requests import RequestRepository
from db.repositories.sources import SourceRepository
from db.repositories.templates import TemplateRepository
from db.repositories.texts import SourceTextRepository
from db.repositories.topics import TopicRepository
from db.repositories.webhooks import Claimed, StagedEvent, WebhookRepository

__all__ = [
    "CandidateRow",
    "Claimed",
    "ContactFilter",
    "ContactRepository",
    "ContactState",
    "Cutoff",
    "DecisionRepository",
    "DeliveryRepository",
    "FormLead",
    "Handled",
    "Head",
    "InviteRepository",
    "LanguageRepository",
    "LeadProfile",
    "LeadRepository",
    "MessageKey",
    "MessageRepository",
    "OpenContact",
    "OperatorRepository",
    "PastContact",
    "RequestRepository",
    "SourceRepository",
    "SourceTextRepository",
    "StagedEvent",
    "TemplateRepository",
    "TopicRepository",
    "Touched",
    "WebhookRepository",
]
