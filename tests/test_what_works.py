"""What works, explained: suggestions from histories whose figures are known by construction.

Each history is a run of applications, one thread each, whose check-in was marked sent a chosen
number of business days after the application and answered (or not) the next day. The figures the
suggestions quote are therefore known before they are read.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tactful.errors import InvalidInput
from tactful.playbook import rules
from tactful.service import Service, followups, what_works
from tactful.service.followups import LogRequest
from tactful.service.profile import update_profile
from tactful.store import open_store

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
FIRST = ["Ada", "Ben", "Cleo", "Dev", "Esme", "Finn", "Gia", "Hugo", "Ines", "Jon"]
LAST = ["Abbott", "Brandt", "Castro", "Dunn", "Eklund", "Fox", "Grant", "Holm", "Ito"]

#: 40 check-ins sent 3 business days after the application (24 answered), 36 sent after 5 (9 answered).
FORTY_THIRTY_SIX = [(3, n < 24) for n in range(40)] + [(5, n < 9) for n in range(36)]


def service(db: Path, playbook: Path) -> Service:
    svc = Service(open_store(db), playbook_path=playbook, now=NOW)
    if not svc.profile.name:
        update_profile(svc, name="Robin Vale", tz="America/New_York", country="US")
    return svc


def add(svc: Service, sends: list[tuple[int, bool]]) -> None:
    """One application thread per (business days until the check-in was sent, answered) pair."""
    cal = svc.calendar
    start = len(svc.store.thread_rows())
    for n, (days, answered) in enumerate(sends, start):
        applied = dt.date(2026, 1, 5) + dt.timedelta(days=n * 2)
        name = f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST)]}"
        logged = followups.log(
            svc, LogRequest(kind="application", people=[name], org=f"Firm {n}", at=f"{applied} 10:00")
        )
        check = next(f for f in logged.change.added if f.rule == "application.check")
        sent_on = cal.add_business_days(applied, days)
        followups.done(svc, check.id, at=f"{sent_on} 11:00")
        if answered:
            followups.reply(
                svc, name, thread_id=logged.thread.id if logged.thread else None, at=f"{sent_on} 16:00"
            )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[list[tuple[int, bool]]], Path]:
    """A history's database, built once per module and shape, then copied for each test."""
    made: dict[str, Path] = {}
    folder = tmp_path_factory.mktemp("histories")

    def build(sends: list[tuple[int, bool]]) -> Path:
        key = repr(sends)
        if key not in made:
            path = folder / f"h{len(made)}.db"
            svc = service(path, folder / "none.toml")
            add(svc, sends)
            svc.store.close()
            made[key] = path
        return made[key]

    return build


@pytest.fixture
def history(tmp_path: Path, built: Any) -> Iterator[Callable[[list[tuple[int, bool]]], Service]]:
    """A service over a copy of a built history, with its own playbook file (not there yet)."""
    opened: list[Service] = []

    def make(sends: list[tuple[int, bool]]) -> Service:
        db = tmp_path / f"copy{len(opened)}.db"
        shutil.copy(built(sends), db)
        svc = service(db, tmp_path / "config" / "playbook.toml")
        opened.append(svc)
        return svc

    yield make
    for svc in opened:
        svc.store.close()


def test_early_sends_answered_more_often_give_one_suggestion_with_their_figures(history: Any) -> None:
    svc = history(FORTY_THIRTY_SIX)
    found = what_works.suggestions(svc)
    assert [s.id for s in found] == ["application.check"]
    s = found[0]
    assert (s.rule, s.opens, s.closes) == ("application.check", 2, 7)
    assert (s.proposed_opens, s.proposed_closes) == (2, 4)  # closes before the day that did worse
    assert s.figures() == {
        "threads": 76,
        "early": {"days": [3, 3], "replied": 24, "of": 40, "rate": 0.6},
        "late": {"days": [5, 5], "replied": 9, "of": 36, "rate": 0.25},
    }
    assert s.why == (
        "Your application check-ins sent 3 business days after the application got answers 60% (24 of 40); "
        "those sent 5 business days after, 25% (9 of 36): close the window at day 4 instead of day 7."
    )


