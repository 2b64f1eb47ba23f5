"""Backups: `export json` then `import json` gives back every row of every table, and nothing else."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tactful import exchange
from tactful.errors import Conflict, InvalidInput, TactfulError
from tactful.service import LogRequest, Service
from tactful.store import open_store

from .conftest import World

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
PEOPLE = ["Priya Natarajan", "Tomás de la Vega", "Dana Whitfield", "Kenji Mori", "Zoë Lindqvist"]
ORGS = ["Acme Analytics", "Harbour Foods, Inc.", "Lumen Health"]
KINDS = ["interview", "application", "meeting", "call", "presentation", "client-meeting", "help-promised"]
OUTCOMES = ["rejected", "offer", "accepted", "won", "lost", "closed", "helped"]


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in sorted(tables)}
    finally:
        conn.close()


def restore_into(document: dict, path: Path, replace: bool = False) -> Service:
    backup = path.parent / f"{path.stem}.json"
    backup.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    service = Service(open_store(path))
    exchange.import_json(service, backup, replace=replace)
    return service


def rich_history(world: World) -> None:
    world.service.update_profile(
        email="robin.vale@example.net", skills=["Python", "data pipelines"], notes=True
    )
    world.log("interview", "Priya Natarajan", "Tomás de la Vega", org="Acme Analytics", title="Data Engineer",
              email="priya@acme.example", at="2026-03-02 10:00", topics=["streaming"], questions=["on-call?"],
              decision_by="2026-03-09")  # fmt: skip
    world.log("introduction", "Kenji Mori", introduced_by="Dana Whitfield", at="2026-03-02 11:00")
    thanks = [f for f in world.plan(1) if f.rule == "interview.thank-you"]
    world.clock("2026-03-02 16:00")
    world.done(thanks[0].id, "2026-03-02 15:00", text="Dear Priya, thank you...")
    world.service.skip(thanks[1].id, reason="thanked in person")
    world.clock("2026-03-04 10:00")
    world.service.reply("Priya Natarajan", at="2026-03-04 09:00")
    world.service.outcome(1, "rejected", at="2026-03-04 10:00")
    exchange.import_contacts(world.service, "vcard", FIXTURES / "apple_30.vcf")
    exchange.import_contacts(world.service, "linkedin", FIXTURES / "Connections.csv")
    report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10 09:00")
    exchange.log_events(world.service, report, [1])
    exchange.feed_show(world.service)


def test_the_backup_document(world) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    assert document["format"] == "tactful-backup" and document["schema"] == 1
    assert document["database_version"] >= 3
    tables = document["tables"]
    for table in ("profile", "organisations", "contacts", "contact_addresses", "threads", "interactions",
                  "interaction_contacts", "followups", "events", "imported_events", "calendar_feed"):  # fmt: skip
        assert tables[table], table
        assert document["counts"][table] == len(tables[table])
    statuses = {f["status"] for f in tables["followups"]}
    assert statuses == {"planned", "done", "skipped", "cancelled"}
    assert any(f["text"] == "Dear Priya, thank you..." for f in tables["followups"])
    assert json.loads(json.dumps(document)) == document


def test_round_trip_restores_every_row(world, tmp_path) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    restored = restore_into(document, tmp_path / "restored.db")
    assert snapshot(tmp_path / "restored.db") == snapshot(world.store.path)
    token = exchange.feed_show(world.service).token
    assert exchange.feed_token_matches(restored.store, token)
    assert restored.profile == world.service.profile
    agenda = restored.agenda("2026-03-05 09:00", everything=True)
    assert [i.followup.id for i in agenda.items] == [
        i.followup.id for i in world.service.agenda("2026-03-05 09:00", everything=True).items
    ]


def test_a_database_with_data_is_left_alone_unless_replaced(world, tmp_path) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    target = tmp_path / "busy.db"
    busy = World(open_store(target))
    busy.log("meeting", "Alex Kim", org="Globex", at="2026-03-02 10:00")
    before = snapshot(target)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Conflict, match=r"already holds data \(.*1 contacts.*\); restore into a new one"):
        exchange.import_json(busy.service, backup)
    assert snapshot(target) == before
    exchange.import_json(busy.service, backup, replace=True)
    assert snapshot(target) == snapshot(world.store.path)
    assert busy.service.profile.email == "robin.vale@example.net"  # the cached profile is dropped


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "is not a tactful backup"),
        (lambda d: d.update(schema=2), "schema 2 backup, newer than this tactful reads"),
        (lambda d: d.update(schema="one"), "must be a positive number"),
        (lambda d: d.update(tables=[]), '"tables" must be an object'),
        (
            lambda d: d["tables"].update(telepathy=[{"id": 1}]),
            "a table 'telepathy' this tactful does not know",
        ),
        (
            lambda d: d["tables"]["contacts"][0].update(aura="blue"),
            "columns this tactful does not know (aura)",
        ),
        (lambda d: d["tables"].pop("threads"), "points at a missing row of 'threads'"),
        (
            lambda d: d["tables"]["followups"][0].update(status="maybe"),
            "a row of 'followups' cannot be restored",
        ),
        (lambda d: d["tables"]["contacts"][0].update(name=["a", "list"]), "is not a plain value"),
    ],
)
def test_a_broken_backup_restores_nothing(world, tmp_path, change, message) -> None:
    rich_history(world)
    document = exchange.export_json(world.service)
    change(document)
    target = tmp_path / "empty.db"
    with pytest.raises(InvalidInput, match=re.escape(message)):
        restore_into(document, target)
    empty = snapshot(target)
    assert all(not rows for rows in empty.values())


def test_not_json(tmp_path) -> None:
    path = tmp_path / "backup.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"backup.json line 1: not JSON"):
        exchange.import_json(Service(open_store(tmp_path / "t.db")), path)


# -- random histories ----------------------------------------------------------------------------------------
log_step = st.tuples(
    st.just("log"),
    st.sampled_from(KINDS),
    st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True),
    st.none() | st.sampled_from(ORGS),
    st.booleans(),
    st.lists(st.text(max_size=12), max_size=2),
)
#: One thing a user does; logging is the commonest, so it is drawn more often.
step = st.one_of(
    log_step,
    log_step,
    st.tuples(st.just("done"), st.integers(0, 50), st.none() | st.text(max_size=40)),
    st.tuples(st.just("skip"), st.integers(0, 50), st.none() | st.text(max_size=20)),
    st.tuples(st.just("reply"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("outcome"), st.integers(1, 4), st.sampled_from(OUTCOMES)),
    st.tuples(
        st.just("import"),
        st.sampled_from(["linkedin:Connections.csv", "google:google_contacts.csv", "vcard:android_21.vcf"]),
    ),
    st.tuples(st.just("calendar"), st.lists(st.integers(0, 3), max_size=4)),
    st.tuples(st.just("feed"), st.booleans()),
)


def play(world: World, steps: list[tuple], hours: list[int]) -> None:
    moment = dt.datetime(2026, 3, 2, 8, 0)
    for action, gap in zip(steps, hours, strict=False):
        moment += dt.timedelta(hours=gap)
        when = moment.strftime("%Y-%m-%d %H:%M")
        world.clock(when)
        try:
            if action[0] == "log":
                _, kind, people, org, urgent, topics = action
                extra = {"introduced_by": "Dana Whitfield"} if kind == "introduction" else {}
                world.service.log(LogRequest(kind=kind, people=people, org=org, at=when, time_sensitive=urgent,
                                             topics=topics, **extra))  # fmt: skip
            elif action[0] in ("done", "skip"):
                planned = world.store.planned_until(None)
                if planned:
                    f = planned[action[1] % len(planned)]
                    if action[0] == "done":
                        world.service.done(f.id, at=when, text=action[2])
                    else:
                        world.service.skip(f.id, reason=action[2])
            elif action[0] == "reply":
                world.service.reply(action[1], at=when)
            elif action[0] == "outcome":
                world.service.outcome(action[1], action[2], at=when)
            elif action[0] == "import":
                source, name = action[1].split(":")
                exchange.import_contacts(world.service, source, FIXTURES / name)
            elif action[0] == "calendar":
                report = exchange.propose_events(world.service, FIXTURES / "calendar.ics", now="2026-03-10")
                exchange.log_events(
                    world.service, report, [n for n in action[1] if n < len(report.proposals)]
                )
            elif action[0] == "feed":
                (exchange.feed_rotate if action[1] else exchange.feed_show)(world.service)
        except TactfulError:
            pass  # e.g. an outcome that does not fit the thread: refused, and the history goes on


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=14), st.lists(st.integers(0, 72), min_size=14, max_size=14))
def test_any_history_survives_a_backup(steps, hours) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.db"
        world = World(open_store(source))
        play(world, steps, hours)
        document = json.loads(json.dumps(exchange.export_json(world.service), ensure_ascii=False))
        restored = restore_into(document, Path(folder) / "restored.db")
        assert snapshot(Path(folder) / "restored.db") == snapshot(source)
        again = exchange.export_json(restored)
        assert again["tables"] == document["tables"]
        world.store.close()
        restored.store.close()
