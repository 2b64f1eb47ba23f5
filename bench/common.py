"""What the benchmark scripts share: where the page of figures is, and a sample email to review."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"

#: A 153-word thank-you email, the one the reviewer and the cold-start figures are measured on.
SAMPLE_EMAIL = """Subject: Thank you for today's Data Engineer interview

Dear Priya,

Thank you for taking the time to talk with me today about the Data Engineer role at Acme Robotics.
I enjoyed hearing how your team is moving the billing pipeline from nightly batches to Kafka streams.

Your question about backfills during the cut-over stayed with me, and I can give a better answer now.
At Harlow Freight I ran the old batch job beside the new stream for two weeks and compared daily
totals before we switched. Any gap was replayed from the raw topic, so nothing had to be patched by
hand. I also added freshness checks to every task, which cut our silent failures to zero in a quarter.

I remain very interested in the role and would be glad to bring the same care to your migration.
Please let me know if I can send anything else, such as a code sample or references.

Best regards,
Sam Lee
"""


def write_between(start: str, end: str, block: str, doc: Path = DOC) -> None:
    """Replace what lies between the markers `start` and `end` of `doc` (docs/performance.md)."""
    text = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        sys.exit(f"{doc} lacks the {start} and {end} markers")
    doc.write_text(pattern.sub(lambda _: f"{start}\n{block}\n{end}", text), encoding="utf-8")
    print(f"updated {doc.relative_to(ROOT)}")