def test_later_sends_answered_more_often_open_the_window_later(history: Any) -> None:
    svc = history([(2, n < 3) for n in range(15)] + [(4, n < 12) for n in range(20)])
    (s,) = what_works.suggestions(svc)
    assert (s.proposed_opens, s.proposed_closes) == (4, 7)
    assert (s.early.replied, s.early.of, s.late.replied, s.late.of) == (3, 15, 12, 20)
    assert s.why.endswith("open the window at day 4 instead of day 2.")


def test_under_thirty_threads_there_is_no_suggestion_and_at_thirty_there_is(history: Any) -> None:
    svc = history([(3, True)] * 15 + [(6, False)] * 14)
    found = what_works.findings(svc)
    assert found.suggestions == [] and found.threads["application.check"] == 29 and not found.enough
    add(svc, [(6, False)])
    assert [s.id for s in what_works.suggestions(svc)] == ["application.check"]


def test_a_difference_that_is_not_clear_suggests_nothing(history: Any) -> None:
    # 50% against 36%: 1.4 times as often, 14 points; both short of what a suggestion needs
    svc = history([(3, n < 20) for n in range(40)] + [(5, n < 13) for n in range(36)])
    found = what_works.findings(svc)
    assert found.enough and found.suggestions == []


def test_a_side_with_fewer_than_ten_sends_is_not_compared(history: Any) -> None:
    svc = history([(3, True)] * 9 + [(5, False)] * 30)
    assert what_works.suggestions(svc) == []


def test_accept_writes_the_window_into_the_users_playbook_and_keeps_the_rest(history: Any) -> None:
    svc = history(FORTY_THIRTY_SIX)
    path = svc.playbook_path
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_text(
        "# my own changes\n[limits]\nspacing_business_days = 6\n\n"
        '[rules."application.check"]\nchannel = "email"  # always\nopens = "2d"\n\n'
        '[rules."interview.check-in"]\ncloses = "6d"\n',
        encoding="utf-8",
    )
    before = rules.load(path)
    chosen, written = what_works.accept(svc, "application.check")
    assert written == path and chosen.id == "application.check"
    text = path.read_text(encoding="utf-8")
    assert "# my own changes" in text and 'channel = "email"  # always' in text
    after = rules.load(path)
    moved = after.rules["application.check"]
    assert (str(moved.opens), str(moved.closes)) == ("2d", "4d")
    assert "24 of 40" in moved.why and "9 of 36" in moved.why
    assert after.limits == before.limits and after.limits.spacing_business_days == 6
    assert {k: r for k, r in after.rules.items() if k != "application.check"} == {
        k: r for k, r in before.rules.items() if k != "application.check"
    }
    assert str(after.rules["interview.check-in"].closes) == "6d"
    assert svc.planner.playbook.rules["application.check"].closes.amount == 4  # the service reads it again
    assert what_works.suggestions(svc) == []  # the window already says it: nothing left to suggest


def test_accept_makes_the_file_and_its_folder_when_missing(history: Any) -> None:
    svc = history(FORTY_THIRTY_SIX)
    path = svc.playbook_path
    assert path is not None and not path.parent.exists()
    what_works.accept(svc, "application.check")
    assert rules.load(path).rules["application.check"].closes.amount == 4
    assert rules.load(path).rules["interview.check-in"] == rules.load().rules["interview.check-in"]


def test_accept_refuses_what_it_cannot_edit_and_leaves_the_file_as_it_was(history: Any) -> None:
    svc = history(FORTY_THIRTY_SIX)
    path = svc.playbook_path
    assert path is not None
    path.parent.mkdir(parents=True)
    text = '[rules]\n"application.check".opens = "2d"\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match='write opens = "2d", closes = "4d" there yourself'):
        what_works.accept(svc, "application.check")
    assert path.read_text(encoding="utf-8") == text


