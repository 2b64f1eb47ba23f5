"""The Stats page: the same figures as `tactful stats`, drawn as server-side SVG bars."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_web import Web, make

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores


def test_the_stats_page_draws_the_reply_rates(tmp_path: Path) -> None:
    web: Web = make(tmp_path)
    assert "Nothing sent yet" in web.get("/stats").text
    web.post(
        "/log", {"kind": "interview", "people": "Priya Natarajan", "org": "Acme", "at": "2026-03-02 10:00"}
    )
    web.post("/followups/1/done", {})
    answered = web.client.post("/api/v1/replies", json={"from": "Priya Natarajan", "at": "2026-03-02 16:30"})
    assert answered.status_code == 200, answered.text
    page = web.get("/stats")
    assert page.status_code == 200
    assert "1 follow-ups sent over 1 threads; 1 answered (100%)" in " ".join(page.text.split())
    assert page.text.count('<svg class="bars"') == 5
    assert "Thank-you" in page.text and "1 of 1" in page.text
    assert "a small sample" in page.text
    assert 'aria-current="page">Stats' in page.text
    since = web.get("/stats", params={"since": "2030-01-01"})
    assert "Nothing sent yet" in since.text
    bad = web.get("/stats", params={"since": "whenever"})
    assert bad.status_code == 422 and "since" in bad.text.lower()


def test_the_chart_escapes_what_it_shows() -> None:
    from tactful.web.svg import bars

    svg = bars({"<b>x</b>": {"rate": 0.5, "replied": 1, "of": 2}})
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and 'width="95.0"' in svg
