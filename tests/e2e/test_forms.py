"""Form sources over real HTTP against the running app: created and weighted through the API,
their leads' requests distributed as a bot's contacts (weights, limits, queue), the cards in
Telegram through the announcing bot, closed through the API or the card's button."""

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest

from fake_telegram import User
from services.hours import DAYS
from tests.e2e.helpers import buttons, settle, texts
from tests.harness import ADMIN
from tests.support.api import Api
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")
FORM_CARD = "📝 New contact #"
HOSTILE = "<b>Eve</b> & <i>co"


async def _form_desk(api: Api, switchboard: Switchboard, limit: int = 3) -> int:
    """Ann and Bob (limits ``limit``) started alpha_bot; a form source announced by it, with
    weights 1:3; its id."""
    for user in (ANN, BOB):
        body = {"telegram_id": user.id, "name": user.first_name, "limit": limit}
        status, answer = await api.call("POST", "/api/v1/operators", body)
        assert status == 201, answer
        await switchboard.command(user, "/start")
    status, source = await api.call("POST", "/api/v1/sources", {"name": "site_form"})
    assert status == 201, source
    assert (source["kind"], source["username"], source["operators"]) == ("form", "site_form", 2)
    weights = {"weights": [{"operator": ANN.id, "weight": 1}, {"operator": BOB.id, "weight": 3}]}
    status, view = await api.call("PUT", f"/api/v1/sources/{source['id']}/weights", weights)
    assert status == 200, view
    return source["id"]


def _lead(source_id: int, n: int) -> dict:
    return {
        "source_id": source_id,
        "external_id": f"lead-{n}",
        "name": HOSTILE if n == 0 else f"Lead {n}",
        "phone": f"+1 555 {n:04d}",
        "email": f"lead{n}@example.com",
        "message": f"I would like a quote, #{n} <script>",
    }


def _form_cards(switchboard: Switchboard, user: User) -> list:
    return [
        item
        for item in switchboard.telegram.received("alpha_bot", user.id)
        if (item.plain_text or "").startswith(FORM_CARD)
    ]


async def _states(api: Api, source_id: int) -> Counter:
    status, page = await api.call("GET", f"/api/v1/contacts?source_id={source_id}&limit=500")
    assert status == 200, page
    return Counter(item["state"] for item in page["items"])


async def test_the_whole_cycle_of_a_form(api: Api, api_switchboard: Switchboard):
    switchboard = api_switchboard
    source_id = await _form_desk(api, switchboard)
    answers = [await api.call("POST", "/api/v1/contacts", _lead(source_id, n)) for n in range(40)]
    assert {status for status, _ in answers} == {201}
    assert Counter(body["state"] for _, body in answers) == {"assigned": 6, "queued": 34}
    owners = Counter(body["operator_telegram_id"] for _, body in answers)
    assert (owners[ANN.id], owners[BOB.id]) == (3, 3)
    await switchboard.idle()
    assert (len(_form_cards(switchboard, ANN)), len(_form_cards(switchboard, BOB))) == (3, 3)

    first = answers[0][1]
    owner = ANN if first["operator_telegram_id"] == ANN.id else BOB
    card = _form_cards(switchboard, owner)[0]
    assert card.plain_text == (
        f"📝 New contact #{first['id']} from the form @site_form\n"
        f"Client: {HOSTILE}\n"
        "Phone: +1 555 0000\n"
        "Email: lead0@example.com\n"
        "Form's id: lead-0\n"
        "First contact of this client.\n"
        "The client wrote through a form: reach them by phone or email; "
        f"/close {first['id']} ends it.\n\n"
        "I would like a quote, #0 <script>"
    )

    # A reply to the card: there is no chat to send it to, and the operator is told so.
    seen = len(switchboard.telegram.received("alpha_bot", owner.id))
    await switchboard.telegram.send_message("alpha_bot", owner, "Hello!", reply_to=card.message_id)
    await switchboard.idle()
    assert texts(switchboard.telegram, "alpha_bot", owner.id, seen) == [
        f"Contact #{first['id']} came from a form, which has no chat to answer in: your "
        "message was not sent. Reach the client by the phone or email on its card; "
        f"/close {first['id']} ends it."
    ]

    # Closed through the API: the freed slot takes the oldest queued contact at once.
    status, closed = await api.call("POST", f"/api/v1/contacts/{first['id']}/close")
    assert (status, closed["state"]) == (200, "closed")
    await switchboard.idle()
    assert len(_form_cards(switchboard, owner)) == 4
    # The oldest queued request (the seventh) came with its message on the card.
    drained = _form_cards(switchboard, owner)[3].plain_text or ""
    assert drained.endswith("\n\nI would like a quote, #6 <script>")
    assert await _states(api, source_id) == {"assigned": 6, "queued": 33, "closed": 1}

    # Closed with the card's button: the same.
    other = _form_cards(switchboard, owner)[1]
    close = next(data for label, data in buttons(other) if label.startswith("✅"))
    await switchboard.telegram.press_button("alpha_bot", owner, other.message_id, close)
    await switchboard.telegram.wait_for(lambda: len(_form_cards(switchboard, owner)) == 5)
    await switchboard.idle()
    assert await _states(api, source_id) == {"assigned": 6, "queued": 32, "closed": 2}

    weights = await switchboard.command(ADMIN, "/weights")
    assert "Weights in @site_form:\nAnn: weight 1, share 25%\nBob: weight 3, share 75%" in weights
    assert "@site_form" in await switchboard.command(ADMIN, "/stats")
    # Ann and Bob started the announcing bot: they can be reached for the form too.
    _, operators = await api.call("GET", "/api/v1/operators")
    form_links = [s for op in operators for s in op["sources"] if s["source"] == "site_form"]
    assert [link["started"] for link in form_links] == [True, True]
    listed = await switchboard.command(ADMIN, "/operators")
    assert "@site_form: weight 1\n" in listed
    assert "@site_form: weight 1, has not started" not in listed
    set_here = await switchboard.command(ADMIN, f"/weights @site_form {ANN.id}=2")
    assert set_here.startswith("Weights in @site_form:\nAnn: weight 2, share 40%")


