"""`tactful draft` through the command line: text, JSON, .eml files and recording what was sent."""

from __future__ import annotations

import email
import email.policy
import json
import sqlite3
from pathlib import Path


def setup(run) -> None:
    assert run("profile", "--name", "Robin Vale", "--email", "robin@example.net", "--tz", "Europe/London",
               "--country", "GB", "--skills", "data pipelines, Python").exit_code == 0  # fmt: skip
    logged = run("log", "interview", "--with", "Priya Natarajan", "--email", "priya@acme.example", "--with",
                 "Dr. Tomás de la Vega", "--org", "Acme", "--for", "Data Engineer", "--at", "2026-03-02 10:00",
                 "--topic", "streaming ingestion", "--topic", "on-call rotation", "--topic", "cost of backfills")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr


def test_two_interviewers_get_two_distinct_ready_emails(run) -> None:
    setup(run)
    first = json.loads(run("draft", "1", "--now", "2026-03-02 14:00", "--json").stdout)
    second = json.loads(run("draft", "2", "--now", "2026-03-02 14:00", "--json").stdout)
    assert set(first) >= {"followup_id", "channel", "to", "subject", "body", "review"}
    assert first["to"] == "priya@acme.example" and first["channel"] == "email"
    assert first["body"].startswith("Dear Priya,") and "Dear Dr. de la Vega," in second["body"]
    assert first["review"]["verdict"] == "ready", first["review"]["findings"]
    # No address is known for the second interviewer: the draft is fine, but it cannot go out as it is.
    blocking = {f["code"] for f in second["review"]["findings"] if f["severity"] != "tip"}
    assert blocking == {"no-address"}, second["review"]["findings"]
    for draft in (first, second):
        assert "Acme" in draft["body"] and "Robin Vale" in draft["body"]
        assert any(
            t in draft["body"] for t in ("streaming ingestion", "on-call rotation", "cost of backfills")
        )
        assert "[" not in draft["body"] and "{" not in draft["body"]
        assert len(draft["body"].split()) <= 200
    assert first["body"] != second["body"] and first["subject"] != second["subject"]
    again = json.loads(run("draft", "1", "--now", "2026-03-02 14:00", "--json").stdout)
    assert again["body"] == first["body"]  # the same follow-up drafted twice reads the same


def test_eml_is_a_message_a_mail_client_opens_and_its_id_is_kept(run, tmp_path: Path, db_path: Path) -> None:
    setup(run)
    path = tmp_path / "thanks.eml"
    out = run("draft", "1", "--eml", str(path), "--now", "2026-03-02 14:00")
    assert out.exit_code == 0 and "Wrote" in out.stdout
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "Priya Natarajan <priya@acme.example>"
    assert message["From"] == "Robin Vale <robin@example.net>"
    assert message["Subject"] and message["Date"] and message["X-Unsent"] == "1"
    assert "Dear Priya," in message.get_content()
    kept = sqlite3.connect(db_path).execute("SELECT message_id FROM followups WHERE id = 1").fetchone()[0]
    assert kept == message["Message-ID"] and kept.endswith("@example.net>")


def test_an_eml_that_cannot_be_written_leaves_nothing_behind(run, tmp_path: Path, db_path: Path) -> None:
    setup(run)
    for where in ("/proc/tactful-cannot-write.eml", str(tmp_path / "no-such-folder" / "x.eml")):
        out = run("draft", "1", "--eml", where, "--now", "2026-03-02 14:00")
        assert out.exit_code == 1 and "cannot write" in out.stderr and "--eml" in out.stderr
        kept = sqlite3.connect(db_path).execute("SELECT message_id FROM followups WHERE id = 1").fetchone()[0]
        assert kept is None, where


def test_done_with_text_records_what_was_sent(run, run_json, tmp_path: Path, db_path: Path) -> None:
    setup(run)
    sent = tmp_path / "sent.txt"
    sent.write_text("Subject: Thanks\n\nDear Priya,\n\nThank you for today.\n\nRobin\n")
    assert run("done", "1", "--text", str(sent), "--at", "2026-03-02 15:00").exit_code == 0
    followups = run_json("show", "thread", "1")["followups"]
    assert next(f for f in followups if f["id"] == 1)["status"] == "done"
    kept = sqlite3.connect(db_path).execute("SELECT text FROM followups WHERE id = 1").fetchone()[0]
    assert kept.startswith("Subject: Thanks") and "Thank you for today." in kept


def test_a_phone_draft_has_talking_points_and_a_short_voicemail(run) -> None:
    setup(run)
    draft = json.loads(run("draft", "3", "--channel", "phone", "--now", "2026-03-05 10:00", "--json").stdout)
    assert draft["channel"] == "phone" and draft["voicemail"]
    assert len(draft["voicemail"].split()) <= 75
    assert draft["body"].count("\n") >= 2


def test_a_linkedin_note_fits_the_free_limit(run) -> None:
    setup(run)
    assert run("profile", "--linkedin-free").exit_code == 0
    draft = json.loads(
        run("draft", "1", "--channel", "linkedin", "--now", "2026-03-02 14:00", "--json").stdout
    )
    assert len(draft["body"]) <= 200 and draft["subject"] is None


def test_human_output_is_the_text_then_the_review(run) -> None:
    setup(run)
    out = run("draft", "1", "--now", "2026-03-02 14:00").stdout
    assert out.index("Subject:") < out.index("Dear Priya,") < out.index("Review:")
    assert "ready to send" in out


def test_drafting_an_unknown_follow_up(run) -> None:
    setup(run)
    result = run("draft", "99")
    assert result.exit_code == 1 and "no follow-up 99" in result.stderr


def test_a_users_own_phrasing_is_used_and_a_broken_one_is_named(run, tmp_path: Path, monkeypatch) -> None:
    setup(run)
    mine = tmp_path / "templates"
    mine.mkdir()
    monkeypatch.setenv("TACTFUL_TEMPLATES", str(mine))
    (mine / "thank-you.toml").write_text(
        '[email]\npoint = ["Our talk about {topic} is still on my mind, in the best way."]\n',
        encoding="utf-8",
    )
    draft = json.loads(run("draft", "1", "--now", "2026-03-02 14:00", "--json").stdout)
    assert "is still on my mind, in the best way." in draft["body"]
    (mine / "thank-you.toml").write_text('[email]\npoint = ["About {nonsense}."]\n', encoding="utf-8")
    broken = run("draft", "1", "--now", "2026-03-02 14:00")
    assert broken.exit_code == 1 and "thank-you.toml" in broken.stderr and "nonsense" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
