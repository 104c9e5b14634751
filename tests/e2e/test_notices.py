"""Every notice the services stage comes back from the outbox as it went in and renders with
its own text; rows the untyped outbox wrote before the models still read and render the same."""

import typing
from datetime import UTC, datetime

import pytest

from bot import render
from bot.texts import catalogs
from db.models import ContactStatus
from services import notices
from services.notices import (
    BotDegradedAlert,
    BotRecoveredAlert,
    ClientAssigned,
    ClientAutoClosed,
    ClientClosed,
    ClientOperatorJoined,
    ClientOutOfHours,
    ClientQueued,
    ClientRef,
    ClientSlowedDown,
    ClientTopics,
    ClientTransferred,
    DeliveryFailedAlert,
    EarlierContact,
    OperatorActivated,
    OperatorActivatedPaused,
    OperatorCard,
    OperatorClientEdited,
    OperatorClientSlowed,
    OperatorClosed,
    OperatorDeactivated,
    OperatorFormMessage,
    OperatorLimitChanged,
    OperatorReminder,
    OperatorTakenAway,
    OperatorTransferred,
    OperatorUnreachableAlert,
    QueueWaitAlert,
    SourceRef,
    TopicButton,
    notice_payload,
    read_notice,
)

EXAMPLES = [
    ClientAssigned(contact_id=1),
    ClientQueued(contact_id=1),
    ClientOutOfHours(contact_id=1, opens=datetime(2027, 1, 8, 8, tzinfo=UTC), zone="Europe/Berlin"),
    ClientOutOfHours(contact_id=1, opens=None),
    ClientOperatorJoined(contact_id=1),
    ClientClosed(contact_id=1),
    ClientTransferred(contact_id=1),
    ClientTopics(contact_id=1, topics=[TopicButton(id=1, title="<b>Sales</b> &")]),
    ClientAutoClosed(contact_id=1),
    ClientSlowedDown(contact_id=1),
    OperatorClientSlowed(contact_id=1, per_minute=20),
    OperatorCard(
        contact_id=7,
        lead=ClientRef(telegram_id=42, first_name="Ann", username="ann"),
        source=SourceRef(username="shop_bot"),
        history=[
            EarlierContact(
                id=3,
                source="shop_bot",
                status=ContactStatus.CLOSED,
                created_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
            )
        ],
    ),
    OperatorCard(
        contact_id=8,
        lead=ClientRef(
            telegram_id=None,
            first_name="<b>Eve</b> &",
            phone="+1 555 0100",
            email="eve@example.com",
            external_id="crm-<42>",
        ),
        source=SourceRef(username="site_form"),
        form=True,
        messages=["Call me <now> & then", "x" * 3000],
    ),
    OperatorFormMessage(contact_id=8, text="Again <b>& again"),
    OperatorClosed(contact_id=1, by="operator"),
    OperatorClosed(contact_id=1, by="admin"),
    OperatorTakenAway(contact_id=1),
    OperatorTransferred(contact_id=1, by="<b>Olga</b>", note="call <her> & back"),
    OperatorTransferred(contact_id=1, by="Olga"),
    OperatorReminder(contact_id=1, minutes=5),
    OperatorClientEdited(contact_id=1),
    OperatorDeactivated(),
    OperatorActivated(),
    OperatorActivatedPaused(),
    OperatorLimitChanged(limit=3, previous=5),
    QueueWaitAlert(minutes=16, total=2),
    DeliveryFailedAlert(chat=42, contact_id=7, error="rejected"),
    OperatorUnreachableAlert(operator="Olga", telegram_id=1001, source="shop_bot", requeued=2),
    BotDegradedAlert(source="shop_bot", minutes=5),
    BotRecoveredAlert(source="shop_bot", minutes=12, waited=140),
]


def _members(union: object) -> set[type]:
    """The models of a (nested, annotated) union of notices."""
    if typing.get_origin(union) is typing.Annotated:
        return _members(typing.get_args(union)[0])
    if isinstance(union, type):
        return {union}
    return {model for member in typing.get_args(union) for model in _members(member)}


def test_every_notice_has_an_example():
    members = _members(notices.Notice)
    assert {type(example) for example in EXAMPLES} == members


@pytest.mark.parametrize("notice", EXAMPLES, ids=lambda n: n.text_key)
def test_a_notice_reads_back_as_written_and_renders_its_own_text(notice):
    stored = read_notice(notice_payload(notice, "en"))
    assert stored == (notice, "en")
    for language in catalogs().languages:
        assert catalogs().bundles[language].has_message(notice.text_key)
        text, _ = render.notice(notice, language)
        assert text and "{" not in text


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        (
            {
                "key": "operator.contact_closed",
                "language": None,
                "params": {"contact_id": 4, "by": "admin", "reason": "spam"},
            },
            "✅ Contact #4 was closed by an admin.",
        ),
        (
            {
                "key": "admin.alert",
                "language": None,
                "params": {"what": "queue_wait", "minutes": 16, "total": 2},
            },
            "⚠️ A queued contact has waited 16 min of working time; 2 contacts are queued.",
        ),
        (
            {
                "key": "operator.card",
                "language": None,
                "params": {
                    "contact_id": 7,
                    "contact": {"id": 7, "created_at": "2026-12-01T10:00:00+00:00"},
                    "lead": {
                        "telegram_id": 42,
                        "first_name": "Ann",
                        "last_name": None,
                        "username": None,
                        "phone": None,
                    },
                    "source": {"id": 1, "username": "shop_bot", "title": "Shop"},
                    "history": [
                        {
                            "id": 3,
                            "source": "shop_bot",
                            "status": "closed",
                            "created_at": "2026-11-01T09:30:00+00:00",
                        }
                    ],
                },
            },
            "#3 via @shop_bot, closed, Nov 1, 2026, 9:30\u202fAM UTC",
        ),
    ],
    ids=["closed by an admin", "queue alert", "card"],
)
def test_a_row_of_the_untyped_outbox_renders_as_before(payload, shown):
    notice, language = read_notice(payload)
    text, _ = render.notice(notice, language or "en")
    assert shown in text


def test_an_alert_naming_a_contact_does_not_belong_to_it():
    """A reply to a notice goes to the contact the notice belongs to: an admin who is also an
    operator replying to a delivery-failed alert must not reach that client."""
    alert = next(n for n in EXAMPLES if isinstance(n, DeliveryFailedAlert))
    assert alert.contact_id is not None
    assert alert.contact is None


def test_a_form_card_shows_the_lead_as_typed_and_fits_one_message():
    card = next(n for n in EXAMPLES if isinstance(n, OperatorCard) and n.form)
    huge = card.model_copy(update={"messages": ["&<>" * 2000, "second"]})
    for language in catalogs().languages:
        text, keyboard = render.notice(huge, language)
        assert render.telegram_length(text) <= render.MESSAGE_LIMIT
        assert "&lt;b&gt;Eve&lt;/b&gt; &amp;" in text and "crm-&lt;42&gt;" in text
        assert text.endswith("…")
        assert keyboard is not None
