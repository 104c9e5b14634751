"""Schemathesis: requests generated from the OpenAPI schema, valid and not, for every
operation of the running app: no answer is a 5xx, and every answer matches the schema
(status code, content type, body)."""

import asyncio
import itertools

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api import KEY
from tests.support.switchboard import Switchboard

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 40


async def test_every_operation_answers_as_its_schema_says(api_switchboard: Switchboard):
    url = f"http://127.0.0.1:{api_switchboard.app.settings.http_port}/api/v1/openapi.json"
    # Schemathesis calls with requests, which blocks: it runs in a thread while this event
    # loop serves the app.
    schema = await asyncio.to_thread(schemathesis.openapi.from_url, url)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 31
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_described(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"}, checks=CHECKS)

        await asyncio.to_thread(answers_as_described)
