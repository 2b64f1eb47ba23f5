"""Close the loop with the introducer: once the person someone introduced first answers, or first
meets the user, a short note to the introducer saying how it went (rule
`introduction.close-the-loop`), once per introduction.
"""

from __future__ import annotations

import datetime as dt

from ..domain import FollowUp, Interaction, Kind, ThreadHistory
from .base import Service, lookback

RULE = "introduction.close-the-loop"

#: What counts as meeting someone: any conversation, but not the introduction itself or an
#: application sent to them.
MEETINGS = frozenset(k for k in Kind if k not in (Kind.INTRODUCTION, Kind.APPLICATION))


def close_the_loop(svc: Service, contact_id: int, at: dt.datetime, met: int | None = None) -> list[FollowUp]:
    """After a reply from, or a meeting with (`met`: the interaction), `contact_id` at `at`: plan the
    note to whoever introduced them, inside the caller's transaction. The notes planned."""
    store = svc.store
    planned = []
    for thread_id in store.threads_for_contact(contact_id):
        history = store.history(thread_id)
        for intro in _introductions(history, contact_id, at):
            if _closed(history, intro) or _earlier(history, intro, contact_id, at, met):
                continue
            introducer = history.contacts.get(intro.introducer_id or -1)
            if introducer is None or introducer.id == contact_id:
                continue
            others = store.followups_for_contacts([introducer.id], lookback(svc, at))
            plan = svc.planner.close_the_loop(history, intro, introducer, at, others)
            for f in plan.new:
                f.id = store.add_followup(f)
                planned.append(f)
    return planned


def _introductions(history: ThreadHistory, contact_id: int, at: dt.datetime) -> list[Interaction]:
    return [
        i
        for i in history.interactions
        if i.kind is Kind.INTRODUCTION
        and i.introducer_id is not None
        and contact_id in i.contact_ids
        and i.at <= at
    ]


def _closed(history: ThreadHistory, intro: Interaction) -> bool:
    """Whether this introduction's loop was already closed, or planned to be (whatever became of it)."""
    return any(f.rule == RULE and f.interaction_id == intro.id for f in history.followups)


def _earlier(
    history: ThreadHistory, intro: Interaction, contact_id: int, at: dt.datetime, met: int | None
) -> bool:
    """Whether they had already answered or met since the introduction: this is not the first."""
    replied = any(
        e.kind == "reply" and e.contact_id == contact_id and intro.at <= e.at < at for e in history.events
    )
    meetings = any(
        i.kind in MEETINGS and contact_id in i.contact_ids and intro.at <= i.at < at and i.id != met
        for i in history.interactions
    )
    return replied or meetings
