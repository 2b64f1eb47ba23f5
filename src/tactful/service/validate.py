"""What the use cases accept as typed: one table of length limits per field, and the checks every face
relies on (a name on one line, an e-mail address that is one, a phone number with digits in it).

Each check returns the value cleaned (stripped, an e-mail address normalised) or raises an
`InvalidInput` naming the field, with how to fix it. The limits are generous for a person and tight
for a machine: no field can carry a book into the database or a newline into a header.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..errors import InvalidInput, ref

__all__ = ["LIMITS", "bounded", "email", "line", "lines", "name", "phone", "prose", "url"]

#: The longest each field may be, in characters.
LIMITS: Mapping[str, int] = {
    # people
    "people": 120,
    "name": 120,
    "from": 120,
    "introduced_by": 120,
    "email": 254,
    "phone": 40,
    "linkedin": 300,
    "org": 160,
    "role": 160,
    "their_tz": 64,
    "tz": 64,
    "country": 64,
    # what happened
    "title": 160,
    "topics": 300,
    "questions": 500,
    "promised": 300,
    "i_promised": 300,
    "note": 2_000,
    "reason": 500,
    # the user
    "signature": 500,
    "skills": 100,
    "notes": 2_000,
    # messages
    "text": 20_000,
    # searches, and a person named by what the user remembers (#ID, name or e-mail address)
    "query": 200,
    "ref": 254,
    # a moment or day as typed ("friday 9am", "2026-03-02 10:00")
    "moment": 100,
}
#: The most skills a profile lists (drafts name one or two).
MOST_SKILLS = 50
#: Characters no one types on purpose: control characters but tab (and newline, where lines may break).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_PHONE = re.compile(r"^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$", re.IGNORECASE)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(field: str, value: str) -> None:
    """Refuse what is not text at all: a lone surrogate (JSON can carry one; no file can store it)."""
    if _SURROGATE.search(value):
        raise InvalidInput(
            f"{ref(field)}: it holds a character that is not text (a lone surrogate); type it again",
            field=field,
        )


def has_control(value: str) -> bool:
    """Whether `value` holds a control character (NUL, escape...) or a line break."""
    return bool(_CONTROL.search(value)) or "\n" in value or "\r" in value


def _too_long(field: str, value: str, limit: int | None = None) -> None:
    limit = LIMITS[field] if limit is None else limit
    if len(value) > limit:
        raise InvalidInput(
            f"{ref(field)}: {len(value):,} characters is too long; keep it to {limit:,}", field=field
        )


def line(field: str, value: str | None) -> str | None:
    """One line of text (None stays None): no line break, no control character, within its limit."""
    if value is None:
        return None
    cleaned = value.strip()
    _text(field, cleaned)
    if "\n" in cleaned or "\r" in cleaned or _CONTROL.search(cleaned):
        raise InvalidInput(f"{ref(field)}: {cleaned[:40]!r}... must be on one line", field=field)
    _too_long(field, cleaned)
    return cleaned


def bounded(field: str, value: str, kind: str) -> str:
    """A value that names something (`kind`: "ref" for a person, "moment" for a time) in input
    `field`, refused before any lookup when it is longer than such a name can be or is not text."""
    _text(field, value)
    if "\x00" in value:
        raise InvalidInput(f"{ref(field)}: it holds a NUL character; type it again", field=field)
    _too_long(field, value, LIMITS[kind])
    return value


def lines(field: str, values: Iterable[str]) -> list[str]:
    """Several one-line values (topics, questions), the empty ones left out."""
    return [v for v in (line(field, value) for value in values) if v]


def prose(field: str, value: str | None) -> str | None:
    """Text that may run over several lines (a note, a message), within its limit."""
    if value is None:
        return None
    _text(field, value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # a browser's line breaks are "\r\n"
    if _CONTROL.search(value):
        raise InvalidInput(f"{ref(field)}: it holds control characters; paste it as plain text", field=field)
    _too_long(field, value)
    return value


def name(field: str, value: str | None) -> str:
    """A person's name: required, on one line."""
    cleaned = line(field, value) or ""
    if not cleaned:
        raise InvalidInput(f"{ref(field)}: an empty name was given; write one like 'First Last'", field=field)
    return cleaned


def email(field: str, value: str | None) -> str | None:
    """An e-mail address as `email-validator` reads it, normalised; an empty one is None."""
    cleaned = line(field, value)
    if not cleaned:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(cleaned, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise InvalidInput(
            f"{ref(field)}: {cleaned!r} is not an e-mail address: {exc}", field=field
        ) from None


def phone(field: str, value: str | None) -> str | None:
    """A telephone number: digits with the usual separators, a leading +, perhaps an extension."""
    cleaned = line(field, value)
    if not cleaned:
        return None
    if not _PHONE.match(cleaned) or sum(ch.isdigit() for ch in cleaned) < 5:
        raise InvalidInput(
            f"{ref(field)}: {cleaned!r} is not a telephone number; write e.g. '+44 20 7946 0018'", field=field
        )
    return cleaned


def url(field: str, value: str | None) -> str | None:
    """A web address (a LinkedIn profile): no spaces, within its limit."""
    cleaned = line(field, value)
    if not cleaned:
        return None
    if " " in cleaned or "." not in cleaned:
        raise InvalidInput(
            f"{ref(field)}: {cleaned!r} is not a web address; write e.g. 'linkedin.com/in/priya-n'",
            field=field,
        )
    return cleaned
