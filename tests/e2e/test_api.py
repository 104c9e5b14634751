"""The HTTP API over real HTTP against the running app: keys, the schema, operators, sources
and weights, with the same effects in Telegram as the bot's commands."""

import csv
import io
import itertools
import logging
import random
from typing import get_args

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from api.app import mount_api
from api.context import ApiContext
from api.schemas import StateName
from db.engine import create_engine, create_session_factory
from db.repositories import ContactState
from fake_telegram import User
from services import records
from services.outbox import NoSignal
from tests.e2e.helpers import clients, settle, texts
from tests.harness import ADMIN
from tests.support.api import KEY, Api
from tests.support.switchboard import Switchboard

ANN = User(1001, "Ann", username="ann_op")
BOB = User(1002, "Bob", username="bob_op")


async def _operators(api: Api) -> list[dict]:
    status, body = await api.call("GET", "/api/v1/operators")
    assert status == 200, body
    return body


async def test_api_is_off_without_keys(switchboard: Switchboard):
    port = switchboard.app.settings.http_port
    for path in ("/api/v1/operators", "/api/v1/openapi.json", "/api/docs"):
        status, _ = await Api(port).call("GET", path)
        assert status == 404, path
    assert (await Api(port).call("GET", "/healthz"))[0] == 200


async def test_a_missing_or_wrong_key_is_refused_and_changes_nothing(
    api: Api, api_switchboard: Switchboard, caplog
):
    caplog.set_level(logging.DEBUG)
    port = api_switchboard.app.settings.http_port
    attempts = [
        Api(port, key=None),
        Api(port, key="wrong-key-0123456789"),
        Api(port, key=KEY + "x"),
    ]
    for client in attempts:
        status, body = await client.call("POST", "/api/v1/operators", {"telegram_id": 1001})
        assert status == 401, body
        assert "Authorization: Bearer <key>" in body["error"]
    status, body = await api.call(
        "GET", "/api/v1/operators", headers={"Authorization": f"Basic {KEY}"}
    )
    assert status == 401
    assert await _operators(api) == []
    assert await api_switchboard.command(ADMIN, "/operators") == (
        "No operators yet. Add one with /addop <telegram id> [limit]."
    )
    assert all(KEY not in record.getMessage() for record in caplog.records)


async def test_the_schema_and_the_docs(api: Api):
    api.key = None  # both are public: they describe, they change nothing
    status, schema = await api.call("GET", "/api/v1/openapi.json")
    assert status == 200
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/operators", "/api/v1/operators/{telegram_id}"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/sources/{source_id}/weights"]) == {"get", "put"}
    assert schema["security"] == [{"bearer": []}]
    assert "OperatorCreate" in schema["components"]["schemas"]
    status, page = await api.call("GET", "/api/docs")
    assert status == 200
    assert "/api/v1/openapi.json" in page


