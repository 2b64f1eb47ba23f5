"""A team server: accounts on one PostgreSQL database, each with data nobody else can reach.

Two people, Ana and Ben. Ana has more of everything, so every id of hers past Ben's names nothing of
his. Every route of the web app and of the API is tried logged in as Ben with Ana's ids: each answers
404 (or, for lists and forms, only Ben's own), no answer holds a word of Ana's, and Ana's data is
the same afterwards, row for row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tactful.cli import cli
from tactful.config import load
from tactful.web import Settings, create_app

from .postgres import pg_url  # noqa: F401  (the fixture)
from .snapshots import snapshot
from .test_web import Web

NOW = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)
#: What a form of any page may ask for, filled in plausibly, so that a route reaches its lookup.
FORM = {
    "reason": "not needed", "text": "Hello, thank you.", "at": "2026-03-06 10:00", "when": "2026-03-06 10:00",
    "until": "2026-03-09", "what": "call back", "outcome": "offer", "tag": "mentor", "tags": "mentor",
    "every": "2m", "at_most": "4m", "channel": "email", "into": "1", "other": "1", "note": "x",
    "i_promised": "the deck", "i_promised_by": "2026-03-09", "name": "Someone Else",
}  # fmt: skip
#: The same for the API's JSON bodies.
API = {"kind": "meeting", "people": ["Someone Else"], "outcome": "offer", "until": "2026-03-09",
       "reason": "not needed", "who": "Someone Else", "at": "2026-03-06 10:00", "text": "Hello.", "note": "x"}  # fmt: skip
PASSWORD = "correct horse battery"
#: Words only Ana's data holds: none may reach Ben.
ANAS = ("Aurelia", "Quincey", "Zanzibar", "Obsidian", "marmalade")


def tactful(db: str, *args: str, user: str | None = None, stdin: str | None = None) -> Any:
    env = {"NO_COLOR": "1", "TACTFUL_URL": "https://tactful.example"}
    if user:
        env["TACTFUL_USER"] = user
    return CliRunner().invoke(cli, ["--db", db, *args], env=env, input=stdin, catch_exceptions=False)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if result.stdout.lstrip().startswith("{") else result.stdout


def server(db: str) -> Web:
    app = create_app(Settings(load(database=db), now=NOW))
    return Web(TestClient(app, base_url="http://127.0.0.1"))


def log_in(db: str, email: str) -> Web:
    web = server(db)
    web.get("/login")
    answer = web.post("/login", {"email": email, "password": PASSWORD})
    assert answer.status_code == 200 and "Log in" not in answer.text, answer.text[:300]
    web.get("/log")  # the session's own form token, now that it is logged in
    return web


@pytest.fixture
def team(pg_url: str) -> str:  # noqa: F811
    """Ana and Ben, each with a password set through their link, and a history of their own."""
    for email in ("ana@example.net", "ben@example.net"):
        link = ok(tactful(pg_url, "users", "add", email, "--json"))["link"]
        path = link.removeprefix("https://tactful.example")
        web = server(pg_url)
        assert email in web.get(path).text
        assert web.post(path, {"password": PASSWORD, "again": PASSWORD}).status_code == 200
    ana = "ana@example.net"
    ok(tactful(pg_url, "profile", "--name", "Ana Ortega", "--tz", "UTC", user=ana))
    ok(tactful(pg_url, "log", "meeting", "--with", "Ida Park", "--at", "2026-03-01 09:00", user=ana))
    ok(tactful(pg_url, "log", "interview", "--with", "Aurelia Quincey", "--with", "Obsidian Vale", "--org",
               "Zanzibar Widgets", "--topic", "marmalade logistics", "--at", "2026-03-02 10:00", user=ana))  # fmt: skip
    ok(tactful(pg_url, "reply", "--from", "Aurelia Quincey", "--at", "2026-03-03 10:00", user=ana))
    ok(tactful(pg_url, "feed", "show", user=ana))
    ben = "ben@example.net"
    ok(tactful(pg_url, "profile", "--name", "Ben Bright", "--tz", "UTC", user=ben))
    ok(tactful(pg_url, "log", "meeting", "--with", "Cy Dale", "--at", "2026-03-02 11:00", user=ben))
    return pg_url


def test_users_are_added_listed_and_each_sets_a_password_once(pg_url: str) -> None:  # noqa: F811
    added = ok(tactful(pg_url, "users", "add", "ana@example.net", "--admin", "--json"))
    assert added["email"] == "ana@example.net" and added["admin"] is True and added["valid_hours"] == 24
    assert re.fullmatch(r"https://tactful\.example/welcome/[A-Za-z0-9_-]{43}", added["link"])
    again = tactful(pg_url, "users", "add", "ANA@example.net")
    assert again.exit_code == 1 and "already has an account" in again.stderr
    assert ok(tactful(pg_url, "users", "list", "--json")) == {
        "users": [{"email": "ana@example.net", "admin": True, "password_set": False}]
    }
    path = added["link"].removeprefix("https://tactful.example")
    # nobody logs in before the link is used: there is no password to guess
    web = server(pg_url)
    web.get("/login")
    assert web.post("/login", {"email": "ana@example.net", "password": ""}).status_code in (401, 422)
    assert web.post(path, {"password": PASSWORD, "again": PASSWORD + "x"}).status_code == 422
    assert web.post(path, {"password": PASSWORD, "again": PASSWORD}).status_code == 200
    assert server(pg_url).get(path).status_code == 404  # once only
    assert ok(tactful(pg_url, "users", "list", "--json"))["users"][0]["password_set"] is True
    # from the server's shell, too
    assert (
        tactful(pg_url, "password", "--stdin", user="ana@example.net", stdin="another good one\n").exit_code
        == 0
    )
    web = server(pg_url)
    web.get("/login")
    assert web.post("/login", {"email": "ana@example.net", "password": PASSWORD}).status_code == 401
    assert web.post("/login", {"email": "ana@example.net", "password": "another good one"}).status_code == 200


def test_a_link_past_its_day_opens_nothing(pg_url: str) -> None:  # noqa: F811
    link = ok(tactful(pg_url, "users", "add", "ana@example.net", "--json"))["link"]
    path = link.removeprefix("https://tactful.example")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=25)
    late = Web(
        TestClient(create_app(Settings(load(database=pg_url), now=later)), base_url="http://127.0.0.1")
    )
    assert late.get(path).status_code == 404
    assert late.post(path, {"password": PASSWORD, "again": PASSWORD}).status_code == 404


def test_the_command_line_acts_as_one_account(team: str) -> None:
    anas = ok(tactful(team, "contacts", "--json", user="ana@example.net"))["contacts"]
    bens = ok(tactful(team, "contacts", "--json", user="ben@example.net"))["contacts"]
    assert {c["name"] for c in anas} == {"Ida Park", "Aurelia Quincey", "Obsidian Vale"}
    assert {c["name"] for c in bens} == {"Cy Dale"}
    nobody = tactful(team, "agenda")
    assert nobody.exit_code == 1 and "TACTFUL_USER" in nobody.stderr
    stranger = tactful(team, "agenda", user="eve@example.net")
    assert stranger.exit_code == 1 and "no account" in stranger.stderr


def _filled(path: str, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), "1")), path)


def _routes(web: Web) -> list[tuple[str, str]]:
    found = []
    for route in web.client.app.routes:  # type: ignore[attr-defined]
        for inner in getattr(getattr(route, "original_router", None), "routes", [route]):
            for method in sorted(getattr(inner, "methods", None) or ()):
                if method != "HEAD":
                    found.append((method, inner.path))
    # those naming a row first: the others (a log, a reminder) make rows of Ben's own, with new ids
    return sorted(found, key=lambda r: "{" not in r[1])


def test_every_route_as_the_wrong_user_answers_404_and_never_their_data(team: str) -> None:
    ana_rows = snapshot(team, schema="account_1")  # Ana's, every row
    ben = log_in(team, "ben@example.net")
    routes = _routes(ben)
    assert len(routes) > 70  # every page and every API operation, not a sample
    ana_feed = ok(tactful(team, "feed", "show", "--json", user="ana@example.net"))
    ben_feed = ok(tactful(team, "feed", "show", "--json", user="ben@example.net"))
    # Ana's ids that Ben has none of: her thread 2, her people 2 and 3, her follow-ups past his
    anas = {"thread_id": 2, "contact_id": 3, "interaction_id": 2, "followup_id": 4, "ref": "%233"}
    ana = log_in(team, "ana@example.net")  # the ids are Ana's: she reaches each of them
    for page in ("/threads/2", "/contacts/3", "/compose/4", "/interactions/2/edit", "/api/v1/threads/2"):
        seen = ana.get(page)
        assert seen.status_code == 200 and any(word in seen.text for word in ANAS), page
    checked = 0
    for method, path in routes:
        if path in ("/logout", "/login", "/healthz") or path.startswith("/welcome"):
            continue
        target = _filled(path, anas)
        if path == "/calendar/{token}.ics":  # Ana's token under Ben's account, and the other way round
            ben_id = ben_feed["path"].split("/")[2].split(".")[0]
            ana_id = ana_feed["path"].split("/")[2].split(".")[0]
            for token in (f"{ben_id}.{ana_feed['token']}", f"{ana_id}.{ben_feed['token']}"):
                answer = ben.client.get(f"/calendar/{token}.ics")
                assert answer.status_code == 404, token
            continue
        if method == "GET":
            answer = ben.get(target)
        elif path.startswith("/api/"):
            answer = ben.client.request(method, target, json=API)
        else:
            answer = ben.post(target, FORM)
        body = answer.text
        assert not any(word in body for word in ANAS), f"{method} {target} showed Ana's data"
        if "{" in path and "{token}" not in path:
            assert answer.status_code == 404, f"{method} {target}: {answer.status_code} {body[:200]}"
        else:
            assert answer.status_code < 500, f"{method} {target}: {answer.status_code}"
        checked += 1
    assert checked > 60
    # and nothing of Ana's changed, whatever Ben sent
    after = snapshot(team, schema="account_1")
    assert after == ana_rows and after["contacts"]


def test_each_account_sees_its_own_pages_and_feed(team: str) -> None:
    ana, ben = log_in(team, "ana@example.net"), log_in(team, "ben@example.net")
    assert "Aurelia Quincey" in ana.get("/contacts").text and "Cy Dale" not in ana.get("/contacts").text
    assert "Cy Dale" in ben.get("/contacts").text and "Aurelia" not in ben.get("/contacts").text
    assert [c["name"] for c in ben.client.get("/api/v1/contacts").json()["contacts"]] == ["Cy Dale"]
    feed = ok(tactful(team, "feed", "show", "--json", user="ana@example.net"))
    calendar = server(team).client.get(feed["path"])  # a calendar app: no session
    assert calendar.status_code == 200 and "Aurelia Quincey" in calendar.text
    # the one server key signs both; logging out ends only one's sessions
    ben.post("/logout")
    assert ben.client.get("/api/v1/agenda").status_code == 401
    assert ana.client.get("/api/v1/agenda").status_code == 200
