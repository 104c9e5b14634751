"""The base of the API's views: refusals of malformed requests in the API's own shape."""

from datetime import UTC, datetime

from aiohttp.web import StreamResponse, json_response
from aiohttp_pydantic import PydanticView
from pydantic import BaseModel, ValidationError

from api.context import CONTEXT, ApiContext
from api.schemas import FieldError, Problem


class ApiView(PydanticView):
    """A view whose refusals of malformed requests name the fields (400, ``Problem``)."""

    @property
    def context(self) -> ApiContext:
        """What the composition root gave the API."""
        return self.request.app[CONTEXT]

    async def on_validation_error(self, exception: ValidationError, context: str) -> StreamResponse:
        """A field of the wrong type or shape, a missing or an unknown one: 400 naming each."""
        where = "query" if context == "query string" else context
        errors = [
            FieldError(
                field=".".join([where, *(str(part) for part in error["loc"])]),
                message=error["msg"],
            )
            for error in exception.errors(include_url=False)
        ]
        first = errors[0] if errors else FieldError(field=where, message="invalid")
        return json(Problem(error=f"{first.field}: {first.message}", errors=errors), status=400)


def json(model: BaseModel | list[BaseModel], status: int = 200) -> StreamResponse:
    """A model (or a list of them) as the JSON answer."""
    if isinstance(model, list):
        return json_response([item.model_dump(mode="json") for item in model], status=status)
    return json_response(model.model_dump(mode="json"), status=status)


def utc(moment: datetime | None) -> datetime | None:
    """A time without a zone is taken as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
