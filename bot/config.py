"""Settings from the environment and ``.env`` (pydantic-settings)."""

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.texts import available_languages
from services.contacts import DEFAULT_MESSAGES_PER_MINUTE
from services.numbers import MAX_ID

_TOKEN_SHAPE = "<bot id>:<secret>, as @BotFather gives it"
# An API key: what a bearer token may hold (RFC 6750), long enough not to be guessed.
_API_KEY = re.compile(r"[A-Za-z0-9._~+/=-]{16,256}")
# What Telegram accepts as a webhook's secret_token.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

# A Telegram user id.
UserId = Annotated[int, Field(gt=0, le=MAX_ID)]
# Periods: finite and within what the scheduler can represent, so a typo fails here, by name,
# instead of overflowing at start.
Minutes = Annotated[float, Field(ge=0, le=365 * 24 * 60, allow_inf_nan=False)]
Hours = Annotated[float, Field(ge=0, le=10 * 365 * 24, allow_inf_nan=False)]


class ConfigError(Exception):
    """Invalid settings; the message is one line naming the variable."""


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _none_if_empty(value: object) -> object:
    return None if value == "" else value


class Settings(BaseSettings):
    """Every setting of Switchboard; see ``.env.example`` for what each one does."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    bot_tokens: Annotated[list[SecretStr], NoDecode] = Field(min_length=1)
    admin_ids: Annotated[list[UserId], NoDecode] = Field(min_length=1)
    database_url: str = "sqlite+aiosqlite:///./switchboard.db"
    telegram_api_url: str | None = None
    # At least a tenth of a second: less would only keep the scheduler busy.
    retry_interval_seconds: float = Field(default=30, ge=0.1, le=86_400, allow_inf_nan=False)
    default_limit: int = Field(default=5, ge=0, le=1000)
    reminder_minutes: Minutes = 10
    reassign_on_reminder: bool = False
    auto_close_hours: Hours = 24
    queue_alert_minutes: Minutes = 15
    # Closing a contact asks its client "How did we do?" with 1–5 stars.
    rating_enabled: bool = True
    # Past this many messages a minute, a client's messages are stored but not passed on one by
    # one (the client and the operator are told once); 0 = no limit.
    client_messages_per_minute: int = Field(default=DEFAULT_MESSAGES_PER_MINUTE, ge=0, le=10_000)
    # The longest pause between two tries of a bot through which Telegram cannot be reached.
    send_retry_max_seconds: float = Field(default=30, ge=0.01, le=3600, allow_inf_nan=False)
    # Tell the admins once sending through a bot has failed this long (and again when it works).
    outage_alert_seconds: float = Field(default=300, ge=0, le=7 * 86_400, allow_inf_nan=False)
    # The events POSTed to the API's webhooks: how long one POST may take, and the longest
    # pause between two tries of an event not delivered yet.
    event_timeout_seconds: float = Field(default=10, ge=0.1, le=300, allow_inf_nan=False)
    event_retry_max_seconds: float = Field(default=600, ge=0.01, le=86_400, allow_inf_nan=False)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    poll_tokens: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    # All interfaces: the health/metrics/webhook port is meant to be reached from outside.
    http_host: str = "0.0.0.0"
    http_port: int = Field(default=8080, ge=0, le=65535)
    # Empty: the HTTP API is off and its routes answer 404.
    api_keys: Annotated[list[SecretStr], NoDecode] = Field(default_factory=list)
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # What people read whose Telegram language we have no catalog of.
    default_language: str = "en"

    _split_lists = field_validator(
        "bot_tokens", "admin_ids", "poll_tokens", "api_keys", mode="before"
    )(_split)
    # ``NAME=`` in .env (as .env.example ships them) means not set.
    _empty_is_unset = field_validator(
        "telegram_api_url", "webhook_url", "webhook_secret", mode="before"
    )(_none_if_empty)

    @field_validator("bot_tokens", "poll_tokens")
    @classmethod
    def _token_shape(cls, tokens: list[SecretStr]) -> list[SecretStr]:
        bot_ids = set()
        for token in tokens:
            bot_id, _, secret = token.get_secret_value().partition(":")
            if not (bot_id.isascii() and bot_id.isdigit()) or not secret:
                raise ValueError(f"each token must look like {_TOKEN_SHAPE}")
            # Polling one bot twice makes Telegram refuse both pollers (409 Conflict).
            if bot_id in bot_ids:
                raise ValueError(f"bot {bot_id} is listed twice")
            bot_ids.add(bot_id)
        return tokens

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and not _WEBHOOK_SECRET.fullmatch(secret.get_secret_value()):
            raise ValueError("must be 1 to 256 of A-Z, a-z, 0-9, _ and -")
        return secret

    @field_validator("api_keys")
    @classmethod
    def _key_shape(cls, keys: list[SecretStr]) -> list[SecretStr]:
        if any(not _API_KEY.fullmatch(key.get_secret_value()) for key in keys):
            raise ValueError("each key must be 16 to 256 of A-Z, a-z, 0-9 and . _ ~ + / = -")
        return keys

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, language: str) -> str:
        if language not in available_languages():
            raise ValueError(f"must be one of {', '.join(available_languages())}")
        return language

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://…")
        return url

    @model_validator(mode="after")
    def _consistent(self) -> "Settings":
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        known = {t.get_secret_value() for t in self.bot_tokens}
        if any(t.get_secret_value() not in known for t in self.poll_tokens):
            raise ValueError("POLL_TOKENS must be a subset of BOT_TOKENS")
        return self

    @property
    def tokens(self) -> list[str]:
        """The bot tokens in clear, in configured order."""
        return [t.get_secret_value() for t in self.bot_tokens]

    @property
    def polled_tokens(self) -> list[str]:
        """The tokens this process polls (all unless POLL_TOKENS narrows them)."""
        return [t.get_secret_value() for t in self.poll_tokens] or self.tokens


def load_settings(**overrides: object) -> Settings:
    """Read the settings; raise ``ConfigError`` with one clear line when they are invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "_".join(str(p) for p in error["loc"] if isinstance(p, str)).upper()
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "is required"
        # A check of several variables (no location) names them in its message.
        raise ConfigError(f"{where}: {message}" if where else message) from None
