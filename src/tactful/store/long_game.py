"""The long game's SQL: tags on people, and the record of what was sent and answered (`stats`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .connection import Connection
from .rows import iso


class LongGameRows(Connection):
    # -- keep-in-touch cadences ------------------------------------------------------------------------
    def set_cadence(
        self, contact_id: int | None, tag: str | None, every: str | None, at_most: str | None
    ) -> None:
        """A person's or a tag's cadence (None for `every`: none any more)."""
        which, value = ("contact_id", contact_id) if contact_id is not None else ("tag", tag)
        self.conn.execute(f"DELETE FROM cadences WHERE {which} = ?", (value,))
        if every is not None:
            self.conn.execute(
                "INSERT INTO cadences (contact_id, tag, every, at_most) VALUES (?, ?, ?, ?)",
                (contact_id, tag, every, at_most),
            )

    def cadenced(
        self, contact_ids: Iterable[int] | None = None
    ) -> list[tuple[int, str, str, str | None, str]]:
        """Everyone with a cadence (of `contact_ids`, when given), their own or a tag's: (contact, name,
        every, at_most, last contact of any kind: logged, sent, their reply, a message), one row per
        cadence that applies. A task of the user's own (a reminder, a promise) is no contact."""
        where, params = "", []
        if contact_ids is not None:
            wanted = sorted(set(contact_ids))
            if not wanted:
                return []
            where = f"WHERE w.contact_id IN ({','.join('?' for _ in wanted)}) "
            params = wanted
        rows = self.conn.execute(
            "WITH who(contact_id, every, at_most) AS ("
            "SELECT contact_id, every, at_most FROM cadences WHERE contact_id IS NOT NULL "
            "UNION ALL SELECT t.contact_id, c.every, c.at_most FROM cadences c "
            "JOIN contact_tags t ON t.tag = c.tag WHERE c.tag IS NOT NULL) "
            "SELECT w.contact_id, p.name, w.every, w.at_most, coalesce(p.last_contact_at, p.created_at) "
            f"FROM who w JOIN contacts p ON p.id = w.contact_id {where}ORDER BY w.contact_id",
            params,
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    # -- tags on people ------------------------------------------------------------------------------
    def tags_of(self, contact_id: int) -> list[str]:
        rows = self.conn.execute(
            "SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag", (contact_id,)
        )
        return [r[0] for r in rows]

    def set_tags(self, contact_id: int, add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)",
            [(contact_id, t) for t in add],
        )
        self.conn.executemany(
            "DELETE FROM contact_tags WHERE contact_id = ? AND tag = ?", [(contact_id, t) for t in remove]
        )

    def tagged(self, tag: str) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT contact_id FROM contact_tags WHERE tag = ? ORDER BY contact_id", (tag,)
            )
        ]

    # -- what was sent, and answered (stats) ---------------------------------------------------------
    def sent_record(self, since: dt.datetime | None) -> list[tuple[int, int, str, str, bool, int, str, str]]:
        """Every follow-up sent (but reminders to yourself), oldest first per thread: (id, thread,
        purpose, channel it went on, nudge, round, due_by, done_at), times as stored (UTC ISO)."""
        rows = self.conn.execute(
            "SELECT id, thread_id, purpose, coalesce(sent_channel, channel), nudge, round, due_by, done_at "
            "FROM followups WHERE status = 'done' AND purpose != 'reminder-to-self' AND done_at >= ? "
            "ORDER BY thread_id, done_at, id",
            (iso(since) if since else "",),
        )
        return [(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7]) for r in rows]

    def reply_record(self, since: dt.datetime | None) -> list[tuple[int, str]]:
        """Every reply recorded or synced: (thread, at), oldest first per thread."""
        rows = self.conn.execute(
            "SELECT thread_id, at FROM events WHERE kind = 'reply' AND at >= ? ORDER BY thread_id, at",
            (iso(since) if since else "",),
        )
        return [(r[0], r[1]) for r in rows]
