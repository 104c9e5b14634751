"""Webhooks over real HTTP: subscriptions through the API, and the events of contacts POSTed
to a local receiver, signed, once each, in order per contact, also after the receiver failed
or was down for a while and after a restart."""

import asyncio
import hashlib
import hmac
import json
import logging
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.app import create_app
from bot.webhooks import AiohttpPoster
from db.engine import create_engine, create_session_factory
from db.repositories import WebhookRepository
from fake_telegram import User
from services.delivery.webhooks import SenderConfig, WebhookSender
from tests.harness import ADMIN, FAST, eventually, free_port
from tests.support.api import KEY, Api
from tests.support.db import TEST_DATABASE_URL
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
CLIENT = User(30_001, "Carl")
OTHER = User(30_002, "Olga")
SECRET = "s3cr3t-for-the-crm"
ALL = ["contact.opened", "contact.assigned", "contact.closed", "message.received"]


@dataclass
class Hit:
    """One POST the receiver got."""

    headers: dict[str, str]
    raw: bytes
    status: int

    @property
    def event(self) -> dict:
        return json.loads(self.raw)


@dataclass
class Receiver:
    """A CRM's endpoint: answers each POST with ``answer(n)`` (n: the POSTs so far)."""

    port: int = field(default_factory=free_port)
    answer: Callable[[int], int] = lambda _n: 200
    hits: list[Hit] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def delivered(self) -> list[dict]:
        """The events it accepted, in the order it got them."""
        return [hit.event for hit in self.hits if 200 <= hit.status < 300]

    async def start(self) -> None:
        async def hook(request: web.Request) -> web.Response:
            status = self.answer(len(self.hits))
            hit = Hit(dict(request.headers), await request.read(), status)
            async with self.changed:
                self.hits.append(hit)
                self.changed.notify_all()
            return web.Response(status=status)

        app = web.Application()
        app.router.add_post("/hook", hook)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Until ``predicate()`` is true, re-checked after every POST."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(predicate), timeout)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    running = Receiver()
    await running.start()
    yield running
    if running.runner is not None:
        await running.stop()


@pytest.fixture
async def hooked(telegram, make_settings) -> AsyncIterator[Switchboard]:
    """A Switchboard with its API on and quick retries of events (at most 0.2 s apart)."""
    settings = make_settings(api_keys=KEY, event_retry_max_seconds=0.2)
    app = await create_app(settings, rng=random.Random(7), pacing=FAST)
    running = Switchboard(app, telegram)
    await running.start()
    yield running
    await running.stop()


def _api(switchboard: Switchboard) -> Api:
    return Api(switchboard.app.settings.http_port)


async def _subscribe(api: Api, url: str, events: list[str] = ALL) -> dict:
    status, body = await api.call(
        "POST", "/api/v1/webhooks", {"url": url, "events": events, "secret": SECRET}
    )
    assert status == 201, body
    return body


async def _desk(api: Api, switchboard: Switchboard) -> None:
    """Ann, an operator who started alpha_bot."""
    status, body = await api.call("POST", "/api/v1/operators", {"telegram_id": ANN.id})
    assert status == 201, body
    await switchboard.command(ANN, "/start")


async def _emptied(switchboard: Switchboard) -> None:
    """Until the webhook outbox is empty (every event delivered or given up, and recorded):
    from then on nothing more is sent."""

    async def empty() -> bool:
        async with switchboard.app.session_factory() as session, session.begin():
            return await WebhookRepository(session).pending() == 0

    await eventually(empty, "the webhook outbox is empty")


def _verifies(hit: Hit, secret: str = SECRET) -> bool:
    """What a receiver does: the HMAC of the raw body, compared in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), hit.raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, hit.headers["X-Switchboard-Signature"])


def _lines(events: list[dict]) -> dict[int, list[str]]:
    """Each contact's event names, in the order received."""
    lines: dict[int, list[str]] = {}
    for event in events:
        lines.setdefault(event["contact_id"], []).append(event["event"])
    return lines


LIFE = [
    "contact.opened",
    "contact.assigned",
    "message.received",
    "message.received",
    "contact.closed",
]


async def _live_a_contact(api: Api, switchboard: Switchboard, client: User) -> int:
    """``client`` writes twice, the contact is closed through the API; its id."""
    telegram = switchboard.telegram
    await telegram.send_message("alpha_bot", client, "Hello")
    await switchboard.idle()
    await telegram.send_message("alpha_bot", client, "Are you there?")
    await switchboard.idle()
    status, page = await api.call("GET", "/api/v1/contacts?state=assigned")
    assert status == 200, page
    contact_id = next(c["id"] for c in page["items"] if c["lead_telegram_id"] == client.id)
    status, body = await api.call("POST", f"/api/v1/contacts/{contact_id}/close")
    assert status == 200, body
    return contact_id