async def test_a_lead_writes_again_and_a_retry_gets_the_first_answer(
    api: Api, api_switchboard: Switchboard
):
    switchboard = api_switchboard
    source_id = await _form_desk(api, switchboard)
    request = _lead(source_id, 1)
    headers = {"Idempotency-Key": "form-submit-1"}
    status, first = await api.call("POST", "/api/v1/contacts", request, headers=headers)
    assert (status, first["state"]) == (201, "assigned")
    # The form retries (its answer was lost): the same answer, nothing registered again.
    assert await api.call("POST", "/api/v1/contacts", request, headers=headers) == (201, first)
    again = {**request, "message": "Another question"}
    status, refused = await api.call("POST", "/api/v1/contacts", again, headers=headers)
    assert (status, refused["error"]) == (
        422,
        "Idempotency-Key: form-submit-1 was used with another body",
    )
    # The same lead (by email alone) writes again: their open contact gets the message.
    status, second = await api.call(
        "POST",
        "/api/v1/contacts",
        {"source_id": source_id, "email": "LEAD1@example.com", "message": "Another question"},
    )
    assert (status, second["id"], second["lead_id"]) == (200, first["id"], first["lead_id"])
    status, detail = await api.call("GET", f"/api/v1/contacts/{first['id']}")
    assert [m["text"] for m in detail["messages"]] == [request["message"], "Another question"]
    await switchboard.idle()
    owner = ANN if first["operator_telegram_id"] == ANN.id else BOB
    assert texts(switchboard.telegram, "alpha_bot", owner.id)[-1] == (
        f"📝 Contact #{first['id']} (form) wrote again:\n\nAnother question"
    )
    # The operator closes it with /close, as any contact.
    await switchboard.command(owner, f"/close {first['id']}")
    status, detail = await api.call("GET", f"/api/v1/contacts/{first['id']}")
    assert (status, detail["state"]) == (200, "closed")


