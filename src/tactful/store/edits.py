"""Corrections: an interaction rewritten or removed, a person removed or merged into another, a
follow-up planned again. Each runs inside the caller's transaction, like every write of the store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from ..domain import Interaction
from .connection import Connection
from .rows import LAST_CONTACT, iso, storable


class Edits(Connection):
    def update_interaction(self, i: Interaction) -> None:
        """Rewrite what happened (its time, dates, promise, topics, questions and note)."""
        self._update(
            "interactions",
            i.id,
            {
                "at": iso(i.at),
                "decision_by": i.decision_by.isoformat() if i.decision_by else None,
                "promised_by": i.promised_by.isoformat() if i.promised_by else None,
                "promised": i.promised,
                "topics": json.dumps(list(i.topics)),
                "questions": json.dumps(list(i.questions)),
                "note": i.note,
            },
        )
        self.touch_contacts(i.contact_ids)

    def interaction_thread(self, interaction_id: int) -> int | None:
        if not storable(interaction_id):
            return None
        row = self._one("SELECT thread_id FROM interactions WHERE id = ?", (interaction_id,))
        return int(row[0]) if row else None

    def delete_interaction(self, interaction_id: int) -> None:
        """Remove an interaction, what was planned or sent because of it, and its thread when it
        was the thread's only one."""
        thread_id = self.interaction_thread(interaction_id)
        people = [r[0] for r in self.conn.execute(
            "SELECT contact_id FROM interaction_contacts WHERE interaction_id = ?", (interaction_id,)
        )]  # fmt: skip
        self._drop_followups("interaction_id = ?", (interaction_id,))
        self.conn.execute("DELETE FROM imported_events WHERE interaction_id = ?", (interaction_id,))
        self.conn.execute("DELETE FROM interaction_contacts WHERE interaction_id = ?", (interaction_id,))
        self.conn.execute("DELETE FROM interactions WHERE id = ?", (interaction_id,))
        if thread_id is not None:
            self._drop_empty_thread(thread_id)
        self.touch_contacts(people)

    def delete_contact(self, contact_id: int) -> None:
        """Remove a person: what was planned or sent to them, the interactions they alone were in,
        and the threads left with nothing in them."""
        threads = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT i.thread_id FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id "
            "WHERE ic.contact_id = ? UNION SELECT thread_id FROM followups WHERE contact_id = ?",
            (contact_id, contact_id),
        )]  # fmt: skip
        self._drop_followups("contact_id = ?", (contact_id,))
        self.conn.execute("DELETE FROM interaction_contacts WHERE contact_id = ?", (contact_id,))
        alone = [r[0] for r in self.conn.execute(
            "SELECT id FROM interactions i WHERE NOT EXISTS (SELECT 1 FROM interaction_contacts ic "
            "WHERE ic.interaction_id = i.id)"
        )]  # fmt: skip
        for interaction_id in alone:
            self.delete_interaction(interaction_id)
        self.conn.execute(
            "UPDATE interactions SET introducer_id = NULL WHERE introducer_id = ?", (contact_id,)
        )
        self.conn.execute("DELETE FROM events WHERE contact_id = ?", (contact_id,))
        self.conn.execute(
            "DELETE FROM mail_messages WHERE contact_id = ?", (contact_id,)
        )  # their mail goes with them
        self.conn.execute("DELETE FROM contact_addresses WHERE contact_id = ?", (contact_id,))
        self.conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (contact_id,))
        self.conn.execute("DELETE FROM cadences WHERE contact_id = ?", (contact_id,))
        self.conn.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))
        for thread_id in threads:
            self._drop_empty_thread(thread_id)

    def merge_contacts(self, keep: int, other: int) -> None:
        """Move everything of `other` to `keep` (filling `keep`'s empty details), then remove `other`."""
        columns = (
            "email",
            "phone",
            "linkedin",
            "organisation_id",
            "role",
            "tz",
            "prefers",
            "note",
            "connected_on",
        )
        sets = ", ".join(
            f"{c} = coalesce({c}, (SELECT {c} FROM contacts WHERE id = :other))" for c in columns
        )
        self.conn.execute(f"UPDATE contacts SET {sets} WHERE id = :keep", {"keep": keep, "other": other})
        self.conn.execute(
            "UPDATE contacts SET linkedin_connected = max(linkedin_connected, "
            "(SELECT linkedin_connected FROM contacts WHERE id = :other)) WHERE id = :keep",
            {"keep": keep, "other": other},
        )
        # the other's own addresses, where they differ from the ones kept, stay as further addresses
        for kind, column in (("email", "email"), ("phone", "phone"), ("url", "linkedin")):
            self.conn.execute(
                f"INSERT OR IGNORE INTO contact_addresses (contact_id, kind, value, label) "
                f"SELECT :keep, '{kind}', {column}, 'merged' FROM contacts WHERE id = :other AND {column} IS NOT NULL "
                f"AND {column} IS NOT (SELECT {column} FROM contacts WHERE id = :keep)",
                {"keep": keep, "other": other},
            )
        self.conn.execute(
            "INSERT OR IGNORE INTO contact_addresses (contact_id, kind, value, label) "
            "SELECT :keep, kind, value, label FROM contact_addresses WHERE contact_id = :other",
            {"keep": keep, "other": other},
        )
        self.conn.execute("DELETE FROM contact_addresses WHERE contact_id = ?", (other,))
        self.conn.execute(
            "INSERT OR IGNORE INTO interaction_contacts (interaction_id, contact_id, position) "
            "SELECT interaction_id, :keep, position FROM interaction_contacts WHERE contact_id = :other",
            {"keep": keep, "other": other},
        )
        self.conn.execute("DELETE FROM interaction_contacts WHERE contact_id = ?", (other,))
        self.conn.execute(
            "INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT :keep, tag FROM contact_tags WHERE contact_id = :other",
            {"keep": keep, "other": other},
        )
        self.conn.execute("DELETE FROM contact_tags WHERE contact_id = ?", (other,))
        self.conn.execute(
            "UPDATE cadences SET contact_id = :keep WHERE contact_id = :other "
            "AND NOT EXISTS (SELECT 1 FROM cadences WHERE contact_id = :keep)",
            {"keep": keep, "other": other},
        )
        self.conn.execute("DELETE FROM cadences WHERE contact_id = ?", (other,))
        for table, column in (
            ("followups", "contact_id"),
            ("events", "contact_id"),
            ("interactions", "introducer_id"),
            ("mail_messages", "contact_id"),
        ):
            self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (keep, other))
        # the same step planned for both records (they were in one interaction) is sent once
        self.conn.execute(
            "UPDATE followups SET status = 'cancelled', cancel_reason = 'the same person, recorded twice' "
            "WHERE status = 'planned' AND contact_id = :keep AND EXISTS (SELECT 1 FROM followups g "
            "WHERE g.status = 'planned' AND g.contact_id = :keep AND g.thread_id = followups.thread_id "
            "AND g.rule = followups.rule AND g.interaction_id IS followups.interaction_id AND g.id < followups.id)",
            {"keep": keep},
        )
        self.conn.execute("DELETE FROM contacts WHERE id = ?", (other,))
        self.touch_contacts([keep])

    def reopen_followup(
        self, followup_id: int, opens: dt.datetime, due: dt.datetime, suggested: dt.datetime, why: str
    ) -> None:
        """Plan a follow-up cancelled a moment ago again, at its new window (an interaction corrected)."""
        self.conn.execute(
            "UPDATE followups SET status = 'planned', cancel_reason = NULL, not_before = ?, due_by = ?, "
            "suggested_at = ?, why = ? WHERE id = ?",
            (iso(opens), iso(due), iso(suggested), why, followup_id),
        )

    # -- helpers -------------------------------------------------------------------------------------
    def _drop_followups(self, where: str, params: tuple[int, ...]) -> None:
        ids = [r[0] for r in self.conn.execute(f"SELECT id FROM followups WHERE {where}", params)]
        if ids:
            marks = ",".join("?" for _ in ids)
            self.conn.execute(f"UPDATE followups SET parent_id = NULL WHERE parent_id IN ({marks})", ids)
            # the mail stays (it was sent, or it came); a message still waiting to leave does not
            self.conn.execute(
                f"UPDATE mail_messages SET followup_id = NULL WHERE followup_id IN ({marks})", ids
            )
            self.conn.execute(
                f"UPDATE outbox SET status = 'cancelled', error = 'its follow-up was deleted' "
                f"WHERE status = 'queued' AND followup_id IN ({marks})",
                ids,
            )
            self.conn.execute(f"DELETE FROM followups WHERE id IN ({marks})", ids)

    def _drop_empty_thread(self, thread_id: int) -> None:
        if self._one("SELECT 1 FROM interactions WHERE thread_id = ?", (thread_id,)):
            return
        self._drop_followups("thread_id = ?", (thread_id,))
        self.conn.execute("DELETE FROM events WHERE thread_id = ?", (thread_id,))
        self.conn.execute(
            "UPDATE mail_messages SET thread_id = NULL, decision = NULL WHERE thread_id = ?", (thread_id,)
        )
        self.conn.execute("DELETE FROM threads WHERE id = ?", (thread_id,))

    def touch_contacts(self, contact_ids: Iterable[int]) -> None:
        """Bring each person's last interaction, and last contact of any kind, up to date (after an
        interaction is added, moved or gone, a message sent, a reply or a mail recorded)."""
        self.conn.executemany(
            "UPDATE contacts SET last_at = (SELECT max(i.at) FROM interaction_contacts ic "
            "JOIN interactions i ON i.id = ic.interaction_id WHERE ic.contact_id = contacts.id), "
            f"last_contact_at = {LAST_CONTACT} WHERE id = ?",
            [(c,) for c in set(contact_ids) if c is not None],
        )
