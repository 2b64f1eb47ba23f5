"""`tactful stats` on a history whose figures are known by construction."""

from __future__ import annotations

from typing import Any

from tests.test_cli import setup


def history(run: Any, run_json: Any) -> dict[str, Any]:
    """Priya (Acme): thank-you Monday in its window, check-in the next Monday, answered on the
    Tuesday (23 hours later). Sam (Beta): a thank-you sent late, on the Thursday; no answer."""
    setup(run)
    a = run_json("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    b = run_json("log", "interview", "--with", "Sam Lee", "--org", "Beta", "--at", "2026-03-02 11:00")
    ids = {(f["contact"]["name"], f["purpose"]): f["id"] for x in (a, b) for f in x["followups"]}
    run_json("done", str(ids[("Priya Natarajan", "thank-you")]), "--at", "2026-03-02 15:00")
    run_json("done", str(ids[("Priya Natarajan", "check-in")]), "--at", "2026-03-09 10:00")
    run_json("reply", "--from", "Priya Natarajan", "--at", "2026-03-10 09:00")
    run_json("done", str(ids[("Sam Lee", "thank-you")]), "--at", "2026-03-05 16:00")
    return ids


def test_reply_rates_rest_on_what_was_sent_and_answered_before_the_next_nudge(
    run: Any, run_json: Any
) -> None:
    history(run, run_json)
    out = run_json("stats")
    rates = out["reply_rate"]
    assert (out["threads"], out["sent"]) == (2, 3)
    assert rates["overall"] == {"rate": 0.333, "replied": 1, "of": 3}
    # the reply came after the check-in: it answers the check-in, not the thank-you before it
    assert rates["by_purpose"] == {"check-in": {"rate": 1.0, "replied": 1, "of": 1},
                                   "thank-you": {"rate": 0.0, "replied": 0, "of": 2}}  # fmt: skip
    assert rates["by_nudge"] == {
        "0": {"rate": 0.0, "replied": 0, "of": 2},
        "1": {"rate": 1.0, "replied": 1, "of": 1},
    }
    assert rates["by_channel"] == {"email": {"rate": 0.333, "replied": 1, "of": 3}}
    assert list(rates["by_weekday"]) == ["mon", "thu"]
    assert rates["by_weekday"]["mon"] == {"rate": 0.5, "replied": 1, "of": 2}
    assert rates["by_delay"]["late"] == {"rate": 0.0, "replied": 0, "of": 1}  # Sam's, three days after
    assert out["on_time"] == {"on_time": 2, "of": 3}
    assert out["median_days_to_reply"] == 1.0  # 23 hours


def test_since_leaves_out_what_came_before_and_the_terminal_says_how_little_it_rests_on(
    run: Any, run_json: Any
) -> None:
    history(run, run_json)
    later = run_json("stats", "--since", "2026-03-04")
    assert later["sent"] == 2 and later["reply_rate"]["by_purpose"]["check-in"]["replied"] == 1
    shown = run("stats")
    assert shown.exit_code == 0
    assert "3 follow-ups sent over 2 threads; 1 answered (33%)" in shown.stdout
    assert "a small sample" in shown.stdout
    bad = run("stats", "--since", "someday soon")
    assert bad.exit_code == 1 and len(bad.stderr.strip().splitlines()) == 1


def test_nothing_sent_says_so(run: Any, run_json: Any) -> None:
    setup(run)
    assert run_json("stats")["sent"] == 0
    assert "Nothing sent yet" in run("stats").stdout


def test_the_weekday_is_the_users_own_even_where_a_day_begins_on_the_half_hour(
    run: Any, run_json: Any
) -> None:
    """In Kolkata (UTC+05:30) a send at 18:15 UTC on Sunday is Sunday 23:45, one at 18:45 UTC is
    Monday 00:15: the same UTC hour, two weekdays."""
    assert run("profile", "--name", "Robin Vale", "--tz", "Asia/Kolkata", "--country", "IN").exit_code == 0
    ids = []
    for name in ("Priya Natarajan", "Sam Lee"):
        out = run_json("log", "meeting", "--with", name, "--at", "2026-03-06 10:00")
        ids.append(out["followups"][0]["id"])
    run_json("done", str(ids[0]), "--at", "2026-03-08T18:15:00+00:00")
    run_json("done", str(ids[1]), "--at", "2026-03-08T18:45:00+00:00")
    weekdays = run_json("stats")["reply_rate"]["by_weekday"]
    assert {day: rate["of"] for day, rate in weekdays.items()} == {"mon": 1, "sun": 1}
