"""Domain errors: each carries a message key and parameters so the bot can render it."""

from typing import Any


class DomainError(Exception):
    """A request the domain refuses; nothing was changed."""

    key = "error-generic"
    template = "request refused"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.template.format(**params))


class UnknownOperator(DomainError):
    """No operator matches the reference given."""

    key = "error-unknown-operator"
    template = "unknown operator {ref}"


class AmbiguousOperator(DomainError):
    """An @username that several operators were known by."""

    key = "error-ambiguous-operator"
    template = "several operators were known as {ref}: {ids}"


class OperatorExists(DomainError):
    """The user is an operator already."""

    key = "error-operator-exists"
    template = "{ref} is an operator already"


class InvalidLimit(DomainError):
    """A limit that is not a whole number ≥ 0."""

    key = "error-invalid-limit"
    template = "limit must be a whole number from 0 to {maximum}, got {value!r}"


class InvalidWeights(DomainError):
    """Malformed weight assignments (one of the kinds below)."""


class NoWeights(InvalidWeights):
    """``/weights`` with a word but no assignment."""

    key = "error-weights-empty"
    template = "give at least one <operator>=<weight>"


class MalformedWeight(InvalidWeights):
    """Text that is not ``<operator>=<weight>``."""

    key = "error-weights-malformed"
    template = "{pair!r} is not <operator>=<weight>"


class WeightOutOfRange(InvalidWeights):
    """A weight that is not a whole number in range."""

    key = "error-weights-range"
    template = "weight of {ref} must be a whole number from 0 to {maximum}"


class WeightGivenTwice(InvalidWeights):
    """The same operator twice in one ``/weights``."""

    key = "error-weights-twice"
    template = "{ref} is given twice"


class InvalidOperatorRef(DomainError):
    """Text that is neither a Telegram id nor an @username."""

    key = "error-invalid-operator-ref"
    template = "{ref!r} is neither a Telegram id nor an @username"


class UnknownContact(DomainError):
    """No contact with that number."""

    key = "error-unknown-contact"
    template = "there is no contact #{contact_id}"


class UnknownLead(DomainError):
    """No lead with that id."""

    key = "error-unknown-lead"
    template = "there is no lead {lead_id}"


class ContactChanged(DomainError):
    """The contact was assigned, moved or closed by someone else meanwhile."""

    key = "error-contact-changed"
    template = "contact #{contact_id} changed meanwhile"


class ContactAlreadyClosed(DomainError):
    """The contact is closed already."""

    key = "error-contact-closed"
    template = "contact #{contact_id} is closed already"


class NotYourContact(DomainError):
    """An operator acted on a contact that is not theirs."""

    key = "error-not-your-contact"
    template = "contact #{contact_id} is not yours"


class NotYourRating(DomainError):
    """A rating of a contact that is not the client's own, not closed, or never handled."""

    key = "error-not-your-rating"
    template = "contact #{contact_id} is not one you can rate"


class AlreadyRated(DomainError):
    """The client rated this contact already; a rating is given once."""

    key = "error-already-rated"
    template = "contact #{contact_id} is rated already: {stars}"


class RatingTooLate(DomainError):
    """The contact was closed longer ago than a rating may follow."""

    key = "error-rating-too-late"
    template = "contact #{contact_id} was closed over {hours} hours ago"


class OperatorFull(DomainError):
    """The operator cannot take one more contact."""

    key = "error-operator-full"
    template = (
        "{ref} cannot take more contacts (inactive, paused, not started the bot, or at the limit)"
    )


class OperatorOffShift(OperatorFull):
    """The operator named for a contact is outside their shift now."""

    key = "error-operator-off-shift"
    template = "{ref} is off shift now (shift {shift})"


class UnknownSource(DomainError):
    """No source with that id or username."""

    key = "error-unknown-source"
    template = "unknown source {ref}"


class InvalidInvite(DomainError):
    """An invite code that does not exist or was used."""

    key = "error-invalid-invite"
    template = "this invite link is invalid or was used already"


class UnknownText(DomainError):
    """A name that is not one of the texts an admin may set."""

    key = "error-unknown-text"
    template = "there is no text {name}; the texts are {names}"


class UnknownLanguage(DomainError):
    """A language there is no catalog of."""

    key = "error-unknown-language"
    template = "there is no language {language}; the languages are {languages}"


class TransferToSelf(DomainError):
    """An operator passing a contact to themselves."""

    key = "error-transfer-to-self"
    template = "contact #{contact_id} is yours already"


class NoteTooLong(DomainError):
    """A note for a colleague longer than a notice can carry."""

    key = "error-note-too-long"
    template = "the note has {length} characters, at most {limit} are allowed"


class TextTooLong(DomainError):
    """A text longer than Telegram allows in a message."""

    key = "error-text-too-long"
    template = "the text has {length} characters, at most {limit} are allowed"


class InvalidDays(DomainError):
    """``/stats`` with a number of days out of range."""

    key = "error-invalid-days"
    template = "days must be a whole number from 1 to {maximum}, got {value!r}"


