"""Domain errors: each carries a message key and parameters so the bot can render it."""

from typing import Any


class DomainError(Exception):
    """A request the domain refuses; nothing was changed."""

    key = "error.generic"
    template = "request refused"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.template.format(**params))


class UnknownOperator(DomainError):
    """No operator matches the reference given."""

    key = "error.unknown_operator"
    template = "unknown operator {ref}"


class AmbiguousOperator(DomainError):
    """An @username that several operators were known by."""

    key = "error.ambiguous_operator"
    template = "several operators were known as {ref}: {ids}"


class OperatorExists(DomainError):
    """The user is an operator already."""

    key = "error.operator_exists"
    template = "{ref} is an operator already"


class InvalidLimit(DomainError):
    """A limit that is not a whole number ≥ 0."""

    key = "error.invalid_limit"
    template = "limit must be a whole number from 0 to {maximum}, got {value!r}"


class InvalidWeights(DomainError):
    """Malformed weight assignments."""

    key = "error.invalid_weights"
    template = "invalid weights: {detail}"


class InvalidOperatorRef(DomainError):
    """Text that is neither a Telegram id nor an @username."""

    key = "error.invalid_operator_ref"
    template = "{ref!r} is neither a Telegram id nor an @username"


class UnknownContact(DomainError):
    """No contact with that number."""

    key = "error.unknown_contact"
    template = "there is no contact #{contact_id}"


class UnknownLead(DomainError):
    """No lead with that id."""

    key = "error.unknown_lead"
    template = "there is no lead {lead_id}"


class ContactChanged(DomainError):
    """The contact was assigned, moved or closed by someone else meanwhile."""

    key = "error.contact_changed"
    template = "contact #{contact_id} changed meanwhile"


class ContactAlreadyClosed(DomainError):
    """The contact is closed already."""

    key = "error.contact_closed"
    template = "contact #{contact_id} is closed already"


class NotYourContact(DomainError):
    """An operator acted on a contact that is not theirs."""

    key = "error.not_your_contact"
    template = "contact #{contact_id} is not yours"


class OperatorFull(DomainError):
    """The operator cannot take one more contact."""

    key = "error.operator_full"
    template = (
        "{ref} cannot take more contacts (inactive, paused, not started the bot, or at the limit)"
    )


class UnknownSource(DomainError):
    """No source with that id or username."""

    key = "error.unknown_source"
    template = "unknown source {ref}"


class InvalidInvite(DomainError):
    """An invite code that does not exist or was used."""

    key = "error.invalid_invite"
    template = "this invite link is invalid or was used already"
