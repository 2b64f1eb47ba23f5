"""The mail tactful matched to threads, and the addresses that bounced: their SQL, in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..domain import MailAccount, Outgoing, SeenMail
from .connection import Connection
from .rows import iso, when

_COLUMNS = (
    "message_id, direction, at, contact_id, thread_id, kind, followup_id, subject, text, until, said, "
    "proposal, decision"
)


def _mail(row: Any) -> SeenMail:
    values = list(row)
    values[2] = when(values[2])
    values[9] = when(values[9])
    return SeenMail(*values)


class MailRows(Connection):
    def add_mail(self, mail: SeenMail, at: dt.datetime) -> None:
        self.conn.execute(
            f"INSERT INTO mail_messages ({_COLUMNS}, seen_at) VALUES ({', '.join('?' * 14)})",
            (
                mail.message_id,
                mail.direction,
                iso(mail.at),
                mail.contact_id,
                mail.thread_id,
                mail.kind,
                mail.followup_id,
                mail.subject,
                mail.text,
                iso(mail.until),
                mail.said,
                mail.proposal,
                mail.decision,
                iso(at),
            ),
        )
        self._contacted(mail.contact_id, iso(mail.at))  # a message is a contact

    def seen_mail(self, message_ids: Iterable[str]) -> set[str]:
        """Which of these messages were matched before."""
        ids = list(dict.fromkeys(message_ids))
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT message_id FROM mail_messages WHERE message_id IN ({marks})", chunk
                )
            )
        return found

    def sent_with(self, message_ids: Iterable[str]) -> dict[str, tuple[int, int | None]]:
        """{Message-ID: (thread, contact)} for those of these the user sent: seen in Sent or an
        import, or minted for a draft (`draft --eml`) and so perhaps sent from another program."""
        ids = list(dict.fromkeys(message_ids))[:200]
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT message_id, thread_id, contact_id FROM followups WHERE message_id IN ({marks}) "
            f"UNION ALL SELECT message_id, thread_id, contact_id FROM mail_messages "
            f"WHERE direction = 'sent' AND thread_id IS NOT NULL AND message_id IN ({marks})",
            ids + ids,
        )
        return {mid: (thread_id, contact_id) for mid, thread_id, contact_id in rows}

    def get_mail(self, message_id: str) -> SeenMail | None:
        row = self._one(f"SELECT {_COLUMNS} FROM mail_messages WHERE message_id = ?", (message_id,))
        return _mail(row) if row else None

    def mail_proposals(self) -> list[SeenMail]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail_messages WHERE decision = 'proposed' ORDER BY at, message_id"
        )
        return [_mail(r) for r in rows]

    def received_since(self, since: dt.datetime) -> list[SeenMail]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail_messages WHERE direction = 'received' AND at >= ? ORDER BY at DESC",
            (iso(since),),
        )
        return [_mail(r) for r in rows]

    def thread_mail(self, thread_id: int) -> list[SeenMail]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail_messages WHERE thread_id = ? ORDER BY at, message_id", (thread_id,)
        )
        return [_mail(r) for r in rows]

    def decide_mail(self, message_id: str, decision: str) -> None:
        self.conn.execute(
            "UPDATE mail_messages SET decision = ? WHERE message_id = ?", (decision, message_id)
        )

    def followup_by_message_id(self, message_id: str) -> int | None:
        row = self._one("SELECT id FROM followups WHERE message_id = ?", (message_id,))
        return int(row[0]) if row else None

    def mark_failing(self, address: str, at: dt.datetime, message_id: str | None) -> None:
        self.conn.execute(
            "INSERT INTO failing_addresses (address, at, message_id) VALUES (lower(?), ?, ?) "
            "ON CONFLICT(address) DO UPDATE SET at = excluded.at, message_id = excluded.message_id",
            (address, iso(at), message_id),
        )

    def failing(self, addresses: Iterable[str]) -> set[str]:
        """Which of these addresses bounced (lower-cased)."""
        wanted = [a.lower() for a in addresses][:500]
        if not wanted:
            return set()
        marks = ", ".join("?" * len(wanted))
        rows = self.conn.execute(f"SELECT address FROM failing_addresses WHERE address IN ({marks})", wanted)
        return {r[0] for r in rows}

    # -- the account, and how far its folders were read ---------------------------------------------
    def get_account(self) -> MailAccount | None:
        names = list(MailAccount.__dataclass_fields__)
        listed = ", ".join(f'"{n}"' for n in names)  # "user" is a reserved word in PostgreSQL
        row = self._one(f"SELECT {listed} FROM mail_account WHERE id = 1")
        if row is None:
            return None
        values = dict(zip(names, row, strict=True))
        values["connected_at"] = when(values["connected_at"])
        values["synced_at"] = when(values["synced_at"])
        values["digest"] = bool(values["digest"])
        return MailAccount(**values)

    def save_account(self, account: MailAccount, keep_marks: bool = False) -> None:
        """The account, replacing any other; the folders' read marks go with the old one, unless
        it is the same account connected again (`keep_marks`)."""
        values = dict(account.__dict__)
        values["connected_at"] = iso(account.connected_at)
        values["synced_at"] = iso(account.synced_at)
        values["digest"] = int(account.digest)
        if not keep_marks:
            self.conn.execute("DELETE FROM mail_folders")
        self.conn.execute("DELETE FROM mail_account")
        self._insert("mail_account", {"id": 1, **values})

    def set_digest(self, wanted: bool | None = None, sent_on: str | None = None) -> None:
        if wanted is not None:
            self.conn.execute("UPDATE mail_account SET digest = ? WHERE id = 1", (int(wanted),))
        if sent_on is not None:
            self.conn.execute("UPDATE mail_account SET digest_on = ? WHERE id = 1", (sent_on,))

    def account_synced(self, at: dt.datetime) -> None:
        self.conn.execute("UPDATE mail_account SET synced_at = ? WHERE id = 1", (iso(at),))

    def folder_mark(self, name: str) -> tuple[int, int] | None:
        """(UIDVALIDITY, the last UID read) of a folder, once read."""
        row = self._one("SELECT uidvalidity, last_uid FROM mail_folders WHERE name = ?", (name,))
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_mark(self, name: str, uidvalidity: int, last_uid: int, at: dt.datetime) -> None:
        self.conn.execute(
            "INSERT INTO mail_folders (name, uidvalidity, last_uid, read_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, "
            "read_at = excluded.read_at",
            (name, uidvalidity, last_uid, iso(at)),
        )

    # -- the outbox ---------------------------------------------------------------------------------
    def put_outgoing(self, o: Outgoing) -> None:
        """Queue a message (replacing one of the same follow-up that failed or was cancelled)."""
        self.conn.execute("DELETE FROM outbox WHERE followup_id = ?", (o.followup_id,))
        self._insert("outbox", _outgoing_row(o))

    def get_outgoing(self, followup_id: int) -> Outgoing | None:
        row = self._one(f"SELECT {_OUT} FROM outbox WHERE followup_id = ?", (followup_id,))
        return _outgoing(row) if row else None

    def outgoing(self, statuses: Iterable[str] | None = None) -> list[Outgoing]:
        if statuses is None:
            rows = self.conn.execute(f"SELECT {_OUT} FROM outbox ORDER BY send_at, followup_id")
        else:
            wanted = list(statuses)
            marks = ", ".join("?" * len(wanted))
            rows = self.conn.execute(
                f"SELECT {_OUT} FROM outbox WHERE status IN ({marks}) ORDER BY send_at, followup_id", wanted
            )
        return [_outgoing(r) for r in rows]

    def cancel_outgoing(self, followup_id: int, why: str) -> bool:
        """queued -> cancelled, if it still is queued: whether it was."""
        cur = self.conn.execute(
            "UPDATE outbox SET status = 'cancelled', error = ? WHERE followup_id = ? AND status = 'queued'",
            (why, followup_id),
        )
        return cur.rowcount == 1

    def claim_outgoing(self, followup_id: int, due: dt.datetime) -> bool:
        """queued -> sending, if it still is queued and due: whoever claims it sends it."""
        cur = self.conn.execute(
            "UPDATE outbox SET status = 'sending' WHERE followup_id = ? AND status = 'queued' AND send_at <= ?",
            (followup_id, iso(due)),
        )
        return cur.rowcount == 1

    def update_outgoing(self, followup_id: int, **values: Any) -> None:
        values = {k: (iso(v) if isinstance(v, dt.datetime) else v) for k, v in values.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(f"UPDATE outbox SET {sets} WHERE followup_id = ?", [*values.values(), followup_id])

    def sent_since(self, since: dt.datetime) -> int:
        row = self._one(
            "SELECT count(*) FROM outbox WHERE status IN ('sending', 'sent') AND coalesce(sent_at, send_at) >= ?",
            (iso(since),),
        )
        return int(row[0])


_OUT = ", ".join(Outgoing.__dataclass_fields__)


def _outgoing_row(o: Outgoing) -> dict[str, Any]:
    values = dict(o.__dict__)
    for key in ("send_at", "queued_at", "sent_at"):
        values[key] = iso(values[key])
    values["filed"] = int(o.filed)
    return values


def _outgoing(row: Any) -> Outgoing:
    values = dict(zip(Outgoing.__dataclass_fields__, row, strict=True))
    for key in ("send_at", "queued_at", "sent_at"):
        values[key] = when(values[key])
    values["filed"] = bool(values["filed"])
    values["raw"] = bytes(values["raw"])
    return Outgoing(**values)
