"""Finding people: everyone whose names, e-mail address or organisation begin with what was typed;
and the tags the user puts on them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain import Contact, fold
from . import validate
from .base import Service

#: The most people one search lists: enough to scroll, few enough to read.
LIMIT = 200


@dataclass
class Found:
    contact: Contact
    last_interaction: dt.datetime | None


def find(svc: Service, query: str | None = None, limit: int = LIMIT) -> list[Found]:
    """People every word of `query` begins a word of (case and accents ignored): a first or last
    name, the e-mail address, the organisation; everyone without a query. Most recent first."""
    text = validate.line("query", query) or ""
    terms = [term for term in fold(text.replace("|", " ")).split() if term]
    if text.strip() and not terms:
        return []  # a query of nothing to look for finds no one, not everyone
    return [Found(c, at) for c, at in svc.store.search_contacts(terms, limit)]


#: A tag: lower-case letters (any script), digits, "-" and "_", up to 40 characters.
_TAG = re.compile(r"[^\W_][\w-]{0,39}")


def retag(
    svc: Service, who: str, add: Sequence[str] = (), remove: Sequence[str] = ()
) -> tuple[Contact, list[str]]:
    """Add and remove tags on a person (`tactful tag`, `tactful untag`); their tags after."""
    from ..errors import InvalidInput
    from .keep_in_touch import refresh
    from .lookup import Lookup

    def checked(tags: Sequence[str]) -> list[str]:
        out = []
        for given in tags:
            tag = given.strip().lower()
            if not _TAG.fullmatch(tag):
                raise InvalidInput(
                    f"{tag[:40]!r} is not a tag: use letters, digits, '-' or '_' (up to 40), e.g. mentor",
                    field="tag",
                )
            out.append(tag)
        return out

    adding, dropping = checked(add), checked(remove)
    if not adding and not dropping:
        raise InvalidInput("name at least one tag, e.g. `tactful tag Priya mentor`", field="tag")
    with svc.store.transaction():
        person = Lookup(svc.store, svc.now()).existing(who, "contact")
        verb = "tagged" if adding else "untagged"
        svc.store.begin_change("tag", f"{verb} {person.name}: {', '.join(adding or dropping)}", svc.now())
        svc.store.set_tags(person.id, adding, dropping)
        refresh(svc, [person.id])  # a tag may bring a cadence, or take one away
    return person, svc.store.tags_of(person.id)
