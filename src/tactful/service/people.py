"""Finding people: everyone whose names, e-mail address or organisation begin with what was typed."""

from __future__ import annotations

import datetime as dt
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
