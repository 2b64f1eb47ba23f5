"""The SQLite store: plain SQL on the standard `sqlite3` module.

WAL and foreign keys are on; every use case runs inside `transaction()`, so a failure leaves the
file as it was. What it selects and how rows become domain objects are in `rows`; the reads across
tables (a thread's history, the agenda's and the board's lists) are in `reads`.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..domain import Channel, Contact, Event, FollowUp, Interaction, Profile, Status, Thread
from ..errors import StorageError
from . import migrate
from .reads import Reads
from .rows import CONTACT_SELECT, THREAD_SELECT, iso, norm, storable, to_contact, to_thread, when

__all__ = ["SqliteStore", "iso", "norm", "when"]  # the time and name conventions, as others import them


class SqliteStore(Reads):
    """The `Store` on one SQLite file: its writes and single-row reads, with the reads of `Reads`."""

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
        rows = self.conn.execute(f"{CONTACT_SELECT} WHERE c.norm = ? ORDER BY c.id", (norm(name),))
        return [to_contact(r) for r in rows]

    def find_contact_by_email(self, email: str) -> Contact | None:
        """The contact with this address: as their first email, else as a further one from an import."""
        row = self._one(
            f"{CONTACT_SELECT} WHERE c.id = ("
            "SELECT id FROM ("
            "SELECT id, 0 AS rank FROM contacts WHERE lower(email) = lower(?) "
            "UNION ALL "
            "SELECT contact_id, 1 FROM contact_addresses WHERE kind = 'email' AND lower(value) = lower(?)"
            ") ORDER BY rank, id LIMIT 1)",
            (email, email),
        )
        return to_contact(row) if row else None

    def get_contact(self, contact_id: int) -> Contact | None:
        if not storable(contact_id):
            return None
        row = self._one(f"{CONTACT_SELECT} WHERE c.id = ?", (contact_id,))
        return to_contact(row) if row else None

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

    # -- threads ---------------------------------------------------------------------------------------
    def add_thread(self, at: dt.datetime, title: str | None, organisation: str | None) -> int:
        return self._insert(
            "threads",
            {"title": title, "organisation_id": self.organisation_id(organisation), "created_at": iso(at)},
        )

    def update_thread(self, thread_id: int, **values: Any) -> None:
        converted = {k: iso(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}
        self._update("threads", thread_id, converted)

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

    def count_threads(self) -> int:
        return int(self._one("SELECT count(*) FROM threads")[0])

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

    # -- follow-ups -----------------------------------------------------------------------------------
    def get_followup(self, followup_id: int) -> FollowUp | None:
        if not storable(followup_id):
            return None
        found = self._followups("WHERE id = ?", (followup_id,))
        return found[0] if found else None

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

    def check(self) -> None:
        """Raise when the file fails SQLite's own integrity and foreign-key checks."""
        if self._one("PRAGMA integrity_check")[0] != "ok" or self._one("PRAGMA foreign_key_check"):
            raise StorageError(f"{self.path} fails its integrity check; restore it from a backup")
