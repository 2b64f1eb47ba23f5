"""One error, three faces: the command line names an input by its option, the API by its JSON field,
a page by the form's label; the message is otherwise the same, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tactful.errors import InvalidInput, ref

from .test_web import make

#: On PostgreSQL too, when the suite runs there (tests/postgres.py).
pytestmark = pytest.mark.both_stores

BAD_ZONE = "Mars/Olympus_Mons"


def test_a_message_names_its_input_as_each_face_spells_it() -> None:
    exc = InvalidInput(f"{ref('their_tz')}: {'{org} Mars'!r} is not a time zone", field="their_tz")
    assert exc.field == "their_tz"
    assert exc.message == "their_tz: '{org} Mars' is not a time zone"  # the API's words; braces are text
    assert exc.spelled(lambda f: "--" + f.replace("_", "-")) == "--their-tz: '{org} Mars' is not a time zone"
    assert exc.spelled(lambda f: None) == exc.message  # a face that does not know an input says its name
    assert str(exc) == exc.message


def test_the_command_line_names_the_option(run) -> None:
    result = run("log", "interview", "--with", "Priya", "--their-tz", BAD_ZONE)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --their-tz: '{BAD_ZONE}' is not a time zone"), result.stderr
    late = run("log", "interview", "--with", "Priya", "--at", "2026-03-02", "--decision-by", "2026-03-01")
    assert late.stderr.startswith("error: --decision-by: 2026-03-01 is before the interview itself"), (
        late.stderr
    )
    assert run("reply", "--from", "Nobody").stderr.startswith("error: --from: no contact called 'Nobody'")


def test_the_api_names_the_field_and_says_which(tmp_path: Path) -> None:
    web = make(tmp_path)
    body = {"kind": "interview", "people": ["Priya"], "their_tz": BAD_ZONE}
    answer = web.client.post("/api/v1/interactions", json=body)
    assert answer.status_code == 422
    error = answer.json()
    assert error["field"] == "their_tz"
    assert (
        error["error"].startswith(f"their_tz: '{BAD_ZONE}' is not a time zone") and "--" not in error["error"]
    )
    nobody = web.client.post("/api/v1/replies", json={"from": "Nobody"}).json()
    assert nobody == {
        "error": "from: no contact called 'Nobody'; check the spelling, or log an interaction with them first",
        "field": "from",
    }
    assert web.client.get("/api/v1/agenda").json()["items"] == []  # nothing was written


@pytest.mark.parametrize(
    ("path", "form", "said"),
    [
        ("/log", {"kind": "interview", "people": "Priya", "their_tz": BAD_ZONE}, "Their time zone: "),
        ("/log", {"kind": "introduction", "people": "Maya"}, "Introduced by: an introduction needs"),
        ("/profile", {"tz": BAD_ZONE}, "Time zone: "),
    ],
)
def test_a_page_names_the_form_label(tmp_path: Path, path: str, form: dict[str, str], said: str) -> None:
    web = make(tmp_path)
    page = web.post(path, form)
    assert page.status_code == 422
    assert said in page.text and "--" not in page.text.split('role="alert"')[1].split("</p>")[0]


def test_the_form_labels_are_the_ones_the_errors_use(tmp_path: Path) -> None:
    from tactful.web import forms

    web = make(tmp_path)
    log = web.get("/log?kind=introduction").text
    for field in ("people", "their_tz", "at", "introduced_by"):
        assert f'<label for="{field}">{forms.LOG[field]}' in log
    profile = web.get("/profile").text
    assert f'<label for="tz">{forms.PROFILE["tz"]}' in profile
