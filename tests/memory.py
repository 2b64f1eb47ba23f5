"""Histories held in memory: the part of the `Store` protocol the follow-up loop uses, with no database.

The planner tests run the real use cases (`log`, `done`, `reply`, `outcome`, `agenda`) over this, so
they exercise the playbook on concrete dates without SQLite; what the SQLite store itself does is
tested in test_store.py. Every read hands back copies, as a database would, and a transaction that
fails puts everything back as it was.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from tactful.domain import (
    Channel,
    Contact,
    Event,
    FollowUp,
    Interaction,
    Outcome,
    Profile,
    SeenMail,
    Status,
    Thread,
    ThreadHistory,
    fold,
    name_keys,
)
from tactful.store.rows import norm


def _moment(value: dt.datetime | None) -> dt.datetime | None:
    """A moment as the SQLite store keeps it: in UTC, to the second."""
    return value.astimezone(dt.UTC).replace(microsecond=0) if value is not None else None


@dataclass
class _Data:
    profile: Profile = field(default_factory=Profile)
    organisations: dict[str, str] = field(default_factory=dict)  # norm -> the name first given
    contacts: dict[int, Contact] = field(default_factory=dict)
    threads: dict[int, Thread] = field(default_factory=dict)
    interactions: dict[int, Interaction] = field(default_factory=dict)
    events: dict[int, Event] = field(default_factory=dict)
    followups: dict[int, FollowUp] = field(default_factory=dict)
    last_ids: dict[str, int] = field(default_factory=dict)  # ids count per table, as SQLite's do
    mail: dict[str, SeenMail] = field(default_factory=dict)
    message_ids: dict[int, str] = field(default_factory=dict)  # follow-up -> the Message-ID it went out with
    failing: dict[str, dt.datetime] = field(default_factory=dict)


class MemoryStore:
    location = ":memory-histories:"

    def __init__(self) -> None:
        self.data = _Data()
        self._depth = 0
        self._kept: _Data | None = None  # the data as it was when the current transaction began
        self.changes: list[tuple[int, str, str, _Data]] = []  # what undo puts back, newest last

    # -- transactions -----------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        kept = copy.deepcopy(self.data)
        if self._depth == 0:
            self._kept = kept
        self._depth += 1
        try:
            yield
        except BaseException:
            self.data = kept
            if self._depth == 1 and self.changes and self.changes[-1][3] is kept:
                self.changes.pop()
            raise
        finally:
            self._depth -= 1

    # -- changes to take back: the whole history as it was before each -------------------------------
    def begin_change(self, kind: str, summary: str, at: dt.datetime) -> None:
        assert self._depth > 0 and self._kept is not None
        if self.changes and self.changes[-1][3] is self._kept:
            return  # part of a larger change already begun
        self.changes.append((len(self.changes) + 1, kind, summary, self._kept))

    def describe_change(self, summary: str) -> None:
        if self.changes and self.changes[-1][3] is self._kept:
            number, kind, _, before = self.changes[-1]
            self.changes[-1] = (number, kind, summary, before)

    def last_change(self) -> tuple[int, str, str] | None:
        return self.changes[-1][:3] if self.changes else None

    def forget_change(self, change_id: int) -> None:
        self.changes = [c for c in self.changes if c[0] != change_id]

    def undo_change(self, change_id: int) -> None:
        number, _, _, before = self.changes.pop()
        assert number == change_id
        self.data = copy.deepcopy(before)

    def close(self) -> None:
        pass

    def _new_id(self, table: str) -> int:
        self.data.last_ids[table] = self.data.last_ids.get(table, 0) + 1
        return self.data.last_ids[table]

    def _organisation(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.data.organisations.setdefault(norm(name), name.strip())

    # -- the user -----------------------------------------------------------------------------------------
    def get_profile(self) -> Profile:
        return copy.deepcopy(self.data.profile)

    def save_profile(self, profile: Profile) -> None:
        self.data.profile = copy.deepcopy(profile)

    # -- people -------------------------------------------------------------------------------------------
    def find_contacts(self, name: str) -> list[Contact]:
        return [
            copy.copy(c)
            for c in sorted(self.data.contacts.values(), key=lambda c: c.id)
            if fold(name) and fold(name) in name_keys(c.name)
        ]

    def find_contact_by_email(self, email: str) -> Contact | None:
        found = [c for c in self.data.contacts.values() if c.email and c.email.lower() == email.lower()]
        return copy.copy(min(found, key=lambda c: c.id)) if found else None

    def search_contacts(self, terms: Sequence[str], limit: int) -> list[tuple[Contact, dt.datetime | None]]:
        def words(c: Contact) -> list[str]:
            text = " ".join([*name_keys(c.name), fold(c.organisation or ""), (c.email or "").lower()])
            return re.findall(r"\w+", text)

        def fits(c: Contact) -> bool:
            return all(
                any(w.startswith(t) for w in words(c)) for term in terms for t in re.findall(r"\w+", term)
            )

        def last(c: Contact) -> dt.datetime | None:
            ats = [i.at for i in self.data.interactions.values() if c.id in i.contact_ids]
            return max(ats, default=None)

        found = [(copy.copy(c), last(c)) for c in self.data.contacts.values() if fits(c)]
        found.sort(key=lambda pair: (pair[1] is None, -(pair[1].timestamp() if pair[1] else 0), -pair[0].id))
        return found[:limit]

    def contact_addresses(self, contact_id: int) -> list[tuple[str, str, str | None]]:
        return []  # imports and merges, which keep further addresses, are tested on SQLite

    def count_contacts(self) -> int:
        return len(self.data.contacts)

    def get_contact(self, contact_id: int) -> Contact | None:
        found = self.data.contacts.get(contact_id)
        return copy.copy(found) if found else None

    def contacts(self, ids: Iterable[int]) -> list[Contact]:
        return [copy.copy(self.data.contacts[i]) for i in sorted(set(ids)) if i in self.data.contacts]

    def add_contact(self, name: str, at: dt.datetime, organisation: str | None = None, **fields: Any) -> int:
        new = Contact(
            id=self._new_id("contacts"), name=name.strip(), organisation=self._organisation(organisation)
        )
        self.data.contacts[new.id] = new
        self.update_contact(new.id, **fields)
        return new.id

    def update_contact(
        self, contact_id: int, organisation: str | None = None, cleared: Sequence[str] = (), **fields: Any
    ) -> None:
        person = self.data.contacts[contact_id]
        for key in cleared:
            setattr(person, "organisation" if key == "org" else key, None)
        if organisation:
            person.organisation = self._organisation(organisation)
        for key, value in fields.items():
            if value is None:
                continue
            if key == "prefers":
                value = Channel(value)
            elif key == "linkedin_connected":
                value = bool(value)
            setattr(person, key, value)

    # -- threads and what happened in them ---------------------------------------------------------------
    def add_thread(self, at: dt.datetime, title: str | None, organisation: str | None) -> int:
        thread = Thread(
            id=self._new_id("threads"), title=title, organisation=self._organisation(organisation)
        )
        thread.created_at = _moment(at)
        self.data.threads[thread.id] = thread
        return thread.id

    def get_thread(self, thread_id: int) -> Thread | None:
        found = self.data.threads.get(thread_id)
        return copy.copy(found) if found else None

    def update_thread(self, thread_id: int, **values: Any) -> None:
        thread = self.data.threads[thread_id]
        for key, value in values.items():
            if key == "outcome":
                value = Outcome(value) if value else None
            elif key == "closed":
                value = bool(value)
            elif isinstance(value, dt.datetime):
                value = _moment(value)
            setattr(thread, key, value)

    def find_open_thread(self, organisation: str | None, title: str | None) -> int | None:
        candidates = [t for t in self.data.threads.values() if not t.closed]
        if organisation:
            if norm(organisation) not in self.data.organisations:
                return None
            candidates = [
                t for t in candidates if t.organisation and norm(t.organisation) == norm(organisation)
            ]
        if title:
            candidates = [t for t in candidates if (t.title or "").lower() == title.strip().casefold()]
        return max((t.id for t in candidates), default=None)

    def find_open_thread_for_contact(self, contact_id: int) -> int | None:
        written_to = {f.thread_id for f in self.data.followups.values() if f.contact_id == contact_id}
        took_part = [
            i
            for i in self.data.interactions.values()
            if not self.data.threads[i.thread_id].closed
            and (i.introducer_id == contact_id or contact_id in i.contact_ids or i.thread_id in written_to)
        ]
        latest = max(took_part, key=lambda i: (i.at, i.thread_id), default=None)
        return latest.thread_id if latest else None

    def open_threads_of(self, contact_ids: Iterable[int]) -> list[int]:
        wanted = set(contact_ids)
        data = self.data
        theirs = {i.thread_id for i in data.interactions.values() if i.introducer_id in wanted}
        theirs |= {i.thread_id for i in data.interactions.values() if wanted & set(i.contact_ids)}
        theirs |= {f.thread_id for f in data.followups.values() if f.contact_id in wanted}
        last: dict[int, dt.datetime] = {}
        for i in data.interactions.values():
            if i.thread_id in theirs and not data.threads[i.thread_id].closed:
                last[i.thread_id] = max(last.get(i.thread_id, i.at), i.at)
        return sorted(last, key=lambda t: (last[t], t), reverse=True)

    def threads_for_contact(self, contact_id: int) -> list[int]:
        found = {i.thread_id for i in self.data.interactions.values() if contact_id in i.contact_ids}
        found |= {f.thread_id for f in self.data.followups.values() if f.contact_id == contact_id}
        return sorted(found)

    def count_threads(self) -> int:
        return len(self.data.threads)

    def dormant_threads(self, since: dt.datetime | None) -> list[Thread]:
        resting = [
            t
            for t in self.data.threads.values()
            if t.dormant_at is not None and not t.closed and (since is None or t.dormant_at >= since)
        ]
        return [
            copy.copy(t) for t in sorted(resting, key=lambda t: t.dormant_at or dt.datetime.min, reverse=True)
        ]

    def labels(self, thread_ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
        threads = self.data.threads
        return {i: (threads[i].title, threads[i].organisation) for i in set(thread_ids) if i in threads}

    def add_interaction(self, i: Interaction) -> int:
        kept = replace(i, id=self._new_id("interactions"), at=_moment(i.at))
        self.data.interactions[kept.id] = kept
        return kept.id

    def add_event(self, e: Event) -> int:
        kept = replace(e, id=self._new_id("events"), at=_moment(e.at))
        self.data.events[kept.id] = kept
        return kept.id

    def history(self, thread_id: int) -> ThreadHistory:
        data = self.data
        interactions = sorted(
            (i for i in data.interactions.values() if i.thread_id == thread_id), key=lambda i: (i.at, i.id)
        )
        followups = sorted(
            (f for f in data.followups.values() if f.thread_id == thread_id),
            key=lambda f: (f.not_before, f.id),
        )
        events = sorted(
            (e for e in data.events.values() if e.thread_id == thread_id), key=lambda e: (e.at, e.id)
        )
        ids = {c for i in interactions for c in i.contact_ids} | {f.contact_id for f in followups}
        ids |= {i.introducer_id for i in interactions if i.introducer_id}
        return copy.deepcopy(
            ThreadHistory(
                data.threads[thread_id],
                interactions,
                followups,
                events,
                {c.id: c for c in self.contacts(ids)},
            )
        )

    # -- follow-ups ---------------------------------------------------------------------------------------
    def get_followup(self, followup_id: int) -> FollowUp | None:
        found = self.data.followups.get(followup_id)
        return copy.copy(found) if found else None

    def add_followup(self, f: FollowUp) -> int:
        kept = replace(
            f,
            id=self._new_id("followups"),
            not_before=_moment(f.not_before),
            due_by=_moment(f.due_by),
            suggested_at=_moment(f.suggested_at),
        )
        self.data.followups[kept.id] = kept
        return kept.id

    def cancel_followup(self, followup_id: int, reason: str) -> None:
        f = self.data.followups[followup_id]
        if f.status is Status.PLANNED:
            f.status, f.cancel_reason = Status.CANCELLED, reason

    def finish_followup(
        self,
        followup_id: int,
        status: Status,
        at: dt.datetime | None = None,
        channel: Channel | None = None,
        text: str | None = None,
        reason: str | None = None,
    ) -> None:
        f = self.data.followups[followup_id]
        f.status, f.done_at, f.text, f.cancel_reason = status, _moment(at), text, reason
        if channel is not None:
            f.channel = channel

    def move_followup(
        self,
        followup_id: int,
        opens: dt.datetime,
        due: dt.datetime,
        suggested: dt.datetime,
        why: str | None = None,
    ) -> None:
        f = self.data.followups[followup_id]
        f.not_before, f.due_by, f.suggested_at = _moment(opens), _moment(due), _moment(suggested)
        f.why = why if why is not None else f.why

    def followups_for_contacts(
        self, contact_ids: Iterable[int], since: dt.datetime | None = None
    ) -> list[FollowUp]:
        wanted = set(contact_ids)
        found = [
            f
            for f in self.data.followups.values()
            if f.contact_id in wanted
            and (
                f.status is Status.PLANNED
                or (
                    f.status is Status.DONE
                    and f.done_at is not None
                    and (since is None or f.done_at >= since)
                )
            )
        ]
        return [copy.copy(f) for f in sorted(found, key=lambda f: (f.not_before, f.id))]

    def planned_until(self, horizon: dt.datetime | None) -> list[FollowUp]:
        found = [
            f
            for f in self.data.followups.values()
            if f.status is Status.PLANNED and (horizon is None or f.not_before <= horizon)
        ]
        return [copy.copy(f) for f in sorted(found, key=lambda f: (f.due_by, f.id))]

    # -- mail ---------------------------------------------------------------------------------------------
    def add_mail(self, mail: SeenMail, at: dt.datetime) -> None:
        assert mail.message_id not in self.data.mail
        self.data.mail[mail.message_id] = replace(mail, at=_moment(mail.at), until=_moment(mail.until))

    def seen_mail(self, message_ids: Iterable[str]) -> set[str]:
        return {m for m in message_ids if m in self.data.mail}

    def sent_with(self, message_ids: Iterable[str]) -> dict[str, tuple[int, int | None]]:
        found: dict[str, tuple[int, int | None]] = {}
        by_id = {mid: fid for fid, mid in self.data.message_ids.items()}
        for mid in message_ids:
            if mid in by_id:
                f = self.data.followups[by_id[mid]]
                found[mid] = (f.thread_id, f.contact_id)
            elif (m := self.data.mail.get(mid)) and m.direction == "sent" and m.thread_id is not None:
                found[mid] = (m.thread_id, m.contact_id)
        return found

    def get_mail(self, message_id: str) -> SeenMail | None:
        found = self.data.mail.get(message_id)
        return copy.copy(found) if found else None

    def mail_proposals(self) -> list[SeenMail]:
        waiting = [m for m in self.data.mail.values() if m.decision == "proposed"]
        return [copy.copy(m) for m in sorted(waiting, key=lambda m: (m.at, m.message_id))]

    def received_since(self, since: dt.datetime) -> list[SeenMail]:
        found = [m for m in self.data.mail.values() if m.direction == "received" and m.at >= since]
        return [copy.copy(m) for m in sorted(found, key=lambda m: m.at, reverse=True)]

    def thread_mail(self, thread_id: int) -> list[SeenMail]:
        mine = [m for m in self.data.mail.values() if m.thread_id == thread_id]
        return [copy.copy(m) for m in sorted(mine, key=lambda m: (m.at, m.message_id))]

    def decide_mail(self, message_id: str, decision: str) -> None:
        self.data.mail[message_id].decision = decision

    def followup_by_message_id(self, message_id: str) -> int | None:
        return next((fid for fid, mid in self.data.message_ids.items() if mid == message_id), None)

    def set_message_id(self, followup_id: int, message_id: str) -> None:
        self.data.message_ids[followup_id] = message_id

    def set_channel(self, followup_id: int, channel: Channel) -> None:
        self.data.followups[followup_id].channel = channel

    def mark_failing(self, address: str, at: dt.datetime, message_id: str | None) -> None:
        self.data.failing[address.lower()] = at

    def failing(self, addresses: Iterable[str]) -> set[str]:
        return {a.lower() for a in addresses if a.lower() in self.data.failing}

    # -- the long game: no tags or cadences are kept in memory ------------------------------------------
    def cadenced(self, contact_ids: Any = None) -> list[tuple[int, str, str, str | None, str]]:
        return []  # no cadences are kept in memory

    def followups_by_rule(self, contact_id: int, rule: str) -> list[FollowUp]:
        return [f for f in self.data.followups.values() if f.contact_id == contact_id and f.rule == rule]

    def tags_of(self, contact_id: int) -> list[str]:
        return []

    def planned_opens(self, rule: str) -> list[dt.datetime]:
        return [
            f.not_before
            for f in self.data.followups.values()
            if f.rule == rule and f.status.value == "planned"
        ]
