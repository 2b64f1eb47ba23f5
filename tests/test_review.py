"""The reviewer, code by code: each finding fires on a concrete draft and not on its fixed version."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tactful.domain import MESSAGES, Channel, Purpose
from tactful.review import CODES, Draft, Finding, Review, ReviewContext, Reviewer, Severity, review

EST = dt.timezone(dt.timedelta(hours=-5))

GOOD = """Subject: Thank you for today's Data Engineer interview

Dear Priya,

Thank you for taking the time to talk with me today about the Data Engineer role at Acme Robotics.
I enjoyed hearing how your team is moving the billing pipeline from nightly batches to Kafka streams.

At Harlow Freight I ran the old batch job beside the new stream for two weeks and compared daily
totals before we switched, so nothing had to be patched by hand.

I remain very interested in the role and would be glad to bring the same care to your migration.

Best regards,
Sam Lee
"""

GENERIC = """Subject: Thank you for your time

Dear Priya,

Thank you for meeting with me yesterday. I enjoyed the conversation.

My experience would make me a valuable addition to the team, and I am very interested in the position.

Best regards,
Sam Lee
"""

CONTEXT = ReviewContext(
    recipient_name="Priya Natarajan",
    recipient_org="Acme Robotics",
    role="Data Engineer",
    purpose=Purpose.THANK_YOU,
    job_thread=True,
    topics=("billing pipeline migration to Kafka",),
    notes=("Priya asked how I would handle backfills",),
    other_names=("Marcus Webb", "Dana Ortiz"),
    other_orgs=("Globex", "Lumen Health"),
    user_name="Sam Lee",
    skills=("Kafka", "Airflow"),
)


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return Reviewer()


def check(
    reviewer: Reviewer,
    text: str,
    channel: Channel = Channel.EMAIL,
    context: ReviewContext | None = CONTEXT,
    **changes: object,
) -> Review:
    if changes:
        context = dataclasses.replace(context or ReviewContext(), **changes)  # type: ignore[arg-type]
    return reviewer.review(Draft.parse(text, channel), context)


def found(result: Review, code: str) -> Finding:
    matches = [f for f in result.findings if f.code == code]
    assert matches, f"{code} did not fire: {[f.code for f in result.findings]}"
    return matches[0]


def test_the_good_draft_is_ready(reviewer: Reviewer) -> None:
    result = check(reviewer, GOOD)
    assert result.verdict == "ready" and result.findings == [] and result.score == 100


# -- one test per code: it fires, with the spec's severity; the fixed draft is clean ----------------

# (code, severity, broken text, fixed text, context changes)
SIMPLE_CASES = [
    ("no-greeting", "warning", GOOD.replace("Dear Priya,\n\n", ""), GOOD, {}),
    ("no-greeting", "warning", GOOD.replace("Dear Priya,", "Hello,"), GOOD, {}),
    ("wrong-name", "error", GOOD.replace("Dear Priya,", "Dear Marcus,"), GOOD, {}),
    ("wrong-name", "error", GOOD.replace("Dear Priya,", "Dear Pryia,"), GOOD, {}),
    (
        "wrong-name",
        "error",
        GOOD.replace("I remain very", "Thanks again, Dana. I remain very"),
        GOOD.replace("I remain very", "Thanks again, Priya. I remain very"),
        {},
    ),
    ("wrong-company", "error", GOOD.replace("role at Acme Robotics", "role at Globex"), GOOD, {}),
    ("placeholder", "error", GOOD.replace("Acme Robotics", "[Company]"), GOOD, {}),
    ("placeholder", "error", GOOD.replace("Data Engineer role", "{role} role"), GOOD, {}),
    ("placeholder", "error", GOOD.replace("for two weeks", "for XXX weeks"), GOOD, {}),
    ("placeholder", "error", GOOD.replace("Best regards,", "TODO: add the link\n\nBest regards,"), GOOD, {}),
    ("not-personal", "warning", GENERIC, GENERIC.replace("the conversation.", "the Kafka migration."), {}),
    (
        "no-interest",
        "warning",
        GOOD.replace("I remain very interested in the role and would", "I would"),
        GOOD,
        {},
    ),
    (
        "no-qualification",
        "tip",
        GOOD.replace("At Harlow Freight I ran", "Your team ran"),
        GOOD.replace("At Harlow Freight I ran", "I ran"),
        {},
    ),
    ("casual", "warning", GOOD.replace("Dear Priya,", "Hey Priya,"), GOOD, {}),
    ("casual", "warning", GOOD.replace("would be glad", "am gonna be glad"), GOOD, {}),
    ("casual", "warning", GOOD.replace("by hand.", "by hand lol."), GOOD, {}),
    ("casual", "warning", GOOD.replace("Kafka streams.", "Kafka streams 🚀"), GOOD, {}),
    ("casual", "tip", GOOD.replace("today about", "today!").replace("streams.", "streams!"), GOOD, {}),
    (
        "casual",
        "warning",
        GOOD.replace("today about", "today!")
        .replace("streams.", "streams!")
        .replace("hand.", "hand! Amazing!"),
        GOOD,
        {},
    ),
    ("shouting", "warning", GOOD.replace("very interested", "VERY interested"), GOOD, {}),
    ("shouting", "warning", GOOD.replace("your migration.", "your migration!!"), GOOD, {}),
    ("desperate", "warning", GOOD.replace("I remain", "I really need this job. I remain"), GOOD, {}),
    ("desperate", "warning", GOOD.replace("I remain", "Please give me a chance. I remain"), GOOD, {}),
    ("pushy", "warning", GOOD.replace("I remain", "Please reply ASAP. I remain"), GOOD, {}),
    ("pushy", "warning", GOOD.replace("I remain", "Per my last email, I remain"), GOOD, {}),
    ("pushy", "warning", GOOD.replace("I remain", "I still haven't heard back. I remain"), GOOD, {}),
    ("spelling", "warning", GOOD.replace("compared daily", "comapred daily"), GOOD, {}),
    ("spelling", "warning", GOOD.replace("interview", "intervew"), GOOD, {}),
    ("repeated-word", "warning", GOOD.replace("the old batch", "the the old batch"), GOOD, {}),
    (
        "no-subject",
        "warning",
        GOOD.replace("Subject: Thank you for today's Data Engineer interview\n\n", ""),
        GOOD,
        {},
    ),
    (
        "no-subject",
        "warning",
        GOOD.replace("Thank you for today's Data Engineer interview\n", "Follow up\n"),
        GOOD,
        {},
    ),
    ("no-sign-off", "tip", GOOD.replace("\nBest regards,\nSam Lee\n", ""), GOOD, {}),
    ("no-sign-off", "tip", GOOD.replace("Best regards,\nSam Lee", "Best regards,"), GOOD, {}),
]


@pytest.mark.parametrize(("code", "severity", "broken", "fixed", "changes"), SIMPLE_CASES)
def test_code_fires_and_the_fix_clears_it(
    reviewer: Reviewer, code: str, severity: str, broken: str, fixed: str, changes: dict[str, object]
) -> None:
    finding = found(check(reviewer, broken, **changes), code)
    assert finding.severity == severity
    assert code not in check(reviewer, fixed, **changes).codes


def test_no_gratitude_is_an_error_for_a_thank_you(reviewer: Reviewer) -> None:
    # Thanks that come late still thank them: where to put it is a matter of style, a tip.
    late = GOOD.replace("Thank you for taking the time to talk", "It was good to talk").replace(
        "Best regards,", "Thank you for your time.\n\nBest regards,"
    )
    assert found(check(reviewer, late), "no-gratitude").severity == "tip"
    none = GOOD.replace("Thank you for taking the time to talk", "It was good to talk")
    assert found(check(reviewer, none), "no-gratitude").severity == "error"
    assert "no-gratitude" not in check(reviewer, GOOD).codes


def test_no_gratitude_is_a_tip_for_a_check_in(reviewer: Reviewer) -> None:
    # A reader does not miss the thanks in a nudge: a tip, never a reason to hold the message back.
    text = "Subject: Data Engineer role: timing\n\nDear Priya,\n\nIs there any news on the Kafka migration role?\n\nBest,\nSam"
    result = check(reviewer, text, purpose=Purpose.CHECK_IN, nudge=True)
    assert found(result, "no-gratitude").severity == "tip"
    fixed = text.replace("Is there", "Thank you again for your time. Is there")
    assert "no-gratitude" not in check(reviewer, fixed, purpose=Purpose.CHECK_IN, nudge=True).codes


def test_saying_thank_you_twice_is_fine(reviewer: Reviewer) -> None:
    text = GOOD.replace("Best regards,", "Thank you again for your time.\n\nThanks,")
    assert check(reviewer, text).findings == []


def test_no_ask_fires_for_a_nudge_without_a_question(reviewer: Reviewer) -> None:
    text = (
        "Subject: The Data Engineer role\n\nDear Priya,\n\nThank you again for last week's interview about "
        "the billing pipeline. I remain very interested in the role.\n\nBest regards,\nSam Lee"
    )
    ask = text.replace("in the role.", "in the role. Is there any news on your timing?")
    context = {"purpose": Purpose.CHECK_IN, "nudge": True}
    assert found(check(reviewer, text, **context), "no-ask").severity == "warning"
    assert "no-ask" not in check(reviewer, ask, **context).codes
    assert "no-ask" not in check(reviewer, text).codes  # a thank-you need not ask anything


@pytest.mark.parametrize(
    ("channel", "words", "free"),
    [(Channel.EMAIL, 200, False), (Channel.LETTER, 120, False), (Channel.PHONE, 75, False)],
)
def test_too_long_limits_per_channel(reviewer: Reviewer, channel: Channel, words: int, free: bool) -> None:
    def note(count: int) -> str:
        sentences = " ".join("We spoke about the billing pipeline at length." for _ in range(count // 8))
        return f"Dear Priya,\n\nThank you for the interview. {sentences}\n\nBest regards,\nSam"

    fits, over, twice = note(words - 20), note(words + 12), note(2 * words + 20)
    assert "too-long" not in check(reviewer, fits, channel).codes
    assert found(check(reviewer, over, channel), "too-long").severity == "warning"
    assert found(check(reviewer, twice, channel), "too-long").severity == "error"


def test_too_long_linkedin_counts_characters(reviewer: Reviewer) -> None:
    note = "Hi Priya, thank you for Tuesday's talk about the billing pipeline at Acme Robotics. " * 3
    assert len(note) > 200 and len(note) < 300
    assert "too-long" not in check(reviewer, note, Channel.LINKEDIN).codes
    assert (
        found(check(reviewer, note, Channel.LINKEDIN, linkedin_free=True), "too-long").severity == "warning"
    )
    assert found(check(reviewer, note * 3, Channel.LINKEDIN), "too-long").severity == "error"


def test_long_sentences(reviewer: Reviewer) -> None:
    long = GOOD.replace(
        "so nothing had to be patched by hand.",
        "so nothing had to be patched by hand, which meant the finance team could trust every number "
        "we produced during the whole transition and we never had to explain a gap to the auditors.",
    )
    assert found(check(reviewer, long), "long-sentences").severity == "tip"


def test_presses_after_rejection_only_when_rejected(reviewer: Reviewer) -> None:
    text = (
        "Subject: Your decision\n\nDear Priya,\n\nThank you for letting me know about the Data Engineer role. "
        "Could you please reconsider my application?\n\nBest regards,\nSam Lee"
    )
    context = {"purpose": Purpose.GRACIOUS_CLOSE, "rejected": True}
    assert found(check(reviewer, text, **context), "presses-after-rejection").severity == "error"
    fixed = text.replace("Could you please reconsider my application?", "I hope our paths cross again.")
    assert "presses-after-rejection" not in check(reviewer, fixed, **context).codes
    # Before any decision, asking them to look again at an application is no pressing after a no...
    pending = text.replace("Thank you for letting me know about the Data Engineer role. ", "")
    assert "presses-after-rejection" not in check(reviewer, pending, purpose=Purpose.CHECK_IN).codes
    # ...but a gracious close answers a no, and so does a draft that says it was turned down.
    assert "presses-after-rejection" in check(reviewer, pending, purpose=Purpose.GRACIOUS_CLOSE).codes
    told = pending.replace("Could you", "I was sorry to hear that I was not selected. Could you")
    assert "presses-after-rejection" in review(Draft.parse(told)).codes


NOW = dt.datetime(2026, 3, 4, 9, 0, tzinfo=EST)


def test_too_soon_and_late(reviewer: Reviewer) -> None:
    window = {"not_before": NOW + dt.timedelta(days=2), "due_by": NOW + dt.timedelta(days=4)}
    assert found(check(reviewer, GOOD, now=NOW, **window), "too-soon").severity == "warning"
    late = {"not_before": NOW - dt.timedelta(days=4), "due_by": NOW - dt.timedelta(days=2)}
    assert found(check(reviewer, GOOD, now=NOW, **late), "late").severity == "tip"
    inside = {"not_before": NOW - dt.timedelta(hours=1), "due_by": NOW + dt.timedelta(hours=1)}
    assert not {"too-soon", "late"} & check(reviewer, GOOD, now=NOW, **inside).codes


def test_over_cap(reviewer: Reviewer) -> None:
    nudge = {"purpose": Purpose.CHECK_IN, "nudge": True, "cap": 2}
    text = GOOD.replace("I remain very", "Is there any news on timing? I remain very")
    assert found(check(reviewer, text, nudges_sent=2, **nudge), "over-cap").severity == "error"
    assert "over-cap" not in check(reviewer, text, nudges_sent=1, **nudge).codes


def test_multi_channel(reviewer: Reviewer) -> None:
    assert (
        found(check(reviewer, GOOD, other_channel_recently=("phone",)), "multi-channel").severity == "warning"
    )
    assert "multi-channel" not in check(reviewer, GOOD, other_channel_recently=()).codes


def test_duplicate_near_copy_to_a_second_interviewer(reviewer: Reviewer) -> None:
    copy = GOOD.replace("Dear Priya,", "Dear Marcus,")
    siblings = (("Priya Natarajan", GOOD),)
    context = {
        "recipient_name": "Marcus Webb",
        "other_names": ("Priya Natarajan",),
        "sibling_texts": siblings,
    }
    assert found(check(reviewer, copy, **context), "duplicate").severity == "warning"
    own = (
        "Subject: Thanks for the talk about alerting\n\nHi Marcus,\n\nThanks for walking me through the "
        "alerting gaps in the nightly batch jobs. I added freshness checks to every Airflow task at Harlow "
        "Freight and cut silent failures to zero. I am very interested in the Data Engineer role.\n\nBest,\nSam"
    )
    assert "duplicate" not in check(reviewer, own, **context).codes


# -- precision: what must never count against a good message --------------------------------------


def test_names_topics_and_vocabulary_are_not_misspelt(reviewer: Reviewer) -> None:
    # Product names a slip away from common words: only the user's vocabulary and the topics vouch for them.
    text = GOOD.replace("Kafka streams.", "Kafka streams, using aiven and flinky.")
    assert "spelling" in check(reviewer, text).codes
    assert "spelling" not in check(reviewer, text, vocabulary=("Flinky",), topics=("Aiven",)).codes


def test_unknown_words_are_misspelt_only_when_shaped_like_a_slip(reviewer: Reviewer) -> None:
    # Trade words, borrowings and clipped forms are unknown to the dictionary but spelt as meant.
    everyday = "We talked about the intro, my bio, the dev team's dashcam rollout, a cortado and the résumé."
    assert "spelling" not in check(reviewer, GOOD.replace("Kafka streams.", everyday)).codes
    for slip, meant in [
        ("recieve", "receive"),
        ("untill", "until"),
        ("tommorow", "tomorrow"),
        ("takng", "taking"),
    ]:
        review = check(reviewer, GOOD.replace("Kafka streams.", f"Kafka streams, {slip} it all."))
        assert [f for f in review.findings if f.code == "spelling" and meant in f.message], slip


def test_contractions_numbers_urls_and_acronyms_are_fine(reviewer: Reviewer) -> None:
    text = GOOD.replace(
        "so nothing had to be patched by hand.",
        "so nothing had to be patched by hand. It's written up at https://example.com/sam/backfill-notes "
        "and I'd happily walk through the SQL, the ETL and the team's Q3 numbers (a 40% cut) with you.",
    )
    assert check(reviewer, text).findings == []


def test_british_spellings_are_fine(reviewer: Reviewer) -> None:
    text = GOOD.replace(
        "by hand.", "by hand. I prioritised the colour-coded dashboards our organisation favoured."
    )
    assert "spelling" not in check(reviewer, text).codes


def test_quoted_text_and_signature_are_not_judged(reviewer: Reviewer) -> None:
    text = GOOD.replace(
        "Sam Lee\n",
        "Sam Lee\nDATA ENGINEER | lol.example.com\n\nOn Mon, Mar 2, 2026 at 9:14 AM Dana wrote:\n"
        "> hey Sam!! gonna need u here ASAP lol\n",
    )
    assert check(reviewer, text).findings == []


def test_greetings_by_title_and_nickname(reviewer: Reviewer) -> None:
    assert check(reviewer, GOOD.replace("Dear Priya,", "Dear Ms. Natarajan,")).findings == []
    robert = {"recipient_name": "Robert Chen", "notes": ()}
    assert "wrong-name" not in check(reviewer, GOOD.replace("Dear Priya,", "Hi Bob,"), **robert).codes


def test_mentioning_a_colleague_is_not_a_wrong_name(reviewer: Reviewer) -> None:
    text = GOOD.replace("I remain very", "Please pass my thanks to Marcus as well. I remain very")
    assert "wrong-name" not in check(reviewer, text).codes


@pytest.mark.parametrize(
    ("greeting", "recipient"),
    [
        ("Dear Dr. de la Vega,", "Dr. Elena de la Vega"),
        ("Hi Dr. de la Vega,", "Dr. Elena de la Vega"),
        ("Dr. de la Vega,", "Dr. Elena de la Vega"),
        ("Dear Ms. dos Santos,", "Ms. Ana dos Santos"),
        ("Dear Mr. van Beethoven,", "Mr. Ludwig van Beethoven"),
        ("Dear Mr. al-Rashid,", "Omar al-Rashid"),
        ("Dear Sir Patrick,", "Sir Patrick Doyle"),
        ("Dear Dame Judi,", "Dame Judi Dench"),
    ],
)
def test_greetings_by_title_with_particles_or_given_name(
    reviewer: Reviewer, greeting: str, recipient: str
) -> None:
    # The parser used to stop at the lower-case particle and see only "Dear Dr.", and to take
    # "Sir" for the generic "Dear Sir," though a name follows it.
    result = check(reviewer, GOOD.replace("Dear Priya,", greeting), recipient_name=recipient, notes=())
    assert result.findings == [], [f.message for f in result.findings]


def test_generic_greetings_stay_generic_when_they_stand_alone(reviewer: Reviewer) -> None:
    for greeting in ("Dear Sir,", "Dear Sir or Madam,", "Dear Hiring Manager,", "Hi team,", "Hello all,"):
        assert "no-greeting" in check(reviewer, GOOD.replace("Dear Priya,", greeting)).codes, greeting
    for greeting in ("Dear Sir Marcus,", "Dear Dr. de la Vega,"):  # a name, but not Priya's
        result = check(reviewer, GOOD.replace("Dear Priya,", greeting))
        assert "wrong-name" in result.codes and "no-greeting" not in result.codes, greeting


@pytest.mark.parametrize(
    ("recipient", "suggested"),
    [
        ("Priya Natarajan", "'Dear Priya,'"),
        ("Dr. Elena de la Vega", "'Dear Dr. de la Vega,'"),
        ("prof Ludwig van Beethoven", "'Dear Prof. van Beethoven,'"),
        ("Ms. Ana dos Santos", "'Dear Ms. dos Santos,'"),
        ("Sir Patrick Doyle", "'Dear Sir Patrick,'"),
        ("Robert (Bob) Smith Jr.", "'Dear Bob,'"),
        ("Dr. Adaeze Okafor, PhD", "'Dear Dr. Okafor,'"),
    ],
)
def test_no_greeting_suggests_how_to_address_them(reviewer: Reviewer, recipient: str, suggested: str) -> None:
    for greeting in ("Hello,", "Dear Dr.,"):
        message = found(
            check(reviewer, GOOD.replace("Dear Priya,", greeting), recipient_name=recipient), "no-greeting"
        ).message
        assert message.endswith(f"e.g. {suggested}."), message
    missing = check(reviewer, GOOD.replace("Dear Priya,\n\n", ""), recipient_name=recipient)
    assert found(missing, "no-greeting").message.endswith(f"e.g. {suggested}.")
    nameless = found(
        check(reviewer, GOOD.replace("Dear Priya,", "Hello,"), recipient_name=None), "no-greeting"
    )
    assert "e.g." not in nameless.message and "them," not in nameless.message


REMINDER = """Subject: Your offer of an introduction

