"""The web app under hostile input: bodies too large to read, fields too long to keep, writes that
wait on a lock, sessions that must end, and a throttle that cannot be fooled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from tests.test_web import make


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"a" * piece


def test_a_large_login_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    web = make(tmp_path)
    declared = web.client.post(
        "/login",
        content=b"password=" + b"x" * (2 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert declared.status_code == 413
    assert "larger than tactful takes here (16 KB)" in declared.text
    assert declared.headers.get("x-content-type-options") == "nosniff"
    streamed = web.client.post(
        "/login", content=_chunks(200 * 1024), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    assert "content-length" not in streamed.request.headers  # sent chunked: caught while reading


def test_the_api_refuses_a_body_over_a_megabyte_in_json(tmp_path: Path) -> None:
    web = make(tmp_path)
    note = "n" * (1024 * 1024)
    body = {"kind": "interview", "people": ["Ada Park"], "at": "2026-03-02 10:00", "note": note}
    answer = web.client.post("/api/v1/interactions", json=body)
    assert answer.status_code == 413
    assert answer.json()["error"].startswith("That request is larger than tactful takes here (1 MB)")
    streamed = web.client.post(
        "/api/v1/interactions", content=_chunks(2 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert web.client.get("/api/v1/agenda").json()["items"] == []  # nothing was logged


def test_every_text_the_api_takes_has_a_limit_and_is_not_echoed_whole(tmp_path: Path) -> None:
    """A 10 MB note was once stored; a draft of any length was reviewed; a name or a time of any
    length was looked up and said back in full."""
    web = make(tmp_path)
    client = web.client
    logged = client.post("/api/v1/interactions", json={"kind": "interview", "people": ["Ada Park"],
                                                       "at": "2026-03-02 10:00"})  # fmt: skip
    assert logged.status_code == 201
    big = "x" * 300_000
    for method, path, body, field in (
        ("post", "/api/v1/interactions", {"kind": "interview", "people": ["Ada Park"], "note": big}, "note"),
        ("post", "/api/v1/interactions", {"kind": "interview", "people": ["Ada Park"], "at": big}, "at"),
        ("post", "/api/v1/check", {"text": big}, "text"),
        ("post", "/api/v1/replies", {"from": big}, "from"),
        ("post", "/api/v1/reminders", {"who": "Ada Park", "at": big}, "at"),
        ("post", "/api/v1/followups/1/snooze", {"until": big}, "until"),
        ("patch", "/api/v1/interactions/1", {"note": big}, "note"),
        ("put", "/api/v1/profile", {"signature": big}, "signature"),
    ):
        answer = client.request(method.upper(), path, json=body)
        assert answer.status_code == 422, (path, field, answer.text[:200])
        assert answer.json()["field"] == field and "too long" in answer.json()["error"]
        assert len(answer.content) < 500
    assert client.get("/api/v1/contacts/" + "x" * 5000).status_code == 422
    assert len(client.get("/api/v1/agenda").json()["items"]) >= 1
