"""The phrasings drafts are made of, read from TOML files a user can override.

The package ships ``templates/common.toml`` (greetings, closings, how each kind of interaction is
named) and one file per purpose (``thank-you.toml``, ``check-in.toml``...). A purpose file has one
section per channel (``[email]``, ``[letter]``, ``[linkedin]``, ``[phone]`` for the talking points,
``[voicemail]``); a section lists its ``parts`` (paragraphs of element names) and, for each element,
the phrasings to choose from. A phrasing holds ``{slot}`` names filled from the thread; one whose
slots are not all known is passed over, so a message never shows an empty slot. An element may
instead be a table of such lists keyed by the kind of interaction (``interview``...), a group of
kinds (``job``, ``deal``, ``network``), a situation (``rejected``, ``again``) or ``any``.

In ``parts``, ``a|b`` takes ``b`` when no phrasing of ``a`` fits, and a trailing ``?`` marks an
element that may be left out. ``trim`` names the elements to drop first when a message runs over its
channel's length. A letter and an email fall back on each other's section (a letter on
``[email]`` first of all); every section falls back on ``common.toml``.

``Templates(override_dir=PATH)`` reads files of the same names from PATH over the shipped ones,
section by section and key by key. A broken file raises :class:`TemplateError` (an ``InvalidInput``
and a ``ValueError``) with one line naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..domain import KINDS, MESSAGES, Kind, Purpose
from ..errors import InvalidInput

__all__ = [
    "ALWAYS",
    "SLOTS",
    "Chooser",
    "Part",
    "TemplateError",
    "Templates",
    "Variant",
    "labels_for",
]

TEMPLATE_DIR = Path(__file__).with_name("templates")
COMMON = "common"
SECTIONS = ("email", "letter", "linkedin", "phone", "voicemail")
_CHAINS = {
    "email": ("email", "letter"),
    "letter": ("letter", "email"),
    "linkedin": ("linkedin",),
    "phone": ("phone",),
    "voicemail": ("voicemail",),
}
_SPECIAL = frozenset({"parts", "trim"})
_EVENTS = "events"  # common.toml's table: how each kind of interaction is named

#: Every slot a phrasing may use.
SLOTS = frozenset(
    {
        "name", "event", "day", "when", "org", "title", "opportunity", "target", "topic", "topic2", "topics",
        "skill", "skills", "asked", "question", "answer_skill", "others", "introducer", "contact",
        "contact_first", "offer", "promised_date", "decision_past", "decision_next", "user", "user_first",
        "user_phone", "user_email", "role", "met_at",
    }
)  # fmt: skip
#: Slots every thread fills: an element that must appear needs a phrasing using only these.
ALWAYS = frozenset({"name", "event", "day", "when"})
#: Elements that address the recipient and so must name them.
_NAMING = frozenset({"greeting", "greeting_formal", "greeting_informal", "opening", "hello"})

#: Each kind's group (job, deal, network), a label phrasings can be written for.
GROUPS: Mapping[Kind, str] = {kind: facts.group for kind, facts in KINDS.items()}
SITUATIONS = ("rejected", "again", "offer", "won")
LABELS = frozenset({*(k.value for k in Kind), *GROUPS.values(), *SITUATIONS, "any"})

_SLOT = re.compile(r"\{([^{}]*)\}")


class TemplateError(InvalidInput, ValueError):
    """A template file that cannot be used."""


@dataclass(frozen=True)
class Variant:
    """One phrasing, with the slots it needs."""

    text: str
    slots: frozenset[str]

    def render(self, values: Mapping[str, str]) -> str:
        return _SLOT.sub(lambda match: values[match[1]], self.text)

    def render_known(self, values: Mapping[str, str]) -> str:
        """The phrasing with what is known filled in (for comparing; unknown slots stay as written)."""
        return _SLOT.sub(lambda match: values.get(match[1], match[0]), self.text)


@dataclass(frozen=True)
class Part:
    """One entry of ``parts``: element names to try in order; optional ones may be left out."""

    keys: tuple[str, ...]
    optional: bool

    @classmethod
    def parse(cls, text: str) -> Part:
        optional = text.endswith("?")
        keys = tuple(k.strip() for k in text.rstrip("?").split("|") if k.strip())
        return cls(keys, optional)


#: Slots that name the same thing: once a message has used one, phrasings that repeat it are passed
#: over where others will do ("the Data Engineer role at Acme Robotics" once, then "the role").
SAME: Mapping[str, frozenset[str]] = {
    "target": frozenset({"target", "opportunity", "org", "title"}),
    "opportunity": frozenset({"target", "opportunity", "title"}),
    "title": frozenset({"target", "opportunity", "title"}),
    "org": frozenset({"org", "target"}),
    "topic": frozenset({"topic", "topics"}),
    "topic2": frozenset({"topic2", "topics"}),
    "topics": frozenset({"topic", "topic2", "topics"}),
    "skill": frozenset({"skill", "skills"}),
    "skills": frozenset({"skill", "skills"}),
    "answer_skill": frozenset({"answer_skill", "skill", "skills"}),
    "contact": frozenset({"contact", "contact_first"}),
    "contact_first": frozenset({"contact", "contact_first"}),
    "day": frozenset({"day", "when"}),
    "when": frozenset({"day", "when"}),
    **{slot: frozenset({slot}) for slot in ("event", "offer", "decision_past", "promised_date")},
}


class Chooser:
    """Picks one phrasing among those whose slots are known.

    The pick is stable (a hash of the thread's ``seed`` and the element, never Python's salted
    ``hash``), and offset by the recipient's ``rank`` among the thread's people, so two people of one
    thread get different phrasings wherever an element has enough of them. Within one message it
    prefers phrasings that repeat nothing already named; while ``steering``, those that name what the
    message still must (the ``needs``, groups of slots). ``attempt`` reshuffles the picks.
    """

    def __init__(
        self, seed: str, rank: int, known: AbstractSet[str], needs: tuple[frozenset[str], ...]
    ) -> None:
        self.seed, self.rank, self.known, self.needs = seed, rank, known, needs
        self.used: frozenset[str] = frozenset()
        self.attempt = 0
        self.steering = False

    def pick(self, variants: tuple[Variant, ...], key: str, optional: bool = False) -> Variant | None:
        """A phrasing to use, or ``None`` when none fits (or, for an optional element, all repeat)."""
        eligible = [v for v in variants if v.slots <= self.known]
        fresh = [v for v in eligible if not v.slots & self.used]
        if not eligible or (optional and not fresh):
            return None
        pool = fresh or eligible
        if self.steering:
            unmet = [group for group in self.needs if not group & self.used]
            pool = [v for v in pool if any(v.slots & group for group in unmet)] or pool
        salt = f"{key}#{self.attempt}" if self.attempt else key
        digest = hashlib.blake2b(f"{self.seed}\x1f{salt}".encode(), digest_size=8).digest()
        chosen = pool[(int.from_bytes(digest, "big") + self.rank) % len(pool)]
        for slot in chosen.slots:
            self.used |= SAME.get(slot, frozenset())
        return chosen


Table = dict[str, tuple[Variant, ...]]  # label -> phrasings
Section = dict[str, Any]  # element -> Table, plus "parts" and "trim"


def labels_for(kind: Kind, situations: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The labels an element table is searched by, most specific first."""
    return (*situations, kind.value, GROUPS[kind], "any")


