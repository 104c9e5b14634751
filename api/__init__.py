"""The HTTP API under ``/api/v1`` (aiohttp views validated by pydantic, OpenAPI from the code):
a front end of the same services the bot's commands call."""
