"""The SQLite store's transfers: what imports merge with, the calendar feed and its exports, backups.

Contacts are read in one query for merging; a backup is every row of every table, keyed by column
name, so nothing a later migration adds can be left behind. Writes run inside the caller's
transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..domain import FollowUp
from ..errors import InvalidInput
from .connection import Connection
from .rows import CONTACT_SELECT, FOLLOWUP_COLUMNS, LAST_CONTACT, iso, to_contact, to_followup

if TYPE_CHECKING:  # the formats load with the first import or backup, not with every command
    from ..formats.backup import Column
    from ..formats.merge import Known

#: Tables in the order a reader understands them; tables added later follow in name order.
TABLE_ORDER = (
    "profile",
    "organisations",
    "contacts",
    "contact_addresses",
    "threads",
    "interactions",
    "interaction_contacts",
    "followups",
    "events",
    "imported_events",
    "calendar_feed",
)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: bytes (the outbox's messages) as base64."""
    if not isinstance(value, bytes):
        return value
    import base64

    return {"base64": base64.b64encode(value).decode("ascii")}


class Transfers(Connection):
    """What imports, exports, the calendar feed and backups read and write; `SqliteStore` adds the rest."""

    # -- contacts -----------------------------------------------------------------------------------------
    def known_contacts(self) -> list[Known]:
        """Every contact with its addresses: what an import merges with."""
        from ..formats.merge import Known, phone_key

        known: dict[int, Known] = {}
        select = CONTACT_SELECT.replace(" FROM contacts", ", c.connected_on FROM contacts", 1)
        for r in self.conn.execute(f"{select} ORDER BY c.id"):
            contact = to_contact(r)
            known[contact.id] = Known(
                **vars(contact),
                connected_on=dt.date.fromisoformat(r[11]) if r[11] else None,
                emails={contact.email.casefold()} if contact.email else set(),
                phones={phone_key(contact.phone)} if contact.phone else set(),
            )
        for contact_id, kind, value in self.conn.execute(
            "SELECT contact_id, kind, value FROM contact_addresses"
        ):
            k = known.get(contact_id)
            if k is None:
                continue
            if kind == "email":
                k.emails.add(value.casefold())
            elif kind == "phone":
                k.phones.add(phone_key(value))
            else:
                k.urls.add(value)
        return list(known.values())

    # -- calendar events already logged ---------------------------------------------------------------------
    def logged_events(self, uids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(uids))
        if not wanted:
            return {}
        marks = ",".join("?" for _ in wanted)
        rows = self.conn.execute(
            f"SELECT uid, interaction_id FROM imported_events WHERE uid IN ({marks})", wanted
        )
        return {r[0]: int(r[1]) for r in rows}

    def remember_event(self, uid: str, interaction_id: int, at: dt.datetime) -> None:
        self.conn.execute(
            "INSERT INTO imported_events (uid, interaction_id, imported_at) VALUES (?, ?, ?) ON CONFLICT(uid) "
            "DO UPDATE SET interaction_id = excluded.interaction_id, imported_at = excluded.imported_at",
            (uid, interaction_id, iso(at)),
        )

    # -- the calendar feed --------------------------------------------------------------------------------
    def feed_token(self) -> tuple[str, dt.datetime] | None:
        row = self.conn.execute("SELECT token, created_at FROM calendar_feed WHERE id = 1").fetchone()
        return (row[0], dt.datetime.fromisoformat(row[1])) if row else None

    def set_feed_token(self, token: str, at: dt.datetime) -> None:
        self.conn.execute(
            "INSERT INTO calendar_feed (id, token, created_at) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
            (token, iso(at)),
        )

    def calendar_followups(self, since: dt.datetime | None) -> list[FollowUp]:
        """Planned follow-ups, and the others whose window or sending is after `since` (all when None)."""
        where, params = "", []
        if since is not None:
            where = "WHERE status = 'planned' OR due_by >= ? OR done_at >= ?"
            params = [iso(since), iso(since)]
        rows = self.conn.execute(
            f"SELECT {FOLLOWUP_COLUMNS} FROM followups {where} ORDER BY not_before, id", params
        )
        return [to_followup(r) for r in rows]

    # -- backups --------------------------------------------------------------------------------------------
    def backup_tables(self) -> list[str]:
        """The tables a backup holds, in reading order."""
        from ..formats.backup import NOT_BACKED_UP

        tables = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        # A full-text index (and the tables it keeps its pages in) is rebuilt from the rows by triggers.
        indexes = [name for name, sql in tables if str(sql).upper().startswith("CREATE VIRTUAL TABLE")]
        names = [
            name
            for name, _ in tables
            if name not in NOT_BACKED_UP and not any(name == i or name.startswith(i + "_") for i in indexes)
        ]
        known = [t for t in TABLE_ORDER if t in names]
        return known + sorted(set(names) - set(known))

    def _columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    def backup_schema(self) -> dict[str, list[Column]]:
        """The tables a backup holds and their columns, as the database declares them."""
        from ..formats.backup import Column

        out: dict[str, list[Column]] = {}
        for table in self.backup_tables():
            info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            keys = [r for r in info if r[5]]
            rowid = len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER"  # filled in by SQLite
            out[table] = [
                Column(
                    name=r[1],
                    type=str(r[2] or ""),
                    not_null=bool(r[3]),
                    has_default=r[4] is not None,
                    key=bool(r[5]) and not rowid,
                )
                for r in info
            ]
        return out

    def backup_counts(self) -> dict[str, int]:
        """Rows per table, for the tables that hold any."""
        found = {
            t: int(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in self.backup_tables()
        }
        return {t: n for t, n in found.items() if n}

    def backup_dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table (the profile's values stay JSON text, as stored), in key order."""
        out: dict[str, list[dict[str, Any]]] = {}
        for table in self.backup_tables():
            names = self._columns(table)
            listed = ", ".join(f'"{n}"' for n in names)  # quoted: "user" is a reserved word in PostgreSQL
            # by id, or by every column where there is none: the same order on every store, every time
            order = "id" if names[0] == "id" else ", ".join(str(n) for n in range(1, len(names) + 1))
            rows = self.conn.execute(f"SELECT {listed} FROM {table} ORDER BY {order}")
            out[table] = [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows]
        return out

    def backup_clear(self) -> None:
        self._defer_references()
        for table in reversed(self.backup_tables()):
            self.conn.execute(f"DELETE FROM {table}")

    def backup_load(self, data: dict[str, list[dict[str, Any]]], file: str) -> dict[str, int]:
        """Insert a backup's checked rows (`tactful.imports.backup.check`) with their ids.

        Foreign keys are checked once everything is in; the caller's transaction undoes it all on error.
        What each store does its own way is in the steps below it (`_defer_references` ...).
        """
        self._defer_references()
        loaded: dict[str, int] = {}
        for table, rows in data.items():
            if not rows:
                continue
            shapes: dict[
                tuple[str, ...], list[list[Any]]
            ] = {}  # rows that leave out a column get its default
            for row in rows:
                shapes.setdefault(tuple(row), []).append(list(row.values()))
            for names, values in shapes.items():
                listed = ", ".join(f'"{n}"' for n in names)  # quoted: "user" is a reserved word in PostgreSQL
                insert = f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' for _ in names)})"
                self._restore_rows(
                    table, insert if names else f"INSERT INTO {table} DEFAULT VALUES", values, file
                )
            loaded[table] = len(rows)
        self._ids_restored()
        # The names people go by are derived from their names, whatever the backup says of them: a
        # backup from before they were kept has none, and a hand-edited one may have stale ones.
        self._derive_name_keys()
        # A message waiting to leave when the backup was made may have left since: never sent again by itself.
        self.conn.execute(
            "UPDATE outbox SET status = 'failed', error = 'restored from a backup: may have been sent' "
            "WHERE status IN ('queued', 'sending')"
        )
        self.conn.execute(
            "UPDATE contacts SET last_at = (SELECT max(i.at) FROM interaction_contacts ic "
            f"JOIN interactions i ON i.id = ic.interaction_id WHERE ic.contact_id = contacts.id), "
            f"last_contact_at = {LAST_CONTACT}"
        )
        self._check_references(file)
        return loaded

    # -- the steps of a restore that SQLite takes its own way (`pg_store` takes PostgreSQL's) -------------
    def _defer_references(self) -> None:
        """Foreign keys checked at the end, so that rows can come in any order."""
        self.conn.execute("PRAGMA defer_foreign_keys = ON")

    def _restore_rows(self, table: str, insert: str, values: list[list[Any]], file: str) -> None:
        try:
            self.conn.executemany(insert, values)
        except sqlite3.Error as exc:
            raise InvalidInput(f"{file}: a row of {table!r} cannot be restored: {exc}") from None

    def _ids_restored(self) -> None:
        """After rows came with their ids: SQLite's next ids follow the largest by themselves."""

    def _derive_name_keys(self) -> None:
        self.conn.execute("UPDATE contacts SET name_keys = tactful_name_keys(name)")

    def _check_references(self, file: str) -> None:
        broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise InvalidInput(
                f"{file}: a row of {broken[0]!r} (id {broken[1]}) points at a missing row of {broken[2]!r}; "
                "the backup is incomplete"
            )
