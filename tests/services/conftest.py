"""Fixtures of the service tests."""

from collections.abc import Callable

import pytest

from services.contacts import ContactService


@pytest.fixture
def contacts(session_factory, rng) -> Callable[[], ContactService]:
    """A new ContactService on a session of its own, each call."""
    return lambda: ContactService(session_factory(), rng)
