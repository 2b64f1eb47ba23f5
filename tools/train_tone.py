"""Train the reviewer's tone classifier (src/tactful/review/tone.py) and write its weights.

    .venv/bin/python tools/train_tone.py            # report, then write src/tactful/review/tone.json
    .venv/bin/python tools/train_tone.py --report   # report only

The training set is `tools/tone/sentences/*.tsv`: one `label<TAB>sentence` per line. One sentence in
five (by a hash of its text, so the choice is stable and blind to content) is held back: a first
model is trained without them and measured on them, which is the figure to trust; the model written
out is then trained on every sentence. Training is a multinomial logistic regression with an L2
penalty, fitted by AdaGrad in plain Python: a few seconds, the same result on every run.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tactful.review.tone import LABELS, MODEL, features  # noqa: E402

SENTENCES = ROOT / "tools" / "tone" / "sentences"
EPOCHS = 40
RATE = 0.1
L2 = 1e-3
MIN_COUNT = 2  # a feature seen in fewer training sentences is left out: it would only memorise one


def data_digest() -> str:
    """A digest of the training set, stored with the model so a test can tell it is up to date."""
    digest = hashlib.sha256()
    for path in sorted(SENTENCES.glob("*.tsv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(SENTENCES.glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            label, _, sentence = line.partition("\t")
            if label not in LABELS or not sentence.strip():
                raise SystemExit(f"{path.name}:{number}: want 'label<TAB>sentence' with a label of {LABELS}")
            rows.append((label, sentence.strip()))
    return rows


def held_back(sentence: str) -> bool:
    return int(hashlib.sha256(sentence.encode()).hexdigest(), 16) % 5 == 0


def train(rows: list[tuple[str, str]]) -> tuple[list[float], dict[str, list[float]]]:
    k = len(LABELS)
    index = {label: i for i, label in enumerate(LABELS)}
    seen = Counter(f for _, s in rows for f in features(s))
    examples = [(sorted(f for f in features(s) if seen[f] >= MIN_COUNT), index[label]) for label, s in rows]
    # Each label weighs the same in total, whatever its share of the sentences.
    counts = Counter(y for _, y in examples)
    balance = {y: len(examples) / (k * n) for y, n in counts.items()}
    weights: dict[str, list[float]] = {}
    squares: dict[str, list[float]] = {}
    bias, bias_squares = [0.0] * k, [1e-8] * k
    order = list(range(len(examples)))
    shuffle = random.Random(20261206)
    for _ in range(EPOCHS):
        shuffle.shuffle(order)
        for n in order:
            feats, y = examples[n]
            totals = list(bias)
            for f in feats:
                row = weights.get(f)
                if row is not None:
                    for i in range(k):
                        totals[i] += row[i]
            top = max(totals)
            exps = [math.exp(t - top) for t in totals]
            whole = sum(exps)
            grads = [(e / whole - (1.0 if i == y else 0.0)) * balance[y] for i, e in enumerate(exps)]
            for i in range(k):
                bias_squares[i] += grads[i] ** 2
                bias[i] -= RATE * grads[i] / math.sqrt(bias_squares[i])
            for f in feats:
                row = weights.setdefault(f, [0.0] * k)
                sq = squares.setdefault(f, [1e-8] * k)
                for i in range(k):
                    g = grads[i] + L2 * row[i]
                    sq[i] += g * g
                    row[i] -= RATE * g / math.sqrt(sq[i])
    return bias, weights


def predict(bias: list[float], weights: dict[str, list[float]], sentence: str) -> str:
    totals = list(bias)
    for f in features(sentence):
        row = weights.get(f)
        if row is not None:
            for i, w in enumerate(row):
                totals[i] += w
    return LABELS[max(range(len(LABELS)), key=totals.__getitem__)]


def report(rows: list[tuple[str, str]]) -> None:
    train_rows = [r for r in rows if not held_back(r[1])]
    test_rows = [r for r in rows if held_back(r[1])]
    bias, weights = train(train_rows)
    hits: Counter[tuple[str, str]] = Counter()
    for label, sentence in test_rows:
        hits[(label, predict(bias, weights, sentence))] += 1
    print(f"trained on {len(train_rows)} sentences, measured on {len(test_rows)} held back")
    print(f"{'label':<10} {'precision':>9} {'recall':>7} {'n':>4}")
    for label in LABELS:
        tp = hits[(label, label)]
        said = sum(v for (_, p), v in hits.items() if p == label)
        real = sum(v for (t, _), v in hits.items() if t == label)
        print(f"{label:<10} {tp / said if said else 1:>9.2f} {tp / real if real else 1:>7.2f} {real:>4}")
    accuracy = sum(v for (t, p), v in hits.items() if t == p) / max(1, len(test_rows))
    print(f"accuracy {accuracy:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--report", action="store_true", help="measure on the held-back sentences only")
    args = parser.parse_args()
    rows = read()
    print(Counter(label for label, _ in rows))
    report(rows)
    if args.report:
        return
    bias, weights = train(rows)
    lines = [
        "# tactful tone model: written by tools/train_tone.py, do not edit",
        "#labels\t" + " ".join(LABELS),
        "#bias\t" + " ".join(str(round(b * 1000)) for b in bias),
        f"#data\t{data_digest()}",
    ]
    lines += [f"{f}\t" + " ".join(str(round(w * 1000)) for w in row) for f, row in sorted(weights.items())]
    Path(MODEL).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {MODEL}: {len(weights)} features")


if __name__ == "__main__":
    main()