async def test_operators_through_the_api_as_through_the_commands(
    api: Api, api_switchboard: Switchboard
):
    status, ann = await api.call(
        "POST", "/api/v1/operators", {"telegram_id": 1001, "name": "<b>Ann</b> & co", "limit": 3}
    )
    assert status == 201, ann
    assert ann["state"] == "active"
    assert (ann["load"], ann["limit"]) == (0, 3)
    assert [(s["source"], s["weight"], s["started"]) for s in ann["sources"]] == [
        ("alpha_bot", 1, False),
        ("beta_bot", 1, False),
    ]
    assert "<b>Ann</b> & co (1001): active, 0/3" in (
        await api_switchboard.command(ADMIN, "/operators")
    )
    status, bob = await api.call("POST", "/api/v1/operators", {"telegram_id": 1002})
    assert (status, bob["limit"]) == (201, api_switchboard.app.settings.default_limit)

    assert await api_switchboard.command(ANN, "/start") == (
        "You will get contacts from @alpha_bot here."
    )
    seen = len(api_switchboard.telegram.received("alpha_bot", ANN.id))
    status, ann = await api.call("PATCH", "/api/v1/operators/1001", {"limit": 4})
    assert (status, ann["limit"], ann["username"]) == (200, 4, "ann_op")
    status, ann = await api.call("PATCH", "/api/v1/operators/1001", {"active": False})
    assert (status, ann["state"], ann["active"]) == (200, "inactive", False)
    assert (ann["shift"], ann["on_shift"], ann["on_duty"]) == (None, True, False)
    change = {"shift": "mon-sun 00:00-24:00", "on_duty": True}  # on shift whenever it runs
    status, ann = await api.call("PATCH", "/api/v1/operators/1001", change)
    assert status == 200, ann
    assert (ann["shift"], ann["on_shift"], ann["on_duty"]) == (
        "mon-sun 00:00-24:00 tz=UTC",
        True,
        True,
    )
    assert "shift mon-sun 00:00-24:00 tz=UTC, on shift now" in (
        await api_switchboard.command(ADMIN, "/operators")
    )
    await api_switchboard.idle()
    assert texts(api_switchboard.telegram, "alpha_bot", ANN.id, seen) == [
        "An admin set your limit of open contacts to 4 (it was 3).",
        "⏸ An admin has deactivated you: you get no new contacts until an admin activates "
        "you again. Your open contacts stay with you.",
    ]

    status, removed = await api.call("DELETE", "/api/v1/operators/1001")
    assert (status, removed) == (200, {"telegram_id": 1001, "requeued": 0})
    assert (await api.call("GET", "/api/v1/operators/1001"))[0] == 404
    assert [op["telegram_id"] for op in await _operators(api)] == [1002]
    # As after /delop, the bot shows the former operator a client's menu again.
    scope = {"type": "chat", "chat_id": ANN.id}
    await api_switchboard.telegram.wait_for(
        lambda: (
            [c["command"] for c in api_switchboard.telegram.commands_of("alpha_bot", scope)]
            == ["help", "language"]
        )
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error"),
    [
        ("POST", "/api/v1/operators", {"telegram_id": 1002}, 409, "1002 is an operator already"),
        ("POST", "/api/v1/operators", {"telegram_id": 0}, 422, "0"),
        ("POST", "/api/v1/operators", {"telegram_id": 2**70}, 422, "Telegram id"),
        ("POST", "/api/v1/operators", {"telegram_id": 5, "limit": -1}, 422, "limit"),
        ("POST", "/api/v1/operators", {"telegram_id": 5, "limit": 1001}, 422, "limit"),
        ("POST", "/api/v1/operators", {"telegram_id": 5, "limit": "3"}, 400, "body.limit"),
        ("POST", "/api/v1/operators", {"telegram_id": "5"}, 400, "body.telegram_id"),
        ("POST", "/api/v1/operators", {"telegram_id": 5, "limits": 3}, 400, "body.limits"),
        ("POST", "/api/v1/operators", {}, 400, "body.telegram_id"),
        ("POST", "/api/v1/operators", [1, 2], 400, ""),
        ("PATCH", "/api/v1/operators/1002", {"limit": -2, "active": False}, 422, "limit"),
        ("PATCH", "/api/v1/operators/1002", {"active": "no"}, 400, "body.active"),
        ("PATCH", "/api/v1/operators/77", {"active": False}, 404, "unknown operator 77"),
        ("PATCH", "/api/v1/operators/abc", {"active": False}, 400, "path.telegram_id"),
        ("PATCH", "/api/v1/operators/1002", {"shift": "mon 25:00-26:00"}, 422, "25:00"),
        (
            "PATCH",
            "/api/v1/operators/1002",
            {"shift": "mon 09:00-13:00 mon 12:00-18:00", "on_duty": True},
            422,
            "overlap",
        ),
        ("PATCH", "/api/v1/operators/1002", {"on_duty": "yes"}, 400, "body.on_duty"),
        ("DELETE", f"/api/v1/operators/{2**64}", None, 422, "Telegram id"),
        ("DELETE", "/api/v1/operators/-5", None, 404, "unknown operator -5"),
        ("GET", "/api/v1/nothing", None, 404, "Not Found"),
    ],
)
async def test_bad_operator_requests_name_the_field_and_change_nothing(
    api: Api, method, path, body, status, error
):
    await api.call("POST", "/api/v1/operators", {"telegram_id": 1002, "limit": 2})
    before = await _operators(api)
    got, answer = await api.call(method, path, body)
    assert got == status, answer
    assert error in answer["error"]
    assert await _operators(api) == before


