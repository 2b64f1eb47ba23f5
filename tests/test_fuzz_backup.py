"""Fuzz target for the backup reader: the rich backup of `test_backup`, spoilt in up to three ways
(odd text, values of any type, feed tokens, fields, rows, tables and headers added or taken away),
restores whole, into a database every command can read, or is refused with nothing written; and
two fixed tests of what it found: the feed tokens a backup may hold, and a NUL in any text.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tactful.errors import TactfulError
from tactful.service import Service, reading
from tactful.service import transfer as exchange
from tactful.store import open_store

from .fuzzing import NOW, ODD, copy_of, empty, fuzz, refused_or_done, restored
from .snapshots import snapshot
from .test_backup import valid_backup
from .test_hardening import no_hang


@functools.cache
def _backup_shape() -> dict[str, list[list[str]]]:
    """Per table of the rich backup, each row's field names: where a change can land."""
    return {table: [sorted(row) for row in rows] for table, rows in valid_backup()["tables"].items()}


URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: Feed tokens as a backup may carry them: of every length, of the right alphabet or not.
TOKENS = st.one_of(
    st.text(alphabet=URL_SAFE, max_size=200),
    st.builds(lambda n: "A" * n, st.sampled_from([0, 1, 15, 16, 43, 128, 129, 5_000, 200_000])),
    st.text(max_size=60),
    st.sampled_from(["../../etc/passwd", "a b", "x" * 20 + "\x00", "x" * 20 + "/", "x" * 20 + ".ics"]),
)
TEXTS = st.one_of(
    st.sampled_from(ODD),
    st.builds(lambda n: "[" * n, st.just(10_000)),  # JSON nested past the recursion limit
    st.text(max_size=30),
    st.builds(lambda c, n: c * n, st.sampled_from(["x", "\x00", "😀", "\ud800"]), st.sampled_from([1, 200_000])),
    st.sampled_from(
        ["2026-03-02T10:00:00+00:00", "12345678901234567890-03-02T10:00:00+00:00", "2026-03-02", "0001-01-01",
         "9999-12-31T23:59:59+14:00", "2026-03-02T10:00:00+99:00", "Europe/London", "America", "GB", "ZZ",
         '["a"]', '["a\\u0000b"]', '"x"', "null", "true", '"Europe/Paris"', '"\\u0000"', '"\\ud800"']
    ),
)  # fmt: skip
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.sampled_from([0, -1, 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
        st.floats(allow_nan=True, allow_infinity=True),
        TEXTS,
        st.builds(lambda v: {"base64": v}, st.one_of(st.text(max_size=8), st.integers(), st.just("QUJD"))),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def backup_change(draw: st.DrawFn) -> list[Any]:
    """One change to the rich backup, as a JSON-ready list for `spoil` (and for an `@example`)."""
    shape = _backup_shape()
    tables = sorted(t for t, rows in shape.items() if rows)
    rare = ["drop field", "add field", "drop row", "double row", "table", "header", "drop header"]
    how = draw(st.sampled_from(["text"] * 8 + ["value"] * 4 + ["token"] * 2 + rare))
    if how == "token":
        return [how, draw(TOKENS)]
    if how in ("header", "drop header"):
        key = draw(st.sampled_from(["format", "schema", "tables", "counts", "exported_at", "tactful"]))
        return [how, key, draw(VALUES)]
    table = draw(st.sampled_from([*tables, "secrets", "undo_log", "nonsense"] if how == "table" else tables))
    if how == "table":
        return [how, table, draw(VALUES)]
    n = draw(st.integers(0, len(shape[table]) - 1))
    name = draw(st.sampled_from(shape[table][n]))
    return [how, table, n, name, draw(st.one_of(st.text(), TEXTS) if how == "text" else VALUES)]


def spoil(document: dict[str, Any], change: list[Any]) -> None:
    """Make `change` to the backup `document` (nothing, when an earlier change took its place away)."""
    how, *rest = change
    if how == "header":
        document[rest[0]] = rest[1]
        return
    if how == "drop header":
        document.pop(rest[0], None)
        return
    tables = document.get("tables")
    if not isinstance(tables, dict):
        return
    if how == "table":
        tables[rest[0]] = rest[1]
        return
    table, n, name, value = rest if how != "token" else ("calendar_feed", 0, "token", rest[0])
    rows = tables.get(table)
    if not isinstance(rows, list) or n >= len(rows) or not isinstance(rows[n], dict):
        return
    row = rows[n]
    if how in ("value", "token"):
        row[name] = value
    elif how == "text":  # other text where text was: odd, but of the column's type
        if isinstance(row.get(name), str):
            row[name] = value
    elif how == "drop field":
        row.pop(name, None)
    elif how == "add field":
        row["aura"] = value
    elif how == "drop row":
        rows.remove(row)
    else:
        rows.append(dict(row))


SURROGATE = re.compile("[\ud800-\udfff]")
#: The columns tactful keeps JSON text in, and reads back decoded.
JSON_COLUMNS = {"profile": ("value",), "interactions": ("topics", "questions")}


def _texts(value: Any) -> Iterator[str]:
    """Every text in a value: itself, or the texts of a list (a decoded JSON column)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def texts_held(db: Path) -> Iterator[tuple[str, str]]:
    """(table, text) for every text the database holds, the decoded JSON columns' included."""
    for table, rows in snapshot(db).items():
        for row in rows:
            yield from ((table, text) for text in _texts(row))
    conn = sqlite3.connect(db)
    try:
        for table, columns in JSON_COLUMNS.items():
            for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                yield from ((table, text) for value in row for text in _texts(json.loads(value)))
    finally:
        conn.close()


def usable(db: Path) -> None:
    """A database every command can read: the agenda, the exports, the calendar feed, and no text a
    backup of it would be refused for (a NUL, a lone surrogate)."""
    service = Service(open_store(db), now=NOW)
    try:
        with no_hang():
            reading.agenda(service, None, 7, True)
            exchange.export_ics(service, everything=True)
            json.dumps(exchange.export_json(service))
            feed = service.store.feed_token()
            if feed is not None:
                token = feed[0]
                assert 16 <= len(token) <= 128 and all(ch in URL_SAFE for ch in token), token[:80]
                assert exchange.feed_token_matches(service, token)
    finally:
        service.store.close()
    for table, text in texts_held(db):
        assert "\x00" not in text and not SURROGATE.search(text), (table, text[:200])


@fuzz(300)
@given(
    changes=st.lists(backup_change(), min_size=1, max_size=3),
    ascii_only=st.booleans(),
    replace=st.booleans(),
)
# A feed token of no characters, and a NUL in a name, were restored as they were; a lone surrogate
# in a profile setting's JSON was too, and then `export ics` and every email draft failed with a
# UnicodeEncodeError.
@example(changes=[["token", ""]], ascii_only=True, replace=False)
@example(changes=[["text", "contacts", 0, "name", "Ana\x00Lima"]], ascii_only=False, replace=True)
@example(changes=[["text", "profile", 4, "value", '"\\ud800"']], ascii_only=True, replace=False)
# A column named "\r" broke the one line of the error that named it (found with TACTFUL_FUZZ_SCALE=12).
@example(changes=[["table", "calendar_feed", [{"\r": None}]]], ascii_only=True, replace=False)
def test_any_spoilt_backup_restores_whole_or_not_at_all(
    changes: list[list[Any]], ascii_only: bool, replace: bool
) -> None:
    document = valid_backup()
    for change in changes:
        spoil(document, change)
    raw = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8", errors="surrogatepass")
    with copy_of(restored() if replace else empty()) as db:
        backup = db.parent / "backup.json"
        backup.write_bytes(raw)
        outcome = refused_or_done(db, lambda service: exchange.import_json(service, backup, replace=replace))
        if isinstance(outcome, TactfulError):
            assert outcome.message.startswith("backup.json"), outcome.message
        else:
            usable(db)


def restore(document: dict[str, Any], folder: Path) -> Any:
    """Restore `document` into a new database in `folder`: the counts, or the error it was refused with."""
    db, backup = folder / "t.db", folder / "backup.json"
    backup.write_text(json.dumps(document), encoding="utf-8")
    open_store(db).close()
    return refused_or_done(db, lambda service: exchange.import_json(service, backup))


NOT_A_TOKEN = "is not a feed token (16 to 128 letters, digits, '-' or '_'); remove the calendar_feed row"


@pytest.mark.parametrize(
    ("token", "said"),
    [("A" * 16, None), ("kT9_x-" * 7 + "Q", None), ("A" * 128, None), ("", NOT_A_TOKEN), ("A" * 15, NOT_A_TOKEN),
     ("A" * 129, NOT_A_TOKEN), ("A" * 200_000, NOT_A_TOKEN), ("A" * 20 + "/../x", NOT_A_TOKEN),
     ("A" * 20 + " B", NOT_A_TOKEN), ("A" * 20 + "=", NOT_A_TOKEN), ("Ä" * 20, NOT_A_TOKEN), (43, NOT_A_TOKEN),
     ("A" * 20 + "\x00", "is not valid text (a NUL character)")],
    ids=["16", "43 as made", "128", "empty", "15", "129", "200,000", "a path", "a space", "padding", "not ASCII",
         "a number", "a NUL"],
)  # fmt: skip
def test_a_restored_feed_token_is_one_tactful_could_have_made(
    tmp_path: Path, token: Any, said: str | None
) -> None:
    """tactful makes 43 URL-safe characters; a backup may hold 16 to 128 of them, nothing else."""
    document = valid_backup()
    document["tables"]["calendar_feed"][0]["token"] = token
    outcome = restore(document, tmp_path)
    if said is None:
        assert not isinstance(outcome, TactfulError), outcome
        usable(tmp_path / "t.db")
    else:
        assert isinstance(outcome, TactfulError), outcome
        assert outcome.message.startswith("backup.json: calendar_feed row 1 (id 1), field 'token': ")
        assert said in outcome.message and len(outcome.message) < 300, outcome.message  # not 200,000 "A"s


@pytest.mark.parametrize(
    ("table", "name", "value", "said"),
    [
        (
            "contacts",
            "name",
            "Ana\x00Lima",
            "field 'name': 'Ana\\x00Lima' is not valid text (a NUL character)",
        ),
        ("followups", "text", "Dear Priya,\x00", "field 'text': 'Dear Priya,\\x00' is not valid text (a NUL"),
        ("imported_events", "uid", "\x00", "field 'uid': '\\x00' is not valid text (a NUL character)"),
        (
            "interactions",
            "topics",
            '["stream\\u0000ing"]',
            "field 'topics': 'stream\\x00ing' is not valid text",
        ),
        ("profile", "value", '"Robin\\u0000"', "(key 'name'), field 'value': 'Robin\\x00' is not valid text"),
        ("profile", "value", '"\\ud800"', "(key 'name'), field 'value': '\\ud800' is not valid text (a lone"),
    ],
    ids=[
        "a name",
        "a message",
        "an event's uid",
        "a topic in JSON",
        "the profile's name in JSON",
        "a surrogate",
    ],
)
def test_a_backup_with_a_nul_in_any_text_restores_nothing(
    tmp_path: Path, table: str, name: str, value: str, said: str
) -> None:
    document = valid_backup()
    row = next(r for r in document["tables"][table] if table != "profile" or r["key"] == "name")
    row[name] = value
    outcome = restore(document, tmp_path)
    assert isinstance(outcome, TactfulError), outcome
    assert said in outcome.message and outcome.message.startswith("backup.json: "), outcome.message
