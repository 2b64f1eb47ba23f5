"""Naming a person on the command line (`--with`, `--from`, `show contact`), through the real CLI.

A name matches a person whose full name, first name or last name it equals, case and accents
ignored; one match is that person, several ask which on a terminal and are otherwise an error that
lists them and names the flag to fix (../shared/spec/interface.md).
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .snapshots import snapshot
from .test_cli import setup


def test_reply_from_a_first_name_finds_the_one_person(run, run_json) -> None:
    setup(run)
    run("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    result = run("reply", "--from", "Priya", "--at", "2026-03-03 10:00")
    assert result.exit_code == 0, result.stderr
    assert run("reply", "--from", "natarajan", "--at", "2026-03-04 10:00").exit_code == 0


def test_a_name_matches_without_case_or_accents(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Zoë Ødegaard", "--org", "Fjord", "--at", "2026-03-02 10:00")
    shown = run_json("show", "contact", "zoe odegaard")
    assert shown["contact"]["name"] == "Zoë Ødegaard"
    assert run_json("show", "contact", "ZOE")["contact"]["id"] == shown["contact"]["id"]


def test_with_a_first_name_is_the_person_already_known_not_a_new_one(run, run_json, db_path) -> None:
    setup(run)
    run("log", "interview", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-02 10:00")
    logged = run_json("log", "call", "--with", "Dana", "--at", "2026-03-05 10:00")
    assert {f["contact"]["name"] for f in logged["followups"]} <= {"Dana Whitfield"}
    conn = __import__("sqlite3").connect(db_path)
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    conn.close()


def test_several_matches_list_each_person_and_name_the_flag_of_the_command(run, db_location) -> None:
    setup(run)
    run("log", "meeting", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-02 10:00")
    run("log", "meeting", "--with", "Dana Scully", "--org", "FBI", "--at", "2026-03-02 11:00")
    before = snapshot(db_location)
    listed = "#1 Dana Whitfield (Globex), #2 Dana Scully (FBI)"
    for args, flag in [
        (("reply", "--from", "dana"), "--from"),
        (("log", "call", "--with", "Dana"), "--with"),
        (("show", "contact", "DANA"), "ID"),
    ]:
        result = run(*args)
        assert result.exit_code == 1, args
        line = result.stderr.strip()
        assert len(line.splitlines()) == 1 and listed in line and line.startswith(f"error: {flag}:"), line
    assert snapshot(db_location) == before


def test_with_json_an_error_is_also_a_json_document(run) -> None:
    setup(run)
    run("log", "meeting", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-02 10:00")
    run("log", "meeting", "--with", "Dana Scully", "--org", "FBI", "--at", "2026-03-02 11:00")
    result = run("reply", "--from", "Dana", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["field"] == "from" and "#2 Dana Scully (FBI)" in error["message"]
    bad = run("log", "interview", "--with", "Ann", "--decision-by", "someday maybe", "--json")
    assert bad.exit_code == 1 and json.loads(bad.stdout)["error"]["field"] == "decision_by"


def _in_a_terminal(args: list[str], env: dict[str, str], answer: str) -> tuple[int, str]:
    """Run `tactful ARGS` with a terminal for its input and output; type `answer` when it asks."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "tactful"), *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen, answered, deadline = b"", False, time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"Which one?" in seen:
            os.write(leader, answer.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    process.wait(timeout=30)
    os.close(leader)
    return process.returncode, seen.decode(errors="replace")


def test_on_a_terminal_several_matches_ask_which(tmp_path: Path) -> None:
    env = {**os.environ, "TACTFUL_DB": str(tmp_path / "t.db"), "NO_COLOR": "1"}
    tactful = str(Path(sys.executable).parent / "tactful")
    for args in (
        ["log", "meeting", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-02 10:00"],
        ["log", "meeting", "--with", "Dana Scully", "--org", "FBI", "--at", "2026-03-02 11:00"],
    ):
        subprocess.run([tactful, *args], env=env, check=True, capture_output=True)
    status, shown = _in_a_terminal(["reply", "--from", "Dana", "--at", "2026-03-03 10:00"], env, "2")
    assert status == 0, shown
    assert "1. #1 Dana Whitfield (Globex)" in shown and "2. #2 Dana Scully (FBI)" in shown
    for thread_id, replied in (("1", False), ("2", True)):  # the reply went to the one chosen
        shown_thread = subprocess.run(
            [tactful, "show", "thread", thread_id, "--json"], env=env, check=True, capture_output=True
        )
        events = json.loads(shown_thread.stdout)["events"]
        assert any(e["kind"] == "reply" for e in events) is replied


def test_contacts_finds_people_by_any_name_address_or_organisation(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Zoë Ødegaard", "--email", "zoe@fjord.example", "--org", "Fjørd Analytics",
        "--at", "2026-03-02 10:00")  # fmt: skip
    run("log", "interview", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-05 10:00")
    run("log", "meeting", "--with", "María de la Vega", "--org", "Globex", "--at", "2026-03-04 10:00")
    names = lambda *q: [c["name"] for c in run_json("contacts", *q)["contacts"]]  # noqa: E731
    assert names() == ["Dana Whitfield", "María de la Vega", "Zoë Ødegaard"]  # most recent first
    assert names("zoe") == names("ODEGAARD") == names("zoe@fjord") == names("fjord") == ["Zoë Ødegaard"]
    assert names("globex") == ["Dana Whitfield", "María de la Vega"]
    assert names("vega") == names("maria de") == ["María de la Vega"]
    assert names("dana globex") == ["Dana Whitfield"] and names("dana fjord") == []
    run("log", "meeting", "--with", "Ola Berg", "--org", "Fjørd Analytics", "--at", "2026-03-01 10:00")
    assert names("fjord analytics") == ["Zoë Ødegaard", "Ola Berg"]  # the organisation's name folded too
    shown = run_json("contacts", "dana")["contacts"][0]
    assert set(shown) == {"id", "name", "email", "organisation", "last_interaction"}
    assert shown["last_interaction"].startswith("2026-03-05T10:00")
    human = run("contacts", "nobody")
    assert human.exit_code == 0 and "No one matches 'nobody'" in human.stdout


@pytest.mark.parametrize(
    "name",
    [
        "Dana Whitfield",
        "Zoë Ødegaard",
        "O'Brien Kelly",
        "Mary-Jane Watson",
        "Van Morrison",
        "Dr Smith",
        "John Jr",
        "Sir Paul",
        "Tomás García",
        "Li Na",
        "de Vega",
        "Ana  Silva",
        "Ana Silva123",
        "Ana 2nd",
        "Ana Silva III",
        "Tomás de la Vega",
        "Jan van der Berg",
        "Maria da Silva7",
        "Ana De la Vega",
        "Ana de la",
        "Ana von Trapp Jr",
        "Mary Ann Smith",
        "Ana Maria de Souza",
    ],
)
def test_plain_names_are_read_quickly_and_as_nameparser_reads_them(name: str) -> None:
    """Plain names skip nameparser (a hundredfold faster on a 10,000-row import): the same keys."""
    from nameparser import HumanName

    from tactful.domain import fold, name_keys

    parsed = HumanName(name)
    found = [name, " ".join(p for p in (parsed.first, parsed.middle, parsed.last) if p),
             f"{parsed.first} {parsed.last}", parsed.first, parsed.last, parsed.nickname,
             parsed.last.split()[-1] if parsed.last.split() else ""]  # fmt: skip
    expected = tuple(dict.fromkeys(k for k in (fold(x) for x in found) if k))
    assert name_keys(name) == expected


def test_the_quick_search_answers_as_the_command_does_without_click(run, db_path, capsys) -> None:
    """`tactful contacts QUERY --json` is answered before click loads: the same document, and
    anything it does not take goes to the full command line."""
    from tactful.cli.quick import answer

    setup(run)
    run("log", "meeting", "--with", "Zoë Ødegaard", "--email", "zoe@fjord.example", "--org", "Fjørd",
        "--at", "2026-03-02 10:00")  # fmt: skip
    run("log", "meeting", "--with", "Dana Whitfield", "--org", "Globex", "--at", "2026-03-03 10:00")
    for words in (["zoe"], ["odegaard", "fjord"], [], ["nobody"]):
        full = run("contacts", *words, "--json")
        capsys.readouterr()
        assert answer(["--db", str(db_path), "contacts", *words, "--json"]) is True
        assert capsys.readouterr().out == full.stdout
    for args in (["contacts", "--json", "x"], ["contacts", "-h", "--json"], ["agenda", "--days", "3", "--json"],
                 ["--db", str(db_path), "contacts", "x" * 300, "--json"]):  # fmt: skip
        assert answer(args) is False  # the full command line answers these (the last: one clear error)
    probe = ("import sys; from tactful.cli import main; sys.argv = ['tactful', 'contacts', 'dana', '--json']; "
             "main(); print('click' in sys.modules, file=sys.stderr)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "TACTFUL_DB": str(db_path)},
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(done.stdout)["contacts"][0]["name"] == "Dana Whitfield"
    assert done.stderr.strip() == "False"


def test_the_quick_agenda_answers_as_the_command_does_without_click(run, db_path, capsys) -> None:
    """`tactful agenda [--all] --json` is answered before click loads, with the same document."""
    from tactful.cli.quick import answer

    setup(run)
    run("log", "interview", "--with", "Priya Natarajan", "--org", "Acme", "--at", "2026-03-02 10:00")
    run("tag", "Priya Natarajan", "mentor")
    run("keep-in-touch", "--tag", "mentor", "--every", "1m")
    for extra in ([], ["--all"]):
        full = run("agenda", *extra, "--json")
        capsys.readouterr()
        assert answer(["--db", str(db_path), "agenda", *extra, "--json"]) is True
        quick = capsys.readouterr().out
        same = [line for line in quick.splitlines() if not line.startswith('  "now"')]
        assert same == [line for line in full.stdout.splitlines() if not line.startswith('  "now"')]
        assert len(json.loads(quick)["items"]) >= 2
    probe = ("import sys; from tactful.cli import main; sys.argv = ['tactful', 'agenda', '--json']; "
             "main(); print('click' in sys.modules, file=sys.stderr)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "TACTFUL_DB": str(db_path)},
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert "items" in json.loads(done.stdout) and done.stderr.strip() == "False"


def test_a_query_of_nothing_to_look_for_finds_no_one(run, run_json) -> None:
    setup(run)
    run("log", "meeting", "--with", "Sam Lee", "--at", "2026-03-02 10:00")
    for query in ("|", "!", "* *", '"'):
        assert run_json("contacts", query)["contacts"] == []
    assert [c["name"] for c in run_json("contacts")["contacts"]] == ["Sam Lee"]
