"""The SQLite store: plain SQL on the standard `sqlite3` module.

WAL and foreign keys are on; every use case runs inside `transaction()`, so a failure leaves the
file as it was. Rows become domain objects here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..domain import (
    Channel,
    Contact,
    Event,
    FollowUp,
    Interaction,
    Kind,
    Outcome,
    Profile,
    Purpose,
    Status,
    Thread,
    ThreadHistory,
    ThreadSummary,
    thread_stage,
)
from ..errors import StorageError
from . import migrate

_FOLLOWUP_COLUMNS = (
    "id, thread_id, contact_id, interaction_id, parent_id, rule, purpose, channel, nudge, not_before, "
    "due_by, suggested_at, why, round, status, done_at, cancel_reason, text"
)
_CONTACT_SELECT = (
    "SELECT c.id, c.name, c.email, c.phone, c.linkedin, o.name, c.role, c.tz, c.prefers, c.linkedin_connected "
    "FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id"
)


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _storable(row_id: int) -> bool:
    """Whether an id could name a row at all (SQLite ids are positive 64-bit integers)."""
    return 0 < row_id < 2**63


def norm(name: str) -> str:
    """A name as compared: case and spacing do not matter."""
    return " ".join(name.casefold().split())


class SqliteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the database at {path}: {exc}; pass another with --db") from exc
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 5000")
            if self.conn.execute("PRAGMA user_version").fetchone()[0] != migrate.latest():
                self.conn.execute("PRAGMA journal_mode = WAL")
                migrate.upgrade(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"{path} is not a tactful database ({exc}); pass another with --db") from exc
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params).fetchone()

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        cols = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(values.values()))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*values.values(), row_id])

    # -- profile ---------------------------------------------------------------------------------------
    def get_profile(self) -> Profile:
        raw = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM profile")}
        raw["skills"] = tuple(raw.get("skills", ()))
        known = Profile.__dataclass_fields__
        return Profile(**{k: v for k, v in raw.items() if k in known})

    def save_profile(self, profile: Profile) -> None:
        for key in Profile.__dataclass_fields__:
            value = getattr(profile, key)
            value = list(value) if isinstance(value, tuple) else value
            self.conn.execute(
                "INSERT INTO profile (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    # -- secrets -----------------------------------------------------------------------------------------
    def get_secret(self, name: str) -> str | None:
        row = self._one("SELECT value FROM secrets WHERE name = ?", (name,))
        return str(row[0]) if row else None

    def set_secret(self, name: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    # -- organisations and contacts --------------------------------------------------------------------
    def organisation_id(self, name: str | None, create: bool = True) -> int | None:
        if not name:
            return None
        row = self._one("SELECT id FROM organisations WHERE norm = ?", (norm(name),))
        if row:
            return int(row[0])
        return self._insert("organisations", {"name": name.strip(), "norm": norm(name)}) if create else None

    def find_contacts(self, name: str) -> list[Contact]:
        rows = self.conn.execute(f"{_CONTACT_SELECT} WHERE c.norm = ? ORDER BY c.id", (norm(name),))
        return [self._contact(r) for r in rows]

    def find_contact_by_email(self, email: str) -> Contact | None:
        """The contact with this address: as their first email, else as a further one from an import."""
        row = self._one(
            f"{_CONTACT_SELECT} WHERE c.id = ("
            "SELECT id FROM ("
            "SELECT id, 0 AS rank FROM contacts WHERE lower(email) = lower(?) "
            "UNION ALL "
            "SELECT contact_id, 1 FROM contact_addresses WHERE kind = 'email' AND lower(value) = lower(?)"
            ") ORDER BY rank, id LIMIT 1)",
            (email, email),
        )
        return self._contact(row) if row else None

    def get_contact(self, contact_id: int) -> Contact | None:
        if not _storable(contact_id):
            return None
        row = self._one(f"{_CONTACT_SELECT} WHERE c.id = ?", (contact_id,))
        return self._contact(row) if row else None

    def add_contact(self, name: str, at: dt.datetime, organisation: str | None = None, **fields: Any) -> int:
        values: dict[str, Any] = {"name": name.strip(), "norm": norm(name), "created_at": iso(at)}
        values["organisation_id"] = self.organisation_id(organisation)
        values.update({k: v for k, v in fields.items() if v is not None})
        return self._insert("contacts", values)

    def update_contact(self, contact_id: int, organisation: str | None = None, **fields: Any) -> None:
        values = {k: (v.value if isinstance(v, Channel) else v) for k, v in fields.items() if v is not None}
        if organisation:
            values["organisation_id"] = self.organisation_id(organisation)
        self._update("contacts", contact_id, values)

    @staticmethod
    def _contact(row: Sequence[Any]) -> Contact:
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
        )

    # -- threads ---------------------------------------------------------------------------------------
    def add_thread(self, at: dt.datetime, title: str | None, organisation: str | None) -> int:
        return self._insert(
            "threads",
            {"title": title, "organisation_id": self.organisation_id(organisation), "created_at": iso(at)},
        )

    def update_thread(self, thread_id: int, **values: Any) -> None:
        converted = {k: iso(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}
        self._update("threads", thread_id, converted)

    _THREAD_SELECT = (
        "SELECT t.id, t.title, o.name, t.round, t.outcome, t.outcome_at, t.closed, t.dormant_at, t.dormant_why, "
        "t.created_at FROM threads t LEFT JOIN organisations o ON o.id = t.organisation_id"
    )

    def get_thread(self, thread_id: int) -> Thread | None:
        if not _storable(thread_id):
            return None
        row = self._one(f"{self._THREAD_SELECT} WHERE t.id = ?", (thread_id,))
        return self._thread(row) if row else None

    @staticmethod
    def _thread(row: Sequence[Any]) -> Thread:
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

    def threads_for_contact(self, contact_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT DISTINCT i.thread_id FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id "
            "WHERE ic.contact_id = ? UNION SELECT thread_id FROM followups WHERE contact_id = ? ORDER BY 1",
            (contact_id, contact_id),
        )
        return [int(r[0]) for r in rows]

    def count_threads(self) -> int:
        return int(self._one("SELECT count(*) FROM threads")[0])

    def thread_rows(self) -> list[ThreadSummary]:
        """Every thread with its stage, planned count and last activity, latest first."""
        rows = self.conn.execute(
            "SELECT t.id, t.title, o.name, t.closed, t.dormant_at, t.dormant_why, t.outcome, "
            "(SELECT count(*) FROM followups f WHERE f.thread_id = t.id AND f.status = 'planned'), "
            "(SELECT max(i.at) FROM interactions i WHERE i.thread_id = t.id) AS last "
            "FROM threads t LEFT JOIN organisations o ON o.id = t.organisation_id ORDER BY last DESC, t.id DESC"
        )
        out = []
        for r in rows:
            stage = thread_stage(bool(r[3]), r[4] is not None, r[7]).value
            why = r[5] if stage == "dormant" else r[6] if stage == "closed" else None
            out.append(ThreadSummary(r[0], r[1], r[2], stage, r[7], when(r[8]), why))
        return out

    def move_followup(
        self,
        followup_id: int,
        opens: dt.datetime,
        due: dt.datetime,
        suggested: dt.datetime,
        why: str | None = None,
    ) -> None:
        self.conn.execute(
            "UPDATE followups SET not_before = ?, due_by = ?, suggested_at = ?, why = coalesce(?, why) WHERE id = ?",
            (iso(opens), iso(due), iso(suggested), why, followup_id),
        )

    def thread_organisations(self) -> list[str]:
        """Organisations the user has had threads with: the ones a message could be mixed up with.

        Organisations known only from imported contacts are left out: thousands of company names,
        some of them ordinary words, would make every message look wrong."""
        rows = self.conn.execute(
            "SELECT DISTINCT o.name FROM threads t JOIN organisations o ON o.id = t.organisation_id ORDER BY o.name"
        )
        return [r[0] for r in rows]

    def dormant_threads(self, since: dt.datetime | None) -> list[Thread]:
        rows = self.conn.execute(
            f"{self._THREAD_SELECT} WHERE t.dormant_at IS NOT NULL AND t.dormant_at >= ? AND t.closed = 0 "
            "ORDER BY t.dormant_at DESC",
            (iso(since) or "",),
        )
        return [self._thread(r) for r in rows]

    # -- interactions and events -------------------------------------------------------------------
    def add_interaction(self, i: Interaction) -> int:
        new_id = self._insert(
            "interactions",
            {
                "thread_id": i.thread_id,
                "kind": i.kind.value,
                "at": iso(i.at),
                "round": i.round,
                "decision_by": i.decision_by.isoformat() if i.decision_by else None,
                "promised_by": i.promised_by.isoformat() if i.promised_by else None,
                "promised": i.promised,
                "introducer_id": i.introducer_id,
                "time_sensitive": int(i.time_sensitive),
                "wants_card": int(i.wants_card),
                "topics": json.dumps(list(i.topics)),
                "questions": json.dumps(list(i.questions)),
                "note": i.note,
                "created_at": iso(dt.datetime.now(dt.UTC)),
            },
        )
        self.conn.executemany(
            "INSERT INTO interaction_contacts (interaction_id, contact_id, position) VALUES (?, ?, ?)",
            [(new_id, c, n) for n, c in enumerate(i.contact_ids)],
        )
        return new_id

    def add_event(self, e: Event) -> int:
        return self._insert(
            "events",
            {
                "thread_id": e.thread_id,
                "kind": e.kind,
                "at": iso(e.at),
                "contact_id": e.contact_id,
                "outcome": e.outcome.value if e.outcome else None,
            },
        )

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
            Interaction(
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
                contact_ids=tuple(people.get(r[0], ())),
            )
            for r in self.conn.execute(
                "SELECT id, kind, at, round, decision_by, promised_by, promised, introducer_id, time_sensitive, "
                "wants_card, topics, questions, note FROM interactions WHERE thread_id = ? ORDER BY at, id",
                (thread_id,),
            )
        ]
        followups = self._followups("WHERE thread_id = ? ORDER BY not_before, id", (thread_id,))
        events = [
            Event(
                id=r[0],
                thread_id=thread_id,
                kind=r[1],
                at=when(r[2]) or dt.datetime.min,
                contact_id=r[3],
                outcome=Outcome(r[4]) if r[4] else None,
            )
            for r in self.conn.execute(
                "SELECT id, kind, at, contact_id, outcome FROM events WHERE thread_id = ? ORDER BY at, id",
                (thread_id,),
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
        return [
            self._contact(r) for r in self.conn.execute(f"{_CONTACT_SELECT} WHERE c.id IN ({marks})", wanted)
        ]

    # -- follow-ups -----------------------------------------------------------------------------------
    def _followups(self, where: str, params: Sequence[Any]) -> list[FollowUp]:
        rows = self.conn.execute(f"SELECT {_FOLLOWUP_COLUMNS} FROM followups {where}", params)
        return [self._followup(r) for r in rows]

    @staticmethod
    def _followup(r: Sequence[Any]) -> FollowUp:
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
        )

    def get_followup(self, followup_id: int) -> FollowUp | None:
        if not _storable(followup_id):
            return None
        found = self._followups("WHERE id = ?", (followup_id,))
        return found[0] if found else None

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

    def add_followup(self, f: FollowUp) -> int:
        return self._insert(
            "followups",
            {
                "thread_id": f.thread_id,
                "contact_id": f.contact_id,
                "interaction_id": f.interaction_id,
                "parent_id": f.parent_id,
                "rule": f.rule,
                "purpose": f.purpose.value,
                "channel": f.channel.value,
                "nudge": int(f.nudge),
                "not_before": iso(f.not_before),
                "due_by": iso(f.due_by),
                "suggested_at": iso(f.suggested_at),
                "why": f.why,
                "round": f.round,
                "status": f.status.value,
                "created_at": iso(dt.datetime.now(dt.UTC)),
            },
        )

    def cancel_followup(self, followup_id: int, reason: str) -> None:
        self.conn.execute(
            "UPDATE followups SET status = 'cancelled', cancel_reason = ? WHERE id = ? AND status = 'planned'",
            (reason, followup_id),
        )

    def finish_followup(
        self,
        followup_id: int,
        status: Status,
        at: dt.datetime | None = None,
        channel: Channel | None = None,
        text: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._update(
            "followups",
            followup_id,
            {
                "status": status.value,
                "done_at": iso(at),
                "sent_channel": channel.value if channel else None,
                "text": text,
                "cancel_reason": reason,
            },
        )
        if channel is not None:
            self.conn.execute("UPDATE followups SET channel = ? WHERE id = ?", (channel.value, followup_id))

    def set_message_id(self, followup_id: int, message_id: str) -> None:
        self.conn.execute("UPDATE followups SET message_id = ? WHERE id = ?", (message_id, followup_id))

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

    def check(self) -> None:
        """Raise when the file fails SQLite's own integrity and foreign-key checks."""
        if self._one("PRAGMA integrity_check")[0] != "ok" or self._one("PRAGMA foreign_key_check"):
            raise StorageError(f"{self.path} fails its integrity check; restore it from a backup")