async def test_malformed_and_huge_bodies_are_refused(api: Api):
    headers = {"Content-Type": "application/json"}
    status, answer = await api.call("POST", "/api/v1/operators", data=b"{oops", headers=headers)
    assert (status, answer["error"]) == (400, "Malformed JSON")
    status, answer = await api.call("POST", "/api/v1/operators", data=b"\xff\xfe", headers=headers)
    assert status == 400, answer
    huge = b'{"telegram_id": 5, "name": "' + b"x" * (1024 * 1024) + b'"}'
    status, answer = await api.call("POST", "/api/v1/operators", data=huge, headers=headers)
    assert status == 413, answer
    assert "body" in answer["error"].lower()
    assert await _operators(api) == []


async def test_sources_and_weights_as_with_the_command(api: Api, api_switchboard: Switchboard):
    await api_switchboard.add_operator(ANN, limit=3)
    await api_switchboard.add_operator(BOB, limit=3)
    status, sources = await api.call("GET", "/api/v1/sources")
    assert status == 200
    assert [(s["username"], s["contacts"], s["queued"], s["operators"]) for s in sources] == [
        ("alpha_bot", 0, 0, 2),
        ("beta_bot", 0, 0, 2),
    ]
    alpha = sources[0]["id"]
    path = f"/api/v1/sources/{alpha}/weights"
    status, view = await api.call(
        "PUT",
        path,
        {"weights": [{"operator": 1001, "weight": 3}, {"operator": "@bob_op", "weight": 1}]},
    )
    assert status == 200, view
    assert [(w["telegram_id"], w["weight"], w["share"]) for w in view["weights"]] == [
        (1001, 3, 0.75),
        (1002, 1, 0.25),
    ]
    assert (await api.call("GET", path)) == (200, view)
    assert await api_switchboard.command(ADMIN, "/weights") == (
        "Weights in @alpha_bot:\nAnn: weight 3, share 75%\nBob: weight 1, share 25%"
    )

    refused = [
        ({"weights": [{"operator": 1001, "weight": 1}, {"operator": 4242, "weight": 1}]}, 404),
        ({"weights": [{"operator": 1001, "weight": -1}]}, 422),
        ({"weights": [{"operator": 1001, "weight": 1001}]}, 422),
        ({"weights": [{"operator": 1001, "weight": 1}, {"operator": "@ann_op", "weight": 2}]}, 422),
        ({"weights": []}, 422),
        ({"weights": [{"operator": 1001}]}, 400),
        ({"weights": [{"operator": 1001, "weight": 1.5}]}, 400),
        ({"weights": [{"operator": "ann", "weight": 1}]}, 422),
    ]
    for body, status in refused:
        got, answer = await api.call("PUT", path, body)
        assert got == status, (body, answer)
        assert answer["error"]
    assert (await api.call("GET", path)) == (200, view)
    for missing in (999, 2**63, -1):
        got, answer = await api.call("GET", f"/api/v1/sources/{missing}/weights")
        assert (got, answer["error"]) == (404, f"unknown source {missing}")


