"""The pieces the tone checks are built from: sentence patterns, the tone classifier, the dictionary's
idea of a slip. The checks themselves are measured on the corpora (test_review_corpus.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tactful.review import Reviewer
from tactful.review.patterns import compile_patterns, forms
from tactful.review.tone import LABELS, MODEL, ToneModel, features

ROOT = Path(__file__).resolve().parent.parent


# -- patterns ---------------------------------------------------------------------------------------


def test_a_word_with_a_plus_takes_its_endings() -> None:
    assert {"need", "needs", "needed", "needing"} <= forms("need")
    assert {"reply", "replies", "replied", "replying"} <= forms("reply")
    assert {"hear", "heard"} <= forms("hear")
    assert {"stop", "stopped", "stopping"} <= forms("stop")


def test_patterns_let_the_words_between_the_parts_vary() -> None:
    groups = {"deadline": ["by friday", "today", "within * days"]}
    pattern = compile_patterns(["i need+|expect+ ~6 @deadline", "why ~4 taking|so_long"], groups)
    for said in [
        "I need to hear back from you by Friday.",
        "I expected a decision today.",
        "We needed an answer within two days.".replace("We", "I"),
        "Why is this taking so long?",
        "Why has it been so long?",
    ]:
        assert pattern.search(said), said
    for said in [
        "I need a day to think it over.",  # no deadline
        "I need to tell you about something that happened on Friday evening after the match.",  # too far apart
        "Taking the train, I wondered why.",  # the parts in the wrong order
    ]:
        assert not pattern.search(said), said


def test_patterns_match_whole_words_and_punctuation() -> None:
    pattern = compile_patterns(["* or not ?", "lock in"], {})
    assert pattern.search("Are you going to forward it or not?")
    assert not pattern.search("I'd love to hear from you, whether or not it moves forward.")
    assert not pattern.search("The padlock inside the gate.")


def test_an_unknown_group_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="@nowhere"):
        compile_patterns(["need @nowhere"], {})


# -- the classifier ---------------------------------------------------------------------------------


def test_the_shipped_model_was_trained_on_the_sentences_in_the_repository() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from train_tone import data_digest
    finally:
        sys.path.pop(0)
    model = ToneModel(MODEL)
    assert model.labels() == LABELS
    assert model.data == data_digest(), "tools/tone/sentences changed: run tools/train_tone.py"


def test_features_see_stems_pairs_and_shape() -> None:
    found = features("Why is this taking SO long?")
    assert {"w:why", "w:tak", "b:so_long", "first:why", "shape:question"} <= found
    assert "shape:money" in features("Plans start at €59 per month.")


@pytest.mark.parametrize(
    ("label", "sentence"),
    [
        ("neutral", "Thank you for walking me through the spring menu on Tuesday."),
        ("neutral", "I've attached the revised proposal with the pricing you asked for."),
        ("pushy", "Why is nobody answering my emails?"),
        ("desperate", "Please, I am begging you, this job is all I have left."),
        ("hostile", "Your recruiter is a clueless idiot and your process is a disgrace."),
        ("pitch", "Our platform cuts payroll costs by 30%, so let me book you a demo this week."),
    ],
)
def test_the_classifier_reads_plain_cases(label: str, sentence: str) -> None:
    assert ToneModel().classify(sentence).label == label


# -- the dictionary -----------------------------------------------------------------------------------


def test_a_word_is_misspelt_only_when_shaped_like_a_slip() -> None:
    dictionary = Reviewer()._dictionary
    for slip, meant in [
        ("recieve", "receive"),
        ("untill", "until"),
        ("teh", "the"),
        ("definately", "definitely"),
        ("accomodate", "accommodate"),
        ("reccomendation", "recommendation"),
        ("truely", "truly"),
    ]:
        assert dictionary.typo_of(slip) == meant, slip
    for word in [
        "résumé",
        "dashcam",
        "pre-seed",
        "reframed",
        "analyser",
        "cheques",
        "roastery",
        "keigo",
        "debits",
    ]:
        assert dictionary.typo_of(word) is None, word
    assert dictionary.typo_of("Thnak", strict=True) == "thank"
    assert dictionary.typo_of("Hana", strict=True) is None  # a name, not "hand"


def test_the_model_is_read_on_first_use_only(tmp_path: Path) -> None:
    missing = ToneModel(str(tmp_path / "absent.json"))  # nothing read yet: building it costs nothing
    with pytest.raises(FileNotFoundError):
        missing.classify("Thanks for today.")


def test_the_word_list_is_cached_where_asked_and_read_back_the_same(tmp_path: Path) -> None:
    first = Reviewer(word_cache=tmp_path)._dictionary
    first.load()
    (kept,) = tmp_path.glob("words-*.marshal")
    again = Reviewer(word_cache=tmp_path)._dictionary
    assert again._from_cache() is not None
    for word in ["recieve", "intro", "kafka", "the", "analyser", "linkedin"]:
        assert (again.knows(word), again.frequency(word), again.typo_of(word)) == (
            first.knows(word),
            first.frequency(word),
            first.typo_of(word),
        )
    kept.write_bytes(b"not a word list")
    broken = Reviewer(word_cache=tmp_path)._dictionary
    assert broken.typo_of("recieve") == "receive"  # built afresh from the package, and written again
    assert Reviewer(word_cache=tmp_path)._dictionary._from_cache() is not None
