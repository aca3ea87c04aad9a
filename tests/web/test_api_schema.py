"""schemathesis against the API's OpenAPI schema: generated requests (as an admin, who may call every
operation) never cause a server error. Bounded: a few examples per operation.

The operations are driven with Hypothesis directly (schemathesis' pytest plugin does not support the
pytest version in use)."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from mutuals.storage.db import transaction
from mutuals.web.auth import create_token

MAX_EXAMPLES = 10


def test_the_api_never_answers_with_a_server_error(app: FastAPI) -> None:
    with transaction() as conn:
        auth = {"Authorization": "Bearer " + create_token(conn, "admin", "schemathesis")}
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        check()
