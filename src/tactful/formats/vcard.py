"""vCard files (`.vcf`) of versions 2.1, 3.0 and 4.0, read with `vobject`.

Phones and address books write them differently: Android's 2.1 cards carry bare type words
(`TEL;CELL;PREF:`) and QUOTED-PRINTABLE values with `CHARSET=UTF-8`, whose long lines end in a soft
`=` break; Apple's 3.0 cards group a value with its custom label (`item1.EMAIL` + `item1.X-ABLabel`)
and repeat `type=` parameters; 4.0 cards write `TYPE="voice,cell"`, `PREF=1` and `tel:` addresses.
Each card is read on its own, so one broken card is reported with its line and the rest still read.
"""

from __future__ import annotations

import re
from typing import Any

from .records import (
    Address,
    ImportedContact,
    Parsed,
    ParseError,
    Problem,
    clean,
    linkedin_url,
    looks_like_email,
)

_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
#: Type words that say how a value is carried rather than what it is for.
_NOT_LABELS = {"internet", "pref", "x400", "voice", "text", "uri", "encoding", "quoted-printable"}
#: Apple's built-in labels, written `_$!<Other>!$_`.
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


def split_cards(text: str, file: str, problems: list[Problem]) -> list[tuple[int, str]]:
    """(first line, text) of every BEGIN:VCARD ... END:VCARD block."""
    cards: list[tuple[int, str]] = []
    start: int | None = None
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _BEGIN.match(line):
            if start is not None:
                problems.append(Problem(file, start, "BEGIN:VCARD without its END:VCARD"))
            start, lines = number, [line]
        elif start is not None:
            lines.append(line)
            if _END.match(line):
                cards.append((start, "\r\n".join(lines) + "\r\n"))
                start = None
    if start is not None:
        problems.append(Problem(file, start, "BEGIN:VCARD without its END:VCARD"))
    return cards


def parse_vcards(text: str, file: str) -> Parsed[ImportedContact]:
    import vobject

    parsed: Parsed[ImportedContact] = Parsed()
    cards = split_cards(text, file, parsed.problems)
    if not cards and not parsed.problems:
        raise ParseError(
            Problem(file, 1, "no BEGIN:VCARD found: is this a vCard (.vcf) file?"), whole_file=True
        )
    for start, block in cards:
        try:
            card = vobject.readOne(block, allowQP=True)
        except Exception as exc:  # vobject raises its own errors, and plain ones on odd input
            relative, name = _locate(block)
            relative = getattr(exc, "lineNumber", None) or relative
            if isinstance(exc, UnicodeDecodeError):
                message = f"the value is not {exc.encoding.upper()} text once decoded; check its CHARSET"
            else:
                message = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
            parsed.problems.append(Problem(file, start + relative - 1, f"unreadable: {message}", name))
            continue
        item = _contact(card, start, file, parsed.problems)
        if item is not None:
            parsed.items.append(item)
    parsed.items.sort(key=lambda c: c.line)
    parsed.problems.sort(key=lambda p: p.line)
    return parsed


def _locate(block: str) -> tuple[int, str | None]:
    """The line (counted in the card) and property that a card's reading failed on, read line by line."""
    import io

    from vobject.base import getLogicalLines, textLineToContentLine

    for text, number in getLogicalLines(io.StringIO(block), allowQP=True):
        try:
            textLineToContentLine(text, number)
        except Exception:
            name = text.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper()
            return number, (name if ":" in text else None)
    return 1, None


def _types(prop: Any) -> list[str]:
    """Every TYPE word of a property: `TYPE=a,b`, repeated `type=`, and 2.1's bare words."""
    words: list[str] = []
    for value in prop.params.get("TYPE", []):
        words.extend(w.strip().strip('"') for w in str(value).split(","))
    words.extend(str(w) for w in prop.singletonparams)
    return [w for w in words if w]


def _address(prop: Any, labels: dict[str, str]) -> tuple[Address, bool]:
    types = _types(prop)
    value = str(prop.value).strip()
    if value.casefold().startswith(("tel:", "mailto:")):
        value = value.split(":", 1)[1]
    value = value.replace("\\:", ":").replace("\\,", ",").replace("\\;", ";")
    primary = any(t.casefold() == "pref" for t in types) or "1" in prop.params.get("PREF", [])
    label = labels.get(prop.group or "") or next(
        (t.lower() for t in types if t.casefold() not in _NOT_LABELS), None
    )
    return Address(value, clean(label)), primary  # a label is a cell too: no NUL, no line break


def _ordered(props: list[Any], labels: dict[str, str]) -> list[tuple[Any, Address]]:
    found = [(prop, *_address(prop, labels)) for prop in props]
    found.sort(key=lambda entry: not entry[2])  # the preferred one first
    return [(prop, address) for prop, address, _ in found]


def _name(card: Any) -> str | None:
    if "fn" in card.contents:
        name = clean(str(card.fn.value))
        if name:
            return name
    if "n" in card.contents:
        n = card.n.value
        parts = [getattr(n, key, "") for key in ("prefix", "given", "additional", "family", "suffix")]
        flat = [" ".join(p) if isinstance(p, list) else str(p) for p in parts]
        return clean(" ".join(flat))
    return None


def _contact(card: Any, start: int, file: str, problems: list[Problem]) -> ImportedContact | None:
    def line_of(prop: Any) -> int:
        relative = getattr(prop, "lineNumber", None)
        return start + int(relative) - 1 if isinstance(relative, int) else start

    labels: dict[str, str] = {}
    for prop in card.getChildren():
        if prop.name == "X-ABLABEL" and prop.group:
            raw = str(prop.value).strip()
            match = _APPLE_LABEL.match(raw)
            labels[prop.group] = (match.group(1) if match else raw).lower()
    name = _name(card)
    if not name:
        problems.append(Problem(file, start, "the card has no name (neither FN nor N)", "FN"))
        return None
    emails = _ordered(card.contents.get("email", []), labels)
    for prop, address in emails:
        if not looks_like_email(address.value):
            problems.append(
                Problem(file, line_of(prop), f"{address.value!r} is not an email address", "EMAIL")
            )
            return None
    phones = _ordered(card.contents.get("tel", []), labels)
    urls = [a for _, a in _ordered(card.contents.get("url", []), labels)]
    urls += [a for _, a in _ordered(card.contents.get("x-socialprofile", []), labels)]
    profile = next((linkedin_url(a.value) for a in urls if linkedin_url(a.value)), None)
    org = None
    if "org" in card.contents:
        value = card.org.value
        org = clean(str(value[0] if isinstance(value, list) and value else value or ""))
    role = clean(str(card.title.value)) if "title" in card.contents else None
    return ImportedContact(
        line=start,
        name=name,
        emails=[a for _, a in emails],
        phones=[a for _, a in phones],
        urls=[a for a in urls if a.value != profile],
        organisation=org,
        role=role,
        linkedin=profile,
    )
