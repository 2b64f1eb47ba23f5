"""Finding what the user means: a person by name, a thread by what it is about, a word from a list.

Names are matched without regard to case or spacing. A name that fits several people is an error
that lists them and says how to pick one (`#ID`, or the organisation), never a guess. Each error
names the input the name came from (`people`, `from`, ...), for the face to spell its own way.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from ..domain import Contact
from ..errors import Ambiguous, Conflict, InvalidInput, NotFound, ref
from ..store.base import Store

E = TypeVar("E", bound=StrEnum)


def is_id(text: str) -> bool:
    """Whether `text` is a row id: ASCII digits only ("²" passes str.isdigit but is no number)."""
    return text.isascii() and text.isdigit()


def choice(kind: type[E], value: str, field: str) -> E:
    """`value` as a member of `kind`, or an error about `field` listing the valid ones."""
    cleaned = value.strip().lower().replace("_", "-").replace(" ", "-")
    try:
        return kind(cleaned)
    except ValueError:
        valid = ", ".join(member.value for member in kind)
        shown = repr(value[:40]) + ("…" if len(value) > 40 else "")
        raise InvalidInput(f"{ref(field)}: unknown value {shown}; use one of: {valid}", field=field) from None


def _label(contact: Contact) -> str:
    where = f" ({contact.organisation})" if contact.organisation else ""
    return f"#{contact.id} {contact.name}{where}"


class Lookup:
    def __init__(self, store: Store, at: dt.datetime) -> None:
        self.store = store
        self.at = at

    def _by_id(self, text: str, field: str) -> Contact | None:
        text = text.strip()
        if text.startswith("#") and is_id(text[1:]):
            found = self.store.get_contact(int(text[1:]))
            if found is None:
                raise NotFound(f"{ref(field)}: no contact {text}; name them instead", field=field)
            return found
        return None

    def _pick(
        self, name: str, matches: list[Contact], org: str | None, field: str, by: str
    ) -> Contact | None:
        """The one contact `name` means; with `org`, people known at another organisation are not it.

        Several left are an error that lists them and says to write '#ID' or, as `by`, what else picks one.
        """
        if org:
            wanted = org.strip().casefold()
            matches = [c for c in matches if not c.organisation or c.organisation.casefold() == wanted]
            same = [c for c in matches if c.organisation]
            matches = same if len(matches) > 1 and same else matches
        if len(matches) > 1:
            listed = ", ".join(_label(c) for c in matches)
            raise Ambiguous(
                f"{ref(field)}: {name!r} matches {len(matches)} contacts: {listed}; write '#ID' "
                f"(e.g. {ref(field)} '#{matches[0].id}') or {by} to pick one",
                field=field,
                value=name,
                choices=tuple((c.id, _label(c)) for c in matches),
            )
        return matches[0] if matches else None

    def person(self, name: str, org: str | None, field: str) -> Contact:
        """The contact called `name` (or `#ID`) in input `field`, created when there is none."""
        found = self._by_id(name, field)
        if found:
            return found
        if not name.strip():
            raise InvalidInput(
                f"{ref(field)}: an empty name was given; write one like 'First Last'", field=field
            )
        picked = self._pick(name, self.store.find_contacts(name), org, field, f"add {ref('org')}")
        if picked:
            return picked
        new_id = self.store.add_contact(name, self.at, organisation=org)
        created = self.store.get_contact(new_id)
        assert created is not None
        return created

    def existing(self, text: str, field: str) -> Contact:
        """A contact that must already exist, named in input `field`: by `#ID`, plain id, name or email."""
        from . import validate

        text = validate.bounded(field, text, "ref")
        found = self._by_id(text, field)
        if found:
            return found
        if is_id(text.strip()):
            by_number = self.store.get_contact(int(text))
            if by_number:
                return by_number
        if "@" in text:
            by_mail = self.store.find_contact_by_email(text.strip())
            if by_mail:
                return by_mail
        picked = self._pick(text, self.store.find_contacts(text), None, field, "their email address")
        if picked is None:
            raise NotFound(
                f"{ref(field)}: no contact called {text!r}; check the spelling, or log an interaction with them "
                "first",
                field=field,
            )
        return picked

    def enrich(self, person: Contact, org: str | None, **fields: Any) -> None:
        """Record details the user just gave about `person`."""
        changes = {k: v for k, v in fields.items() if v is not None and getattr(person, k, None) != v}
        if org and not person.organisation:
            person.organisation = org
            self.store.update_contact(person.id, organisation=org)
        if changes:
            for key, value in changes.items():
                setattr(person, key, value)
            self.store.update_contact(person.id, **changes)

    def thread(
        self, thread_id: int | None, org: str | None, title: str | None, people: list[int]
    ) -> tuple[int, bool]:
        """The thread a new interaction joins, and whether it is a new one (the interface's rule for `log`).

        With an opportunity (`title`): the open thread of that opportunity at that organisation, or,
        with no organisation given, the one of these people. Without: the latest open thread of one of
        these people, at the same organisation when one is given. An organisation alone joins nothing:
        a coffee with one person never joins another person's job thread at the same company.
        """
        if thread_id is not None:
            thread = self.store.get_thread(thread_id)
            if thread is None:
                raise NotFound(
                    f"{ref('thread_id')}: no thread {thread_id}; leave it out to start a new one",
                    field="thread_id",
                )
            if thread.closed:
                raise Conflict(
                    f"{ref('thread_id')}: thread {thread_id} is closed ({thread.outcome}); leave it out to start a "
                    "new one",
                    field="thread_id",
                )
            return thread_id, False
        found = self._joined(org, title, people)
        if found is not None:
            return found, False
        return self.store.add_thread(self.at, title, org), True

    def _joined(self, org: str | None, title: str | None, people: list[int]) -> int | None:
        if title and org:
            return self.store.find_open_thread(org, title)
        for tid in self.store.open_threads_of(people):
            thread = self.store.get_thread(tid)
            if thread is None:
                continue
            if org and (thread.organisation or "").casefold() != org.strip().casefold():
                continue
            if title and (thread.title or "").strip().casefold() != title.strip().casefold():
                continue
            return tid
        return None

    def thread_of(self, person: Contact, thread_id: int | None) -> int:
        """The thread a reply from `person` belongs to: the one given, or their latest open one."""
        if thread_id is not None:
            if self.store.get_thread(thread_id) is None:
                raise NotFound(f"{ref('thread_id')}: no thread {thread_id}", field="thread_id")
            return thread_id
        found = self.store.find_open_thread_for_contact(person.id)
        if found is None:
            raise NotFound(f"{person.name} has no open thread; give {ref('thread_id')}", field="thread_id")
        return found
