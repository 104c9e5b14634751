"""The pure parts of webhooks: signatures, what an answer means, the retry pauses, and the
rules of a subscription."""

import hashlib
import hmac
import random

import pytest

from services.delivery.webhooks import SenderConfig, Verdict, sign, verdict
from services.errors import InvalidWebhookSecret, InvalidWebhookUrl, NoEvents, UnknownEvent
from services.webhooks import check_events, check_secret, check_url


def test_the_signature_is_the_hex_hmac_sha256_of_the_raw_body():
    body = b'{"event":"contact.opened","id":"x"}'
    expected = hmac.new(b"key", body, hashlib.sha256).hexdigest()
    assert sign("key", body) == f"sha256={expected}"
    assert sign("other", body) != sign("key", body)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, Verdict.DELIVERED),
        (204, Verdict.DELIVERED),
        (299, Verdict.DELIVERED),
        (301, Verdict.GIVEN_UP),
        (400, Verdict.GIVEN_UP),
        (404, Verdict.GIVEN_UP),
        (410, Verdict.GIVEN_UP),
        (408, Verdict.RETRY),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (503, Verdict.RETRY),
    ],
)
def test_what_an_answer_means(status: int, expected: Verdict):
    assert verdict(status) is expected


def test_pauses_double_up_to_the_maximum_with_a_random_part():
    config = SenderConfig(retry_base=1.0, retry_max=60.0)
    rng = random.Random(1)
    for attempts, full in [(1, 1.0), (2, 2.0), (3, 4.0), (7, 60.0), (1000, 60.0)]:
        pause = config.pause(attempts, rng)
        assert 0.75 * full <= pause <= full
    assert config.lease.total_seconds() > config.timeout


@pytest.mark.parametrize(
    "url",
    ["http://crm.example.com/hook", "https://10.0.0.1:8443/a?b=c", "http://[::1]:9000/"],
)
def test_http_urls_with_a_host_are_taken(url: str):
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "ftp://example.com/",
        "https://",
        "mailto:a@example.com",
        "http://exa mple.com/",
        "http://example.com/\x00",
        "http://[::1/",
        "http://example.com:99999/",
        "https://пример.рф/",
        "https://example.com/" + "a" * 2048,
    ],
)
def test_other_urls_are_refused(url: str):
    with pytest.raises(InvalidWebhookUrl):
        check_url(url)


def test_events_must_be_known_and_are_kept_once_each():
    assert check_events(["contact.closed", "contact.opened", "contact.closed"]) == [
        "contact.closed",
        "contact.opened",
    ]
    with pytest.raises(NoEvents):
        check_events([])
    with pytest.raises(UnknownEvent):
        check_events(["contact.closed", "Contact.Opened"])


def test_a_secret_is_1_to_256_printable_characters():
    assert check_secret("x" * 256) == "x" * 256
    for bad in ("", "x" * 257, "line\nbreak", "nul\x00"):
        with pytest.raises(InvalidWebhookSecret):
            check_secret(bad)
