"""Topics: which weights apply to a contact of a topic, and valid names and titles, by
properties."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.errors import InvalidTopicName, InvalidTopicTitle
from services.topics import TITLE_LIMIT, applicable_weights, check_name, check_title

operator_ids = st.integers(min_value=1, max_value=50)
weights = st.dictionaries(operator_ids, st.integers(min_value=0, max_value=1000), max_size=12)


@given(source=weights)
def test_a_topic_without_weights_takes_the_sources(source):
    assert applicable_weights(source, {}) == source


@given(source=weights, topic=weights.filter(bool))
def test_a_topic_with_weights_gives_its_own_and_nothing_to_the_others(source, topic):
    applied = applicable_weights(source, topic)
    # Only the source's operators are candidates, whatever the topic's rows say.
    assert set(applied) == set(source)
    for operator_id, weight in applied.items():
        assert weight == topic.get(operator_id, 0)


@given(source=weights, topic=weights)
def test_the_weights_that_apply_are_whole_and_never_negative(source, topic):
    assert all(isinstance(w, int) and w >= 0 for w in applicable_weights(source, topic).values())


@given(source=weights, topic=weights)
def test_the_inputs_are_left_as_they_were(source, topic):
    before = (dict(source), dict(topic))
    applicable_weights(source, topic)
    assert (source, topic) == before


@given(st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True))
def test_a_valid_name_is_taken_lower_cased(name):
    assert check_name(name) == name.lower()


@given(st.text(max_size=40).filter(lambda s: not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", s)))
@example("\u212a")  # the Kelvin sign, which lower-cases to "k"
def test_anything_else_is_no_name(name):
    with pytest.raises(InvalidTopicName):
        check_name(name)


@given(st.text(min_size=1, max_size=80))
def test_a_title_is_one_line_of_at_most_the_limit(title):
    cleaned = " ".join(title.split())
    if 1 <= len(cleaned) <= TITLE_LIMIT:
        assert check_title(title) == cleaned
    else:
        with pytest.raises(InvalidTopicTitle):
            check_title(title)