async def test_each_event_reaches_its_subscribers_once_signed_and_in_order(
    hooked: Switchboard, receiver: Receiver
):
    api = _api(hooked)
    await _desk(api, hooked)
    closings = Receiver()
    await closings.start()
    try:
        await _subscribe(api, receiver.url)
        await _subscribe(api, closings.url, ["contact.closed"])
        contact_id = await _live_a_contact(api, hooked, CLIENT)
        await receiver.wait_for(lambda: len(receiver.hits) >= len(LIFE))
        await closings.wait_for(lambda: len(closings.hits) >= 1)
        await _emptied(hooked)  # nothing more is on its way: each came once
    finally:
        await closings.stop()

    events = receiver.delivered
    assert [e["event"] for e in events] == LIFE
    assert all(_verifies(hit) for hit in receiver.hits)
    assert [hit.headers["X-Switchboard-Event-Id"] for hit in receiver.hits] == [
        e["id"] for e in events
    ]
    assert len({e["id"] for e in events}) == len(LIFE)
    assert {hit.headers["Content-Type"] for hit in receiver.hits} == {"application/json"}
    opened, assigned, first, second, closed = events
    source_id = hooked.app.sources[next(b.id for b in hooked.app.bots)].id
    for event in events:
        assert (event["contact_id"], event["source_id"]) == (contact_id, source_id)
        assert event["lead_id"] == opened["lead_id"]
    assert assigned["operator_telegram_id"] == ANN.id
    assert assigned["previous_operator_telegram_id"] is None
    assert (first["text"], second["text"]) == ("Hello", "Are you there?")
    assert first["operator_telegram_id"] == second["operator_telegram_id"] == ANN.id
    assert (closed["operator_telegram_id"], closed["closed_by"]) == (ANN.id, "admin")
    assert opened["occurred_at"] <= assigned["occurred_at"] <= closed["occurred_at"]

    # Another subscription, to the closings only, got the same event (same id, same body).
    assert [hit.event for hit in closings.hits] == [closed]
    assert _verifies(closings.hits[0])


async def test_a_failing_receiver_gets_every_event_later_in_order(
    hooked: Switchboard, receiver: Receiver
):
    api = _api(hooked)
    await _desk(api, hooked)
    receiver.answer = lambda n: 503 if n < 6 else 200  # six refusals, then it works
    await _subscribe(api, receiver.url)
    first = await _live_a_contact(api, hooked, CLIENT)
    second = await _live_a_contact(api, hooked, OTHER)
    await receiver.wait_for(lambda: len(receiver.delivered) >= 2 * len(LIFE))
    await _emptied(hooked)

    assert [hit.status for hit in receiver.hits[:6]] == [503] * 6
    assert _lines(receiver.delivered) == {first: LIFE, second: LIFE}
    ids = [event["id"] for event in receiver.delivered]
    assert len(set(ids)) == len(ids)  # a refused event is sent again, never a delivered one
    assert all(_verifies(hit) for hit in receiver.hits)


async def test_events_wait_while_the_receiver_is_down_and_survive_a_restart(
    telegram, make_settings, caplog
):
    caplog.set_level(logging.INFO, "services.delivery.webhooks")
    settings = make_settings(api_keys=KEY, event_retry_max_seconds=0.2)
    app = await create_app(settings, rng=random.Random(7), pacing=FAST)
    switchboard = Switchboard(app, telegram)
    await switchboard.start()
    receiver = Receiver()  # not started: nobody listens on its port
    api = _api(switchboard)
    try:
        await _desk(api, switchboard)
        await _subscribe(api, receiver.url)
        contact_id = await _live_a_contact(api, switchboard, CLIENT)

        async def tried() -> bool:
            return any("not delivered" in r.getMessage() for r in caplog.records)

        await eventually(tried, "a POST to the receiver that is down was tried")
    finally:
        await switchboard.stop()
    assert await _pending(app) == len(LIFE)  # kept, not lost

    again = await create_app(
        make_settings(
            api_keys=KEY, event_retry_max_seconds=0.2, database_url=settings.database_url
        ),
        rng=random.Random(8),
        pacing=FAST,
    )
    restarted = Switchboard(again, telegram)
    await restarted.start()
    try:
        await receiver.start()
        await receiver.wait_for(lambda: len(receiver.hits) >= len(LIFE))
        await _emptied(restarted)
    finally:
        await receiver.stop()
        await restarted.stop()
    assert _lines(receiver.delivered) == {contact_id: LIFE}
    assert all(_verifies(hit) for hit in receiver.hits)


