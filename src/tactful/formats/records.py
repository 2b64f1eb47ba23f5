"""What the readers of other tools' exports make: contacts, proposed interactions, and problems.

A leaf that every reader imports. Each parser is pure: the text of one file in, a `Parsed` out, holding what it understood (contacts,
or interactions proposed from calendar events) and a `Problem` for every row or component it could
not read, naming the file, the line and the field. Whether a problem stops the import is the use
case's choice (`--skip-bad`), not the parser's. A file that is not of the expected kind at all raises
`ParseError` at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import InvalidInput, ref

T = TypeVar("T")


@dataclass(frozen=True)
class Address:
    """An email address, phone number or web address, with the label the source gave it."""

    value: str
    label: str | None = None


@dataclass
class ImportedContact:
    """One person as a file describes them, before merging with who is already known."""

    line: int
    name: str
    emails: list[Address] = field(default_factory=list)
    phones: list[Address] = field(default_factory=list)
    urls: list[Address] = field(default_factory=list)
    organisation: str | None = None
    role: str | None = None
    linkedin: str | None = None
    connected_on: dt.date | None = None
    linkedin_connected: bool = False


@dataclass
class Person:
    name: str
    email: str | None = None


@dataclass
class ProposedInteraction:
    """A calendar event that looks like an interview, a meeting or a call: to confirm, then log."""

    line: int
    uid: str | None
    summary: str
    kind: str
    at: dt.datetime
    people: list[Person]
    organisation: str | None = None
    title: str | None = None
    note: str | None = None
    matched: str = ""


@dataclass
class Unrelated:
    """A calendar event left alone, and why."""

    line: int
    summary: str
    reason: str


@dataclass(frozen=True)
class Problem:
    """A row or component that could not be read: where, which field, and what is wrong with it."""

    file: str
    line: int
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class ParseError(InvalidInput):
    """Bad input in an imported file: the message names the file, the line and the field."""

    def __init__(self, problem: Problem, more: int = 0, whole_file: bool = False) -> None:
        text = str(problem)
        if more:
            text += f" ({more} more bad {'entry' if more == 1 else 'entries'})"
        if not whole_file:  # a whole file of the wrong kind says what it expected instead
            text += f"; fix the file, or pass {ref('skip_bad')} to import the rest"
        super().__init__(" ".join(text.split()))  # one line, whatever the file held
        self.problem = problem


@dataclass
class Parsed(Generic[T]):
    """What a parser made of a file: the records it read, and the ones it could not."""

    items: list[T] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unrelated: list[Unrelated] = field(default_factory=list)


def read_text(path: Path, guess: bool = True) -> str:
    """A file's text: UTF-8 (a byte-order mark is dropped), UTF-16 with its mark, else Windows-1252.

    Without `guess`, a file that is neither UTF-8 nor marked UTF-16 is refused, not read as Windows-1252.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}; check the path") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{path.name} is not readable UTF-16 text, as its first bytes say ({exc.reason} at byte "
                f"{exc.start}); save it again as UTF-8"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not guess:
            raise InvalidInput(
                f"{path.name} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at {exc.start}); "
                "is it the file tactful wrote?"
            ) from None
        return raw.decode("cp1252", errors="replace")


#: Characters a cell never means to hold: NUL and the other controls (line breaks become spaces),
#: and the escape that would let a file drive the terminal that shows it.
_CONTROLS = {
    **dict.fromkeys([*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)], None),
    **dict.fromkeys([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029], " "),
}


def clean(value: str | None) -> str | None:
    """A cell's text on one line with its spacing tidied, without control characters; None when
    nothing is left."""
    if value is None:
        return None
    tidy = " ".join(value.translate(_CONTROLS).split())
    return tidy or None


def looks_like_email(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(local and at and "." in domain and " " not in value)


def linkedin_url(value: str | None) -> str | None:
    """`value` when it is a LinkedIn profile address, else None (one with a NUL, another control
    character or a line break inside is none: it is kept as an address, and refused as one)."""
    if value and "linkedin.com/" in value.casefold():
        address = value.strip()
        return address if address.translate(_CONTROLS) == address else None
    return None


def csv_rows(reader: Any, file: str) -> Iterator[list[str]]:
    """The rows of a `csv.reader`; a row it cannot read (a field past the csv module's limit of
    131,072 characters, broken quoting) is a `ParseError` naming its line, never a traceback."""
    import csv

    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(
                Problem(
                    file,
                    reader.line_num,
                    f"this line cannot be read as CSV ({exc}); is the file cut or mixed?",
                ),
                whole_file=True,  # nothing after it can be read: --skip-bad would not help
            ) from None
        yield row
