"""The web app in-process: every page and API route, escaping, CSRF, errors and log-in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tactful.config import load
from tactful.service import Service, reading
from tactful.service.access import set_password
from tactful.service.profile import update_profile
from tactful.store import open_store
from tactful.web import Settings, create_app

from .postgres import new_location

#: The web app on either store: on PostgreSQL when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)  # Monday afternoon
EVIL_NAME = "Ada <script>alert(1)</script>"
EVIL_ORG = '"><img src=x onerror=alert(1)>'


class Web:
    def __init__(self, client: TestClient, location: Any = None) -> None:
        self.client = client
        self.location = location  # the database the app serves
        self.csrf = ""

    def get(self, path: str, **kw: Any) -> Any:
        response = self.client.get(path, **kw)
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        if not self.csrf:
            self.get("/log")
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)


def make(tmp_path: Path, location: Any = None, **settings: Any) -> Web:
    """The web app over a new database (`location`: over that one)."""
    db = location or new_location(tmp_path, "web.db")
    service = Service(open_store(db), now=NOW)
    update_profile(service, name="Robin Vale", tz="Europe/London", country="GB")
    service.store.close()
    return Web(
        TestClient(create_app(Settings(load(database=db), now=NOW, **settings)), base_url="http://127.0.0.1"),
        location=db,
    )


@pytest.fixture
def web(tmp_path: Path) -> Web:
    return make(tmp_path)


def log_interview(web: Web, **extra: str) -> Any:
    data = {"kind": "interview", "people": "Priya Natarajan, Sam Lee", "org": "Acme", "title": "Data Engineer",
            "at": "2026-03-02 10:00", "topics": "streaming ingestion\non-call rotation"}  # fmt: skip
    data.update(extra)
    return web.post("/log", data)


def test_a_first_visit_offers_three_ways_in(web: Web) -> None:
    page = web.get("/")
    assert page.status_code == 200
    assert "Your profile is set up" in page.text  # ticked: the profile has a name
    assert "Log your first interaction" in page.text and "Load the sample history" in page.text
    loaded = web.post("/sample")
    assert loaded.status_code == 200 and "Who do you owe a message?" in loaded.text
    assert "Priya Natarajan" in loaded.text and "sample history, kept apart from your own" in loaded.text
    assert "Acme Analytics" in web.get("/threads").text and "Europe/London" in loaded.text
    left = web.post("/sample/leave")
    assert "Welcome to tactful" in left.text  # the user's own database never had the sample in it
    assert "Look at the sample history again" in left.text and "Your profile is set up" in left.text


def test_logging_an_interview_through_the_form_plans_thank_yous(web: Web) -> None:
    done = log_interview(web)
    assert done.status_code == 200 and "/threads/1" in str(done.url)
    assert "Thank-you emails land best within 24 hours" in done.text
    today = web.get("/")
    assert today.text.count('class="item state-due"') == 2
    assert "Due now" in today.text and "Coming up this week" in today.text
    for word in (
        "Priya Natarajan",
        "Thank-you",
        "by email",
        "due by",
        "Draft",
        "Mark sent",
        "Snooze",
        "Skip",
    ):
        assert word in today.text, word


def test_log_form_shows_only_the_fields_of_its_kind(web: Web) -> None:
    interview = web.get("/log?kind=interview").text
    assert 'name="decision_by"' in interview and 'name="introduced_by"' not in interview
    intro = web.get("/log?kind=introduction").text
    assert 'name="introduced_by"' in intro and 'name="decision_by"' not in intro
    fragment = web.get("/log?kind=help-promised", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<input type="hidden" name="kind" value="help-promised">')
    assert "<html" not in fragment.text and 'name="promised_by"' in fragment.text
    for field in ("people", "org", "email", "phone", "at", "promised", "promised_by"):
        assert f'<label for="{field}"' in web.get("/log?kind=help-promised").text, field


def test_bad_input_in_the_form_says_so_and_changes_nothing(web: Web) -> None:
    bad = log_interview(web, at="2026-02-30 10:00")
    assert bad.status_code == 422 and "is not a real date" in bad.text
    assert 'value="Priya Natarajan, Sam Lee"' in bad.text  # what was typed is kept
    assert "Welcome to tactful" in web.get("/").text


def test_user_text_is_escaped_everywhere(web: Web) -> None:
    log_interview(web, people=EVIL_NAME, org=EVIL_ORG, topics="<script>x()</script>", note="<b>bold</b>")
    web.post("/log", {"kind": "meeting", "people": EVIL_NAME, "org": EVIL_ORG, "note": "<i>n</i>"})
    for path in ("/", "/threads", "/threads/1", "/contacts/1"):
        text = web.get(path).text
        assert "<script>alert(1)" not in text and "<img src=x" not in text, path
        assert "<script>x()" not in text and "<b>bold" not in text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in web.get("/threads/1").text
    api = web.get("/api/v1/agenda")  # JSON keeps the text as typed, and is never served as HTML
    assert api.headers["content-type"] == "application/json"
    assert EVIL_NAME in {i["contact"]["name"] for i in api.json()["items"]}


def test_actions_mark_sent_snooze_skip_reply_and_outcome(web: Web) -> None:
    log_interview(web, linkedin="https://linkedin.com/in/priya")
    sent = web.post("/followups/1/done", {"next": "/threads/1"})
    assert "/threads/1" in str(sent.url) and "LinkedIn request" in sent.text  # the next step appears
    snoozed = web.post("/followups/2/snooze")
    assert snoozed.status_code == 200
    web.post("/followups/2/skip")
    statuses = {f["id"]: f["status"] for f in web.get("/api/v1/threads/1").json()["followups"]}
    assert statuses[1] == "done" and statuses[2] == "skipped"
    replied = web.post("/threads/1/reply", {"contact": "1"})
    assert "Reply" in replied.text
    closed = web.post("/threads/1/outcome", {"outcome": "rejected"})
    assert "Gracious close" in closed.text


def test_forms_need_the_csrf_token(web: Web) -> None:
    web.get("/")
    refused = web.client.post("/log", data={"kind": "meeting", "people": "Ann"})
    assert refused.status_code == 403 and "expired" in refused.text
    wrong = web.client.post("/log", data={"kind": "meeting", "people": "Ann", "csrf": "forged"})
    assert wrong.status_code == 403
    form_to_api = web.client.post("/api/v1/followups/1/skip", data={"reason": "x"})
    assert form_to_api.status_code == 403
    header = web.client.post(
        "/log", data={"kind": "meeting", "people": "Ann"}, headers={"X-CSRF-Token": web.csrf}
    )
    assert header.status_code == 200


def test_security_headers_on_every_answer(web: Web) -> None:
    for path in ("/", "/nope", "/static/app.css", "/api/v1/agenda", "/api/v1/threads/9"):
        response = web.get(path)
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        assert response.headers["x-content-type-options"] == "nosniff"
    cookie = TestClient(web.client.app, base_url="http://127.0.0.1").get("/").headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_error_pages_are_clear_and_never_a_stack_trace(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = web.get("/threads/42")
    assert missing.status_code == 404 and "no thread 42" in missing.text and "<html" in missing.text
    assert web.get("/no/such/page").status_code == 404
    assert web.get("/api/v1/threads/42").json() == {
        "error": "no thread 42; `tactful agenda --all` shows thread ids"
    }

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(reading, "board", boom)
    client = TestClient(web.client.app, raise_server_exceptions=False, base_url="http://127.0.0.1")
    crash = client.get("/threads")
    assert crash.status_code == 500
    assert (
        "Something went wrong" in crash.text
        and "secret internals" not in crash.text
        and "Traceback" not in crash.text
    )


def test_profile_page_saves_and_refuses_a_bad_zone(web: Web) -> None:
    saved = web.post(
        "/profile",
        {"name": "Robin Q. Vale", "tz": "America/New_York", "country": "US", "skills": "SQL, Python"},
    )
    assert saved.status_code == 200 and "Saved." in saved.text and 'value="Robin Q. Vale"' in saved.text
    bad = web.post("/profile", {"tz": "Mars/Base"})
    assert bad.status_code == 422 and "not a time zone" in bad.text
    assert web.get("/api/v1/profile").json()["tz"] == "America/New_York"


def test_thread_and_contact_pages_draw_the_plan(web: Web) -> None:
    log_interview(web)
    page = web.get("/threads/1").text
    assert "<svg" in page and 'class="window due"' in page and "now</text>" in page
    assert "What happened" in page and "The plan" in page
    person = web.get("/contacts/1").text
    assert "Priya Natarajan" in person and "<svg" in person
    board = web.get("/threads").text
    assert "Active" in board and "Data Engineer" in board


# -- the JSON API ---------------------------------------------------------------------------------------


def test_api_has_the_cli_shapes(web: Web) -> None:
    created = web.client.post("/api/v1/interactions", json={"kind": "interview", "people": ["Priya Natarajan"],
                                                            "org": "Acme", "at": "2026-03-02 10:00"})  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    assert set(body) >= {"interaction", "followups"}
    assert {"id", "thread_id", "contact", "purpose", "channel", "nudge", "not_before", "due_by", "state", "status",
            "rule", "why"} <= set(body["followups"][0])  # fmt: skip
    agenda = web.client.get("/api/v1/agenda", params={"days": 7}).json()
    assert set(agenda) == {"now", "items", "dormant", "proposals", "losing_touch"}
    assert agenda["now"].startswith("2026-03-02T15:00:00")
    assert web.client.post("/api/v1/followups/1/done", json={}).json()["done"] == {
        "id": 1,
        "purpose": "thank-you",
    }
    assert (
        web.client.post("/api/v1/followups/2/skip", json={"reason": "no"}).json()["skipped"]["reason"] == "no"
    )
    assert web.client.post("/api/v1/replies", json={"from": "Priya Natarajan"}).json()["reply"] == {
        "thread_id": 1
    }
    out = web.client.post("/api/v1/threads/1/outcome", json={"outcome": "offer"}).json()
    assert out["outcome"] == {"thread_id": 1, "outcome": "offer"}
    assert web.client.get("/api/v1/contacts/1").json()["contact"]["name"] == "Priya Natarajan"
    review = web.client.post("/api/v1/check", json={"text": "Subject: hi\n\nhey!!"}).json()
    assert review["verdict"] == "needs-work" and {f["code"] for f in review["findings"]} >= {
        "casual",
        "shouting",
    }


def test_api_errors_are_json(web: Web) -> None:
    bad_kind = web.client.post("/api/v1/interactions", json={"kind": "dinner", "people": ["A"]})
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]
    bad_time = web.client.post(
        "/api/v1/interactions", json={"kind": "meeting", "people": ["A"], "at": "2026-13-45"}
    )
    assert bad_time.status_code == 422 and "not a real date" in bad_time.json()["error"]
    assert web.client.post("/api/v1/followups/77/done", json={}).status_code == 404


def test_openapi_document_lists_the_api(web: Web) -> None:
    doc = web.client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/agenda", "/api/v1/interactions", "/api/v1/check"} <= set(doc["paths"])
    assert not any(p.startswith("/threads") for p in doc["paths"])  # pages stay out of the API document


# -- log-in beyond loopback -------------------------------------------------------------------------------


def test_login_is_required_when_asked_and_works_with_the_password(tmp_path: Path) -> None:
    db = new_location(tmp_path, "web.db")
    service = Service(open_store(db), now=NOW)
    set_password(service, "correct horse battery")
    service.store.close()
    web = Web(TestClient(create_app(Settings(load(database=db), now=NOW, require_login=True, hosts=("*",)))))
    assert "/login" in str(web.get("/").url)
    assert web.client.get("/api/v1/agenda").status_code == 401
    wrong = web.post("/login", {"password": "nope"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    web.get("/login")
    right = web.post("/login", {"password": "correct horse battery"})
    assert right.status_code == 200 and "Welcome to tactful" in right.text
    assert web.client.get("/api/v1/agenda").status_code == 200


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    from tactful.errors import InvalidInput

    service = Service(open_store(tmp_path / "p.db"), now=NOW)
    with pytest.raises(InvalidInput, match="too short"):
        set_password(service, "short")


def test_the_calendar_feed_answers_only_its_token(tmp_path: Path) -> None:
    from tactful.service.transfer import feed_show

    web = make(tmp_path)
    log_interview(web)
    service = Service(open_store(web.location), now=NOW)
    feed = feed_show(service)
    service.store.close()
    good = web.client.get(feed.path)
    assert good.status_code == 200 and good.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in good.text and "Thank Priya Natarajan (Acme) by email" in good.text
    assert web.client.get("/calendar/not-the-token.ics").status_code == 404
    assert web.client.get(feed.path.replace(feed.token, feed.token[:-1] + "x")).status_code == 404


def test_a_loopback_app_answers_only_to_loopback_names(web: Web) -> None:
    """A page elsewhere cannot point a name of its own at 127.0.0.1 and use the app (DNS rebinding)."""
    assert web.client.get("/api/v1/agenda").status_code == 200
    for name in ("evil.example", "127.0.0.1.evil.example"):
        refused = web.client.get("/api/v1/agenda", headers={"Host": name})
        assert refused.status_code == 400, name
        posted = web.client.post(
            "/api/v1/interactions", json={"kind": "meeting", "people": ["X"]}, headers={"Host": name}
        )
        assert posted.status_code == 400
    assert web.client.get("/api/v1/agenda", headers={"Host": "localhost:8000"}).status_code == 200


def test_the_api_page_lists_every_operation_without_outside_scripts(web: Web) -> None:
    page = web.get("/api/docs")
    assert page.status_code == 200
    assert "/api/v1/interactions" in page.text and "/api/v1/drafts/{followup_id}" in page.text
    assert '<script src="http' not in page.text and "cdn" not in page.text


def test_mark_sent_from_compose_keeps_the_channel_it_was_written_for(web: Web) -> None:
    log_interview(web, linkedin="https://linkedin.com/in/priya")
    page = web.get("/compose/1?channel=linkedin")
    assert page.status_code == 200 and 'name="channel" value="linkedin"' in page.text
    web.post("/followups/1/done", {"channel": "linkedin", "text": "Hi Priya, thank you for today."})
    sent = next(f for f in web.get("/api/v1/threads/1").json()["followups"] if f["id"] == 1)
    assert sent["status"] == "done" and sent["channel"] == "linkedin"


def test_the_board_and_the_thread_agree_on_its_stage(web: Web) -> None:
    log_interview(web)
    for fid in (1, 2, 3):
        web.post(f"/followups/{fid}/skip")
    assert web.get("/api/v1/threads/1").json()["thread"]["stage"] == "waiting"
    assert "Waiting" in web.get("/threads/1").text
    board = web.get("/threads").text
    waiting = board[board.index('id="b-waiting"') : board.index('id="b-dormant"')]
    assert "Data Engineer" in waiting


def test_emptying_a_profile_field_clears_it(web: Web) -> None:
    web.post("/profile", {"name": "Robin Vale", "phone": "+44 20 7946 0000", "tz": "Europe/London"})
    web.post("/profile", {"name": "Robin Vale", "phone": "", "tz": "Europe/London"})
    profile = web.get("/api/v1/profile").json()
    assert profile["phone"] is None and profile["name"] == "Robin Vale"


def test_repeated_wrong_passwords_are_slowed_down_per_address_never_locking_out_the_right_one(
    tmp_path: Path,
) -> None:
    db = new_location(tmp_path, "web.db")
    service = Service(open_store(db), now=NOW)
    set_password(service, "correct horse battery")
    service.store.close()
    app = create_app(Settings(load(database=db), now=NOW, require_login=True, hosts=("*",)))
    guesser = Web(TestClient(app, client=("203.0.113.9", 5000)))
    guesser.get("/login")
    codes = [guesser.post("/login", {"password": f"guess {n}"}).status_code for n in range(5)]
    assert codes == [401, 401, 401, 429, 429]  # after three wrong tries, the next must wait a second
    slowed = guesser.post("/login", {"password": "correct horse battery"})
    assert (
        slowed.status_code == 429 and "wait 1 second" in slowed.text and slowed.headers["retry-after"] == "1"
    )
    owner = Web(TestClient(app, client=("198.51.100.7", 5000)))  # someone else, elsewhere
    owner.get("/login")
    assert owner.post("/login", {"password": "correct horse battery"}).status_code == 200


def test_the_contacts_page_finds_a_person_by_first_name_and_shows_what_was_sent(web: Web) -> None:
    web.post("/log", {"kind": "interview", "people": "Zoë Ødegaard", "email": "zoe@fjord.example", "org": "Fjord",
                      "note": "met her at the Oslo meetup", "at": "2026-03-02 10:00"})  # fmt: skip
    page = web.get("/contacts", params={"q": "zoe"})
    assert page.status_code == 200 and 'href="/contacts/1"' in page.text and "Zoë Ødegaard" in page.text
    assert "No one matches" in web.get("/contacts", params={"q": "nobody"}).text
    assert 'aria-current="page">Contacts' in page.text
    web.post("/followups/1/done", {"text": "Dear Zoë,\r\n\r\nThank you for today."})
    person = web.get("/contacts/1").text
    assert "met her at the Oslo meetup" in person and "Sent to Zoë Ødegaard" in person
    assert "Thank you for today." in person


def test_every_action_says_done_and_offers_to_undo_it(web: Web) -> None:
    logged = log_interview(web)
    assert logged.status_code == 200 and "Done · Logged · 3 follow-ups planned." in logged.text
    today = web.get("/")
    thanks = re.search(r'id="followup-(\d+)"', today.text)
    assert thanks is not None
    fid = thanks.group(1)
    sent = web.post(f"/followups/{fid}/done", {"next": "/"})
    assert (
        sent.status_code == 200
        and "Done · Marked follow-up" in sent.text
        and f'id="followup-{fid}"' not in sent.text
    )
    change = re.search(r'name="change" value="(\d+)"', sent.text)
    assert change is not None
    undone = web.post("/undo", {"change": change.group(1), "next": "/"})
    assert undone.status_code == 200 and "Undone: marked follow-up" in undone.text
    assert f'id="followup-{fid}"' in undone.text  # planned again, as before
    again = web.post("/undo", {"change": change.group(1), "next": "/"})
    assert again.status_code == 409 and "Something else changed since" in again.text
    stale = web.get(f"/?did={change.group(1)}")
    assert "Done ·" not in stale.text  # an offer for a change already taken back is not made


def test_undoing_a_log_from_its_thread_page_goes_back_to_today(web: Web) -> None:
    logged = log_interview(web)
    change = re.search(r'name="change" value="(\d+)"', logged.text)
    assert change is not None
    undone = web.post("/undo", {"change": change.group(1), "next": "/threads/1"})
    assert (
        undone.status_code == 200
        and "Undone: logged the interview with Priya Natarajan, Sam Lee" in undone.text
    )
    assert str(undone.url).startswith("http://127.0.0.1/?undone=")


def test_what_was_sent_shows_on_the_thread_and_a_done_follow_up_has_nothing_to_compose(web: Web) -> None:
    log_interview(web)
    today = web.get("/")
    fid = re.search(r'id="followup-(\d+)"', today.text).group(1)  # type: ignore[union-attr]
    web.post(f"/followups/{fid}/done", {"text": "Dear Priya, thank you <b>so</b> much for Monday."})
    thread = web.get("/threads/1")
    assert "What you sent" in thread.text and "thank you &lt;b&gt;so&lt;/b&gt; much for Monday" in thread.text
    page = web.get(f"/compose/{fid}")
    assert page.status_code == 200 and "Already sent" in page.text and "nothing left to write" in page.text
    assert "thank you &lt;b&gt;so&lt;/b&gt; much" in page.text and "<textarea" not in page.text


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/threads/abc", "That address does not name a thread: each thread has a number"),
        ("/threads/999", "There is no thread 999."),
        ("/compose/999", "There is no follow-up 999."),
        ("/contacts/999", "There is no person #999."),
        ("/nowhere", "There is nothing at this address."),
    ],
)
def test_error_pages_speak_to_a_person(web: Web, path: str, said: str) -> None:
    page = web.get(path)
    assert page.status_code == 404 and said in page.text
    assert "tactful agenda" not in page.text and "`" not in page.text and "Back to Today" in page.text


def test_today_shows_the_role_or_deal_and_a_good_moment_in_their_hours(web: Web) -> None:
    log_interview(web, role="Head of Data", their_tz="America/New_York")
    today = web.get("/")
    item = today.text[today.text.index('id="followup-1"') :]
    item = item[: item.index("</li>")]
    assert "Head of Data" in item and "Data Engineer" in item
    assert "A good moment:" in item and "their time" in item


def test_import_export_and_the_calendar_feed_have_a_page(web: Web) -> None:
    page = web.get("/exchange")
    assert page.status_code == 200 and "Bring in your contacts" in page.text
    feed = re.search(r'id="feed" readonly value="([^"]+)"', page.text)
    assert feed is not None and feed.group(1).startswith("http://127.0.0.1/calendar/")
    assert web.client.get(feed.group(1).removeprefix("http://127.0.0.1")).status_code == 200
    csv = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
           "Ana,Silva,https://www.linkedin.com/in/ana,ana@x.example,Initech,CTO,05 Mar 2024\n")  # fmt: skip
    files = {"file": ("Connections.csv", csv.encode(), "text/csv")}
    preview = web.post("/import", {"source": "linkedin", "dry_run": "1"}, files=files)
    assert preview.status_code == 200 and "1 new" in preview.text and "nothing was saved" in preview.text
    assert "Ana Silva" not in web.get("/contacts").text
    done = web.post("/import", {"source": "linkedin"}, files=files)
    assert "1 new" in done.text and "Ana Silva" in web.get("/contacts?q=ana").text
    assert "Done · Imported Connections.csv (1 new people)" in done.text
    again = web.post("/import", {"source": "linkedin"}, files=files)
    assert "0 new" in again.text and "1 left as they were" in again.text
    wrong = web.post("/import", {"source": "fax"}, files=files)
    assert wrong.status_code == 422 and "LinkedIn, Google or vCard" in wrong.text
    ics = web.client.get("/export/followups.ics")
    assert ics.status_code == 200 and ics.text.startswith("BEGIN:VCALENDAR")
    backup = web.client.get("/export/backup.json")
    assert backup.status_code == 200 and backup.json()["format"] == "tactful-backup"
    rotated = web.post("/feed/rotate")
    assert "A new address" in rotated.text
    assert web.client.get(feed.group(1).removeprefix("http://127.0.0.1")).status_code == 404


def test_an_interaction_is_corrected_from_its_thread_and_the_plan_moves(web: Web) -> None:
    log_interview(web)
    thread = web.get("/threads/1")
    assert 'href="/interactions/1/edit"' in thread.text
    form = web.get("/interactions/1/edit")
    assert form.status_code == 200 and 'value="2026-03-02 10:00"' in form.text
    fields = {"at": "2026-03-04 15:00", "decision_by": "", "promised_by": "", "promised": "",
              "topics": "streaming ingestion\non-call rotation", "note": ""}  # fmt: skip
    corrected = web.post("/interactions/1/edit", fields)
    assert corrected.status_code == 200 and "Done · Corrected interview #1" in corrected.text
    assert "Moved: follow-up 1 (thank-you) from Mon 2 Mar 10:00" in corrected.text
    bad = web.post("/interactions/1/edit", {**fields, "at": "today 25:99"})
    assert bad.status_code == 422 and "When" in bad.text
    gone = web.post("/interactions/1/delete")
    assert gone.status_code == 200 and "Done · Deleted interview #1" in gone.text and "Welcome" in gone.text


def test_a_person_is_corrected_merged_and_deleted_from_their_page(web: Web) -> None:
    web.post(
        "/log",
        {
            "kind": "meeting",
            "people": "Dana Whitfield",
            "email": "dana@globex.example",
            "at": "2026-03-02 10:00",
        },
    )
    web.post(
        "/log", {"kind": "meeting", "people": "D Whitfield", "phone": "+1 555 0100", "at": "2026-03-03 10:00"}
    )
    page = web.get("/contacts/1")
    assert "Correct, merge or delete Dana Whitfield" in page.text
    edited = web.post("/contacts/1/edit", {"name": "Dana Whitfield", "email": "dana@globex.example", "tz": "America/Chicago",
                                           "note": "Met at the Globex open day"})  # fmt: skip
    assert "Done · Corrected Dana Whitfield (#1)" in edited.text and "America/Chicago" in edited.text
    merged = web.post("/contacts/1/merge", {"other": "2"})
    assert (
        "Done · Merged D Whitfield (#2) into Dana Whitfield (#1)" in merged.text
        and "+1 555 0100" in merged.text
    )
    assert web.get("/contacts/2").status_code == 404
    deleted = web.post("/contacts/1/delete", {"yes": "1"})
    assert (
        "Done · Deleted Dana Whitfield (#1)" in deleted.text
        and "Dana Whitfield" not in deleted.text.split("</div>", 1)[1]
    )


def test_snooze_until_a_time_a_reminder_and_waking_a_resting_thread_from_the_pages(web: Web) -> None:
    web.post("/log", {"kind": "application", "people": "Ana Silva", "email": "ana@initech.example",
                      "org": "Initech", "title": "Analyst", "at": "2026-03-02 09:00"})  # fmt: skip
    today = web.get("/")
    assert 'name="until"' in today.text
    snoozed = web.post("/followups/1/snooze", {"until": "2026-03-20 09:00", "next": "/threads/1"})
    assert "Done · Snoozed follow-up 1" in snoozed.text
    assert web.post("/followups/1/snooze", {"until": "2026-03-01"}).status_code == 422
    reminded = web.post("/contacts/1/remind", {"at": "2026-03-05 09:00", "note": "send the portfolio"})
    assert "Done · Set a reminder about Ana Silva" in reminded.text
    assert "send the portfolio" in web.get("/threads/1").text
    web.post("/followups/1/done", {})
    thread = web.get("/threads/1")
    assert "Ask once more" in thread.text
    woken = web.post("/threads/1/wake")
    assert "Done · Woke thread 1" in woken.text and "Ask once more" not in woken.text


def test_a_persons_details_are_cleared_from_their_page(web: Web) -> None:
    web.post("/log", {"kind": "meeting", "people": "Dana Whitfield", "email": "dana@globex.example", "org": "Globex",
                      "at": "2026-03-02 10:00"})  # fmt: skip
    base = {"name": "Dana Whitfield", "email": "dana@globex.example", "org": "Globex"}
    set_ = web.post("/contacts/1/edit", {**base, "prefers": "letter", "tz": "America/Chicago"})
    assert "Done · Corrected Dana Whitfield (#1)" in set_.text and "America/Chicago" in set_.text
    cleared = web.post("/contacts/1/edit", {**base, "email": "", "org": "", "prefers": "", "tz": ""})
    assert cleared.status_code == 200 and "Done · Corrected" in cleared.text
    page = web.get("/contacts/1")
    assert "dana@globex.example" not in page.text and "America/Chicago" not in page.text
    unchanged = web.post("/contacts/1/edit", {"name": "Dana Whitfield"})
    assert unchanged.status_code == 200 and "Done ·" not in unchanged.text


def test_odd_numbers_and_file_names_get_an_answer_not_a_crash(web: Web) -> None:
    log_interview(web)
    for path in ("/?did=%C2%B2", "/threads/1?did=" + "9" * 5000, "/?did=-1&planned=%C2%B2"):
        assert web.get(path).status_code == 200
    assert web.post("/undo", {"change": "²"}).status_code in (200, 409)
    assert web.post("/log", {"kind": "meeting", "people": "Sam Lee", "thread_id": "²"}).status_code == 200
    csv = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
           b"Ana,Silva,https://www.linkedin.com/in/ana,,Initech,CTO,05 Mar 2024\n")  # fmt: skip
    for name in ("..", "a/..", "連絡先" * 40 + ".csv", "../../etc/passwd"):
        page = web.post(
            "/import", {"source": "linkedin", "dry_run": "1"}, files={"file": (name, csv, "text/csv")}
        )
        assert page.status_code == 200 and "1 new" in page.text


def test_the_sample_comes_back_after_a_restart_for_who_was_looking_at_it(tmp_path: Path) -> None:
    first = make(tmp_path)
    first.post("/sample")
    cookies = dict(first.client.cookies)
    again = make(
        tmp_path, location=first.location
    )  # a new server process over the same database, the same visitor
    again.client.cookies.update(cookies)
    page = again.get("/")
    assert "kept apart from your own" in page.text and "Priya Natarajan" in page.text


def test_head_answers_like_get_and_a_405_says_what_is_allowed(web: Web) -> None:
    head = web.client.head("/")
    assert (
        head.status_code == 200
        and head.content == b""
        and head.headers["content-type"].startswith("text/html")
    )
    assert "content-security-policy" in {k.lower() for k in head.headers}
    wrong = web.client.put("/threads")
    assert wrong.status_code == 405 and "GET" in wrong.headers.get("allow", "")


def test_only_the_json_api_is_spared_the_csrf_token(web: Web) -> None:
    log_interview(web)
    forged = web.client.post("/followups/1/skip", content=b"{}", headers={"content-type": "application/json"})
    assert forged.status_code == 403
    assert "followup-1" in web.get("/").text  # not skipped
    odd = web.client.post(
        "/api/v1/followups/1/skip", content=b"{}", headers={"content-type": "application/jsonx"}
    )
    assert odd.status_code == 403
    api = web.client.post("/api/v1/followups/1/skip", json={"reason": "sent by hand"})
    assert api.status_code == 200


def test_every_answer_carries_the_security_headers_errors_included(tmp_path: Path) -> None:
    from fastapi import FastAPI

    web = make(tmp_path)
    app: FastAPI = web.client.app  # type: ignore[assignment]

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    crash = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False).get("/boom")
    wrong_host = TestClient(app, base_url="http://evil.example").get("/")
    for answer, status in ((crash, 500), (wrong_host, 400), (web.get("/"), 200)):
        assert answer.status_code == status
        assert "default-src 'self'" in answer.headers.get("content-security-policy", "")
        assert answer.headers.get("x-content-type-options") == "nosniff"
