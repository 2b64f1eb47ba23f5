"""How an imported person meets the people tactful already knows: merged, never duplicated.

A person is the same contact when an email address matches (any case), else when the LinkedIn
profile matches (`https://www.linkedin.com/in/x/` is `linkedin.com/in/x`), else when the name and
the organisation match, ignoring case and spacing. A name alone matches only when exactly one
contact has it and one side has no organisation. A merge fills what is empty and never overwrites:
a different non-empty value is kept, and reported as such.

Pure: it works on `Known` records and returns a `Decision`; the store applies it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from ..domain import Contact
from .records import Address, ImportedContact

Action = Literal["created", "updated", "skipped"]
#: Fields a merge fills when empty, as (attribute, how values compare).
_FILLED = ("organisation", "role", "linkedin", "connected_on")
#: Unicode categories left out of compared names: symbols (emoji among them) and format characters.
_DROPPED = {"So", "Sk", "Cf"}


def norm(text: str | None) -> str:
    """A name or organisation as compared: case, spacing and emoji ignored ('Grace 🌍' is 'grace')."""
    composed = unicodedata.normalize("NFKC", text or "")
    kept = "".join(ch for ch in composed if unicodedata.category(ch) not in _DROPPED and ch != "\ufe0f")
    return " ".join(kept.casefold().split())


def linkedin_key(url: str | None) -> str | None:
    """A LinkedIn address reduced to what identifies the profile: `linkedin.com/in/priya-n`."""
    if not url:
        return None
    text = url.strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.split(r"[?#]", text, maxsplit=1)[0].rstrip("/")
    host, _, path = text.partition("/")
    host = re.sub(r"^(www|[a-z]{2})\.", "", host)
    return f"{host}/{path}" if path else host


def phone_key(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone)


@dataclass
class Known(Contact):
    """A contact as the merge sees it: when you connected, and every address it is known by."""

    connected_on: dt.date | None = None
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Kept:
    """A value the file had that differs from what is known: the known one stays."""

    line: int
    contact_id: int
    name: str
    field: str
    kept: str
    ignored: str


@dataclass
class Decision:
    action: Action
    item: ImportedContact
    contact_id: int | None = None
    #: The contact's columns to set: all of them for a new contact, the filled ones for an update.
    fields: dict[str, Any] = field(default_factory=dict)
    addresses: list[tuple[str, Address]] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)
    matched_by: str | None = None
    target: Known | None = field(default=None, repr=False)


class Index:
    """Who is known, by email, LinkedIn profile, and name + organisation; updated as a file is read."""

    def __init__(self, known: list[Known]) -> None:
        self.by_email: dict[str, Known] = {}
        self.by_linkedin: dict[str, Known] = {}
        self.by_name_org: dict[tuple[str, str], Known] = {}
        self.by_name: dict[str, list[Known]] = {}
        for k in known:
            self.add(k)

    def add(self, k: Known) -> None:
        for email in {*k.emails, *([k.email] if k.email else [])}:
            self.by_email.setdefault(email.casefold(), k)
        key = linkedin_key(k.linkedin)
        if key:
            self.by_linkedin.setdefault(key, k)
        self.by_name_org.setdefault((norm(k.name), norm(k.organisation)), k)
        group = self.by_name.setdefault(norm(k.name), [])
        if k not in group:
            group.append(k)

    def find(self, item: ImportedContact) -> tuple[Known | None, str | None]:
        for address in item.emails:
            found = self.by_email.get(address.value.casefold())
            if found:
                return found, "email"
        key = linkedin_key(item.linkedin)
        if key and key in self.by_linkedin:
            return self.by_linkedin[key], "linkedin"
        found = self.by_name_org.get((norm(item.name), norm(item.organisation)))
        if found:
            return found, "name and organisation"
        same_name = self.by_name.get(norm(item.name), [])
        if len(same_name) == 1 and (not same_name[0].organisation or not item.organisation):
            return same_name[0], "name"
        return None, None


def decide(item: ImportedContact, index: Index, source: str) -> Decision:
    """What to do with one imported person; `index` learns the outcome, so a file merges with itself."""
    known, how = index.find(item)
    if known is None:
        return _create(item, index, source)
    decision = Decision("skipped", item, known.id or None, matched_by=how, target=known)
    for name in _FILLED:
        new = getattr(item, name)
        old = getattr(known, name)
        if new in (None, ""):
            continue
        if old in (None, ""):
            decision.fields[name] = new
            setattr(known, name, new)
        elif _differs(name, old, new):
            decision.kept.append(Kept(item.line, known.id, known.name, name, str(old), str(new)))
    if item.linkedin_connected and not known.linkedin_connected:
        decision.fields["linkedin_connected"] = 1
        known.linkedin_connected = True
    _merge_addresses(decision, known, index, item.emails, "email")
    _merge_addresses(decision, known, index, item.phones, "phone")
    for url in item.urls:
        if url.value not in known.urls:
            known.urls.add(url.value)
            decision.addresses.append(("url", url))
    if decision.fields or decision.addresses:
        decision.action = "updated"
    index.add(known)
    return decision


def _differs(name: str, old: Any, new: Any) -> bool:
    if name == "linkedin":
        return linkedin_key(old) != linkedin_key(new)
    if isinstance(old, str) and isinstance(new, str):
        return norm(old) != norm(new)
    return bool(old != new)


def _merge_addresses(
    decision: Decision, known: Known, index: Index, addresses: list[Address], kind: str
) -> None:
    primary = "email" if kind == "email" else "phone"
    seen = known.emails if kind == "email" else known.phones
    key = (lambda v: v.casefold()) if kind == "email" else phone_key
    for address in addresses:
        value = key(address.value)
        if value in seen:
            continue
        owner = index.by_email.get(value) if kind == "email" else None
        if owner is not None and owner is not known:
            decision.kept.append(
                Kept(
                    decision.item.line, known.id, known.name, kind, f"#{owner.id} {owner.name}", address.value
                )
            )
            continue
        seen.add(value)
        if not getattr(known, primary):
            setattr(known, primary, address.value)
            decision.fields[primary] = address.value
        else:
            decision.addresses.append((kind, address))


def _create(item: ImportedContact, index: Index, source: str) -> Decision:
    emails = [a for a in item.emails if a.value.casefold() not in index.by_email]
    known = Known(
        id=0,
        name=item.name,
        email=emails[0].value if emails else None,
        phone=item.phones[0].value if item.phones else None,
        linkedin=item.linkedin,
        organisation=item.organisation,
        role=item.role,
        connected_on=item.connected_on,
        linkedin_connected=item.linkedin_connected,
        emails={a.value.casefold() for a in emails},
        phones={phone_key(a.value) for a in item.phones},
        urls={a.value for a in item.urls},
    )
    fields: dict[str, Any] = {
        "email": known.email,
        "phone": known.phone,
        "linkedin": known.linkedin,
        "organisation": known.organisation,
        "role": known.role,
        "connected_on": known.connected_on,
        "linkedin_connected": int(known.linkedin_connected),
        "imported_from": source,
    }
    addresses = [("email", a) for a in emails[1:]] + [("phone", a) for a in item.phones[1:]]
    addresses += [("url", a) for a in item.urls]
    index.add(known)
    return Decision("created", item, None, fields, addresses, target=known)


def bind(decision: Decision, contact_id: int) -> None:
    """Once a new contact is stored, its id is known: later rows that merge with it get it."""
    decision.contact_id = contact_id
    if decision.target is not None:
        decision.target.id = contact_id