async def test_mode_as_with_the_command(api: Api, api_switchboard: Switchboard):
    status, sources = await api.call("GET", "/api/v1/sources")
    alpha = sources[0]["id"]
    path = f"/api/v1/sources/{alpha}/mode"
    assert await api.call("GET", path) == (
        200,
        {"source_id": alpha, "source": "alpha_bot", "mode": "random", "previous": "random"},
    )
    status, view = await api.call("PUT", path, {"mode": "exact"})
    assert (status, view["mode"], view["previous"]) == (200, "exact", "random")
    assert "in the mode exact:" in await api_switchboard.command(ADMIN, "/mode")
    # Setting the mode it has changes nothing and says so.
    assert (await api.call("PUT", path, {"mode": "exact"}))[1]["previous"] == "exact"

    for body in ({"mode": "fastest"}, {"mode": 1}, {}, {"mode": "exact", "when": "now"}):
        got, answer = await api.call("PUT", path, body)
        assert got == 400, (body, answer)
        assert "mode" in answer["error"] or "when" in answer["error"], answer
    assert (await api.call("GET", path))[1]["mode"] == "exact"
    got, answer = await api.call("PUT", "/api/v1/sources/999/mode", {"mode": "random"})
    assert (got, answer["error"]) == (404, "unknown source 999")


async def _refuse_unknown_sources(
    api: Api, tail: str, methods: tuple[str, ...], body: dict | None = None
) -> None:
    """``methods`` of ``/sources/{id}/<tail>`` (with ``body``) answer 404 for ids no source
    has, however large."""
    for missing, method in itertools.product((999, 2**63, 2**130, -1), methods):
        got, answer = await api.call(method, f"/api/v1/sources/{missing}/{tail}", body)
        assert (got, answer["error"]) == (404, f"unknown source {missing}"), (method, tail)


async def test_hours_as_with_the_commands(api: Api, api_switchboard: Switchboard):
    status, sources = await api.call("GET", "/api/v1/sources")
    alpha = sources[0]["id"]
    path = f"/api/v1/sources/{alpha}/hours"
    always = {
        "source_id": alpha,
        "source": "alpha_bot",
        "hours": None,
        "holidays": [],
        "after_hours": "queue",
        "open_now": True,
        "opens": None,
    }
    assert await api.call("GET", path) == (200, always)
    # Open around the clock, whatever the time the test runs at; the holidays are years ahead.
    body = {
        "hours": "mon-sun 00:00-24:00 tz=Europe/Moscow",
        "holidays": ["2030-01-02", "2030-01-01", "2030-01-01"],
        "after_hours": "duty",
    }
    status, view = await api.call("PUT", path, body)
    assert status == 200, view
    assert view == {
        **always,
        "hours": "mon-sun 00:00-24:00 tz=Europe/Moscow",
        "holidays": ["2030-01-01", "2030-01-02"],
        "after_hours": "duty",
    }
    shown = await api_switchboard.command(ADMIN, "/hours")
    assert "Business hours of @alpha_bot: mon-sun 00:00-24:00 tz=Europe/Moscow" in shown
    assert "operators on duty take new contacts" in shown
    assert "2030-01-01, 2030-01-02" in shown

    for refused, code, error in [
        ({"hours": "mon 25:00-26:00"}, 422, "25:00"),
        ({"hours": "off", "holidays": ["2030-02-30"]}, 422, "2030-02-30"),
        ({"after_hours": "night", "hours": "off"}, 400, "after_hours"),
        ({"holidays": "2030-01-01"}, 400, "holidays"),
        ({"holidays": ["2030-01-01"] * 401}, 400, "holidays"),
        ({"hours": "off", "when": "now"}, 400, "when"),
    ]:
        got, answer = await api.call("PUT", path, refused)
        assert got == code and error in answer["error"], (refused, answer)
    assert (await api.call("GET", path))[1] == view
    status, view = await api.call("PUT", path, {"hours": "off", "holidays": []})
    assert (status, view) == (200, {**always, "after_hours": "duty"})
    await _refuse_unknown_sources(api, "hours", ("GET", "PUT"), {"hours": "off"})


