"""The composer: names, missing facts, determinism, variety, limits, and template files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from difflib import SequenceMatcher
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tactful.compose import Composed, Facts, compose
from tactful.compose.names import parse_name
from tactful.compose.phrasings import ALWAYS, SLOTS, TemplateError, Templates
from tactful.domain import MESSAGES, Channel, Contact, Kind, Profile, Purpose
from tactful.review import Draft, ReviewContext, Reviewer

NY = ZoneInfo("America/New_York")
MET = dt.datetime(2026, 3, 3, 10, 0, tzinfo=NY)  # a Tuesday
SAM = Profile(
    name="Sam Lee",
    email="sam@example.com",
    phone="555-0142",
    skills=("Kafka", "Airflow", "data quality checks"),
)
TOPICS = ("billing pipeline migration to Kafka", "backfills during the cut-over", "the on-call rotation")


def facts(
    name: str = "Priya Natarajan",
    purpose: Purpose = Purpose.THANK_YOU,
    channel: Channel = Channel.EMAIL,
    kind: Kind = Kind.INTERVIEW,
    **changes: object,
) -> Facts:
    base = Facts(
        purpose=purpose,
        channel=channel,
        rule="interview.thank-you",
        kind=kind,
        recipient=Contact(
            1, name, email="them@example.com", phone="555-0100", linkedin="https://linkedin.com/in/x"
        ),
        organisation="Acme Robotics",
        opportunity="Data Engineer",
        interaction_at=MET,
        topics=TOPICS,
        questions=("How would you handle backfills during the cut-over?",),
        due_by=MET + dt.timedelta(days=1),
        profile=SAM,
        tz="America/New_York",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def words(text: str) -> int:
    return len(re.findall(r"\S*[^\W_]\S*", text))


# -- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "title", "first", "last", "address"),
    [
        ("Dr. Elena de la Vega", "Dr.", "Elena", "de la Vega", "Dr. de la Vega"),
        ("Tomás de la Vega", "", "Tomás", "de la Vega", "Tomás"),
        ("Dr. Juan Q. Xavier de la Vega III", "Dr.", "Juan", "de la Vega", "Dr. de la Vega"),
        ("Robert (Bob) Smith Jr.", "", "Robert", "Smith", "Bob"),
        ("prof Ludwig van Beethoven", "Prof.", "Ludwig", "van Beethoven", "Prof. van Beethoven"),
        ("Sir Patrick Doyle", "Sir", "Patrick", "Doyle", "Sir Patrick"),
        ("Cher", "", "Cher", "", "Cher"),
    ],
)
def test_names_are_parsed_into_their_parts(
    written: str, title: str, first: str, last: str, address: str
) -> None:
    name = parse_name(written)
    assert (name.title, name.first, name.last, name.address) == (title, first, last, address)


def test_suffix_is_kept_but_never_greeted() -> None:
    name = parse_name("Dr. Martin Luther King, Jr.")
    assert name.suffix == "Jr."
    body = compose(facts("Dr. Martin Luther King, Jr.")).body
    assert body.startswith("Dear Dr. King,")
    assert "Jr" not in body.split("\n")[0]


def test_greeting_convention() -> None:
    assert compose(facts("Dr. Elena de la Vega")).body.startswith("Dear Dr. de la Vega,")
    assert compose(facts("Tomás de la Vega")).body.startswith("Dear Tomás,")
    assert compose(facts("Robert (Bob) Smith Jr.")).body.startswith("Dear Bob,")
    networking = facts("Tomás de la Vega", Purpose.RECONNECT, kind=Kind.MEETING, rule="meeting.reconnect")
    assert re.match(r"(Hi|Hello) Tomás,", compose(networking).body)
    note = compose(facts("Tomás de la Vega", channel=Channel.LINKEDIN)).body
    assert re.match(r"(Hi|Hello) Tomás, [a-z]", note)
    titled = compose(facts("Dr. Elena de la Vega", channel=Channel.LINKEDIN)).body
    assert re.match(r"(Hi|Hello) Dr\. de la Vega, ", titled)


# -- missing facts ----------------------------------------------------------------------------------


def test_missing_facts_are_written_around_and_listed() -> None:
    sparse = facts(
        topics=(),
        questions=(),
        organisation=None,
        opportunity=None,
        recipient=Contact(1, "Priya Natarajan"),
        profile=Profile(),
    )
    composed = compose(sparse)
    assert composed.to is None
    for expected in ("their email address", "your name (profile --name)", "a topic from the conversation"):
        assert expected in composed.missing
    assert "the organisation" in composed.missing
    assert not re.search(r"[{}<>]|\[|\]|TODO|XXX", composed.to_text())
    assert composed.body.startswith("Dear Priya,")
    assert composed.subject


def test_each_channel_reports_its_own_address() -> None:
    nobody = Contact(1, "Priya Natarajan")
    assert "their phone number" in compose(facts(channel=Channel.PHONE, recipient=nobody)).missing
    assert "their LinkedIn profile" in compose(facts(channel=Channel.LINKEDIN, recipient=nobody)).missing
    assert compose(facts(channel=Channel.LETTER, recipient=nobody)).to is None
    no_phone = compose(facts(channel=Channel.PHONE, profile=Profile(name="Sam Lee")))
    assert "your phone number (for them to call back)" in no_phone.missing
    assert no_phone.voicemail and "555" not in no_phone.voicemail


def test_an_open_question_is_the_users_to_answer_beside_the_draft() -> None:
    """The composer neither makes up an answer nor promises one: it asks the user for it."""
    asked = compose(facts(questions=("How would you monitor Kafka consumer lag?",)))
    assert "consumer lag" not in asked.body
    assert not re.search(r"fuller answer|clearer answer|better one|I will send", asked.body)
    assert any(
        "How would you monitor Kafka consumer lag?" in p and "better answer" in p for p in asked.prompts
    )


# -- determinism and variety -------------------------------------------------------------------------


def test_drafting_twice_gives_the_same_text() -> None:
    for channel in Channel:
        first = compose(facts(channel=channel))
        assert compose(facts(channel=channel)) == first
        assert compose(facts(channel=channel), Templates()) == first


def test_two_interviewers_at_one_company_get_different_messages() -> None:
    priya = facts("Priya Natarajan", other_people=("Marcus Webb",))
    marcus = facts("Marcus Webb", other_people=("Priya Natarajan",))
    for channel in Channel:
        a = compose(dataclasses.replace(priya, channel=channel))
        b = compose(dataclasses.replace(marcus, channel=channel))
        text_a, text_b = a.voicemail or a.body, b.voicemail or b.body
        mask = {"priya", "natarajan", "marcus", "webb"}
        tokens_a = [w for w in re.findall(r"\w+", text_a.lower()) if w not in mask]
        tokens_b = [w for w in re.findall(r"\w+", text_b.lower()) if w not in mask]
        assert SequenceMatcher(None, tokens_a, tokens_b, autojunk=False).ratio() < 0.8, channel
        context = ReviewContext(
            recipient_name="Marcus Webb",
            purpose=Purpose.THANK_YOU,
            sibling_texts=(("Priya Natarajan", text_a),),
        )
        review = Reviewer().review(Draft(channel, b.subject, text_b), context)
        assert "duplicate" not in review.codes


# -- limits -----------------------------------------------------------------------------------------


LONG = facts(
    "Dr. Alexandra Konstantinopoulou-Whitfield",
    topics=(
        "the long and winding migration of every billing pipeline from nightly batches to streams",
        "the on-call rotation that the platform team shares with the data team",
    ),
    organisation="Northwind Traders International Holdings",
    opportunity="Senior Staff Data Platform Engineer, Streaming Infrastructure",
    other_people=("Marcus Webb", "Dana Ortiz"),
    profile=dataclasses.replace(SAM, linkedin_free=True),
)


@pytest.mark.parametrize("purpose", MESSAGES)
def test_every_channel_keeps_to_its_limit(purpose: Purpose) -> None:
    for base in (facts(purpose=purpose), dataclasses.replace(LONG, purpose=purpose)):
        free = base.profile.linkedin_free
        email = compose(dataclasses.replace(base, channel=Channel.EMAIL))
        assert words(email.body) <= 200 + 3
        letter = compose(dataclasses.replace(base, channel=Channel.LETTER))
        assert words(letter.body) <= 120 + 3
        assert letter.post_by == dt.date(2026, 3, 4)
        note = compose(dataclasses.replace(base, channel=Channel.LINKEDIN))
        assert len(note.body) <= (200 if free else 300)
        call = compose(dataclasses.replace(base, channel=Channel.PHONE))
        assert call.voicemail is not None and words(call.voicemail) <= 75
        assert words(call.body) <= 75
        assert all(line.startswith("- ") for line in call.body.splitlines()[1:])


def test_to_text() -> None:
    email = compose(facts())
    assert email.to_text() == f"Subject: {email.subject}\n\n{email.body}"
    call = compose(facts(channel=Channel.PHONE))
    assert call.to_text().endswith(f"Voicemail:\n{call.voicemail}")
    assert compose(facts(channel=Channel.LETTER)).to_text() == compose(facts(channel=Channel.LETTER)).body


# -- what each purpose carries ------------------------------------------------------------------------


def _after_rejection_phrases() -> list[str]:
    return list(Reviewer().phrases.words("after_rejection", "phrases"))


def test_gracious_close_never_asks_them_to_reconsider() -> None:
    pressing = [*_after_rejection_phrases(), "feedback", "why", "explain", "reconsider"]
    templates = Templates()
    for section in ("email", "letter", "linkedin", "phone", "voicemail"):
        for key in ("thanks", "point", "point_org", "point_plain", "door", "wish", "hello", "subject"):
            for kind in Kind:
                labels = ("rejected", str(kind), "any")
                for variant in templates.phrasings(Purpose.GRACIOUS_CLOSE, section, key, labels):
                    text = variant.text.lower()
                    assert not [p for p in pressing if re.search(rf"\b{re.escape(p)}\b", text)], text
    for channel in Channel:
        for name in ("Priya Natarajan", "Marcus Webb", "Dr. Elena de la Vega"):
            composed = compose(facts(name, Purpose.GRACIOUS_CLOSE, channel, rule="rejection.gracious-close"))
            text = composed.voicemail or composed.body
            review = Reviewer().review(
                Draft(channel, composed.subject, text),
                ReviewContext(recipient_name=name, purpose=Purpose.GRACIOUS_CLOSE, rejected=True),
            )
            assert "presses-after-rejection" not in review.codes
            assert "?" not in text


def test_check_ins_ask_politely_about_timing() -> None:
    for channel in Channel:
        composed = compose(facts(purpose=Purpose.CHECK_IN, channel=channel, rule="interview.check-in"))
        text = (composed.voicemail or composed.body).lower()
        assert re.search(r"timing|next step|where things stand|\?", text)
        assert not re.search(r"asap|urgent|still waiting|haven't heard|please give me", text)


def test_rejection_linkedin_note_does_not_restate_interest_in_the_role() -> None:
    note = compose(
        facts(purpose=Purpose.LINKEDIN_CONNECT, channel=Channel.LINKEDIN, rule="rejection.linkedin-connect")
    ).body
    assert "keen on" not in note and "interested" not in note


def test_reminder_gives_a_reason_only_when_time_sensitive() -> None:
    base = facts(
        purpose=Purpose.REMINDER,
        kind=Kind.HELP_PROMISED,
        rule="help.reminder",
        promised="review my portfolio",
        opportunity=None,
    )
    calm = compose(base).body
    hurried = compose(dataclasses.replace(base, time_sensitive=True)).body
    assert "your offer to review my portfolio" in calm
    assert "because" not in calm and "timing matters" not in calm
    assert re.search(r"because|timing matters", hurried)


# -- templates -------------------------------------------------------------------------------------


def test_import_is_cheap() -> None:
    code = "import sys, tactful.compose; print('nameparser' in sys.modules, 'tactful.store' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


SAMPLE = {slot: "sample" for slot in SLOTS} | {
    "name": "Priya",
    "event": "the interview",
    "day": "Tuesday",
    "asked": "You asked, \u201cHow would you handle backfills?\u201d",
    "question": "How would you handle backfills?",
    "offer": "your offer to review my portfolio",
}


def test_every_phrasing_renders_cleanly() -> None:
    templates = Templates()
    count = 0
    for name, sections in templates._files.items():
        for section, table in sections.items():
            for key, element in table.items():
                if key in ("parts", "trim"):
                    continue
                for variants in element.values():
                    for variant in variants:
                        text = variant.render(SAMPLE)
                        assert not re.search(r"[{}]|  ", text), (name, section, key, text)
                        count += 1
    assert count > 600


def test_override_replaces_a_phrasing(tmp_path: Path) -> None:
    (tmp_path / "thank-you.toml").write_text(
        '[email.thanks]\nany = ["Many thanks for the chat on {day}."]\n'
        'interview = ["Thank you, truly, for the interview on {day}."]\n'
    )
    composed = compose(facts(), Templates(override_dir=tmp_path))
    assert "Thank you, truly, for the interview yesterday." in composed.body  # the day before it is sent
    assert compose(facts()).body != composed.body
    assert (
        compose(facts(kind=Kind.MEETING), Templates(override_dir=tmp_path)).body.count("chat yesterday") == 1
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[email\nthanks = 1", "not valid TOML"),
        ('[email]\nthanks = ["Thank you for {meeting}."]', "unknown slot {meeting}"),
        ('[email]\nparts = [["thanks", "gratitude"]]', "names 'gratitude'"),
        ('[email]\nthnaks = ["Thank you."]', "unknown key 'thnaks'"),
        ('[email]\nthanks = ["Thank you for {event} on {day"]', "unbalanced"),
        ('[email]\nthanks = ["Thanks for {topic}."]', "needs a phrasing that uses only"),
        ('[email]\ngreeting_formal = ["Dear friend,"]', "missing the {name} slot"),
        ('[fax]\nthanks = ["Thank you."]', "unknown section [fax]"),
        ("[email]\nthanks = []", "non-empty list"),
    ],
)
def test_broken_override_names_the_file_and_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / ("common.toml" if "greeting" in content else "thank-you.toml")
    path.write_text(content)
    with pytest.raises(TemplateError) as caught:
        Templates(override_dir=tmp_path)
    message = str(caught.value)
    assert str(path) in message and problem in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_unknown_override_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thankyou.toml").write_text("[email]\n")
    with pytest.raises(ValueError, match=r"thankyou\.toml: not a template file name"):
        Templates(override_dir=tmp_path)


def test_always_slots_are_filled_for_any_thread() -> None:
    composed = compose(facts(topics=(), organisation=None, opportunity=None, profile=Profile()))
    assert isinstance(composed, Composed)
    assert ALWAYS <= SLOTS


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12),
    org=st.one_of(st.none(), st.text(alphabet="abcdefgh XYZ&", min_size=1, max_size=20)),
    topics=st.lists(st.text(alphabet="abcdefgh xyz-", min_size=1, max_size=30), max_size=3),
    purpose=st.sampled_from(MESSAGES),
    channel=st.sampled_from(list(Channel)),
    kind=st.sampled_from(list(Kind)),
)
def test_any_thread_gets_a_complete_draft(
    name: str, org: str | None, topics: list[str], purpose: Purpose, channel: Channel, kind: Kind
) -> None:
    composed = compose(
        facts(name, purpose, channel, kind, organisation=org, topics=tuple(topics), opportunity=None)
    )
    text = composed.to_text()
    assert composed.body.strip()
    assert not re.search(r"\{[a-z_]+\}", text)
    if channel is Channel.PHONE:
        assert composed.voicemail


@pytest.mark.parametrize("name", ["Dr. Elena de la Vega", "Sir Patrick Doyle"])
def test_titled_greetings_pass_the_reviewer(name: str) -> None:
    composed = compose(facts(name))
    context = ReviewContext(recipient_name=name, recipient_org="Acme Robotics", purpose=Purpose.THANK_YOU)
    review = Reviewer().review(Draft(Channel.EMAIL, composed.subject, composed.body), context)
    assert "no-greeting" not in review.codes, composed.body.split("\n")[0]


def test_events_may_not_name_themselves(tmp_path: Path) -> None:
    (tmp_path / "common.toml").write_text('[events]\ninterview = ["{event} again"]\n')
    with pytest.raises(TemplateError, match=r"common\.toml: \[events\] needs a list for 'interview'"):
        Templates(override_dir=tmp_path)


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.LINKEDIN])
@pytest.mark.parametrize("name", ["Dana Ortiz", "Ben Novak", "Hiroshi Tanaka", "Grace Liu"])
def test_a_reconnect_opens_with_where_you_met_when_the_note_says_it(channel: Channel, name: str) -> None:
    purpose = Purpose.RECONNECT if channel is Channel.EMAIL else Purpose.LINKEDIN_CONNECT
    met = facts(name, purpose, channel, Kind.MEETING, note="met at the Data Council meetup", opportunity=None)
    body = compose(met).body
    first = re.split(r"(?<=[.!?])\s", body.split("\n\n", 1)[-1] if channel is Channel.EMAIL else body)[0]
    assert "at the Data Council meetup" in first, body
    unsaid = compose(dataclasses.replace(met, note=None))
    assert "Data Council" not in unsaid.body
    if purpose is Purpose.RECONNECT:  # where the reconnect rule's reason needs it, the user is asked
        assert any("where you met" in p for p in unsaid.prompts)