class Templates:
    """The shipped phrasings, with a user's overrides laid over them."""

    def __init__(self, override_dir: Path | str | None = None) -> None:
        files = {name: dict(sections) for name, sections in _shipped().items()}
        self.override_dir = Path(override_dir) if override_dir is not None else None
        if self.override_dir is not None:
            _apply_overrides(files, self.override_dir)
        self._files = files

    def events(self, kind: Kind) -> tuple[Variant, ...]:
        """How an interaction of this kind is named: "the interview", "our call"."""
        table: Table = self._files[COMMON][_EVENTS][kind.value]
        return table["any"]

    def parts(self, purpose: Purpose, section: str) -> tuple[tuple[Part, ...], ...]:
        raw = self._lookup(purpose, section, "parts")
        return tuple(tuple(Part.parse(p) for p in paragraph) for paragraph in raw or ())

    def trim(self, purpose: Purpose, section: str) -> tuple[str, ...]:
        return tuple(self._lookup(purpose, section, "trim") or ())

    def phrasings(
        self, purpose: Purpose, section: str, key: str, labels: tuple[str, ...]
    ) -> tuple[Variant, ...]:
        table: Table | None = self._lookup(purpose, section, key)
        if table is None:
            return ()
        for label in labels:
            if label in table:
                return table[label]
        return ()

    def _lookup(self, purpose: Purpose | str, section: str, key: str) -> Any:
        for name in (str(purpose), COMMON):
            data = self._files.get(name, {})
            for sec in _CHAINS[section]:
                if key in data.get(sec, {}):
                    return data[sec][key]
        return None

    def check(self, origin: str) -> None:
        """Refuse a set of files some message could not be built from."""
        events = self._files.get(COMMON, {}).get(_EVENTS, {})
        for kind in Kind:
            named = events.get(kind.value, {}).get("any", ())
            if not named or not all(v.slots <= {"name", "day", "when"} for v in named):
                raise TemplateError(
                    f"{origin}: [{_EVENTS}] needs a list for '{kind}' using only {{name}}, {{day}}, {{when}}"
                )
        for purpose in MESSAGES:
            for section in SECTIONS:
                parts = self._lookup(purpose, section, "parts")
                if parts is None:
                    raise TemplateError(f"{origin}: no 'parts' for [{section}] of {purpose}")
                for paragraph in parts:
                    for text in paragraph:
                        self._check_part(purpose, section, Part.parse(text), origin)

    def _check_part(self, purpose: Purpose, section: str, part: Part, origin: str) -> None:
        for key in part.keys:
            if self._lookup(purpose, section, key) is None:
                raise TemplateError(
                    f"{origin}: [{section}] of {purpose} names '{key}' in its parts, but no file defines it"
                )
        if part.optional:
            return
        last: Table = self._lookup(purpose, section, part.keys[-1])
        for kind in Kind:
            found = next((last[label] for label in labels_for(kind) if label in last), None)
            if found is None:
                raise TemplateError(
                    f"{origin}: [{section}] '{part.keys[-1]}' of {purpose} has no phrasing for '{kind}' "
                    "(add an 'any' list)"
                )
            if not any(v.slots <= ALWAYS for v in found):
                allowed = ", ".join("{" + s + "}" for s in sorted(ALWAYS))
                raise TemplateError(
                    f"{origin}: [{section}] '{part.keys[-1]}' of {purpose} needs a phrasing that uses only "
                    f"{allowed}, since the other facts may be missing"
                )


