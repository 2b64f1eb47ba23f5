"""Contacts from another tool's export: LinkedIn's Connections.csv, Google Contacts, vCard.

`parse` picks the reader for a source; each reader turns the text of one file into a `Parsed` of
`ImportedContact` records (see :mod:`.records`).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInput
from .google import parse_google
from .linkedin import parse_connections
from .records import ImportedContact, Parsed
from .vcard import parse_vcards

#: The sources `tactful import` reads contacts from, and the word each is known by.
CONTACT_SOURCES = ("linkedin", "google", "vcard")


def parse(source: str, path: Path, text: str) -> Parsed[ImportedContact]:
    """Contacts from `text`, the content of `path`, read as `source` (one of CONTACT_SOURCES)."""
    name = path.name
    if source == "linkedin":
        return parse_connections(text, name)
    if source == "google":
        return parse_google(text, name)
    if source == "vcard":
        return parse_vcards(text, name)
    raise InvalidInput(f"unknown source {source!r}; use one of: {', '.join(CONTACT_SOURCES)}")
