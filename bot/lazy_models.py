"""aiogram's models of the Bot API, each built when first used instead of all at import.

aiogram declares its ~400 types with pydantic's ``defer_build``, then rebuilds every one at
import so that their forward references resolve, which compiles a validator for each: about
100 MB resident and a second of start-up for types a help desk never receives. Here that
rebuild is skipped and the names it would have been given go into each type's module instead,
so pydantic builds the type, with the same result, the first time it is used. ``warm_up``
builds the ones every update and every message sent needs before the first update arrives.

The one place that relies on how pydantic and aiogram rebuild models (tested on pydantic 2.13
and aiogram 3.31; ``tests/e2e/test_lazy_models.py`` fails when that changes). What it buys,
measured side by side (``python -m benchmarks burst``, 2026-12-02): the bot process peaks at
129 MB resident instead of 223 MB.
"""

import importlib
import sys
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

# The answers of the calls made for every update and every message sent, parsed as aiogram's
# Response[...] generics. pydantic keeps such a class only while something refers to it, and
# aiogram refers to it only during the call, so without these the next garbage collection
# loses it and the next call builds it again: up to 12 ms for getUpdates' list of updates.
_ANSWERS: list[type[BaseModel]] = []


def import_aiogram() -> None:
    """Import aiogram with its types left to be built on first use.

    Must run before anything imports aiogram (``bot/__init__`` calls it); if something did,
    aiogram is already built and this changes nothing.
    """
    if "aiogram" in sys.modules:
        return
    rebuild = BaseModel.__dict__["model_rebuild"]
    deferred: dict[str, Mapping[str, Any]] = {}  # module → the names its types were given

    def defer(cls: type[BaseModel], **kwargs: Any) -> bool | None:
        namespace = kwargs.get("_types_namespace")
        if cls.__module__.startswith("aiogram.types.") and namespace is not None:
            deferred[cls.__module__] = namespace
            return None
        return rebuild.__func__(cls, **kwargs)

    BaseModel.model_rebuild = classmethod(defer)  # type: ignore[method-assign,assignment]
    try:
        importlib.import_module("aiogram")
    finally:
        BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
    # pydantic resolves the forward references of a model it builds late (and of the models
    # nested in it) in the globals of the model's module: give each module the names it lacked.
    for module, namespace in deferred.items():
        module_globals = vars(sys.modules[module])
        for name, value in namespace.items():
            module_globals.setdefault(name, value)


def warm_up() -> None:
    """Build what every update and every message sent needs now, so that the first ones do
    not wait for it, and keep the answers' models (see ``_ANSWERS``) for good."""
    # Here: importing aiogram is import_aiogram's job.
    from aiogram.methods import (
        AnswerCallbackQuery,
        CopyMessage,
        CopyMessages,
        EditMessageText,
        GetUpdates,
        SendMessage,
    )
    from aiogram.methods.base import Response
    from aiogram.types import Message, Update

    # Message first: the models that contain it (an update, most answers) then use its schema
    # instead of each building a copy of their own.
    Message.model_rebuild()
    Update.model_rebuild()
    hot = (GetUpdates, CopyMessage, CopyMessages, SendMessage, EditMessageText, AnswerCallbackQuery)
    _ANSWERS[:] = [Response[method.__returning__] for method in hot]
