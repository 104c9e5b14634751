"""aiogram's Bot API types are built on first use (bot.lazy_models), and then work as usual."""

import inspect
import json
import subprocess
import sys

import aiogram.types
from aiogram.types import Update
from pydantic import BaseModel

# An update touching many types: nested messages, media, entities, a keyboard, a contact.
RICH_UPDATE = {
    "update_id": 7,
    "message": {
        "message_id": 12,
        "date": 1_700_000_000,
        "chat": {"id": 42, "type": "private", "first_name": "<b>&"},
        "from": {"id": 42, "is_bot": False, "first_name": "<b>&", "language_code": "ru"},
        "caption": "look",
        "caption_entities": [{"type": "bold", "offset": 0, "length": 4}],
        "photo": [
            {"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 60},
            {"file_id": "p2", "file_unique_id": "u2", "width": 900, "height": 600},
        ],
        "media_group_id": "album-1",
        "reply_to_message": {
            "message_id": 11,
            "date": 1_699_999_999,
            "chat": {"id": 42, "type": "private"},
            "contact": {"phone_number": "+100", "first_name": "Ann", "user_id": 42},
            "reply_markup": {"inline_keyboard": [[{"text": "Close", "callback_data": "close:1"}]]},
        },
    },
}


def _in_fresh_interpreter(code: str, *args: str) -> str:
    """What ``code`` prints, run by a new Python (nothing imported yet) with ``args``."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def _parse_rich_update_after(imports: str) -> str:
    code = (
        f"import json, sys\n{imports}\nfrom aiogram.types import Update\n"
        "print(Update.__pydantic_complete__)\n"
        "update = Update.model_validate(json.loads(sys.argv[1]))\n"
        "print(json.dumps(update.model_dump(mode='json', exclude_none=True)))"
    )
    return _in_fresh_interpreter(code, json.dumps(RICH_UPDATE))


def test_pydantic_and_aiogram_still_rebuild_the_way_lazy_models_expects():
    # bot.lazy_models swaps pydantic's model_rebuild (a classmethod in BaseModel's own dict)
    # while aiogram's types module rebuilds each type with its names as _types_namespace.
    assert isinstance(BaseModel.__dict__["model_rebuild"], classmethod)
    assert "_types_namespace" in inspect.signature(BaseModel.model_rebuild).parameters
    assert "model_rebuild(_types_namespace=" in inspect.getsource(aiogram.types)


def test_importing_the_bot_leaves_the_bot_api_types_unbuilt():
    # Built at import, they would cost the process about 100 MB it never uses.
    complete, _ = _parse_rich_update_after("import bot.app").splitlines()
    assert complete == "False"


def test_types_built_on_first_use_parse_as_aiogram_builds_them():
    complete, eager = _parse_rich_update_after("import aiogram").splitlines()
    assert complete == "True"  # aiogram alone builds them at import
    # This process imported the bot first (tests/harness.py), so here they are built lazily.
    parsed = Update.model_validate(RICH_UPDATE)
    assert parsed.model_dump(mode="json", exclude_none=True) == json.loads(eager)
    assert parsed.message is not None and parsed.message.reply_to_message is not None
    assert parsed.message.from_user is not None
    assert parsed.message.from_user.first_name == "<b>&"
    assert parsed.message.reply_to_message.contact is not None


def test_the_answers_of_every_update_and_send_are_built_once_for_good():
    # pydantic holds aiogram's Response[...] classes only weakly: were they collected, the next
    # getUpdates or copyMessage would wait while its answer's model is built again.
    code = (
        "import gc, weakref\n"
        "from bot.app import freeze_startup_objects\n"
        "freeze_startup_objects()\n"
        "from aiogram.methods import CopyMessage, GetUpdates, SendMessage\n"
        "from aiogram.methods.base import Response\n"
        "answers = [weakref.ref(Response[m.__returning__])"
        " for m in (GetUpdates, CopyMessage, SendMessage)]\n"
        "gc.collect()\n"
        "print(all(answer() is not None for answer in answers))"
    )
    assert _in_fresh_interpreter(code).strip() == "True"
