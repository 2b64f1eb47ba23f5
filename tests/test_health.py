"""What operations ask of a server: `/healthz` without a login, and one JSON line per request that
never writes a calendar feed's secret token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tactful.config import load
from tactful.service import Service
from tactful.service.access import set_password
from tactful.store import open_store
from tactful.web import Settings, create_app

from .postgres import new_location

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores


def server(tmp_path: Path, **settings: Any) -> TestClient:
    db = new_location(tmp_path, "ops.db")
    service = Service(open_store(db))
    set_password(service, "correct horse battery")
    service.store.close()
    app = create_app(Settings(load(database=db), require_login=True, hosts=("*",), **settings))
    return TestClient(app, base_url="http://tactful.example")


def test_health_answers_without_a_login_and_says_nothing_of_anyones_data(tmp_path: Path) -> None:
    client = server(tmp_path)
    assert client.get("/", follow_redirects=False).status_code in (302, 303, 401)  # the rest asks for a login
    answer = client.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok" and body["schema"] >= 12 and set(body) == {"status", "version", "schema"}
    assert client.post("/healthz").status_code == 405


def test_the_access_log_is_one_json_line_per_request_without_feed_tokens(tmp_path: Path, capsys: Any) -> None:
    client = server(tmp_path, access_log=True)
    capsys.readouterr()
    client.get("/healthz")
    client.get("/calendar/s3cr3t-feed-token.ics")
    client.get("/login")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    assert [(x["method"], x["path"], x["status"]) for x in lines] == [
        ("GET", "/healthz", 200),
        ("GET", "/calendar/…", 404),
        ("GET", "/login", 200),
    ]
    assert all(set(x) == {"at", "method", "path", "status", "ms"} and x["ms"] >= 0 for x in lines)
    assert "s3cr3t" not in json.dumps(lines)


def test_without_the_flag_nothing_is_logged_per_request(tmp_path: Path, capsys: Any) -> None:
    client = server(tmp_path)
    capsys.readouterr()
    client.get("/healthz")
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
