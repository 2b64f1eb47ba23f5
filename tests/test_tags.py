"""Tags on people: `tactful tag` / `untag`, kept through a merge, gone with the person, undone."""

from __future__ import annotations

from typing import Any

from tests.snapshots import snapshot
from tests.test_cli import setup


def test_tags_are_put_on_and_taken_off_and_shown_with_the_person(
    run: Any, run_json: Any, db_location: Any
) -> None:
    setup(run)
    run_json("log", "meeting", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    out = run_json("tag", "Priya Natarajan", "Mentor", "data-eng")
    assert out == {"contact_id": 1, "name": "Priya Natarajan", "tags": ["data-eng", "mentor"]}
    assert run_json("tag", "#1", "mentor")["tags"] == ["data-eng", "mentor"]  # once each
    assert run_json("show", "contact", "#1")["contact"]["tags"] == ["data-eng", "mentor"]
    assert run_json("untag", "#1", "data-eng")["tags"] == ["mentor"]
    assert run("undo").exit_code == 0
    assert run_json("show", "contact", "#1")["contact"]["tags"] == ["data-eng", "mentor"]
    before = snapshot(db_location)
    bad = run("tag", "#1", "two words")
    assert bad.exit_code == 1 and "is not a tag" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    nobody = run("tag", "Nobody Here", "mentor")
    assert nobody.exit_code == 1 and snapshot(db_location) == before
    assert "Priya Natarajan: data-eng, mentor." in run("tag", "#1", "mentor").stdout


def test_tags_follow_a_merge_and_go_with_a_deleted_person(run: Any, run_json: Any) -> None:
    setup(run)
    run_json("log", "meeting", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    run_json("log", "meeting", "--with", "P. Natarajan", "--org", "Acme", "--at", "2026-03-03 10:00")
    run_json("tag", "#1", "mentor")
    run_json("tag", "#2", "acme", "mentor")
    assert run("merge", "contact", "#1", "#2").exit_code == 0
    assert run_json("show", "contact", "#1")["contact"]["tags"] == ["acme", "mentor"]
    deleted = run("delete", "contact", "#1", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