async def test_topics_as_with_the_commands(api: Api, api_switchboard: Switchboard):
    status, sources = await api.call("GET", "/api/v1/sources")
    alpha = sources[0]["id"]
    topics = f"/api/v1/sources/{alpha}/topics"
    assert await api.call("GET", topics) == (200, [])
    await api.call("POST", "/api/v1/operators", {"telegram_id": 1001, "name": "Ann"})
    body = {"title": "Buying & <b>prices</b>", "weights": [{"operator": 1001, "weight": 3}]}
    status, sales = await api.call("PUT", f"{topics}/Sales", body)
    assert (status, sales) == (
        200,
        {
            "name": "sales",
            "title": "Buying & <b>prices</b>",
            "weights": [{"telegram_id": 1001, "name": "Ann", "weight": 3}],
            "replaced": False,
        },
    )
    shown = await api_switchboard.command(ADMIN, "/topics")
    assert "sales" in shown and "Buying & <b>prices</b>" in shown and "Ann=3" in shown
    status, again = await api.call("PUT", f"{topics}/sales", {"title": "Prices"})
    assert (status, again["title"], again["weights"], again["replaced"]) == (
        200,
        "Prices",
        sales["weights"],
        True,
    )
    listed = [{**sales, "title": "Prices"}]
    del listed[0]["replaced"]

    for path, refused, code, error in [
        (f"{topics}/no%20spaces", {"title": "X"}, 422, "topic"),
        (f"{topics}/sales", {"title": ""}, 422, "title"),
        (f"{topics}/sales", {"title": "X", "weights": [{"operator": 77, "weight": 1}]}, 404, "77"),
        (f"{topics}/sales", {"title": "X", "weights": [{"operator": 1001, "weight": -1}]}, 422, ""),
        (f"{topics}/sales", {"title": "X", "colour": "red"}, 400, "colour"),
        (f"{topics}/sales", {}, 400, "title"),
        ("/api/v1/sources/999/topics/sales", {"title": "X"}, 404, "unknown source 999"),
    ]:
        got, answer = await api.call("PUT", path, refused)
        assert got == code and error in answer["error"], (path, refused, answer)
    assert await api.call("GET", topics) == (200, listed)
    status, form = await api.call("POST", "/api/v1/sources", {"name": "site_form"})
    got, answer = await api.call("PUT", f"/api/v1/sources/{form['id']}/topics/a", {"title": "A"})
    assert (got, answer["error"]) == (
        422,
        f"source {form['id']} is a form: forms have no topics (no chat to offer them in)",
    )

    assert await api.call("DELETE", f"{topics}/SALES") == (
        200,
        {"source_id": alpha, "name": "sales"},
    )
    assert await api.call("GET", topics) == (200, [])
    got, answer = await api.call("DELETE", f"{topics}/sales")
    assert got == 404, answer
    await _refuse_unknown_sources(api, "topics/sales", ("PUT", "DELETE"), {"title": "X"})
    await _refuse_unknown_sources(api, "topics", ("GET",))


