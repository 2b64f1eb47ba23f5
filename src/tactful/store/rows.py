"""Rows into domain objects, for the SQLite store: what it selects, and how it reads what it gets.

Pure: the column lists and SELECTs the store queries with, its conventions for times (`iso`,
`when`), names (`norm`) and ids (`storable`), and one conversion per domain object it reads back.
Rows become domain objects here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..domain import (
    Channel,
    Contact,
    Event,
    FollowUp,
    Interaction,
    Kind,
    Outcome,
    Purpose,
    Status,
    Thread,
    ThreadSummary,
    thread_stage,
)

#: The last contact of any kind with `contacts.id` (an interaction, a message sent that is no task of
#: the user's own, their reply, a message the mailbox matched), as stored times compare; NULL for none.
LAST_CONTACT = """nullif(max(
    coalesce((SELECT max(i.at) FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
              WHERE ic.contact_id = contacts.id), ''),
    coalesce((SELECT max(f.done_at) FROM followups f WHERE f.contact_id = contacts.id AND f.status = 'done'
              AND f.purpose NOT IN ('reminder-to-self', 'promise')), ''),
    coalesce((SELECT max(e.at) FROM events e WHERE e.contact_id = contacts.id AND e.kind = 'reply'), ''),
    coalesce((SELECT max(m.at) FROM mail_messages m WHERE m.contact_id = contacts.id), '')), '')"""

FOLLOWUP_COLUMNS = (
    "id, thread_id, contact_id, interaction_id, parent_id, rule, purpose, channel, nudge, not_before, "
    "due_by, suggested_at, why, round, status, done_at, cancel_reason, text, promise"
)
CONTACT_SELECT = (
    "SELECT c.id, c.name, c.email, c.phone, c.linkedin, o.name, c.role, c.tz, c.prefers, c.linkedin_connected, "
    "c.note FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id"
)
THREAD_SELECT = (
    "SELECT t.id, t.title, o.name, t.round, t.outcome, t.outcome_at, t.closed, t.dormant_at, t.dormant_why, "
    "t.created_at FROM threads t LEFT JOIN organisations o ON o.id = t.organisation_id"
)
INTERACTION_COLUMNS = (
    "id, kind, at, round, decision_by, promised_by, promised, introducer_id, time_sensitive, "
    "wants_card, topics, questions, note"
)
EVENT_COLUMNS = "id, kind, at, contact_id, outcome"
#: A thread on the board: its stage's inputs, how many follow-ups are planned, and its last activity.
SUMMARY_SELECT = (
    "SELECT t.id, t.title, o.name, t.closed, t.dormant_at, t.dormant_why, t.outcome, "
    "(SELECT count(*) FROM followups f WHERE f.thread_id = t.id AND f.status = 'planned'), "
    "(SELECT max(i.at) FROM interactions i WHERE i.thread_id = t.id) AS last "
    "FROM threads t LEFT JOIN organisations o ON o.id = t.organisation_id"
)


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def storable(row_id: int) -> bool:
    """Whether an id could name a row at all (SQLite ids are positive 64-bit integers)."""
    return 0 < row_id < 2**63


def name_keys_text(name: str) -> str:
    """What a person may be called by, as the contacts table keeps it: "|priya natarajan|priya|natarajan|"."""
    from ..domain import name_keys

    return "|" + "|".join(name_keys(name)) + "|"


def norm(name: str) -> str:
    """A name as compared: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def to_contact(row: Sequence[Any]) -> Contact:
    return Contact(
        id=row[0],
        name=row[1],
        email=row[2],
        phone=row[3],
        linkedin=row[4],
        organisation=row[5],
        role=row[6],
        tz=row[7],
        prefers=Channel(row[8]) if row[8] else None,
        linkedin_connected=bool(row[9]),
        note=row[10] if len(row) > 10 else None,
    )


def to_thread(row: Sequence[Any]) -> Thread:
    return Thread(
        id=row[0],
        title=row[1],
        organisation=row[2],
        round=row[3],
        outcome=Outcome(row[4]) if row[4] else None,
        outcome_at=when(row[5]),
        closed=bool(row[6]),
        dormant_at=when(row[7]),
        dormant_why=row[8],
        created_at=when(row[9]),
    )


def to_summary(r: Sequence[Any]) -> ThreadSummary:
    stage = thread_stage(bool(r[3]), r[4] is not None, r[7]).value
    why = r[5] if stage == "dormant" else r[6] if stage == "closed" else None
    return ThreadSummary(r[0], r[1], r[2], stage, r[7], when(r[8]), why)


def to_interaction(r: Sequence[Any], thread_id: int, contact_ids: Iterable[int]) -> Interaction:
    return Interaction(
        id=r[0],
        thread_id=thread_id,
        kind=Kind(r[1]),
        at=when(r[2]) or dt.datetime.min,
        round=r[3],
        decision_by=dt.date.fromisoformat(r[4]) if r[4] else None,
        promised_by=dt.date.fromisoformat(r[5]) if r[5] else None,
        promised=r[6],
        introducer_id=r[7],
        time_sensitive=bool(r[8]),
        wants_card=bool(r[9]),
        topics=tuple(json.loads(r[10])),
        questions=tuple(json.loads(r[11])),
        note=r[12],
        contact_ids=tuple(contact_ids),
    )


def to_event(r: Sequence[Any], thread_id: int) -> Event:
    return Event(
        id=r[0],
        thread_id=thread_id,
        kind=r[1],
        at=when(r[2]) or dt.datetime.min,
        contact_id=r[3],
        outcome=Outcome(r[4]) if r[4] else None,
    )


def to_followup(r: Sequence[Any]) -> FollowUp:
    return FollowUp(
        id=r[0],
        thread_id=r[1],
        contact_id=r[2],
        interaction_id=r[3],
        parent_id=r[4],
        rule=r[5],
        purpose=Purpose(r[6]),
        channel=Channel(r[7]),
        nudge=bool(r[8]),
        not_before=when(r[9]) or dt.datetime.min,
        due_by=when(r[10]) or dt.datetime.min,
        suggested_at=when(r[11]),
        why=r[12],
        round=r[13],
        status=Status(r[14]),
        done_at=when(r[15]),
        cancel_reason=r[16],
        text=r[17],
        promise=r[18],
    )
