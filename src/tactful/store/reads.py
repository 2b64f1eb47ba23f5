"""The SQLite store's reads: single rows, a thread's history, and the lists the screens are built from.

The profile and the web app's secrets; a person, a thread or a follow-up by id, and people and
threads found by name or address; a thread's whole history; the agenda's planned follow-ups, with
their people and thread labels; the board's rows; the threads a person is in and the resting ones;
the organisations of every thread; and the follow-ups the planner's guards compare.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..domain import Contact, FollowUp, Profile, Thread, ThreadHistory, ThreadSummary, fold
from ..errors import StorageError
from .connection import Connection
from .rows import (
    CONTACT_SELECT,
    EVENT_COLUMNS,
    FOLLOWUP_COLUMNS,
    INTERACTION_COLUMNS,
    SUMMARY_SELECT,
    THREAD_SELECT,
    iso,
    storable,
    to_contact,
    to_event,
    to_followup,
    to_interaction,
    to_summary,
    to_thread,
    when,
)


class Reads(Connection):
    """What the store reads; `SqliteStore` adds the writes."""

    def get_profile(self) -> Profile:
        raw = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM profile")}
        raw["skills"] = tuple(raw.get("skills", ()))
        known = Profile.__dataclass_fields__
        return Profile(**{k: v for k, v in raw.items() if k in known})

    def secrets(self) -> dict[str, str]:
        """Every secret, by name: for a copy to another database, never for a backup."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT name, value FROM secrets ORDER BY name")}

    def get_secret(self, name: str) -> str | None:
        row = self._one("SELECT value FROM secrets WHERE name = ?", (name,))
        return str(row[0]) if row else None

    def find_contacts(self, name: str) -> list[Contact]:
        """The people `name` may mean: their full, first or last name, case and accents ignored."""
        key = f"|{fold(name)}|"
        if key == "||":
            return []
        rows = self.conn.execute(f"{CONTACT_SELECT} WHERE instr(c.name_keys, ?) > 0 ORDER BY c.id", (key,))
        return [to_contact(r) for r in rows]

    def find_contact_by_email(self, email: str) -> Contact | None:
        """The contact with this address: as their first email, else as a further one from an import."""
        row = self._one(
            f"{CONTACT_SELECT} WHERE c.id = ("
            "SELECT id FROM ("
            "SELECT id, 0 AS rank FROM contacts WHERE lower(email) = lower(?) "
            "UNION ALL "
            "SELECT contact_id, 1 FROM contact_addresses WHERE kind = 'email' AND lower(value) = lower(?)"
            ") AS found ORDER BY rank, id LIMIT 1)",
            (email, email),
        )
        return to_contact(row) if row else None

    def get_contact(self, contact_id: int) -> Contact | None:
        if not storable(contact_id):
            return None
        row = self._one(f"{CONTACT_SELECT} WHERE c.id = ?", (contact_id,))
        return to_contact(row) if row else None

    def get_thread(self, thread_id: int) -> Thread | None:
        if not storable(thread_id):
            return None
        row = self._one(f"{THREAD_SELECT} WHERE t.id = ?", (thread_id,))
        return to_thread(row) if row else None

    def find_open_thread(self, organisation: str | None, title: str | None) -> int | None:
        """The latest open thread with this organisation and/or opportunity title."""
        clauses: list[str] = ["closed = 0"]
        params: list[Any] = []
        if organisation:
            org_id = self.organisation_id(organisation, create=False)
            if org_id is None:
                return None
            clauses.append("organisation_id = ?")
            params.append(org_id)
        if title:
            clauses.append("lower(title) = ?")
            params.append(title.strip().casefold())
        row = self._one(f"SELECT id FROM threads WHERE {' AND '.join(clauses)} ORDER BY id DESC", params)
        return int(row[0]) if row else None

    def find_open_thread_for_contact(self, contact_id: int) -> int | None:
        """The open thread this person last took part in: met, introduced someone, or was written to."""
        row = self._one(
            "SELECT i.thread_id FROM interactions i JOIN threads t ON t.id = i.thread_id "
            "WHERE t.closed = 0 AND (i.introducer_id = ? OR i.id IN "
            "(SELECT interaction_id FROM interaction_contacts WHERE contact_id = ?) OR i.thread_id IN "
            "(SELECT thread_id FROM followups WHERE contact_id = ?)) ORDER BY i.at DESC, i.thread_id DESC",
            (contact_id, contact_id, contact_id),
        )
        return int(row[0]) if row else None

    def open_threads_of(self, contact_ids: Iterable[int]) -> list[int]:
        """The open threads any of these people took part in (met, introduced someone, or were written
        to), the one with the latest interaction first."""
        wanted = sorted(set(contact_ids))
        if not wanted:
            return []
        marks = ",".join("?" for _ in wanted)
        rows = self.conn.execute(
            "SELECT i.thread_id, max(i.at) AS last FROM interactions i JOIN threads t ON t.id = i.thread_id "
            f"WHERE t.closed = 0 AND i.thread_id IN ("
            f"SELECT thread_id FROM interactions WHERE introducer_id IN ({marks}) "
            f"UNION SELECT i2.thread_id FROM interactions i2 JOIN interaction_contacts ic "
            f"ON ic.interaction_id = i2.id WHERE ic.contact_id IN ({marks}) "
            f"UNION SELECT thread_id FROM followups WHERE contact_id IN ({marks})) "
            "GROUP BY i.thread_id ORDER BY last DESC, i.thread_id DESC",
            [*wanted, *wanted, *wanted],
        )
        return [int(r[0]) for r in rows]

    def count_threads(self) -> int:
        return int(self._one("SELECT count(*) FROM threads")[0])

    def get_followup(self, followup_id: int) -> FollowUp | None:
        if not storable(followup_id):
            return None
        found = self._followups("WHERE id = ?", (followup_id,))
        return found[0] if found else None

    def history(self, thread_id: int) -> ThreadHistory:
        thread = self.get_thread(thread_id)
        if thread is None:
            raise StorageError(f"thread {thread_id} vanished")
        people: dict[int, list[int]] = {}
        for iid, cid in self.conn.execute(
            "SELECT ic.interaction_id, ic.contact_id FROM interaction_contacts ic JOIN interactions i "
            "ON i.id = ic.interaction_id WHERE i.thread_id = ? ORDER BY ic.interaction_id, ic.position",
            (thread_id,),
        ):
            people.setdefault(iid, []).append(cid)
        interactions = [
            to_interaction(r, thread_id, people.get(r[0], ()))
            for r in self.conn.execute(
                f"SELECT {INTERACTION_COLUMNS} FROM interactions WHERE thread_id = ? ORDER BY at, id",
                (thread_id,),
            )
        ]
        followups = self._followups("WHERE thread_id = ? ORDER BY not_before, id", (thread_id,))
        events = [
            to_event(r, thread_id)
            for r in self.conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE thread_id = ? ORDER BY at, id", (thread_id,)
            )
        ]
        ids: set[int] = {c for i in interactions for c in i.contact_ids}
        ids |= {f.contact_id for f in followups} | {i.introducer_id for i in interactions if i.introducer_id}
        contacts = {c.id: c for c in self.contacts(ids)}
        return ThreadHistory(thread, interactions, followups, events, contacts)

    def contacts(self, ids: Iterable[int]) -> list[Contact]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        marks = ",".join("?" for _ in wanted)
        return [to_contact(r) for r in self.conn.execute(f"{CONTACT_SELECT} WHERE c.id IN ({marks})", wanted)]

    def _followups(self, where: str, params: Sequence[Any]) -> list[FollowUp]:
        rows = self.conn.execute(f"SELECT {FOLLOWUP_COLUMNS} FROM followups {where}", params)
        return [to_followup(r) for r in rows]

    def search_contacts(self, terms: Sequence[str], limit: int) -> list[tuple[Contact, dt.datetime | None]]:
        """People every one of `terms` (folded) begins a word of: of a name they go by, their e-mail
        address or their organisation; each with their last interaction, most recent first. The
        words are looked up in the `contact_words` index (migration 0006), not read row by row."""
        words = [w for term in terms for w in re.findall(r"\w+", term)]
        select = (
            "SELECT c.id, c.name, c.email, c.phone, c.linkedin, o.name, c.role, c.tz, c.prefers, "
            "c.linkedin_connected, c.note, c.last_at FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id"
        )
        params: list[Any] = []
        if words:
            select += " WHERE c.id IN (SELECT rowid FROM contact_words WHERE contact_words MATCH ?)"
            params.append(" AND ".join(f'"{w}"*' for w in words))
        elif terms:
            return []
        rows = self.conn.execute(
            select + " ORDER BY c.last_at DESC, c.id DESC LIMIT ?",  # NULLs (never met) sort last
            [*params, limit],
        )
        return [(to_contact(r), when(r[11])) for r in rows]

    def count_contacts(self) -> int:
        return int(self._one("SELECT count(*) FROM contacts")[0])

    def contact_addresses(self, contact_id: int) -> list[tuple[str, str, str | None]]:
        """A person's further addresses (from imports and merges): kind, value and label."""
        rows = self.conn.execute(
            "SELECT kind, value, label FROM contact_addresses WHERE contact_id = ? ORDER BY kind, value",
            (contact_id,),
        )
        return [(str(r[0]), str(r[1]), r[2]) for r in rows]

    def threads_for_contact(self, contact_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT DISTINCT i.thread_id FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id "
            "WHERE ic.contact_id = ? UNION SELECT thread_id FROM followups WHERE contact_id = ? ORDER BY 1",
            (contact_id, contact_id),
        )
        return [int(r[0]) for r in rows]

    def thread_rows(self) -> list[ThreadSummary]:
        """Every thread with its stage, planned count and last activity, latest first."""
        rows = self.conn.execute(f"{SUMMARY_SELECT} ORDER BY last DESC, t.id DESC")
        return [to_summary(r) for r in rows]

    def dormant_threads(self, since: dt.datetime | None) -> list[Thread]:
        rows = self.conn.execute(
            f"{THREAD_SELECT} WHERE t.dormant_at IS NOT NULL AND t.dormant_at >= ? AND t.closed = 0 "
            "ORDER BY t.dormant_at DESC",
            (iso(since) or "",),
        )
        return [to_thread(r) for r in rows]

    def thread_organisations(self) -> list[str]:
        """Organisations the user has had threads with: the ones a message could be mixed up with.

        Organisations known only from imported contacts are left out: thousands of company names,
        some of them ordinary words, would make every message look wrong."""
        rows = self.conn.execute(
            "SELECT DISTINCT o.name FROM threads t JOIN organisations o ON o.id = t.organisation_id ORDER BY o.name"
        )
        return [r[0] for r in rows]

    def followups_for_contacts(
        self, contact_ids: Iterable[int], since: dt.datetime | None = None
    ) -> list[FollowUp]:
        """Planned follow-ups to these people in every thread, and those sent since `since` (all when None):
        what the guards compare."""
        wanted = sorted(set(contact_ids))
        if not wanted:
            return []
        marks = ",".join("?" for _ in wanted)
        return self._followups(
            f"WHERE contact_id IN ({marks}) AND (status = 'planned' OR (status = 'done' AND done_at >= ?)) "
            "ORDER BY not_before, id",
            [*wanted, iso(since) or ""],
        )

    def followups_by_rule(self, contact_id: int, rule: str) -> list[FollowUp]:
        """Every follow-up of `rule` to one person, whatever became of it, oldest first."""
        return self._followups(
            "WHERE contact_id = ? AND rule = ? ORDER BY not_before, id", (contact_id, rule)
        )

    def planned_opens(self, rule: str) -> list[dt.datetime]:
        """When each planned follow-up of `rule` opens, across everyone."""
        rows = self.conn.execute(
            "SELECT not_before FROM followups WHERE status = 'planned' AND rule = ?", (rule,)
        )
        return [dt.datetime.fromisoformat(r[0]) for r in rows]

    def planned_until(self, horizon: dt.datetime | None) -> list[FollowUp]:
        """Planned follow-ups opening before `horizon` (all of them when None), soonest due first."""
        if horizon is None:
            return self._followups("WHERE status = 'planned' ORDER BY due_by, id", ())
        return self._followups(
            "WHERE status = 'planned' AND not_before <= ? ORDER BY due_by, id", (iso(horizon),)
        )

    def labels(self, thread_ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
        """(title, organisation) of each thread, for display."""
        wanted = sorted(set(thread_ids))
        if not wanted:
            return {}
        marks = ",".join("?" for _ in wanted)
        rows = self.conn.execute(
            f"SELECT t.id, t.title, o.name FROM threads t LEFT JOIN organisations o ON o.id = t.organisation_id "
            f"WHERE t.id IN ({marks})",
            wanted,
        )
        return {int(r[0]): (r[1], r[2]) for r in rows}
