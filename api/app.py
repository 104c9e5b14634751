"""The API's aiohttp application, mounted at ``/api/v1`` on the server of ``/healthz``,
``/metrics`` and the webhooks; the interactive docs at ``/api/docs``."""

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from importlib import resources

import jinja2
from aiohttp import web
from aiohttp_pydantic.oas.view import generate_oas

from api import (
    contacts,
    export,
    leads,
    operators,
    sources,
    stats,
    templates,
    topics,
    webhooks,
)
from api.context import CONTEXT, ApiContext, problem
from db.outage import is_database_outage
from services.errors import (
    AmbiguousOperator,
    DomainError,
    FormSourceExists,
    FormWithoutTopics,
    IdempotencyKeyReused,
    InvalidLimit,
    InvalidOperatorRef,
    InvalidTemplateName,
    InvalidTopicName,
    InvalidTopicTitle,
    InvalidWebhookSecret,
    InvalidWebhookUrl,
    InvalidWeights,
    LeadUnidentified,
    NoEvents,
    NotABot,
    NotAFormSource,
    NoTemplates,
    NoTopics,
    OperatorExists,
    TextTooLong,
    UnknownContact,
    UnknownEvent,
    UnknownLead,
    UnknownOperator,
    UnknownSource,
    UnknownTemplate,
    UnknownTopic,
    UnknownWebhook,
)
from services.hours import InvalidHoliday, InvalidHours

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
DOCS = "/api/docs"
SCHEMA = f"{PREFIX}/openapi.json"
TITLE = "Switchboard"
VERSION = "1"
BEARER = "bearer"
PROBLEM = "#/components/schemas/Problem"
# Which refusal of the services is which HTTP status; any other is a conflict with the state.
STATUS: dict[type[DomainError], int] = {
    UnknownOperator: 404,
    UnknownSource: 404,
    UnknownContact: 404,
    UnknownLead: 404,
    UnknownWebhook: 404,
    OperatorExists: 409,
    FormSourceExists: 409,
    NotAFormSource: 422,
    NotABot: 422,
    LeadUnidentified: 422,
    IdempotencyKeyReused: 422,
    AmbiguousOperator: 422,
    InvalidLimit: 422,
    InvalidWeights: 422,
    InvalidOperatorRef: 422,
    InvalidWebhookUrl: 422,
    UnknownEvent: 422,
    NoEvents: 422,
    InvalidWebhookSecret: 422,
    InvalidHours: 422,
    InvalidHoliday: 422,
    UnknownTopic: 404,
    NoTopics: 404,
    InvalidTopicName: 422,
    InvalidTopicTitle: 422,
    FormWithoutTopics: 422,
    InvalidTemplateName: 422,
    TextTooLong: 422,
    UnknownTemplate: 404,
    NoTemplates: 404,
}


def _status(refusal: DomainError) -> int:
    """The status of a refusal's kind (or of the kind it is a case of, e.g. InvalidWeights)."""
    return next((STATUS[kind] for kind in type(refusal).__mro__ if kind in STATUS), 409)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _authenticate(
    keys: Sequence[bytes],
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        """401 without a valid ``Authorization: Bearer <key>``, before anything is read."""
        if request.path == SCHEMA:  # public: the docs page reads it, and it tells no secret
            return await handler(request)
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        token = given.strip().encode()
        # Every key is compared (no early exit), so the time taken tells nothing about them.
        matches = [secrets.compare_digest(token, key) for key in keys]
        if scheme.lower() != BEARER or not any(matches):
            return problem(
                401,
                "a valid API key is required: Authorization: Bearer <key>",
                **{"WWW-Authenticate": "Bearer"},
            )
        return await handler(request)

    return authenticate


@web.middleware
async def refusals(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The services' refusals and aiohttp's own (a body too large, no such route) as JSON."""
    try:
        return await handler(request)
    except DomainError as exc:
        return problem(_status(exc), str(exc))
    except UnicodeDecodeError:
        return problem(400, "the body is not UTF-8")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return problem(exc.status, _reason(exc))
    except Exception as exc:
        if not is_database_outage(exc):
            raise
        # Nothing was committed: the client may retry, as Telegram does with a webhook.
        log.warning("API request not served, the database is unavailable: %s", exc)
        return problem(503, "the database is unavailable; nothing changed, retry later")


def _reason(exc: web.HTTPException) -> str:
    """aiohttp-pydantic refuses malformed JSON and a body that is no object with JSON of its
    own shape, aiohttp everything else (413, 404, 405) with text."""
    if exc.content_type != "application/json" or not exc.text:
        return exc.text or exc.reason
    said = json.loads(exc.text)
    return said["error"] if isinstance(said, dict) else "body: must be a JSON object"


def openapi(api: web.Application) -> dict[str, object]:
    """The OpenAPI 3 schema of ``api``'s views, from their annotations and models."""
    spec = generate_oas([api], version_spec=VERSION, title_spec=TITLE)
    components = spec.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {"type": "http", "scheme": "bearer"}
    spec["security"] = [{BEARER: []}]
    # What any operation may answer besides its own: the database away, a body over 1 MB.
    refused = {"content": {"application/json": {"schema": {"$ref": PROBLEM}}}}
    for item in spec["paths"].values():
        for operation in item.values():
            operation["responses"]["503"] = {"description": "Database unavailable", **refused}
            if "requestBody" in operation:
                operation["responses"]["413"] = {"description": "Body over 1 MB", **refused}
    # aiohttp-pydantic takes every answer for JSON: the exports' are CSV.
    for path, item in spec["paths"].items():
        if path.endswith(".csv"):
            item["get"]["responses"]["200"]["content"] = {
                export.CSV: {"schema": {"type": "string"}}
            }
    return spec


def _docs_page() -> str:
    # aiohttp-pydantic's Swagger UI page, pointed at our schema.
    page = resources.files("aiohttp_pydantic.oas").joinpath("index.j2").read_text()
    return jinja2.Template(page).render(
        openapi_spec_url=SCHEMA, display_configurations="{}", swagger_ui_version="5"
    )


def mount_api(web_app: web.Application, context: ApiContext, keys: Sequence[str]) -> None:
    """Serve the API at ``/api/v1`` and its docs at ``/api/docs`` on ``web_app``; with no
    keys nothing is added, so those paths answer 404."""
    if not keys:
        return
    api = web.Application(middlewares=[refusals, _authenticate([k.encode() for k in keys])])
    api[CONTEXT] = context
    operators.add_routes(api)
    sources.add_routes(api)
    stats.add_routes(api)
    templates.add_routes(api)
    topics.add_routes(api)
    contacts.add_routes(api)
    leads.add_routes(api)
    export.add_routes(api)
    webhooks.add_routes(api)
    schema: list[str] = []  # built on first request: the paths get their prefix when mounted
    docs = _docs_page()

    async def schema_page(_request: web.Request) -> web.Response:
        if not schema:
            schema.append(json.dumps(openapi(api)))
        return web.Response(text=schema[0], content_type="application/json")

    async def docs_page(_request: web.Request) -> web.Response:
        return web.Response(text=docs, content_type="text/html")

    api.router.add_get("/openapi.json", schema_page)
    web_app.add_subapp(PREFIX, api)
    web_app.router.add_get(DOCS, docs_page)