async def test_templates_as_with_the_commands(api: Api, api_switchboard: Switchboard):
    status, sources = await api.call("GET", "/api/v1/sources")
    alpha = sources[0]["id"]
    templates = f"/api/v1/sources/{alpha}/templates"
    assert await api.call("GET", templates) == (200, [])
    status, greet = await api.call("PUT", f"{templates}/greet", {"text": "Hi {name}! <b>&"})
    assert (status, greet) == (
        200,
        {"name": "greet", "text": "Hi {name}! &lt;b&gt;&amp;", "replaced": False},
    )
    # An operator sends it: the client reads it as written, with their name.
    await api_switchboard.add_operator(ANN, bots=("alpha_bot",))
    client = User(3001, "Anna")
    await api_switchboard.telegram.send_message("alpha_bot", client, "Hello")
    await api_switchboard.idle()
    await api_switchboard.command(ANN, "/t greet")
    assert texts(api_switchboard.telegram, "alpha_bot", client.id)[-1] == "Hi Anna! <b>&"

    status, greet = await api.call("PUT", f"{templates}/greet", {"text": "Hello {name}"})
    assert (status, greet["text"], greet["replaced"]) == (200, "Hello {name}", True)
    for path, refused, code, error in [
        (f"{templates}/Bad%20Name", {"text": "x"}, 422, "template name"),
        (f"{templates}/greet", {"text": ""}, 400, "text"),
        (f"{templates}/greet", {"text": "x" * 4001}, 422, "4001"),
        (f"{templates}/greet", {"text": "x", "bold": True}, 400, "bold"),
        ("/api/v1/sources/999/templates/greet", {"text": "x"}, 404, "unknown source 999"),
    ]:
        got, answer = await api.call("PUT", path, refused)
        assert got == code and error in answer["error"], (path, refused, answer)
    assert await api.call("GET", templates) == (200, [{"name": "greet", "text": "Hello {name}"}])
    assert await api.call("DELETE", f"{templates}/greet") == (
        200,
        {"source_id": alpha, "name": "greet"},
    )
    assert (await api.call("DELETE", f"{templates}/greet"))[0] == 404
    await _refuse_unknown_sources(api, "templates/greet", ("PUT", "DELETE"), {"text": "x"})
    await _refuse_unknown_sources(api, "templates", ("GET",))


async def test_stats_as_with_the_command(api: Api, api_switchboard: Switchboard):
    await api_switchboard.add_operator(ANN, limit=1, bots=("alpha_bot",))
    for client in clients(2):
        await api_switchboard.telegram.send_message("alpha_bot", client, "Hello")
    await settle(api_switchboard)
    status, stats = await api.call("GET", "/api/v1/stats")
    assert status == 200, stats
    alpha, beta = stats["sources"]
    assert (alpha["username"], alpha["contacts"], alpha["open"], alpha["queued"]) == (
        "alpha_bot",
        2,
        2,
        1,
    )
    assert alpha["operators"] == [
        {
            "telegram_id": 1001,
            "name": "Ann",
            "assigned": 1,
            "share": 1.0,
            "configured_share": 1.0,
        }
    ]
    assert (beta["contacts"], beta["operators"][0]["assigned"]) == (0, 0)
    assert stats["operators"] == [
        {
            "telegram_id": 1001,
            "name": "Ann",
            "load": 1,
            "limit": 1,
            "assigned": 1,
            "closed": 0,
            "rating": None,
            "ratings": 0,
        }
    ]
    assert "@alpha_bot: 2 contacts, 2 open, 1 queued" in (
        await api_switchboard.command(ADMIN, "/stats")
    )
    # A range counts the contacts opened in it; loads and limits stay the current ones.
    status, ranged = await api.call("GET", "/api/v1/stats", params={"until": "2999-01-01"})
    assert (status, ranged) == (200, stats)
    status, ranged = await api.call(
        "GET", "/api/v1/stats", params={"since": "2999-01-01T00:00:00+05:00"}
    )
    assert [(s["contacts"], s["open"], s["queued"]) for s in ranged["sources"]] == [(0, 0, 0)] * 2
    assert ranged["operators"] == [
        {
            "telegram_id": 1001,
            "name": "Ann",
            "load": 1,
            "limit": 1,
            "assigned": 0,
            "closed": 0,
            "rating": None,
            "ratings": 0,
        }
    ]
    status, answer = await api.call("GET", "/api/v1/stats", params={"since": "yesterday"})
    assert (status, answer["error"].startswith("query.since")) == (400, True)


async def _four_clients_two_operators(switchboard: Switchboard) -> list[User]:
    """Ann and Bob (limit 1 each, @alpha_bot only); four clients write: two contacts are
    assigned, two queued."""
    await switchboard.add_operator(ANN, limit=1, bots=("alpha_bot",))
    await switchboard.add_operator(BOB, limit=1, bots=("alpha_bot",))
    writers = clients(4)
    for client in writers:
        await switchboard.telegram.send_message("alpha_bot", client, f"Hi from {client.first_name}")
    await settle(switchboard)
    return writers


