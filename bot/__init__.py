"""The Telegram front end of Switchboard (aiogram 3)."""

from bot.lazy_models import import_aiogram

import_aiogram()  # first, before any module imports aiogram
