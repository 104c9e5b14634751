"""``/api/v1/sources/{id}/templates``: what ``/templates`` and ``/template`` show and set,
through the same service."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r400, r401, r404, r422

from api.schemas import Problem, RemovedOut, TemplateIn, TemplateOut, TemplatePutOut
from api.views import ApiView, json


class TemplatesView(ApiView):
    """A bot's templates."""

    async def get(
        self, source_id: int, /
    ) -> r200[list[TemplateOut]] | r400[Problem] | r401[Problem] | r404[Problem]:
        """The bot's templates (canned replies operators send with /t), by name.

        Tags: templates
        """
        async with self.context.services() as services:
            templates = await services.templates.of_source(source_id)
        return json([TemplateOut.of(template) for template in templates])


class TemplateView(ApiView):
    """One template of a bot, by name."""

    async def put(
        self, source_id: int, name: str, /, body: TemplateIn
    ) -> r200[TemplatePutOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Add the template, or replace the text of the one of that name (as ``/template
        add``); the name is 1-32 of a-z 0-9 _. The text is plain: sent as written.

        Tags: templates
        """
        async with self.context.services() as services:
            template, replaced = await services.templates.set_plain(source_id, name, body.text)
        return json(TemplatePutOut(**TemplateOut.of(template).model_dump(), replaced=replaced))

    async def delete(
        self, source_id: int, name: str, /
    ) -> r200[RemovedOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Remove the template (as ``/template del``).

        Tags: templates
        """
        async with self.context.services() as services:
            await services.templates.remove(source_id, name)
        return json(RemovedOut(source_id=source_id, name=name))


def add_routes(api: web.Application) -> None:
    """The template routes, relative to the API's prefix."""
    api.router.add_view("/sources/{source_id}/templates", TemplatesView)
    api.router.add_view("/sources/{source_id}/templates/{name}", TemplateView)
