"""Routers per role; the order of inclusion is the order of precedence."""

from aiogram import Router

from bot.handlers import admin, client, operator, stale, start


def build_router() -> Router:
    """Admin commands first, then /start and /help, operators, everyone else as a client, and
    last an answer to buttons nobody handled."""
    root = Router(name="switchboard")
    root.include_routers(
        admin.build_router(),
        start.build_router(),
        operator.build_router(),
        client.build_router(),
        stale.build_router(),
    )
    return root
