"""Topics of a source, the pure part: valid names and titles, and which weights apply.

A topic (``/topic add``) has operators and weights of its own (``/weights <topic> …``); one
without any takes its source's. Eligibility is the source's in any case: an operator must
still be an operator of the source, started, active, not full (``services.distribution``).
"""

import re
from collections.abc import Mapping

from services.errors import InvalidTopicName, InvalidTopicTitle

# Checked before lower-casing: some letters beyond ASCII lower-case into it (the Kelvin sign).
TOPIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,32}")
# A button's text: Telegram shows about this much of it, and /topics lists it beside its name.
TITLE_LIMIT = 64


def check_name(name: str) -> str:
    """A topic's name, lower-cased: 1 to 32 of ``a-z 0-9 _ -``."""
    if TOPIC_NAME.fullmatch(name) is None:
        raise InvalidTopicName(name=name)
    return name.lower()


def check_title(title: str) -> str:
    """A topic's title, what its button shows: 1 to ``TITLE_LIMIT`` characters on one line,
    outer spaces dropped."""
    cleaned = " ".join(title.split())
    if not cleaned or len(cleaned) > TITLE_LIMIT:
        raise InvalidTopicTitle(length=len(cleaned), limit=TITLE_LIMIT)
    return cleaned


def applicable_weights(
    source_weights: Mapping[int, int], topic_weights: Mapping[int, int]
) -> dict[int, int]:
    """Operator id → the weight that applies to a contact of a topic.

    ``source_weights`` are the weights of the source's operators (the only candidates);
    ``topic_weights`` the topic's rows. A topic with rows gives its weights, and 0 to the
    source's operators it has none for; a topic without rows gives the source's weights. A
    row of someone who is no operator of the source gives them nothing.
    """
    if not topic_weights:
        return dict(source_weights)
    return {operator_id: topic_weights.get(operator_id, 0) for operator_id in source_weights}