@lru_cache(maxsize=1)
def _shipped() -> dict[str, dict[str, Section]]:
    files = {path.stem: _read(path, None) for path in sorted(TEMPLATE_DIR.glob("*.toml"))}
    templates = Templates.__new__(Templates)
    templates._files = files
    templates.check(str(TEMPLATE_DIR))
    return files


def _apply_overrides(files: dict[str, dict[str, Section]], directory: Path) -> None:
    if not directory.is_dir():
        raise TemplateError(f"{directory}: not a directory of template files")
    for path in sorted(directory.glob("*.toml")):
        if path.stem not in files:
            known = ", ".join(sorted(files))
            raise TemplateError(f"{path}: not a template file name; use one of: {known} (.toml)")
        override = _read(path, files)
        merged = files[path.stem]
        for section, table in override.items():
            merged[section] = {**merged.get(section, {}), **table}
        overridden = Templates.__new__(Templates)
        overridden._files = files
        overridden.check(str(path))


def _read(path: Path, schema: dict[str, dict[str, Section]] | None) -> dict[str, Section]:
    """One template file; with a schema (the shipped files), refuse sections and keys they lack."""
    import tomllib

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise TemplateError(f"{path}: cannot read the template file ({err.strerror or err})") from err
    except tomllib.TOMLDecodeError as err:
        raise TemplateError(f"{path}: not valid TOML: {' '.join(str(err).split())}") from err
    sections = (*SECTIONS, _EVENTS) if path.stem == COMMON else SECTIONS
    result: dict[str, Section] = {}
    for section, table in data.items():
        if section not in sections or not isinstance(table, dict):
            raise TemplateError(f"{path}: unknown section [{section}]; known: {', '.join(sections)}")
        result[section] = _read_section(path, section, table, schema)
    return result


