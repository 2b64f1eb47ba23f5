"""Throw-away PostgreSQL databases for tests, on the server at 127.0.0.1:5432 (or TACTFUL_TEST_PG).

The suite runs on either store: `TACTFUL_TEST_STORE=postgres` gives every test that asks for a
database (the `db_location` fixture, or `new_location` in a test module) a new PostgreSQL database
instead of a SQLite file. Each is copied from a template migrated once per run, and dropped after
its test.

Where no server answers, the tests that need one skip, saying so; under CI, where one always runs,
they fail instead, so that the PostgreSQL half of the suite can never pass by not running.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVER = os.environ.get("TACTFUL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
STORE = os.environ.get("TACTFUL_TEST_STORE", "sqlite")
ON_POSTGRES = STORE == "postgres"

_template: str | None = None
_made: list[str] = []


def _admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL is not answering at {SERVER} under CI: {exc}") from exc
        pytest.skip(f"no PostgreSQL server at {SERVER}; these tests run where one is")


def _url(name: str) -> str:
    return SERVER.rsplit("/", 1)[0] + "/" + name


def create_database(migrated: bool = False) -> str:
    """A new, empty database's URL (`migrated`: with tactful's tables already in it), dropped at
    the end of the test that made it (`drop_made`)."""
    global _template
    admin = _admin()
    try:
        name = f"tactful_test_{uuid.uuid4().hex[:12]}"
        if migrated:
            if _template is None:
                template = f"tactful_template_{os.getpid()}_{uuid.uuid4().hex[:6]}"
                admin.execute(f'CREATE DATABASE "{template}"')
                from tactful.store.postgres import PgConnection

                PgConnection(_url(template)).close()
                _template = template
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_template}"')
        else:
            admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()
    _made.append(name)
    return _url(name)


def drop_made() -> None:
    """Drop the databases made since the last call."""
    if not _made:
        return
    admin = _admin()
    try:
        while _made:
            admin.execute(f'DROP DATABASE IF EXISTS "{_made.pop()}" WITH (FORCE)')
    finally:
        admin.close()


def drop_template() -> None:
    global _template
    if _template is not None:
        admin = _admin()
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{_template}" WITH (FORCE)')
        finally:
            admin.close()
        _template = None


def new_location(tmp_path: Path, name: str = "tactful.db") -> Any:
    """Where a test's database goes: a file in `tmp_path`, or a new PostgreSQL database's URL when
    the suite runs on PostgreSQL."""
    return create_database(migrated=True) if ON_POSTGRES else tmp_path / name


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    yield create_database()
    drop_made()
