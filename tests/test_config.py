"""Settings: every bad value stops the start with one line naming the variable.

``python -m bot`` prints ``load_settings``'s ``ConfigError`` as that line (tests/e2e/test_cli.py
runs the process); here the values themselves, quickly.
"""

import pytest

from bot.config import ConfigError, Settings, load_settings

TOKEN = "123456:AAsecret"
REQUIRED = {"bot_tokens": TOKEN, "admin_ids": "1"}


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path, monkeypatch):
    """No .env of the checkout (a developer's) is read."""
    monkeypatch.chdir(tmp_path)


def _load(**values: object) -> Settings:
    return load_settings(**{**REQUIRED, **values})


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        # Polling one bot twice makes Telegram refuse both pollers.
        ({"bot_tokens": f"{TOKEN},{TOKEN}"}, "BOT_TOKENS: bot 123456 is listed twice"),
        ({"bot_tokens": f"{TOKEN},123456:AAother"}, "BOT_TOKENS: bot 123456 is listed twice"),
        ({"bot_tokens": "١٢:AAsecret"}, "BOT_TOKENS: each token must look like"),
        ({"admin_ids": "0"}, "ADMIN_IDS: Input should be greater than 0"),
        ({"admin_ids": "1,-5"}, "ADMIN_IDS: Input should be greater than 0"),
        ({"admin_ids": str(2**63)}, "ADMIN_IDS: Input should be less than or equal to"),
        ({"auto_close_hours": "inf"}, "AUTO_CLOSE_HOURS: Input should be a finite number"),
        ({"auto_close_hours": "1e12"}, "AUTO_CLOSE_HOURS: Input should be less than or equal"),
        ({"reminder_minutes": "inf"}, "REMINDER_MINUTES: Input should be a finite number"),
        ({"queue_alert_minutes": "1e300"}, "QUEUE_ALERT_MINUTES: Input should be less than"),
        ({"retry_interval_seconds": "inf"}, "RETRY_INTERVAL_SECONDS: Input should be a finite"),
        ({"retry_interval_seconds": "0.001"}, "RETRY_INTERVAL_SECONDS: Input should be greater"),
        ({"webhook_url": "https://x.example"}, "WEBHOOK_SECRET is required when WEBHOOK_URL"),
        (
            {"webhook_url": "https://x.example", "webhook_secret": ""},
            "WEBHOOK_SECRET is required when WEBHOOK_URL",
        ),
        ({"default_language": "de"}, "DEFAULT_LANGUAGE: must be one of en, ru"),
        ({"default_language": "RU"}, "DEFAULT_LANGUAGE: must be one of en, ru"),
        (
            {"webhook_url": "https://x.example", "webhook_secret": "not secret!"},
            "WEBHOOK_SECRET: must be 1 to 256 of A-Z, a-z, 0-9, _ and -",
        ),
    ],
)
def test_bad_values_name_the_variable(values, problem):
    with pytest.raises(ConfigError) as refused:
        _load(**values)
    assert str(refused.value).startswith(problem), refused.value


def test_empty_optional_values_as_in_env_example_mean_unset():
    settings = _load(telegram_api_url="", webhook_url="", webhook_secret="", poll_tokens="")
    assert (settings.telegram_api_url, settings.webhook_url, settings.webhook_secret) == (
        None,
        None,
        None,
    )


def test_good_values_are_kept():
    settings = _load(
        bot_tokens=f"{TOKEN},654321:BBsecret",
        admin_ids=f"1,{2**63 - 1}",
        webhook_url="https://x.example",
        webhook_secret="Abc_1-2",
        auto_close_hours="0.5",
    )
    assert settings.tokens == [TOKEN, "654321:BBsecret"]
    assert settings.admin_ids == [1, 2**63 - 1]
    assert settings.auto_close_hours == 0.5
