"""A bounded property run of the JSON API against its own OpenAPI document: never a server error.

Each operation of the document gets generated requests (schemathesis builds them from the schema,
hypothesis drives them), sent in process to the app over a database holding the sample history.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tactful.config import load
from tactful.service import Service
from tactful.service.demo import load_sample
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.web import Settings, create_app

NOW = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)


def _schema(tmp: Path) -> Any:
    db = tmp / "api.db"
    service = Service(open_store(db), now=NOW)
    update_profile(service, name="Robin Vale", tz="Europe/London", country="GB")
    load_sample(service)  # ids that exist, so calls reach the use cases and not only "not found"
    service.store.close()
    return schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", create_app(Settings(load(database=db), now=NOW, hosts=("testserver",)))
    )


SCHEMA = _schema(Path(__import__("tempfile").mkdtemp(prefix="tactful-api-")))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_document_covers_the_api() -> None:
    paths = {op.path for op in OPERATIONS}
    assert {
        "/api/v1/agenda",
        "/api/v1/interactions",
        "/api/v1/check",
        "/api/v1/drafts/{followup_id}",
    } <= paths
    assert len(OPERATIONS) >= 10


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_request_makes_the_api_fail(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def probe(case: Any) -> None:
        response = case.call()
        detail = (
            f"{case.method} {case.formatted_path} {case.body!r}: {response.status_code} {response.text[:300]}"
        )
        assert response.status_code < 500, detail
        if response.status_code >= 400:
            assert "error" in response.json(), detail

    probe()
