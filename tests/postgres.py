"""A throw-away PostgreSQL database per test, on the server at 127.0.0.1:5432 (or TACTFUL_TEST_PG).

Where no server answers, the tests that need one skip, saying so; under CI, where one always runs,
they fail instead, so that the PostgreSQL half of the suite can never pass by not running.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

SERVER = os.environ.get("TACTFUL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin() -> object:
    import psycopg

    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL is not answering at {SERVER} under CI: {exc}") from exc
        pytest.skip(f"no PostgreSQL server at {SERVER}; these tests run where one is")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    admin = _admin()
    name = f"tactful_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    try:
        yield SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]
