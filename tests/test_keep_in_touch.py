"""Keep in touch: three mentors on a two-month cadence fall onto the Losing touch list as time
passes, and leave it as coffees are logged."""

from __future__ import annotations

from typing import Any

from tests.test_cli import setup

MENTORS = ("Priya Natarajan", "Sam Lee", "Ada Okafor")


def mentors(run: Any, run_json: Any) -> None:
    setup(run)
    for name in MENTORS:
        run_json("log", "meeting", "--with", name, "--org", "Guild", "--at", "2026-03-02 10:00")
        run_json("tag", name, "mentor")
    out = run_json("keep-in-touch", "--tag", "mentor", "--every", "2m", "--at-most", "4m")
    assert out == {"contact_id": None, "tag": "mentor", "every": "2m", "at_most": "4m"}


def losing(run_json: Any, now: str) -> list[str]:
    return [x["name"] for x in run_json("agenda", "--now", now)["losing_touch"]]


def test_mentors_fall_onto_the_list_as_time_passes_and_leave_it_over_coffee(run: Any, run_json: Any) -> None:
    mentors(run, run_json)
    assert losing(run_json, "2026-06-30 12:00") == []  # within four months of 2 March
    assert sorted(losing(run_json, "2026-07-03 12:00")) == sorted(MENTORS)
    (first,) = [
        x for x in run_json("agenda", "--now", "2026-07-03 12:00")["losing_touch"] if x["name"] == "Sam Lee"
    ]
    assert first["gap_days"] == 123 and first["last_interaction"].startswith("2026-03-02T10:00")
    run_json("log", "meeting", "--with", "Sam Lee", "--org", "Guild", "--at", "2026-07-02 08:30")
    assert sorted(losing(run_json, "2026-07-03 12:00")) == ["Ada Okafor", "Priya Natarajan"]
    shown = run("agenda", "--now", "2026-07-03 12:00")
    assert "Losing touch: Ada Okafor" in shown.stdout


def test_a_persons_own_cadence_and_the_tightest_one_hold(run: Any, run_json: Any) -> None:
    mentors(run, run_json)
    run_json("keep-in-touch", "Priya Natarajan", "--every", "1m")  # at most one month, for her alone
    assert losing(run_json, "2026-04-10 12:00") == ["Priya Natarajan"]
    run_json("keep-in-touch", "Priya Natarajan", "--off")
    assert losing(run_json, "2026-04-10 12:00") == []


def test_bad_cadences_get_one_line(run: Any, run_json: Any) -> None:
    mentors(run, run_json)
    for args, said in (
        (("--tag", "mentor", "--every", "2 fortnights"), "is not a duration"),
        (("--tag", "mentor", "--every", "4m", "--at-most", "2m"), "at least"),
        (("--tag", "nobody", "--every", "2m"), "no one is tagged"),
        (("Sam Lee", "--tag", "mentor", "--every", "2m"), "name a person, or give --tag"),
    ):
        result = run("keep-in-touch", *args)
        assert result.exit_code == 1 and said in result.stderr, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
