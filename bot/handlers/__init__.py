"""Routers per role; the order of inclusion is the order of precedence."""

from aiogram import Router

from bot.handlers import admin, client, operator, start


def build_router() -> Router:
    """Admin commands first, then /start and /help, operators, and everyone else as a client."""
    root = Router(name="switchboard")
    root.include_routers(
        admin.build_router(),
        start.build_router(),
        operator.build_router(),
        client.build_router(),
    )
    return root
