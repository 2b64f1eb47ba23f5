"""Fuzz target for the JSON API: any request to a route that writes (its own fields with odd
values, a field of the wrong shape, any JSON, or bytes) is answered in JSON, a 4xx with
{"error": ...} and never a 500, and a refused one writes nothing to the seeded database.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from tactful.domain import Channel, Kind, Outcome

from .fuzzing import NOW, ODD, copy_of, fuzz, rarely, seeded
from .snapshots import snapshot
from .test_fuzz_review import BODIES
from .test_hardening import no_hang

TIMES = st.sampled_from(
    ["2026-03-02 10:00", "2026-03-04 10:00", "friday 9am", "tomorrow", "in 3 days", "yesterday", "next week",
     "2026-13-45", "12345678901234567890-01-01", "9999-12-31 23:59", "0001-01-01", "1899-12-31", "", "  ",
     "2026-03-02T10:00:00+99:00", "now", "in 99999999999999999999 days", "2026-03-02 10:00 Nowhere/City"]
)  # fmt: skip
IDS = st.one_of(
    st.integers(1, 12), st.integers(1, 12), st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 10**30])
)
JUNK = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.sampled_from(ODD)
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
LONG_TEXT = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["x", "\x00", "😀", "-", "\ud800"]),
    st.sampled_from([121, 2_001, 20_001]),
)
SOME_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(ODD), LONG_TEXT)
PERSON = st.sampled_from(
    ["Priya Natarajan", "Dana Whitfield", "Tomás de la Vega", "#1", "#999", "#0", "priya@acme.example", "Priya",
     "Robin Vale", "Ana \ud800", "A\nB", "A,B", "Zoë Lindqvist", "محمد علي", "Grace 🌍", "O'Brien", "Ana"]
)  # fmt: skip
PEOPLE = st.one_of(PERSON, PERSON, SOME_TEXT)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from([k.value for k in Kind] + ["dinner", ""]),
    "people": st.one_of(st.lists(PEOPLE, min_size=1, max_size=3), st.lists(PEOPLE, max_size=22)),
    "from": PEOPLE,
    "who": PEOPLE,
    "introduced_by": PEOPLE,
    "email": st.sampled_from(["priya@acme.example", "a@b", "not an email", "x@" + "y" * 300 + ".com", ""]),
    "phone": st.sampled_from(["+44 20 7946 0018", "12", "phone", "+" + "1" * 50]),
    "linkedin": st.sampled_from(["linkedin.com/in/priya", "nope", "http://" + "a/" * 200]),
    "tz": st.sampled_from(["Asia/Tokyo", "America", "Nowhere/City", "../../etc/passwd", "UTC", "", "\x00"]),
    "their_tz": st.sampled_from(["Asia/Tokyo", "America", "Nowhere/City", "UTC", "Etc/GMT+99"]),
    "country": st.sampled_from(["GB", "US", "ZZ", "gb", "", "GBR"]),
    "channel": st.sampled_from([c.value for c in Channel] + ["pigeon"]),
    "prefers": st.sampled_from([c.value for c in Channel] + ["pigeon"]),
    "outcome": st.sampled_from([o.value for o in Outcome] + ["maybe"]),
    "at": TIMES,
    "decision_by": TIMES,
    "promised_by": TIMES,
    "reply_by": TIMES,
    "until": TIMES,
    "now": TIMES,
    "thread_id": IDS,
    "followup_id": IDS,
    "change": IDS,
    "topics": st.lists(SOME_TEXT, max_size=55),
    "questions": st.lists(SOME_TEXT, max_size=55),
    "skills": st.lists(SOME_TEXT, max_size=5),
    "time_sensitive": st.booleans(),
    "card": st.booleans(),
    "notes": st.booleans(),
    "linkedin_free": st.booleans(),
    "text": st.one_of(BODIES, SOME_TEXT),
}
ROUTES: list[tuple[str, str, list[str]]] = [
    ("POST", "/api/v1/interactions",
     ["kind", "people", "email", "phone", "linkedin", "org", "role", "title", "at", "decision_by", "promised_by",
      "promised", "introduced_by", "prefers", "their_tz", "topics", "questions", "note", "time_sensitive", "card",
      "thread_id"]),
    ("POST", "/api/v1/followups/{id}/done", ["at", "channel", "text"]),
    ("POST", "/api/v1/followups/{id}/skip", ["reason"]),
    ("POST", "/api/v1/replies", ["from", "thread_id", "at"]),
    ("POST", "/api/v1/threads/{id}/outcome", ["outcome", "at", "reply_by"]),
    ("POST", "/api/v1/followups/{id}/snooze", ["until"]),
    ("POST", "/api/v1/reminders", ["who", "at", "note"]),
    ("POST", "/api/v1/threads/{id}/wake", []),
    ("POST", "/api/v1/undo", ["change"]),
    ("POST", "/api/v1/check", ["text", "followup_id", "now", "channel"]),
    ("PATCH", "/api/v1/interactions/{id}",
     ["at", "decision_by", "promised_by", "promised", "title", "org", "topics", "questions", "note"]),
    ("PUT", "/api/v1/profile",
     ["name", "email", "phone", "linkedin", "signature", "tz", "country", "skills", "notes", "linkedin_free"]),
]  # fmt: skip
#: Bodies that are not the JSON an endpoint expects, or no JSON at all.
RAW_BODIES = st.one_of(
    st.sampled_from(
        [b"", b"{", b"[]", b"null", b'"x"', b'{"kind":', b"[" * 50_000, b"{" * 50_000, b'{"a": 1e999999}',
         b'{"a": NaN}', b'{"text": "\\ud800"}', b'{"text": "' + b"x" * 1_100_000 + b'"}', b"\xff\xfe{\x00}\x00",
         b'{"people": ["A"], "kind": "meeting", "kind": "call"}', b'{"at": ' + b"9" * 5_000 + b"}"]
    ),
    st.binary(max_size=100),
)  # fmt: skip


#: What each route cannot do without (the rest of its fields are optional).
REQUIRED = {
    "/api/v1/interactions": ("kind", "people"),
    "/api/v1/replies": ("from",),
    "/api/v1/threads/{id}/outcome": ("outcome",),
    "/api/v1/reminders": ("who", "at"),
    "/api/v1/check": ("text",),
}


@st.composite
def api_request(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(method, path, body) of one request to the API: mostly its own fields with odd values (a
    person's mistakes, to reach the use cases), else a field of the wrong shape, any JSON, or bytes."""
    method, route, fields = draw(st.sampled_from(ROUTES))
    path = route.replace(
        "{id}", str(draw(st.one_of(IDS, IDS, IDS, st.sampled_from(["abc", "1.5", "%00", "1e3"]))))
    )
    kind = draw(st.sampled_from(["fields"] * 6 + ["a wrong field"] * 2 + ["any JSON", "bytes"]))
    if kind == "bytes":
        return method, path, draw(RAW_BODIES)
    if kind == "any JSON":
        return method, path, json.dumps(draw(JUNK)).encode()
    needed = [name for name in REQUIRED.get(route, ()) if not rarely(draw, 10)]
    optional = [name for name in fields if name not in needed]
    chosen = needed + draw(
        st.lists(st.sampled_from(optional), max_size=3, unique=True) if optional else st.just([])
    )
    body = {name: draw(FIELDS.get(name, SOME_TEXT)) for name in chosen}
    if kind == "a wrong field" and fields:
        body[draw(st.sampled_from(fields))] = draw(JUNK)
    return method, path, json.dumps(body).encode()


