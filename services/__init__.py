"""Business logic of Switchboard. Nothing here imports aiogram."""
