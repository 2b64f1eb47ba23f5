"""Shared fixtures: a fresh database per test, a service at a fixed moment, and the CLI.

The database is a SQLite file, or, with `TACTFUL_TEST_STORE=postgres`, a new PostgreSQL database
(`tests.postgres`): `make test` runs the suite both ways. On PostgreSQL only the tests that use a
database run (through `db_location`, `fresh_db`, `run`, `world`, or modules marked `both_stores`),
and not those that read the SQLite file itself (`db_path`, or marked `sqlite_only`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from tactful.cli import cli
from tactful.service import Service, followups
from tactful.service.followups import LogRequest
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.store.sqlite import SqliteStore
from tests import postgres
from tests.mailservers import dovecot, smtp  # noqa: F401 (the real mail servers, as fixtures)

# The fuzz targets' shared check (`refused_or_done`) asserts in a helper module: rewritten, as the
# test modules are, so that a failure shows what differed.
pytest.register_assert_rewrite("tests.fuzzing")

NEW_YORK = "America/New_York"

# What tactful caches (the reviewer's word list) goes to a folder of the test run's own, for the
# commands run in-process and the servers and commands the tests start alike.
os.environ.setdefault("TACTFUL_CACHE", tempfile.mkdtemp(prefix="tactful-test-cache-"))

# Property tests explore new examples on a developer's machine, and the same ones on every CI run, so
# a red CI always means a change broke something rather than a lucky draw.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_stores: run on PostgreSQL too (the module makes its own databases)"
    )
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself; not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, keep the tests that use a database and are not about the SQLite file."""
    if not postgres.ON_POSTGRES:
        return
    kept, left = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        uses = (
            bool(names & {"db_location", "make_world"}) or item.get_closest_marker("both_stores") is not None
        )
        sqlite_only = "db_path" in names or item.get_closest_marker("sqlite_only") is not None
        (kept if uses and not sqlite_only else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


@pytest.fixture(autouse=True)
def _databases_dropped() -> Iterator[None]:
    """The PostgreSQL databases a test made are dropped after it."""
    yield
    if postgres.ON_POSTGRES:
        postgres.drop_made()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if postgres.ON_POSTGRES:
        postgres.drop_template()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file itself, for the tests about it."""
    return tmp_path / "tactful.db"


@pytest.fixture
def db_location(tmp_path: Path) -> Any:
    """Where the test's database is: a SQLite file, or a PostgreSQL URL (see the module's note)."""
    return postgres.new_location(tmp_path)


@pytest.fixture
def fresh_db(db_location: Any) -> Iterator[SqliteStore]:
    store = open_store(db_location)
    yield store
    store.close()


def at(text: str, tz: str = NEW_YORK) -> dt.datetime:
    """An aware UTC moment from local wall-clock text."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).astimezone(dt.UTC)


def local(moment: dt.datetime, tz: str = NEW_YORK) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


class World:
    """A service over a fresh database whose clock the test moves by hand."""

    def __init__(self, store: Any, tz: str = NEW_YORK, country: str | None = "US", **profile: Any) -> None:
        self.store = store
        self.service = Service(store, now=at("2026-03-02 09:00", tz))
        update_profile(self.service, name="Robin Vale", tz=tz, country=country, **profile)
        self.tz = tz

    def clock(self, text: str) -> None:
        self.service._fixed_now = at(text, self.tz)

    def log(self, kind: str, *people: str, **fields: Any) -> Any:
        return followups.log(self.service, LogRequest(kind=kind, people=list(people), **fields))

    def done(self, followup_id: int, when: str, **fields: Any) -> Any:
        return followups.done(self.service, followup_id, at=when, **fields)

    def skip(self, followup_id: int, reason: str | None = None) -> Any:
        return followups.skip(self.service, followup_id, reason)

    def plan(self, thread_id: int) -> list[Any]:
        return [f for f in self.store.history(thread_id).followups]

    def planned(self, thread_id: int) -> list[Any]:
        return [f for f in self.plan(thread_id) if f.status.value == "planned"]


@pytest.fixture
def world(fresh_db: SqliteStore) -> World:
    return World(fresh_db)


@pytest.fixture
def make_world(tmp_path: Path) -> Callable[..., World]:
    made: list[SqliteStore] = []

    def build(**kwargs: Any) -> World:
        store = open_store(postgres.new_location(tmp_path, f"w{len(made)}.db"))
        made.append(store)
        return World(store, **kwargs)

    return build


@pytest.fixture
def run(db_location: Any, tmp_path: Path) -> Callable[..., Result]:
    """Run the real `tactful` command group in-process against the test's database."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            cli,
            list(args),
            env={
                "TACTFUL_DB": str(db_location),
                "NO_COLOR": "1",
                "COLUMNS": "200",
                "TACTFUL_PLAYBOOK": str(tmp_path / "none.toml"),
            },
            input=input,
            catch_exceptions=False,
        )

    return invoke


@pytest.fixture
def run_json(run: Callable[..., Result]) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        result = run(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return invoke