async def _pending(app) -> int:
    """The webhook outbox of a stopped app (its engine disposed: a new connection)."""
    async with app.session_factory() as session, session.begin():
        return await WebhookRepository(session).pending()


async def test_a_refusal_for_good_gives_one_event_up_and_the_next_go_on(
    hooked: Switchboard, receiver: Receiver, caplog
):
    caplog.set_level(logging.WARNING, "services.delivery.webhooks")
    api = _api(hooked)
    await _desk(api, hooked)
    receiver.answer = lambda n: 410 if n == 0 else 200  # the first one is refused for good
    await _subscribe(api, receiver.url)
    await _live_a_contact(api, hooked, CLIENT)
    await receiver.wait_for(lambda: len(receiver.hits) >= len(LIFE))
    await _emptied(hooked)
    assert [hit.event["event"] for hit in receiver.hits] == LIFE  # each tried once
    assert [e["event"] for e in receiver.delivered] == LIFE[1:]
    given_up = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
    assert len(given_up) == 1 and "contact.opened" in given_up[0] and "HTTP 410" in given_up[0]


async def test_subscriptions_are_validated_listed_and_deleted(
    hooked: Switchboard, receiver: Receiver
):
    api = _api(hooked)
    good = {"url": receiver.url, "events": ["contact.closed"], "secret": SECRET}
    refusals = [
        ({**good, "url": "ftp://example.com/hook"}, 422, "url: "),
        ({**good, "url": "https://"}, 422, "url: "),
        ({**good, "url": "not a url"}, 422, "url: "),
        ({**good, "events": []}, 422, "events: "),
        ({**good, "events": ["contact.closed", "contact.reopened"]}, 422, "events: "),
        ({**good, "secret": ""}, 422, "secret: "),
        ({**good, "secret": "x" * 257}, 422, "secret: "),
        ({**good, "events": "contact.closed"}, 400, "body.events"),
        ({"url": receiver.url, "events": ["contact.closed"]}, 400, "body.secret"),
        ({**good, "active": True}, 400, "body.active"),
    ]
    for body, expected, field_name in refusals:
        status, answer = await api.call("POST", "/api/v1/webhooks", body)
        assert (status, answer["error"].startswith(field_name)) == (expected, True), (body, answer)
    status, listed = await api.call("GET", "/api/v1/webhooks")
    assert (status, listed) == (200, [])

    created = await _subscribe(api, receiver.url, ["contact.closed", "contact.opened"])
    other = await _subscribe(
        api, "https://crm.example.com/switchboard?token=1", ["message.received"]
    )
    assert created["events"] == ["contact.closed", "contact.opened"]
    status, listed = await api.call("GET", "/api/v1/webhooks")
    assert status == 200
    assert [item["id"] for item in listed] == [created["id"], other["id"]]
    assert all("secret" not in item for item in [*listed, created])
    assert SECRET not in json.dumps(listed)

    status, removed = await api.call("DELETE", f"/api/v1/webhooks/{other['id']}")
    assert (status, removed["id"]) == (200, other["id"])
    for missing in (other["id"], 999_999, 0, -1):
        status, answer = await api.call("DELETE", f"/api/v1/webhooks/{missing}")
        assert status == 404, answer
        assert answer["error"] == f"unknown webhook {missing}"
    status, listed = await api.call("GET", "/api/v1/webhooks")
    assert [item["id"] for item in listed] == [created["id"]]

    # A deleted subscription gets nothing more; the one left gets what it subscribed to.
    await _desk(api, hooked)
    await api.call("DELETE", f"/api/v1/webhooks/{created['id']}")
    await _subscribe(api, receiver.url, ["contact.opened"])
    contact_id = await _live_a_contact(api, hooked, CLIENT)
    await receiver.wait_for(lambda: len(receiver.hits) >= 1)
    await _emptied(hooked)
    assert [(e["event"], e["contact_id"]) for e in receiver.delivered] == [
        ("contact.opened", contact_id)
    ]