def test_an_unknown_suggestion_is_refused_and_nothing_is_written(history: Any) -> None:
    svc = history(FORTY_THIRTY_SIX)
    with pytest.raises(InvalidInput, match="`tactful suggestions`"):
        what_works.accept(svc, "interview.check-in")
    assert svc.playbook_path is not None and not svc.playbook_path.exists()


# -- the command line ----------------------------------------------------------------------------------
def test_the_commands_list_accept_and_refuse(run: Any, run_json: Any, db_path: Path, built: Any) -> None:
    shutil.copy(built(FORTY_THIRTY_SIX), db_path)
    empty = run("--db", str(db_path.parent / "empty.db"), "suggestions")
    assert empty.stdout == "No suggestions yet: they need at least 30 threads of a kind.\n"
    listed = run_json("suggestions")["suggestions"]
    assert [
        (s["id"], s["opens"], s["closes"], s["proposed_opens"], s["proposed_closes"]) for s in listed
    ] == [("application.check", "2d", "7d", "2d", "4d")]
    assert listed[0]["figures"]["early"]["replied"] == 24 and "24 of 40" in listed[0]["why"]
    shown = run("suggestions").stdout
    assert "application.check" in shown and "days 2 to 4" in shown and "(9 of 36)" in shown
    wrong = run("suggestions", "accept", "no.such-rule")
    assert wrong.exit_code == 1 and wrong.stdout == ""
    assert wrong.stderr.strip().splitlines() == [
        "error: there is no suggestion 'no.such-rule' now; `tactful suggestions` lists the ones there are"
    ]
    playbook = db_path.parent / "none.toml"  # where the `run` fixture points TACTFUL_PLAYBOOK
    assert not playbook.exists()
    accepted = run("suggestions", "accept", "application.check")
    assert accepted.exit_code == 0, accepted.stderr
    assert f'closes = "4d" to [rules."application.check"] in {playbook}' in " ".join(accepted.stdout.split())
    assert rules.load(playbook).rules["application.check"].closes.amount == 4
    assert run_json("suggestions") == {"suggestions": []}
    again = run("suggestions", "accept", "application.check")
    assert again.exit_code == 1 and "tactful suggestions" in again.stderr


# -- the Stats page ----------------------------------------------------------------------------------
def test_the_stats_page_shows_the_suggestion_and_adds_it_to_the_playbook(tmp_path: Path, built: Any) -> None:
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app
    from tests.test_web import Web

    db, playbook = tmp_path / "web.db", tmp_path / "config" / "playbook.toml"
    shutil.copy(built(FORTY_THIRTY_SIX), db)
    config = load(database=db, environ={"TACTFUL_PLAYBOOK": str(playbook)})
    web = Web(TestClient(create_app(Settings(config, now=NOW)), base_url="http://127.0.0.1"))
    stats = web.get("/stats").text
    assert 'hx-get="/stats/suggestions"' in stats and 'href="/stats/suggestions"' in stats
    page = web.get("/stats/suggestions")
    text = " ".join(page.text.split())
    assert page.status_code == 200
    assert "days 2 to 7 now, days 2 to 4 suggested (business days, over 76 threads)" in text
    assert "60% (24 of 40)" in text and "25% (9 of 36)" in text
    assert text.count("Add to my playbook") == 1 and not playbook.exists()
    forged = web.client.post("/stats/suggestions/accept", data={"id": "application.check"})
    assert forged.status_code == 403 and not playbook.exists()  # no CSRF token: refused, nothing written
    added = web.post("/stats/suggestions/accept", {"id": "application.check"})
    assert added.status_code == 200 and str(added.url).endswith(
        "/stats/suggestions?accepted=application.check"
    )
    assert rules.load(playbook).rules["application.check"].closes.amount == 4
    after = " ".join(added.text.split())
    assert f"Added to your playbook ({playbook}): application.check" in after
    assert "Add to my playbook" not in after and "no clear reason to move a window" in after
    unknown = web.post("/stats/suggestions/accept", {"id": "application.check"})
    assert (
        unknown.status_code == 422
        and "There is no suggestion &#39;application.check&#39; now." in unknown.text
    )
