"""aiogram's models of the Bot API, each built when first used instead of all at import.

aiogram declares its ~400 types with pydantic's ``defer_build``, then rebuilds every one at
import so that their forward references resolve, which compiles a validator for each: about
100 MB resident and a second of start-up for types a help desk never receives. Here that
rebuild is skipped and the names it would have been given go into each type's module instead,
so pydantic builds the type, with the same result, the first time it is used. ``warm_up``
builds the ones every update needs before the first update arrives.
"""

import importlib
import sys
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel


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
    """Build the model of an update (and with it every type an update can carry) now, so the
    first update is not the one that waits for it."""
    from aiogram.types import Update  # here: importing aiogram is import_aiogram's job

    Update.model_rebuild()