async def _states(api: Api, **query: object) -> list[tuple[int, str]]:
    status, page = await api.call("GET", "/api/v1/contacts", params=query)
    assert status == 200, page
    return [(item["id"], item["state"]) for item in page["items"]]


async def test_contacts_listed_read_and_closed_through_the_api(
    api: Api, api_switchboard: Switchboard
):
    telegram = api_switchboard.telegram
    writers = await _four_clients_two_operators(api_switchboard)
    every = await _states(api)
    assert [state for _, state in every] == ["queued", "queued", "assigned", "assigned"]
    assert len(await _states(api, state="queued")) == 2
    # Page by page, following the cursor, every contact once.
    seen, cursor = [], None
    while True:
        query = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        status, page = await api.call("GET", "/api/v1/contacts", params=query)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [contact_id for contact_id, _ in every]
    assert await _states(api, since="2999-01-01T00:00:00") == []
    assert await _states(api, until="2000-01-01T00:00:00Z") == []

    [(ann_contact, _)] = await _states(api, operator=ANN.id)
    status, detail = await api.call("GET", f"/api/v1/contacts/{ann_contact}")
    assert status == 200
    assert detail["operator_telegram_id"] == ANN.id
    [message] = detail["messages"]
    assert (message["direction"], message["text"]) == (
        "in",
        detail["lead_name"].join(["Hi from ", ""]),
    )

    ann_seen = len(telegram.received("alpha_bot", ANN.id))
    status, closed = await api.call("POST", f"/api/v1/contacts/{ann_contact}/close")
    assert (status, closed["state"]) == (200, "closed")
    await api_switchboard.idle()
    # The oldest queued contact went to Ann at once.
    assert [state for _, state in await _states(api)] == [
        "queued",
        "assigned",
        "closed",
        "assigned",
    ]
    told = texts(telegram, "alpha_bot", ANN.id, ann_seen)
    assert told[0] == f"✅ Contact #{ann_contact} was closed by an admin."
    assert any(text.startswith("📨 New contact #") for text in told[1:])
    client = next(w for w in writers if w.first_name == detail["lead_name"])
    assert texts(telegram, "alpha_bot", client.id)[-1] == (
        "This conversation is closed. Write again any time to start a new one.\n\n"
        "How did we do? Rate this conversation from 1 to 5 stars."
    )

    status, answer = await api.call("POST", f"/api/v1/contacts/{ann_contact}/close")
    assert (status, answer["error"]) == (409, f"contact #{ann_contact} is closed already")
    for missing in (999_999, 2**70, 0):
        for method, path in (("GET", ""), ("POST", "/close")):
            status, answer = await api.call(method, f"/api/v1/contacts/{missing}{path}")
            assert (status, answer["error"]) == (404, f"there is no contact #{missing}")
    for query in ({"state": "lost"}, {"limit": 0}, {"limit": 501}, {"cursor": 2**70}):
        status, answer = await api.call("GET", "/api/v1/contacts", params=query)
        assert status == 400, (query, answer)
        assert answer["error"].startswith(f"query.{next(iter(query))}")
    status, answer = await api.call("GET", "/api/v1/contacts", params={"operator": 4242})
    assert (status, answer["error"]) == (404, "unknown operator 4242")


def test_the_contact_states_of_the_query_are_the_services():
    assert set(get_args(StateName)) == set(ContactState)