class UnknownMode(DomainError):
    """``/mode`` with a word that names no distribution mode."""

    key = "error-unknown-mode"
    template = "{mode!r} is not a distribution mode ({modes})"


class NotAFormSource(DomainError):
    """A contact registered through the API in a bot's source (its contacts write to it)."""

    key = "error-not-a-form-source"
    template = "source_id: source {ref} is a bot, whose contacts come through Telegram"


class NotABot(DomainError):
    """A form source announced by a source that is no bot (or by no bot at all)."""

    key = "error-not-a-bot"
    template = "announcer_id: {ref} is no bot's source"


class FormSourceExists(DomainError):
    """A form source named as another source."""

    key = "error-form-source-exists"
    template = "name: a source named {name} exists already"


class LeadUnidentified(DomainError):
    """A form's request that names nobody."""

    key = "error-lead-unidentified"
    template = "lead: give at least one of external_id, phone, email, telegram_id"


class IdempotencyKeyReused(DomainError):
    """An ``Idempotency-Key`` sent again with another request."""

    key = "error-idempotency-key-reused"
    template = "Idempotency-Key: {key} was used with another body"


class InvalidTemplateName(DomainError):
    """A template name that is not 1–32 of ``a-z 0-9 _``."""

    key = "error-invalid-template-name"
    template = "{name!r} is no template name (1 to 32 of a-z, 0-9 and _)"


class UnknownTemplate(DomainError):
    """No template of that name in this bot."""

    key = "error-unknown-template"
    template = "there is no template {name}; the templates are {names}"


class TemplateGone(DomainError):
    """A button offering a template that was removed since."""

    key = "error-template-gone"
    template = "that template was removed"


class NoTemplates(DomainError):
    """The bot has no templates yet."""

    key = "error-no-templates"
    template = "this bot has no templates yet"


class TemplateTooLong(DomainError):
    """A template that, with the client's name put in, is longer than a message may be."""

    key = "error-template-too-long"
    template = "template {name} would have {length} characters, at most {limit} are allowed"


class NoContactToAnswer(DomainError):
    """A template sent neither as a reply to a contact's message nor with one open contact."""

    key = "error-template-no-contact"
    template = "reply with the template to a message of the contact it is for"


class InvalidWebhookUrl(DomainError):
    """A webhook's URL that is no http(s) URL with a host."""

    key = "error-webhook-url"
    template = "url: must be an http or https URL with a host, at most {maximum} characters"


class UnknownEvent(DomainError):
    """A webhook's event that is none of those Switchboard tells of."""

    key = "error-webhook-event"
    template = "events: {event!r} is not an event ({events})"


class NoEvents(DomainError):
    """A webhook subscribed to nothing."""

    key = "error-webhook-no-events"
    template = "events: give at least one of {events}"


class InvalidWebhookSecret(DomainError):
    """A webhook's secret that is empty, too long or not printable."""

    key = "error-webhook-secret"
    template = "secret: must be 1 to {maximum} printable characters"


class UnknownWebhook(DomainError):
    """No webhook has this id."""

    key = "error-unknown-webhook"
    template = "unknown webhook {ref}"


class BanFormLead(DomainError):
    """A form's lead has no Telegram chat to block: their requests come through the API."""

    key = "error-ban-form-lead"
    template = "contact #{contact_id} is a form's lead; only Telegram clients can be blocked"


class BanStaff(DomainError):
    """The client of a contact is an operator or an admin: they are not blocked."""

    key = "error-ban-staff"
    template = "the client of contact #{contact_id} is an operator or an admin"


class AlreadyBanned(DomainError):
    """The client is blocked already."""

    key = "error-already-banned"
    template = "the client of contact #{contact_id} is blocked already"


class NotBanned(DomainError):
    """``/unban`` of someone who is not blocked."""

    key = "error-not-banned"
    template = "{telegram_id} is not blocked"


class InvalidTopicName(DomainError):
    """A topic name that is not 1–32 of ``a-z 0-9 _ -``."""

    key = "error-invalid-topic-name"
    template = "{name!r} is no topic name (1 to 32 of a-z, 0-9, _ and -)"


class InvalidTopicTitle(DomainError):
    """A topic title that is empty or too long for a button."""

    key = "error-invalid-topic-title"
    template = "a topic title has 1 to {limit} characters, this one {length}"


class UnknownTopic(DomainError):
    """No topic of that name in this bot."""

    key = "error-unknown-topic"
    template = "there is no topic {name}; the topics are {names}"


class NoTopics(DomainError):
    """The bot offers no topics."""

    key = "error-no-topics"
    template = "this bot offers no topics"


class FormWithoutTopics(DomainError):
    """Topics for a form source, which has no chat to offer them in."""

    key = "error-form-without-topics"
    template = "source {ref} is a form: forms have no topics (no chat to offer them in)"


class TopicGone(DomainError):
    """A button of a topic that was deleted since (or of another bot)."""

    key = "error-topic-gone"
    template = "that topic was removed"
