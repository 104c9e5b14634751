"""The Telegram front end of Switchboard (aiogram 3)."""