async def test_leads_searched_and_read(api: Api, api_switchboard: Switchboard):
    writers = await _four_clients_two_operators(api_switchboard)
    status, page = await api.call("GET", "/api/v1/leads")
    assert status == 200
    assert [lead["telegram_id"] for lead in page["items"]] == [w.id for w in reversed(writers)]
    status, page = await api.call("GET", "/api/v1/leads", params={"q": "CLIENT 2"})
    [lead] = page["items"]
    assert (lead["name"], lead["telegram_id"]) == ("Client 2", writers[2].id)
    status, page = await api.call("GET", "/api/v1/leads", params={"q": str(writers[3].id)})
    assert [item["name"] for item in page["items"]] == ["Client 3"]
    for odd in ("%", "_", "<b>&", "x" * 256):
        status, page = await api.call("GET", "/api/v1/leads", params={"q": odd})
        assert (status, page["items"]) == (200, []), odd
    status, answer = await api.call("GET", "/api/v1/leads", params={"q": "x" * 257})
    assert (status, answer["error"].startswith("query.q")) == (400, True)

    status, detail = await api.call("GET", f"/api/v1/leads/{lead['id']}")
    assert status == 200
    [contact] = detail["contacts"]
    assert (contact["source"], contact["lead_id"]) == ("alpha_bot", lead["id"])
    for missing in (999_999, 2**70):
        status, answer = await api.call("GET", f"/api/v1/leads/{missing}")
        assert (status, answer["error"]) == (404, f"there is no lead {missing}")


async def test_csv_exports_of_contacts_and_leads(
    api: Api, api_switchboard: Switchboard, monkeypatch
):
    monkeypatch.setattr(records, "EXPORT_PAGE", 2)  # rows come page by page, none twice
    writers = await _four_clients_two_operators(api_switchboard)
    hostile = User(30_999, "=HYPERLINK(1)", last_name="<b>&")
    await api_switchboard.telegram.send_message("alpha_bot", hostile, "=1+1")
    await settle(api_switchboard)

    status, body = await api.call("GET", "/api/v1/export/contacts.csv")
    assert status == 200, body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["state"] for row in rows] == ["queued"] * 3 + ["assigned"] * 2
    assert rows[0]["lead_name"] == "'=HYPERLINK(1) <b>&", "a formula stays text"
    status, body = await api.call(
        "GET", "/api/v1/export/contacts.csv", params={"state": "assigned", "operator": ANN.id}
    )
    [ann] = list(csv.DictReader(io.StringIO(body)))
    assert ann["operator_telegram_id"] == str(ANN.id)
    status, body = await api.call(
        "GET", "/api/v1/export/contacts.csv", params={"since": "2999-01-01T00:00:00+03:00"}
    )
    assert (status, body.splitlines()[1:]) == (200, [])
    status, answer = await api.call("GET", "/api/v1/export/contacts.csv", params={"operator": 4242})
    assert (status, answer["error"]) == (404, "unknown operator 4242")

    status, body = await api.call("GET", "/api/v1/export/leads.csv")
    leads = list(csv.DictReader(io.StringIO(body)))
    assert [int(row["telegram_id"]) for row in leads] == [hostile.id] + [
        w.id for w in reversed(writers)
    ]
    status, answer = await api.call("GET", "/api/v1/export/leads.csv", params={"since": "soon"})
    assert (status, answer["error"].startswith("query.since")) == (400, True)


async def test_while_the_database_is_unreachable_the_answer_is_503(tmp_path, caplog):
    # A database that cannot be opened stands in for one that went away.
    dead = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")

    async def no_menus(_removed: object) -> None:
        raise AssertionError("nothing is removed")

    context = ApiContext(create_session_factory(dead), random.Random(1), NoSignal(), 5, no_menus)
    web_app = web.Application()
    mount_api(web_app, context, [KEY])
    try:
        async with TestClient(TestServer(web_app)) as client:
            response = await client.post(
                "/api/v1/operators",
                json={"telegram_id": 1001},
                headers={"Authorization": f"Bearer {KEY}"},
            )
            status, body = response.status, await response.json()
    finally:
        await dead.dispose()
    assert (status, body["error"]) == (
        503,
        "the database is unavailable; nothing changed, retry later",
    )
    assert all(KEY not in record.getMessage() for record in caplog.records)
