"""`tactful copy-to`: a SQLite file moved into an empty PostgreSQL database without loss, ids kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tactful.cli import cli
from tactful.service import Service
from tactful.service.access import set_password
from tactful.store import open_store

from .conftest import World
from .postgres import pg_url  # noqa: F401  (the fixture)
from .snapshots import query
from .test_backup import rich_history


def tactful(db: Any, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], env={"NO_COLOR": "1"}, catch_exceptions=False)
    return result


def backup(db: Any) -> dict[str, Any]:
    result = tactful(db, "export", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    document.pop("exported_at")
    return document


def test_a_sqlite_file_copied_to_postgresql_backs_up_identically(tmp_path: Path, pg_url: str) -> None:  # noqa: F811
    file = tmp_path / "mine.db"
    world = World(open_store(file))
    rich_history(world)
    set_password(world.service, "correct horse battery")
    world.store.close()
    copied = tactful(file, "copy-to", pg_url, "--json")
    assert copied.exit_code == 0, copied.output
    counts = json.loads(copied.stdout)["copied"]
    assert counts["contacts"] == len(query(file, "SELECT id FROM contacts")) >= 9
    original, copy = backup(file), backup(pg_url)
    assert copy == original  # every row of every table, ids and all
    assert sum(len(rows) for rows in copy["tables"].values()) > 40
    # the web app's password came too, and new rows follow the ids copied
    service = Service(open_store(pg_url))
    kept = service.store.get_secret("password_hash")
    assert kept is not None and kept == Service(open_store(file)).store.get_secret("password_hash")
    logged = tactful(pg_url, "log", "meeting", "--with", "Ines Navarro", "--at", "2026-03-11 10:00", "--json")
    assert logged.exit_code == 0, logged.output
    new = json.loads(logged.stdout)
    assert new["interaction"]["id"] == 1 + max(r[0] for r in query(file, "SELECT id FROM interactions"))
    assert new["thread"]["id"] == 1 + max(r[0] for r in query(file, "SELECT id FROM threads"))


def test_a_database_that_holds_data_is_not_copied_into(tmp_path: Path, pg_url: str) -> None:  # noqa: F811
    file = tmp_path / "mine.db"
    assert tactful(file, "log", "meeting", "--with", "Ana Lima", "--at", "2026-03-02 10:00").exit_code == 0
    assert tactful(pg_url, "log", "meeting", "--with", "Ben Ode", "--at", "2026-03-02 10:00").exit_code == 0
    before = backup(pg_url)
    refused = tactful(file, "copy-to", pg_url)
    assert refused.exit_code == 1
    assert "already holds data" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert backup(pg_url) == before


@pytest.mark.parametrize("location", ["postgresql://nobody@127.0.0.1:9/none", "mysql://localhost/x"])
def test_a_target_that_cannot_be_opened_is_one_line(tmp_path: Path, location: str) -> None:
    file = tmp_path / "mine.db"
    assert tactful(file, "log", "meeting", "--with", "Ana Lima", "--at", "2026-03-02 10:00").exit_code == 0
    refused = tactful(file, "copy-to", location)
    assert refused.exit_code == 1 and len(refused.stderr.strip().splitlines()) == 1