async def test_a_queued_contact_is_assigned_when_an_operator_comes_and_moved_by_assign(
    hooked: Switchboard, receiver: Receiver
):
    api = _api(hooked)
    events = ["contact.opened", "contact.assigned", "contact.requeued", "message.received"]
    await _subscribe(api, receiver.url, events)
    await hooked.telegram.send_message("alpha_bot", CLIENT, "Anybody?")
    await hooked.idle()
    await receiver.wait_for(lambda: len(receiver.hits) >= 2)
    opened, waiting = receiver.delivered
    assert (opened["event"], waiting["event"]) == ("contact.opened", "message.received")
    assert waiting["operator_telegram_id"] is None  # queued: nobody gets it yet

    await _desk(api, hooked)  # Ann starts the bot: the queue drains to her
    await receiver.wait_for(lambda: len(receiver.hits) >= 3)
    taken = receiver.delivered[2]
    assert (taken["event"], taken["operator_telegram_id"]) == ("contact.assigned", ANN.id)
    assert taken["contact_id"] == opened["contact_id"]

    bob = User(1002, "Bob", username="bob_op")
    status, body = await api.call("POST", "/api/v1/operators", {"telegram_id": bob.id})
    assert status == 201, body
    await hooked.command(bob, "/start")
    await hooked.command(ADMIN, f"/assign {opened['contact_id']} {bob.id}")
    await receiver.wait_for(lambda: len(receiver.hits) >= 4)
    moved = receiver.delivered[3]
    assert moved["event"] == "contact.assigned"
    assert (moved["operator_telegram_id"], moved["previous_operator_telegram_id"]) == (
        bob.id,
        ANN.id,
    )

    # Bob is removed: his contact goes back to the queue (an event), and on to Ann (another).
    assert (await api.call("DELETE", f"/api/v1/operators/{bob.id}"))[0] == 200
    await receiver.wait_for(lambda: len(receiver.hits) >= 6)
    requeued, again = receiver.delivered[4:]
    assert requeued["event"] == "contact.requeued"
    assert (requeued["previous_operator_telegram_id"], requeued["reason"]) == (
        bob.id,
        "operator_removed",
    )
    assert (again["event"], again["operator_telegram_id"]) == ("contact.assigned", ANN.id)


@pytest.mark.skipif(TEST_DATABASE_URL is None, reason="several processes need PostgreSQL")
async def test_two_senders_on_one_database_send_each_event_once_in_order(
    hooked: Switchboard, receiver: Receiver
):
    """A second process's sender (its own engine and poster) shares the outbox with the app's:
    the leases give every event to one of them, and each contact's line stays in order."""
    settings = hooked.app.settings
    engine = create_engine(settings.database_url)
    poster = AiohttpPoster(settings.event_timeout_seconds)
    other = WebhookSender(
        create_session_factory(engine),
        poster,
        asyncio.Event(),
        SenderConfig(retry_base=0.05, retry_max=0.2, idle_poll=0.05),
        random.Random(9),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(other.run(stop))
    api = _api(hooked)
    try:
        await _desk(api, hooked)
        # Every third POST is refused once: retries and the two senders interleave.
        receiver.answer = lambda n: 503 if n % 3 == 0 else 200
        await _subscribe(api, receiver.url)
        clients = [User(31_000 + n, f"Client {n}") for n in range(4)]
        contacts = [await _live_a_contact(api, hooked, client) for client in clients]
        await receiver.wait_for(lambda: len(receiver.delivered) >= len(LIFE) * len(clients))
        await _emptied(hooked)
    finally:
        stop.set()
        await running
        await poster.close()
        await engine.dispose()
    assert _lines(receiver.delivered) == dict.fromkeys(contacts, LIFE)
    ids = [event["id"] for event in receiver.delivered]
    assert len(set(ids)) == len(ids)


async def test_a_form_request_tells_of_its_contact_and_message(
    hooked: Switchboard, receiver: Receiver
):
    api = _api(hooked)
    await _desk(api, hooked)
    status, source = await api.call("POST", "/api/v1/sources", {"name": "site_form"})
    assert status == 201, source
    await _subscribe(api, receiver.url)
    request = {"source_id": source["id"], "email": "ann@example.com", "message": "Call me"}
    status, contact = await api.call("POST", "/api/v1/contacts", request)
    assert status == 201, contact
    status, again = await api.call("POST", "/api/v1/contacts", {**request, "message": "Soon"})
    assert status == 200, again
    await receiver.wait_for(lambda: len(receiver.delivered) >= 4)
    await _emptied(hooked)
    events = receiver.delivered
    assert [e["event"] for e in events] == LIFE[:4]
    assert {(e["contact_id"], e["source_id"], e["lead_id"]) for e in events} == {
        (contact["id"], source["id"], contact["lead_id"])
    }
    assert [(e["text"], e["content_type"]) for e in events[2:]] == [
        ("Call me", "form"),
        ("Soon", "form"),
    ]
    assert events[1]["operator_telegram_id"] == ANN.id == events[3]["operator_telegram_id"]
