"""The iCalendar export: RFC 5545 encoding, read back by `icalendar`, then by khal and todoman.

The khal and todoman tests run the real Debian programs (`tools/system-deps.sh` installs them); they
are skipped, with the reason, only on a machine where the program is missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import types
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tactful.domain import Channel, Contact, FollowUp, Purpose, Status
from tactful.errors import InvalidInput
from tactful.formats import ical
from tactful.service import transfer as exchange

NY = "America/New_York"


def build_history(world):
    """An interview (thank-you done), a meeting (reconnect skipped), and a call still planned."""
    world.log("interview", "Priya Natarajan", org="Acme", email="priya@acme.example", title="Data Engineer",
              at="2026-03-02 10:00")  # fmt: skip
    world.log("meeting", "Dana Whitfield", org="Harbour Foods", at="2026-03-02 12:00")
    world.log("call", "Omar Adeyemi", org="Fintrail", at="2026-03-02 14:00")
    followups = {f.rule: f for t in (1, 2, 3) for f in world.plan(t)}
    world.clock("2026-03-02 15:00")
    world.done(followups["interview.thank-you"].id, "2026-03-02 15:00")
    world.skip(followups["meeting.reconnect"].id, reason="met again in person")
    return {f.rule: f for t in (1, 2, 3) for f in world.plan(t)}


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def by_uid(cal: icalendar.Calendar, kind: str) -> dict[str, icalendar.cal.Component]:
    return {str(c["UID"]): c for c in cal.walk(kind)}


# -- pure encoding ------------------------------------------------------------------------------------------
def make_followup(**changes) -> FollowUp:
    base = FollowUp(
        id=7, thread_id=3, contact_id=2, rule="interview.thank-you", purpose=Purpose.THANK_YOU,
        channel=Channel.EMAIL, nudge=False, not_before=dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC),
        due_by=dt.datetime(2026, 3, 3, 15, tzinfo=dt.UTC), why="Thank-you emails land best within 24 hours.",
        suggested_at=dt.datetime(2026, 3, 2, 17, tzinfo=dt.UTC),
    )  # fmt: skip
    return dataclasses.replace(base, **changes)


PRIYA = Contact(id=2, name="Priya Natarajan", email="priya@acme.example", organisation="Acme")


@pytest.mark.parametrize(
    ("purpose", "channel", "expected"),
    [
        (Purpose.THANK_YOU, Channel.EMAIL, "Thank Priya Natarajan (Acme) by email"),
        (Purpose.CHECK_IN, Channel.PHONE, "Check in with Priya Natarajan (Acme) by phone"),
        (Purpose.CALL, Channel.PHONE, "Call Priya Natarajan (Acme)"),
        (Purpose.LINKEDIN_CONNECT, Channel.LINKEDIN, "Connect with Priya Natarajan (Acme) on LinkedIn"),
        (Purpose.HANDWRITTEN_NOTE, Channel.LETTER, "Send Priya Natarajan (Acme) a handwritten note"),
        (Purpose.RECAP, Channel.EMAIL, "Send Priya Natarajan (Acme) a recap by email"),
    ],
)
def test_summary_says_who_and_what(purpose, channel, expected) -> None:
    entry = ical.Entry(make_followup(purpose=purpose, channel=channel), PRIYA)
    assert ical.summary(entry) == expected


def test_every_purpose_has_a_phrase_and_the_thread_organisation_fills_in() -> None:
    assert set(ical.PHRASES) == set(Purpose)
    nobody = Contact(id=5, name="Dana Whitfield")
    entry = ical.Entry(make_followup(purpose=Purpose.RECONNECT), nobody, "Pilot", "Harbour Foods")
    assert ical.summary(entry) == "Reconnect with Dana Whitfield (Harbour Foods) by email"
    assert ical.summary(ical.Entry(make_followup(), nobody)) == "Thank Dana Whitfield by email"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_folded_lines_are_short_whole_characters_and_unfold_back(value: str) -> None:
    line = f"DESCRIPTION:{ical.text(value)}".encode()
    folded = ical.fold(line)
    physical = folded.split(b"\r\n")
    assert all(len(p) <= 75 for p in physical)
    for p in physical:
        p.decode("utf-8")  # never cut inside a character
    assert all(p.startswith(b" ") for p in physical[1:])
    assert folded.replace(b"\r\n ", b"") == line


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=200))
def test_text_values_survive_icalendar(value: str) -> None:
    line = ical.fold(f"DESCRIPTION:{ical.text(value)}".encode())
    event = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + line + b"\r\nEND:VEVENT\r\n")
    assert str(event["DESCRIPTION"]) == value


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (dt.timedelta(0), "PT0S"),
        (dt.timedelta(hours=-2), "-PT2H"),
        (dt.timedelta(days=1, hours=4, minutes=30), "P1DT4H30M"),
        (dt.timedelta(days=-3), "-P3D"),
        (dt.timedelta(seconds=59), "PT59S"),
    ],
)
def test_durations(delta, expected) -> None:
    assert ical.duration(delta) == expected
    assert icalendar.vDuration.from_ical(expected) == delta


def test_sequence_only_grows_when_moved_later_or_finished() -> None:
    planned = make_followup()
    later = make_followup(not_before=planned.not_before + dt.timedelta(days=1))
    done = dataclasses.replace(later, status=Status.DONE)
    assert ical.sequence(planned) < ical.sequence(later) < ical.sequence(done) < 2**31


# -- through the service, read back by icalendar ----------------------------------------------------------------
def test_events_read_back_by_icalendar(world) -> None:
    plan = build_history(world)
    data, count = exchange.export_ics(world.service)
    cal = parse(data)
    assert cal["VERSION"] == "2.0" and "tactful" in str(cal["PRODID"])
    events = by_uid(cal, "VEVENT")
    assert count == len(events) == len(plan)

    check_in = events[f"followup-{plan['interview.check-in'].id}@tactful"]
    f = plan["interview.check-in"]
    start = check_in.decoded("DTSTART")
    assert start == f.suggested_at and check_in.decoded("DTEND") - start == dt.timedelta(minutes=30)
    assert str(check_in["SUMMARY"]) == "Check in with Priya Natarajan (Acme) by email"
    assert f.why in str(check_in["DESCRIPTION"]) and "Data Engineer at Acme" in str(check_in["DESCRIPTION"])
    assert str(check_in["STATUS"]) == "CONFIRMED"
    (alarm,) = check_in.walk("VALARM")
    assert start + alarm.decoded("TRIGGER") == f.not_before  # rings when the window opens
    assert check_in.decoded("DTSTAMP") == world.service.now()

    thanks = events[f"followup-{plan['interview.thank-you'].id}@tactful"]
    assert thanks.decoded("DTSTART") == plan["interview.thank-you"].done_at and not thanks.walk("VALARM")
    skipped = events[f"followup-{plan['meeting.reconnect'].id}@tactful"]
    assert str(skipped["STATUS"]) == "CANCELLED" and "met again in person" in str(skipped["DESCRIPTION"])
    recap = events[f"followup-{plan['call.recap'].id}@tactful"]
    assert str(recap["SUMMARY"]) == "Send Omar Adeyemi (Fintrail) a recap by email"


def test_todos_read_back_by_icalendar(world) -> None:
    plan = build_history(world)
    data, _ = exchange.export_ics(world.service, todo=True)
    todos = by_uid(parse(data), "VTODO")
    assert not parse(data).walk("VEVENT")
    for f in plan.values():
        todo = todos[ical.uid(f.id)]
        assert todo.decoded("DTSTART") == f.not_before and todo.decoded("DUE") == f.due_by
    done = todos[ical.uid(plan["interview.thank-you"].id)]
    assert (
        str(done["STATUS"]) == "COMPLETED"
        and done.decoded("COMPLETED") == plan["interview.thank-you"].done_at
    )
    assert str(todos[ical.uid(plan["meeting.reconnect"].id)]["STATUS"]) == "CANCELLED"
    assert str(todos[ical.uid(plan["call.recap"].id)]["STATUS"]) == "NEEDS-ACTION"


def test_a_new_export_keeps_the_uids_and_raises_sequence_of_what_changed(world) -> None:
    plan = build_history(world)
    before = by_uid(parse(exchange.export_ics(world.service)[0]), "VEVENT")
    world.clock("2026-03-03 09:00")
    world.done(plan["call.recap"].id, "2026-03-03 09:00")
    after = by_uid(parse(exchange.export_ics(world.service)[0]), "VEVENT")
    assert set(before) <= set(after)
    recap = ical.uid(plan["call.recap"].id)
    assert int(after[recap]["SEQUENCE"]) > int(before[recap]["SEQUENCE"])
    check_in = ical.uid(plan["interview.check-in"].id)
    assert int(after[check_in]["SEQUENCE"]) == int(before[check_in]["SEQUENCE"])


def test_old_history_stays_out_unless_asked(world) -> None:
    plan = build_history(world)
    world.clock("2026-07-01 09:00")
    recent = by_uid(parse(exchange.export_ics(world.service)[0]), "VEVENT")
    assert ical.uid(plan["interview.thank-you"].id) not in recent  # done in March
    everything = by_uid(parse(exchange.export_ics(world.service, everything=True)[0]), "VEVENT")
    assert ical.uid(plan["interview.thank-you"].id) in everything


def test_the_description_carries_a_draft_of_each_planned_followup(world) -> None:
    plan = build_history(world)
    events = by_uid(parse(exchange.export_ics(world.service)[0]), "VEVENT")
    recap = str(events[ical.uid(plan["call.recap"].id)]["DESCRIPTION"])
    assert "Draft:\nSubject: " in recap and "Omar" in recap.split("Draft:")[1]  # the real composer
    done = str(events[ical.uid(plan["interview.thank-you"].id)]["DESCRIPTION"])
    assert "Draft:" not in done  # only planned follow-ups get one


def fake_composer(monkeypatch, refuse: frozenset[int] = frozenset()) -> None:
    """A composer that writes "Dear <facts>" from facts that name the follow-up; refuses some ids."""

    def facts(store, profile, zone, f, channel, now=None):
        if f.id in refuse:
            raise InvalidInput(f"no draft for {f.id}")
        return f"draft for {f.id}"

    def compose(facts, templates=None):
        return types.SimpleNamespace(to_text=lambda: f"Subject: Hello\n\nDear {facts}")

    monkeypatch.setattr("tactful.service.draft_inputs.facts", facts)
    monkeypatch.setattr("tactful.compose.compose", compose)


def drafted(world) -> dict[int, str]:
    events = parse(exchange.export_ics(world.service)[0]).walk("VEVENT")
    found = {}
    for event in events:
        text = str(event["DESCRIPTION"])
        if "Draft:" in text:
            found[int(str(event["UID"]).split("-")[1].split("@")[0])] = text.split("Draft:\n")[1]
    return found


def test_drafts_are_limited_to_the_soonest_due(world, monkeypatch) -> None:
    plan = build_history(world)
    fake_composer(monkeypatch)
    planned = sorted((f for f in plan.values() if f.status is Status.PLANNED), key=lambda f: (f.due_by, f.id))
    horizon = world.service.now() + exchange.DRAFT_HORIZON
    soon = [f for f in planned if f.not_before <= horizon]
    assert len(soon) >= 2
    assert drafted(world) == {f.id: f"Subject: Hello\n\nDear draft for {f.id}" for f in soon}
    monkeypatch.setattr(exchange, "DRAFT_LIMIT", 1)
    assert list(drafted(world)) == [soon[0].id]


def test_a_followup_the_composer_refuses_goes_without_a_draft(world, monkeypatch) -> None:
    plan = build_history(world)
    refused = plan["call.recap"].id
    fake_composer(monkeypatch, refuse=frozenset({refused}))
    found = drafted(world)
    assert refused not in found and found  # the others still get theirs


def test_a_failing_composer_is_not_hidden(world, monkeypatch) -> None:
    """A bug in the composer surfaces instead of quietly exporting without drafts."""
    build_history(world)

    def broken(facts, templates=None):
        raise RuntimeError("composer bug")

    monkeypatch.setattr("tactful.compose.compose", broken)
    with pytest.raises(RuntimeError, match="composer bug"):
        exchange.export_ics(world.service)


def test_the_feed_serves_the_events(world) -> None:
    build_history(world)
    assert exchange.feed_ics(world.service) == exchange.export_ics(world.service)[0]


# -- real clients -------------------------------------------------------------------------------------------
def needs(program: str):
    return pytest.mark.skipif(
        shutil.which(program) is None,
        reason=f"{program} is not installed; tools/system-deps.sh installs it (apt-get install {program})",
    )


def khal_config(tmp_path: Path) -> Path:
    calendar = tmp_path / "khal" / "calendar"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal" / "config"
    config.write_text(
        f"[calendars]\n[[tactful]]\npath = {calendar}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"local_timezone = {NY}\ndefault_timezone = {NY}\n"
        f"[sqlite]\npath = {tmp_path / 'khal' / 'khal.db'}\n",
        encoding="utf-8",
    )
    return config


def khal(config: Path, *args: str) -> str:
    result = subprocess.run(
        ["khal", "-c", str(config), *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs("khal")
def test_khal_prints_the_events_at_their_local_times(world, tmp_path) -> None:
    plan = build_history(world)
    path = tmp_path / "followups.ics"
    path.write_bytes(exchange.export_ics(world.service)[0])
    out = khal(khal_config(tmp_path), "printics", "--format", "{start} | {title} | {status}", str(path))
    lines = [line.rstrip() for line in out.strip().splitlines()]
    assert lines[0] == f"{len(plan)} events found in {path}"
    check_in = plan["interview.check-in"].suggested_at.astimezone(ZoneInfo(NY))
    assert f"{check_in:%Y-%m-%d %H:%M} | Check in with Priya Natarajan (Acme) by email | CONFIRMED" in lines
    assert "2026-03-02 15:00 | Thank Priya Natarajan (Acme) by email | CONFIRMED" in lines  # when it was sent
    assert any("Reconnect with Dana Whitfield (Harbour Foods) by email | CANCELLED" in line for line in lines)


@needs("khal")
def test_khal_import_twice_updates_instead_of_duplicating(world, tmp_path) -> None:
    plan = build_history(world)
    config = khal_config(tmp_path)
    path = tmp_path / "followups.ics"
    path.write_bytes(exchange.export_ics(world.service)[0])
    khal(config, "import", "--batch", str(path))
    world.clock("2026-03-03 09:00")
    world.done(plan["call.recap"].id, "2026-03-03 09:00")
    path.write_bytes(exchange.export_ics(world.service)[0])
    khal(config, "import", "--batch", str(path))
    listed = khal(config, "list", "--format", "{start} | {title}", "2026-03-01", "30d")
    entries = [line for line in listed.splitlines() if " | " in line]
    assert sum("Send Omar Adeyemi (Fintrail) a recap" in line for line in entries) == 1
    assert "2026-03-03 09:00 | Send Omar Adeyemi (Fintrail) a recap by email" in entries  # moved to when sent
    assert len(entries) == len({ical.uid(f.id) for f in plan.values()})
    assert sorted(p.name for p in (tmp_path / "khal" / "calendar").iterdir()) == sorted(
        f"{ical.uid(f.id)}.ics" for f in plan.values()
    )


def todoman_config(tmp_path: Path, data: bytes) -> Path:
    """A todoman list whose directory holds one .ics file per exported VTODO, as a CalDAV sync leaves it."""
    folder = tmp_path / "todos" / "followups"
    folder.mkdir(parents=True)
    text = data.decode("utf-8")
    head, _, rest = text.partition("BEGIN:VTODO")
    for chunk in ("BEGIN:VTODO" + rest).split("BEGIN:VTODO")[1:]:
        body = "BEGIN:VTODO" + chunk.split("END:VTODO")[0] + "END:VTODO\r\n"
        uid = re.search(r"^UID:(\S+)", body, re.MULTILINE)
        assert uid is not None
        (folder / f"{uid.group(1)}.ics").write_text(head + body + "END:VCALENDAR\r\n", encoding="utf-8")
    config = tmp_path / "todos" / "config.py"
    config.write_text(
        f'path = "{tmp_path / "todos"}/*"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
        f'default_list = "followups"\ncache_path = "{tmp_path / "todos" / "cache.sqlite3"}"\n',
        encoding="utf-8",
    )
    return config


def todoman(config: Path, *args: str) -> list[dict]:
    result = subprocess.run(
        ["todoman", "--config", str(config), "--porcelain", "list", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@needs("todoman")
def test_todoman_lists_the_open_todos_with_their_due_times(world, tmp_path) -> None:
    plan = build_history(world)
    config = todoman_config(tmp_path, exchange.export_ics(world.service, todo=True)[0])
    shown = {t["summary"]: t for t in todoman(config)}
    planned = [f for f in plan.values() if f.status is Status.PLANNED]
    assert len(shown) == len(planned)
    check_in = shown["Check in with Priya Natarajan (Acme) by email"]
    assert check_in["due"] == int(plan["interview.check-in"].due_by.timestamp())
    assert check_in["completed"] is False and check_in["list"] == "followups" and check_in["priority"] == 5
    assert "Send Omar Adeyemi (Fintrail) a recap by email" in shown
    everything = {t["summary"]: t for t in todoman(config, "--status", "ANY")}
    thanks = everything["Thank Priya Natarajan (Acme) by email"]
    assert thanks["completed"] is True
    assert thanks["completed_at"] == int(plan["interview.thank-you"].done_at.timestamp())
    assert "Reconnect with Dana Whitfield (Harbour Foods) by email" in everything
