"""Write tools/tone/sentences/drafts.tsv: the sentences of tactful's own drafts, labelled neutral.

    .venv/bin/python tools/tone/draft_sentences.py

The tone classifier must leave tactful's own drafts alone, so their sentences (over the generated
scenarios of tests/test_compose_quality.py: every kind, purpose and channel) are part of its training
set. Run this after changing the templates, then tools/train_tone.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.test_compose_quality import SCENARIOS, context, drafts  # noqa: E402

from tactful.compose import compose  # noqa: E402
from tactful.review import Reviewer  # noqa: E402
from tactful.review.document import Document  # noqa: E402

OUT = ROOT / "tools" / "tone" / "sentences" / "drafts.tsv"


def main() -> None:
    reviewer = Reviewer()
    found: dict[str, None] = {}
    for scenario in SCENARIOS:
        composed = compose(scenario.facts)
        ctx = context(scenario.facts, ())
        for draft in drafts(composed):
            doc = Document(draft, ctx, reviewer.phrases, reviewer._dictionary)
            for sentence in doc.sentences:
                text = sentence.text.lstrip("-* ").strip()
                if len(text.split()) >= 3 and "\t" not in text:
                    found.setdefault(text)
    OUT.write_text("".join(f"neutral\t{text}\n" for text in found), encoding="utf-8")
    print(f"wrote {OUT}: {len(found)} sentences")


if __name__ == "__main__":
    main()