@fuzz(300)
@given(request=api_request())
def test_the_api_answers_any_body_in_words_and_writes_nothing_it_refuses(
    request: tuple[str, str, bytes],
) -> None:
    from fastapi.testclient import TestClient

    from tactful.config import load
    from tactful.web import Settings, create_app

    method, path, body = request
    with copy_of(seeded()) as db:
        app = create_app(Settings(load(database=db), now=NOW))
        before = snapshot(db)
        with TestClient(app, base_url="http://127.0.0.1") as client, no_hang():
            answer = client.request(method, path, content=body, headers={"content-type": "application/json"})
        said = f"{method} {path} {body[:300]!r}: {answer.status_code} {answer.text[:300]}"
        event(f"{method} {path.split('/')[3]}: {answer.status_code}")
        assert answer.status_code < 500, said
        assert answer.headers["content-type"].startswith("application/json"), said
        shaped = answer.json()
        if answer.status_code >= 400:
            assert isinstance(shaped, dict) and isinstance(shaped.get("error"), str) and shaped["error"], said
            assert snapshot(db) == before, said


def test_the_seeded_database_has_the_rows_the_api_names() -> None:
    """The ids the API target draws (1 to 12) name real threads, follow-ups and interactions."""
    conn = sqlite3.connect(seeded())
    try:
        for table in ("threads", "followups", "interactions", "contacts"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 3, table
    finally:
        conn.close()
