"""``/api/v1/operators``: what ``/operators``, ``/addop``, ``/limit``, ``/activate``,
``/deactivate``, ``/shift``, ``/duty`` and ``/delop`` do, through the same service (the same
notices)."""

from aiohttp import web
from aiohttp_pydantic.oas.typing import r200, r201, r400, r401, r404, r409, r422

from api.schemas import (
    OperatorChange,
    OperatorCreate,
    OperatorOut,
    OperatorRemovedOut,
    Problem,
)
from api.views import ApiView, json
from services.admin import parse_limit
from services.hours import DEFAULT_ZONE
from services.shifts import parse_shift


class OperatorsView(ApiView):
    """Every operator, and adding one."""

    async def get(self) -> r200[list[OperatorOut]] | r401[Problem]:
        """Every operator with load, limit, state and weight per source.

        Tags: operators
        """
        async with self.context.services() as services:
            views = await services.admin.list_operators()
        return json([OperatorOut.of(view) for view in views])

    async def post(
        self, body: OperatorCreate
    ) -> r201[OperatorOut] | r400[Problem] | r401[Problem] | r409[Problem] | r422[Problem]:
        """Make a Telegram user an operator, weight 1 in every source (as ``/addop``). They
        get contacts from a bot once they have pressed Start there.

        Tags: operators
        Status Codes:
            201: The operator was added.
            409: The user is an operator already.
            422: Not a Telegram user id, or a limit out of range.
        """
        limit = self.context.default_limit if body.limit is None else body.limit
        async with self.context.services() as services:
            view = await services.admin.add_operator(body.telegram_id, limit, body.name)
        return json(OperatorOut.of(view), status=201)


class OperatorView(ApiView):
    """One operator, by Telegram id."""

    async def get(
        self, telegram_id: int, /
    ) -> r200[OperatorOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """One operator with load, limit, state and weight per source.

        Tags: operators
        """
        async with self.context.services() as services:
            view = await services.admin.operator(str(telegram_id))
        return json(OperatorOut.of(view))

    async def patch(
        self, telegram_id: int, /, body: OperatorChange
    ) -> r200[OperatorOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Switch an operator on or off, set their limit, their shift or whether they are on
        duty (as ``/activate``, ``/deactivate``, ``/limit``, ``/shift`` and ``/duty``); they
        are told in Telegram of the first two. Open contacts stay with them either way.

        Tags: operators
        """
        ref = str(telegram_id)
        # A bad limit or shift refuses the whole change, the switches too.
        if body.limit is not None:
            parse_limit(body.limit)
        if body.shift is not None:
            parse_shift(body.shift.strip(), DEFAULT_ZONE)
        async with self.context.services() as services:
            if body.limit is not None:
                await services.admin.set_limit(ref, body.limit)
            if body.active is not None:
                await services.admin.set_active(ref, body.active)
            if body.shift is not None:
                await services.hours.set_shift(ref, body.shift)
            if body.on_duty is not None:
                await services.hours.set_duty(ref, body.on_duty)
            view = await services.admin.operator(ref)
        return json(OperatorOut.of(view))

    async def delete(
        self, telegram_id: int, /
    ) -> r200[OperatorRemovedOut] | r400[Problem] | r401[Problem] | r404[Problem] | r422[Problem]:
        """Remove an operator (as ``/delop``): their open contacts go back to the queue and
        are given to others at once if anyone is free.

        Tags: operators
        """
        async with self.context.services() as services:
            removed = await services.admin.remove_operator(str(telegram_id))
        await self.context.on_operator_removed(removed)
        return json(OperatorRemovedOut(telegram_id=removed.telegram_id, requeued=removed.requeued))


def add_routes(api: web.Application) -> None:
    """The operator routes, relative to the API's prefix."""
    api.router.add_view("/operators", OperatorsView)
    api.router.add_view("/operators/{telegram_id}", OperatorView)
