"""The tone of one sentence, by a small classifier: neutral, pushy, desperate, hostile, sarcasm,
pitch, or pressing after a no.

Phrase lists and patterns catch the wordings someone thought of; people find others ("Why is this
taking so long?", "If this falls through I don't know what I'll do"). The classifier reads a sentence
as a bag of its word stems and stem pairs and weighs them with what it learnt from a few thousand
labelled sentences (``tools/tone/sentences``; ``tools/train_tone.py`` trains it and writes
``tone.tsv`` beside this module: a few header lines, then one feature per line with its weight for
each label, in thousandths). It is a multinomial logistic regression: the weights are plain
numbers, and classifying a sentence is a few dictionary look-ups and one softmax, fast enough for
every sentence of every draft.

Nothing here is loaded until a check first asks about a sentence.
"""

from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["LABELS", "ToneModel", "Verdict", "features"]

MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tone.tsv")
#: The labels, in the model's order; "neutral" is anything fit to send.
LABELS = ("neutral", "pushy", "desperate", "hostile", "sarcasm", "pitch", "presses")

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,:]\d+)*|[$€£¥%!?]")
_STEM = re.compile(r"(?<=\w{3})(?:ingly|edly|ings?|ers?|ies|ied|ed|es|ly|s)$")


#: Words that stand for a kind of thing the classifier should generalise over: a sentence about
#: "Thursday" is read like one about "Friday".
_KINDS = {
    **dict.fromkeys(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), "~weekday"
    ),
    **dict.fromkeys(
        (
            "january",
            "february",
            "march",
            "april",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        "~month",
    ),
    **dict.fromkeys(("minute", "hour", "day", "week", "month", "year", "fortnight"), "~span"),
    **dict.fromkeys(("today", "tonight", "tomorrow", "noon", "midday", "eod", "asap"), "~soon"),
}


def _stem(token: str) -> str:
    if token[0].isdigit():
        return "#"
    stem = _STEM.sub("", token)
    return _KINDS.get(stem, _KINDS.get(token, stem))


def features(sentence: str) -> set[str]:
    """What the classifier sees of a sentence: its stems, neighbouring stem pairs, how it opens, and a
    few signs of its shape (a question, an exclamation, money, a deadline-like number)."""
    text = sentence.lower().replace("\u2019", "'").replace("\u2018", "'")
    stems = [_stem(t) for t in _TOKEN.findall(text)]
    found = {f"w:{s}" for s in stems}
    found.update(f"b:{a}_{b}" for a, b in pairwise(stems))
    if stems:
        found.add(f"first:{stems[0]}")
    if "?" in text:
        found.add("shape:question")
    if "!" in text:
        found.add("shape:exclaim")
    if any(s in ("$", "€", "£", "¥", "%") for s in stems):
        found.add("shape:money")
    if len(stems) <= 6:
        found.add("shape:short")
    return found


@dataclass(frozen=True)
class Verdict:
    label: str  # the most likely label
    probability: float  # how sure, 0..1
    scores: dict[str, float]  # every label's probability


class ToneModel:
    """The trained weights, read on first use. A feature's weights are parsed when a sentence first
    has it, so reading the model costs a split of each line, not a parse of every number."""

    def __init__(self, path: str = MODEL) -> None:
        self._path = path
        self._rows: dict[str, str] | None = None
        self._parsed: dict[str, tuple[float, ...]] = {}
        self._bias: tuple[float, ...] = ()
        self._labels: tuple[str, ...] = LABELS
        self.data = ""  # the digest of the sentences it was trained on
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        rows = self._rows
        if rows is None:
            with self._lock:
                if self._rows is None:
                    self._rows = self._read()
                rows = self._rows
        return rows

    def _read(self) -> dict[str, str]:
        with open(self._path, encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        header = {}
        body = 0
        for body, line in enumerate(lines):  # noqa: B007
            if not line.startswith("#"):
                break
            key, _, value = line[1:].partition("\t")
            header[key.strip()] = value
        self._labels = tuple(header["labels"].split())
        self._bias = tuple(int(x) / 1000 for x in header["bias"].split())
        self.data = header.get("data", "")
        return dict(line.split("\t", 1) for line in lines[body:] if line)

    def weights(self, feature: str) -> tuple[float, ...] | None:
        found = self._parsed.get(feature)
        if found is None:
            raw = self._load().get(feature)
            if raw is None:
                return None
            found = self._parsed[feature] = tuple(int(x) / 1000 for x in raw.split())
        return found

    def labels(self) -> tuple[str, ...]:
        self._load()
        return self._labels

    def classify(self, sentence: str) -> Verdict:
        self._load()
        totals = list(self._bias)
        for feature in features(sentence):
            row = self.weights(feature)
            if row is not None:
                for i, w in enumerate(row):
                    totals[i] += w
        top = max(totals)
        exps = [math.exp(t - top) for t in totals]
        whole = sum(exps)
        scores = {label: e / whole for label, e in zip(self._labels, exps, strict=True)}
        label = max(scores, key=scores.__getitem__)
        return Verdict(label, scores[label], scores)
