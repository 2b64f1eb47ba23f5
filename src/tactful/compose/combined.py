"""One e-mail for two reasons: when two follow-ups to one person fall on the same day (thank the
introducer, and reconnect after meeting them), the first draft carries the second's message
between its own body and its sign-off, so the person gets one e-mail rather than two."""

from __future__ import annotations

from dataclasses import replace

from .facts import Composed


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def combine(first: Composed, *others: Composed) -> Composed:
    """`first`, with what each of `others` says beyond its greeting and sign-off added before
    `first`'s sign-off. A paragraph already said is not said twice."""
    mine = _paragraphs(first.body)
    if len(mine) < 3:
        return first
    head, middle, sign_off = mine[0], mine[1:-1], mine[-1]
    said = {p.strip() for p in middle}
    for other in others:
        theirs = _paragraphs(other.body)
        for paragraph in theirs[1:-1] if len(theirs) >= 3 else []:
            if paragraph.strip() not in said:
                middle.append(paragraph)
                said.add(paragraph.strip())
    return replace(
        first,
        body="\n\n".join([head, *middle, sign_off]),
        missing=tuple(dict.fromkeys([*first.missing, *(m for o in others for m in o.missing)])),
        prompts=tuple(dict.fromkeys([*first.prompts, *(p for o in others for p in o.prompts)])),
        grounds=(*first.grounds, *(g for o in others for g in o.grounds)),
    )