def _read_section(
    path: Path, section: str, table: dict[str, Any], schema: dict[str, dict[str, Section]] | None
) -> Section:
    named: set[str] = set()
    if "parts" in table:
        parts = table["parts"]
        if not (isinstance(parts, list) and all(isinstance(p, list) for p in parts)):
            raise TemplateError(f"{path}: [{section}] parts must be a list of lists of element names")
        for paragraph in parts:
            for text in paragraph:
                if not isinstance(text, str) or not Part.parse(text).keys:
                    raise TemplateError(f"{path}: [{section}] parts holds {text!r}, not an element name")
                named.update(Part.parse(text).keys)
    if "trim" in table and not (
        isinstance(table["trim"], list) and all(isinstance(t, str) for t in table["trim"])
    ):
        raise TemplateError(f"{path}: [{section}] trim must be a list of element names")
    known = _known_keys(schema, path.stem, section) if schema is not None else None
    out: Section = {key: table[key] for key in _SPECIAL if key in table}
    for key, value in table.items():
        if key in _SPECIAL:
            continue
        if known is not None and key not in known and key not in named:
            listed = ", ".join(sorted(known)) or "none"
            raise TemplateError(f"{path}: unknown key '{key}' in [{section}]; known: {listed}")
        out[key] = _read_element(path, section, key, value)
    return out


def _known_keys(schema: dict[str, dict[str, Section]], stem: str, section: str) -> set[str]:
    keys: set[str] = set()
    for name in {stem, COMMON}:
        for sec in _CHAINS.get(section, (section,)):
            keys.update(k for k in schema.get(name, {}).get(sec, {}) if k not in _SPECIAL)
    return keys


def _read_element(path: Path, section: str, key: str, value: Any) -> Table:
    where = f"{path}: [{section}] {key}"
    if isinstance(value, list):
        value = {"any": value}
    if not isinstance(value, dict) or not value:
        raise TemplateError(f"{where} must be a list of phrasings or a table of such lists")
    table: Table = {}
    for label, phrasings in value.items():
        if label not in LABELS:
            raise TemplateError(f"{where}: unknown label '{label}'; known: {', '.join(sorted(LABELS))}")
        if not isinstance(phrasings, list) or not phrasings:
            raise TemplateError(f"{where}.{label} must be a non-empty list of phrasings")
        table[label] = tuple(
            _variant(f"{where}.{label}" if label != "any" else where, key, p) for p in phrasings
        )
    return table


#: "on {day}" reads "on today" once {day} may be "today": it is read as {when} ("today", "on Tuesday").
_ON_DAY = re.compile(r"\bon \{day\}")


def _variant(where: str, key: str, text: Any) -> Variant:
    if not isinstance(text, str) or not text.strip():
        raise TemplateError(f"{where}: a phrasing must be non-empty text, not {text!r}")
    text = _ON_DAY.sub("{when}", text)
    slots = frozenset(_SLOT.findall(text))
    if stray := re.search(r"[{}]", _SLOT.sub("", text)):
        raise TemplateError(f"{where}: unbalanced '{stray[0]}' in {text!r}")
    for slot in sorted(slots):
        if slot not in SLOTS:
            raise TemplateError(
                f"{where}: unknown slot {{{slot}}} in {text!r}; known: {', '.join(sorted(SLOTS))}"
            )
    if key in _NAMING and "name" not in slots:
        raise TemplateError(f"{where}: missing the {{name}} slot in {text!r}; a greeting must name them")
    return Variant(" ".join(text.split()), slots)