async def test_a_lead_known_by_telegram_id_is_the_lead_of_the_bots(
    api: Api, api_switchboard: Switchboard
):
    switchboard = api_switchboard
    source_id = await _form_desk(api, switchboard)
    client = User(30_001, "Carol")
    await switchboard.telegram.send_message("alpha_bot", client, "Hi from Telegram")
    await settle(switchboard)
    status, leads = await api.call("GET", "/api/v1/leads?q=Carol")
    assert status == 200, leads
    (carol,) = leads["items"]
    body = {"source_id": source_id, "telegram_id": client.id, "message": "Hi from the site"}
    status, contact = await api.call("POST", "/api/v1/contacts", body)
    assert status == 201, contact
    assert (contact["lead_id"], contact["lead_name"]) == (carol["id"], "Carol")


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"source_id": "1"}, 400, "body.source_id"),
        ({"source_id": 999}, 404, "unknown source 999"),
        ({"source_id": 1}, 422, "source_id: source 1 is a bot"),
        ({"message": ""}, 400, "body.message"),
        ({"message": "x" * 3001}, 400, "body.message"),
        ({"phone": "call me"}, 400, "body.phone"),
        ({"email": "nobody"}, 400, "body.email"),
        ({"telegram_id": -5}, 400, "body.telegram_id"),
        ({"external_id": None, "phone": None, "email": None}, 422, "lead: give at least one"),
        ({"colour": "red"}, 400, "body.colour"),
    ],
)
async def test_bad_requests_name_the_field_and_change_nothing(
    api: Api, api_switchboard: Switchboard, change, status, error
):
    source_id = await _form_desk(api, api_switchboard)
    body = {**_lead(source_id, 1), **change}
    got, answer = await api.call("POST", "/api/v1/contacts", body)
    assert got == status, answer
    assert error in answer["error"]
    assert await _states(api, source_id) == Counter()
    assert (await api.call("GET", "/api/v1/leads"))[1]["items"] == []


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"name": "site form"}, 400, "body.name"),
        ({"name": "alpha_bot"}, 409, "name: a source named alpha_bot exists already"),
        ({"name": "shop", "announcer_id": 999}, 422, "announcer_id: 999 is no bot's source"),
        ({"name": "shop", "extra": 1}, 400, "body.extra"),
    ],
)
async def test_bad_form_sources_are_refused(api: Api, body, status, error):
    before = await api.call("GET", "/api/v1/sources")
    got, answer = await api.call("POST", "/api/v1/sources", body)
    assert got == status, answer
    assert error in answer["error"]
    assert await api.call("GET", "/api/v1/sources") == before


async def test_limits_hold_when_200_requests_arrive_at_once(api: Api, api_switchboard: Switchboard):
    source_id = await _form_desk(api, api_switchboard)
    answers = await asyncio.gather(
        *(api.call("POST", "/api/v1/contacts", _lead(source_id, n)) for n in range(200))
    )
    assert {status for status, _ in answers} == {201}
    assert Counter(body["state"] for _, body in answers) == {"assigned": 6, "queued": 194}
    status, operators = await api.call("GET", "/api/v1/operators")
    assert status == 200, operators
    assert [(op["telegram_id"], op["load"]) for op in operators] == [(ANN.id, 3), (BOB.id, 3)]
    await api_switchboard.idle()
    assert (len(_form_cards(api_switchboard, ANN)), len(_form_cards(api_switchboard, BOB))) == (
        3,
        3,
    )


async def test_a_form_contact_is_transferred_with_its_card(api: Api, api_switchboard: Switchboard):
    switchboard = api_switchboard
    source_id = await _form_desk(api, switchboard)
    status, contact = await api.call("POST", "/api/v1/contacts", _lead(source_id, 5))
    assert status == 201, contact
    owner, other = (ANN, BOB) if contact["operator_telegram_id"] == ANN.id else (BOB, ANN)
    await switchboard.idle()
    answer = await switchboard.command(owner, f"/transfer {contact['id']} {other.id}")
    assert answer == f"Contact #{contact['id']} is now with {other.id}."
    await switchboard.idle()
    (card,) = _form_cards(switchboard, other)
    assert (card.plain_text or "").endswith("\n\nI would like a quote, #5 <script>")
    status, moved = await api.call("GET", f"/api/v1/contacts/{contact['id']}")
    assert (status, moved["operator_telegram_id"]) == (200, other.id)


async def test_a_form_with_business_hours_queues_its_leads_while_closed(
    api: Api, api_switchboard: Switchboard
):
    source_id = await _form_desk(api, api_switchboard)
    today = datetime.now(UTC).weekday()
    # One hour of a day two days away: closed now, whenever the test runs.
    elsewhere = f"{DAYS[(today + 3) % 7]} 10:00-11:00 tz=UTC"
    status, hours = await api.call(
        "PUT", f"/api/v1/sources/{source_id}/hours", {"hours": elsewhere}
    )
    assert (status, hours["open_now"]) == (200, False), hours

    status, contact = await api.call("POST", "/api/v1/contacts", _lead(source_id, 1))
    assert (status, contact["state"], contact["operator_telegram_id"]) == (201, "queued", None)
    assert _form_cards(api_switchboard, ANN) == _form_cards(api_switchboard, BOB) == []

    status, hours = await api.call("PUT", f"/api/v1/sources/{source_id}/hours", {"hours": "off"})
    assert (status, hours["open_now"]) == (200, True)
    await settle(api_switchboard)
    assert await _states(api, source_id) == Counter(assigned=1)
