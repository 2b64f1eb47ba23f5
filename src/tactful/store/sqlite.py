"""The SQLite store: plain SQL on the standard `sqlite3` module.

WAL and foreign keys are on; every use case runs inside `transaction()`, so a failure leaves the
file as it was. How it connects is in `connection`; what it selects and how rows become domain
objects in `rows`; its reads in `reads`, and those of imports, exports and backups in `transfer`.
This module adds the writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..domain import Channel, Event, FollowUp, Interaction, Profile, Status
from .edits import Edits
from .long_game import LongGameRows
from .mail import MailRows
from .reads import Reads
from .rows import iso, name_keys_text, norm, when
from .transfer import Transfers

if TYPE_CHECKING:
    from ..formats.merge import Decision

__all__ = ["SqliteStore", "iso", "norm", "when"]  # the time and name conventions, as others import them


class SqliteStore(Reads, Transfers, Edits, MailRows, LongGameRows):
    """The `Store` on one SQLite file: the reads of `Reads` and `Transfers`, the corrections of
    `Edits`, the mail of `MailRows`, the tags and records of `LongGameRows`, and the writes."""

    # -- the user and the web app's secrets ----------------------------------------------------------
    def save_profile(self, profile: Profile) -> None:
        for key in Profile.__dataclass_fields__:
            value = getattr(profile, key)
            value = list(value) if isinstance(value, tuple) else value
            self.conn.execute(
                "INSERT INTO profile (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def set_secret(self, name: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    # -- contacts ----------------------------------------------------------------------------------------
    def add_contact(self, name: str, at: dt.datetime, organisation: str | None = None, **fields: Any) -> int:
        values: dict[str, Any] = {"name": name.strip(), "norm": norm(name), "created_at": iso(at)}
        values["name_keys"] = name_keys_text(name)
        values["organisation_id"] = self.organisation_id(organisation)
        values.update({k: v for k, v in fields.items() if v is not None})
        return self._insert("contacts", values)

    def update_contact(
        self, contact_id: int, organisation: str | None = None, cleared: Sequence[str] = (), **fields: Any
    ) -> None:
        """Set the fields given (None leaves one as it is) and clear those `cleared` names ("org" too)."""
        values = {k: (v.value if isinstance(v, Channel) else v) for k, v in fields.items() if v is not None}
        values |= {("organisation_id" if k == "org" else k): None for k in cleared}
        if "name" in values:
            values["name"] = str(values["name"]).strip()
            values["norm"], values["name_keys"] = norm(values["name"]), name_keys_text(values["name"])
        if organisation:
            values["organisation_id"] = self.organisation_id(organisation)
        self._update("contacts", contact_id, values)

    def apply_import(self, decision: Decision, at: dt.datetime) -> int | None:
        """Write one merge decision; the contact's id (None when there was nothing to write)."""
        values = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in decision.fields.items()
            if k != "organisation"
        }
        organisation = decision.fields.get("organisation")
        if decision.action == "created":
            contact_id = self.add_contact(decision.item.name, at, organisation=organisation, **values)
        elif decision.action == "updated" and decision.contact_id is not None:
            contact_id = decision.contact_id
            self.update_contact(contact_id, organisation=organisation, **values)
        else:
            return decision.contact_id
        if decision.addresses:
            self.conn.executemany(
                "INSERT OR IGNORE INTO contact_addresses (contact_id, kind, value, label) VALUES (?, ?, ?, ?)",
                [(contact_id, kind, a.value, a.label) for kind, a in decision.addresses],
            )
        return contact_id

    # -- threads and what happened in them -------------------------------------------------------------
    def add_thread(self, at: dt.datetime, title: str | None, organisation: str | None) -> int:
        return self._insert(
            "threads",
            {"title": title, "organisation_id": self.organisation_id(organisation), "created_at": iso(at)},
        )

    def update_thread(self, thread_id: int, **values: Any) -> None:
        converted = {k: iso(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}
        self._update("threads", thread_id, converted)

    def set_channel(self, followup_id: int, channel: Channel) -> None:
        self.conn.execute("UPDATE followups SET channel = ? WHERE id = ?", (channel.value, followup_id))

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
        self.touch_contacts(i.contact_ids)
        return new_id

    def add_event(self, e: Event) -> int:
        new_id = self._insert(
            "events",
            {
                "thread_id": e.thread_id,
                "kind": e.kind,
                "at": iso(e.at),
                "contact_id": e.contact_id,
                "outcome": e.outcome.value if e.outcome else None,
            },
        )
        if e.kind == "reply":
            self._contacted(e.contact_id, iso(e.at))
        return new_id

    # -- follow-ups -----------------------------------------------------------------------------------
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
                "promise": f.promise,
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
        if status is Status.DONE:  # a message sent is a contact; a task of the user's own is not
            found = self._one(
                "SELECT contact_id FROM followups WHERE id = ? AND purpose NOT IN ('reminder-to-self', 'promise')",
                (followup_id,),
            )
            self._contacted(found[0] if found else None, iso(at))

    def set_message_id(self, followup_id: int, message_id: str) -> None:
        self.conn.execute("UPDATE followups SET message_id = ? WHERE id = ?", (message_id, followup_id))