Hi Rachel,

I hope all is well at Fernwood Labs and that the move to dbt is going smoothly. Thank you again for your
offer to introduce me to the hiring manager at Globex. Could you let me know if you need anything from me?

Best,
Sam
"""

REMINDER_CONTEXT = ReviewContext(
    recipient_name="Rachel Goldberg",
    recipient_org="Fernwood Labs",
    purpose=Purpose.REMINDER,
    nudge=True,
    topics=("their move to dbt",),
    notes=("introduce me to the hiring manager at Globex",),
    other_names=("Dana Whitfield", "Marcus Webb"),
    other_orgs=("Globex", "Initech"),
    user_name="Sam Lee",
)


def test_an_organisation_the_thread_names_is_rightly_mentioned(reviewer: Reviewer) -> None:
    assert check(reviewer, REMINDER, context=REMINDER_CONTEXT).findings == []
    # The same organisation is still the wrong one when the thread never names it...
    unnamed = check(reviewer, REMINDER, context=REMINDER_CONTEXT, notes=("a review of my portfolio",))
    assert "Globex" in found(unnamed, "wrong-company").message
    # ... and so is another one, where the thread names Globex.
    elsewhere = REMINDER.replace("that the move", "that the Initech move")
    assert "Initech" in found(check(reviewer, elsewhere, context=REMINDER_CONTEXT), "wrong-company").message
    # A role or topic that names an organisation counts as the thread's own words too.
    role = {"notes": (), "role": "referral to the data team at Globex"}
    assert "wrong-company" not in check(reviewer, REMINDER, context=REMINDER_CONTEXT, **role).codes


def test_a_person_the_notes_name_is_rightly_mentioned(reviewer: Reviewer) -> None:
    notes = {"notes": ("introduce me to Dana Whitfield, their head of data",)}
    for mention in ("Dana Whitfield", "their head of data, Dana"):
        text = REMINDER.replace("the hiring manager at Globex", mention)
        assert check(reviewer, text, context=REMINDER_CONTEXT, **notes).findings == [], mention
    # Addressing her is still a wrong name: in the greeting, or thanking her by name.
    for wrong in (
        REMINDER.replace("Hi Rachel,", "Hi Dana,"),
        REMINDER.replace("Could you", "Thanks again, Dana. Could you"),
    ):
        assert "wrong-name" in check(reviewer, wrong, context=REMINDER_CONTEXT, **notes).codes
    # Someone the notes do not name, set after a noun phrase, is still read as addressed.
    marcus = REMINDER.replace("the hiring manager at Globex", "their head of data, Marcus")
    assert "wrong-name" in check(reviewer, marcus, context=REMINDER_CONTEXT, **notes).codes


def test_without_context_only_context_free_checks_run(reviewer: Reviewer) -> None:
    plain = GOOD.replace("Dear Priya,", "Dear Marcus,").replace(
        "I remain very interested in the role and ", "I "
    )
    result = check(reviewer, plain, context=None)
    assert result.findings == []
    assert "spelling" in check(reviewer, plain.replace("compared", "comapred"), context=None).codes


# -- data types and the review's shape ---------------------------------------------------------------


def test_draft_parse_headers() -> None:
    draft = Draft.parse("Subject: Hello Priya\nTo: priya@example.com\n\nDear Priya,\n\nThanks.\n")
    assert (draft.subject, draft.to, draft.body) == (
        "Hello Priya",
        "priya@example.com",
        "Dear Priya,\n\nThanks.",
    )
    assert Draft.parse("Dear Priya,\n\nThanks.", Channel.LETTER) == Draft(
        Channel.LETTER, None, "Dear Priya,\n\nThanks."
    )
    assert Draft.parse("Subject:\n\nHi").subject == ""


def test_review_json_shape(reviewer: Reviewer) -> None:
    result = check(reviewer, GOOD.replace("Dear Priya,", "Hey Marcus,"))
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"verdict", "score", "findings"} and data["verdict"] == "needs-work"
    for finding in data["findings"]:
        assert {"code", "severity", "message", "excerpt"} <= set(finding)
        assert finding["code"] in CODES and finding["severity"] in ("error", "warning", "tip")
    wrong = found(result, "wrong-name")
    assert wrong.line == 1 and "Marcus" in wrong.excerpt


def test_score_weights_and_verdict() -> None:
    def make(*severities: Severity) -> Review:
        return Review.of(Finding("casual", s, "m", "e") for s in severities)

    assert make().score == 100 and make().verdict == "ready"
    assert make(Severity.TIP).verdict == "ready"
    error, warning, tip = make(Severity.ERROR).score, make(Severity.WARNING).score, make(Severity.TIP).score
    assert error < warning < tip < 100
    assert make(*[Severity.ERROR] * 10).score == 0
    assert make(Severity.WARNING).verdict == "needs-work"


def test_module_level_review_uses_a_shared_reviewer() -> None:
    assert review(GOOD, CONTEXT).verdict == "ready"
    assert review(Draft.parse(GOOD)).verdict == "ready"


# -- the phrase lists ---------------------------------------------------------------------------------


def test_extra_phrase_files_append(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[casual]\nwords = ["howdy partner"]\n[spelling]\nwords = ["flinkly"]\n')
    mine = Reviewer(extra_phrase_files=[extra])
    text = GOOD.replace("I remain", "Howdy partner, I remain").replace("Kafka streams.", "Kafka and Flinkly.")
    assert found(mine.review(Draft.parse(text), CONTEXT), "casual").excerpt.startswith("Howdy")
    assert "spelling" not in mine.review(Draft.parse(text), CONTEXT).codes
    assert "gonna" in mine.phrases.words("casual", "words")  # appended, not replaced


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[casual\nwords = 1", "not valid TOML"),
        ('[slang]\nwords = ["yo"]', "unknown section [slang]"),
        ('[casual]\nphrases = ["yo"]', "unknown list 'phrases' in [casual]"),
        ('[casual]\nwords = "yo"', "must be a list of strings"),
        ('casual = ["yo"]', "must be a [section]"),
    ],
)
def test_malformed_phrase_files_are_refused(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(ValueError, match=r"bad\.toml") as raised:
        Reviewer(extra_phrase_files=[bad])
    assert problem in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(ValueError, match="cannot read"):
        Reviewer(extra_phrase_files=[tmp_path / "missing.toml"])


# -- whatever the text, the reviewer answers ---------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=400),
    channel=st.sampled_from(list(Channel)),
    purpose=st.none() | st.sampled_from(MESSAGES),
)
def test_any_text_gets_a_consistent_review(text: str, channel: Channel, purpose: Purpose | None) -> None:
    result = review(Draft.parse(text, channel), dataclasses.replace(CONTEXT, purpose=purpose))
    assert 0 <= result.score <= 100
    assert result.ready == all(f.severity is Severity.TIP for f in result.findings)
    body_lines = Draft.parse(text, channel).body.count("\n") + 1
    assert all(f.line is None or 1 <= f.line <= body_lines for f in result.findings)
