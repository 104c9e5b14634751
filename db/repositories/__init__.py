"""Repositories: they add, flush and select, and never commit."""

from db.repositories.contacts import (
    ContactFilter,
    ContactRepository,
    ContactState,
    OpenContact,
    PastContact,
)
from db.repositories.deliveries import DeliveryRepository, Head
from db.repositories.invites import InviteRepository
from db.repositories.leads import LeadProfile, LeadRepository
from db.repositories.messages import MessageKey, MessageRepository
from db.repositories.operators import CandidateRow, OperatorRepository
from db.repositories.sources import SourceRepository

__all__ = [
    "CandidateRow",
    "ContactFilter",
    "ContactRepository",
    "ContactState",
    "DeliveryRepository",
    "Head",
    "InviteRepository",
    "LeadProfile",
    "LeadRepository",
    "MessageKey",
    "MessageRepository",
    "OpenContact",
    "OperatorRepository",
    "PastContact",
    "SourceRepository",
]
