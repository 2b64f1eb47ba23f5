"""A tactful backup (`tactful export json`), checked whole before any of it is restored.

Pure: the file's text in, its `tables` out once the header says it is a backup this tactful reads
(`tables_of`); then those and the database's columns in, the rows ready to insert out (`check`); or
`InvalidInput` naming the file, the table, the row and the field of the first thing wrong. Every
value must fit its column's declared type, and every column tactful reads back into its own types
must read: the enums of `tactful.domain`, ISO times with an offset, dates, time zones, JSON lists,
the calendar feed's token, and each profile setting; no text holds a lone surrogate or a NUL. A
backup that passes restores into a database every command can use; what is left to the database
itself (foreign keys, unique values) is checked in the same transaction.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain import Channel, Kind, Outcome, Purpose, Status
from ..errors import InvalidInput
from ..timeparse import YEARS

#: What a backup's header says: its format, and the newest schema this tactful writes and reads.
BACKUP_FORMAT = "tactful-backup"
BACKUP_SCHEMA = 1
#: Tables a backup leaves out: the web app's session key and password hash stay on the machine that
#: made them (a restored database gets new ones when the web app starts, and a new password).
NOT_BACKED_UP = frozenset({"secrets", "undo_steps", "undo_log"})  # keys; what undo would take back
_INT64 = range(-(2**63), 2**63)
_EXAMPLE_MOMENT = "2026-03-02T16:00:00+00:00"
#: A calendar feed token: tactful makes one of 43 URL-safe characters (`secrets.token_urlsafe(32)`);
#: fewer than 16 is guessable, more than 128 is no token tactful made.
_FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


@dataclass(frozen=True)
class Column:
    """One column of a table, as the database declares it."""

    name: str
    type: str = ""
    not_null: bool = False
    has_default: bool = False
    #: Part of a primary key that SQLite does not fill in by itself (every key but INTEGER PRIMARY KEY).
    key: bool = False


class _Bad(Exception):
    """What is wrong with one value; the caller says where it is (and which field, when it knows)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def show(value: Any) -> str:
    """A value as a message quotes it: on one line, and not too long."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- values --------------------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """The JSON value as SQLite takes it: a {"base64": ...} object becomes bytes."""
    if isinstance(value, dict) and set(value) == {"base64"}:
        encoded = value["base64"]
        try:
            if not isinstance(encoded, str):
                raise ValueError
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _Bad(f"{show(encoded)} is not base64") from None
    if isinstance(value, dict | list):
        raise _Bad(f"{show(value)} is not a plain value")
    if isinstance(value, float) and not math.isfinite(value):
        raise _Bad(f"{show(value)} is not a number a database keeps")
    if isinstance(value, str):
        _text(value)
    return value


def _text(value: str) -> str:
    """`value` when it is text a database keeps and every face shows: no lone surrogate, no NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _Bad(f"{show(value)} is not valid text (a lone surrogate)") from None
    if "\x00" in value:
        raise _Bad(f"{show(value)} is not valid text (a NUL character); remove the \\u0000 from it")
    return value


def _typed(value: Any, column: Column) -> Any:
    """`value` when it fits the column's declared type (SQLite's affinity rules)."""
    declared = column.type.upper()
    if "INT" in declared:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"{show(value)} is not a whole number")
        if value not in _INT64:
            raise _Bad(f"{show(value)} is too large for the database")
        if (column.name == "id" or column.name.endswith("_id")) and value < 1:
            raise _Bad(f"{show(value)} is not an id (ids are 1 or more)")
    elif any(t in declared for t in ("CHAR", "CLOB", "TEXT")):
        if not isinstance(value, str):
            raise _Bad(f"{show(value)} is not text")
    elif any(t in declared for t in ("REAL", "FLOA", "DOUB")):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Bad(f"{show(value)} is not a number")
    elif declared and "BLOB" not in declared and isinstance(value, bytes):
        raise _Bad("bytes where a number or text belongs")
    return value


# -- what tactful reads back -----------------------------------------------------------------------------
def moment(value: Any) -> str:
    """An ISO time with an offset, as the store writes it: in UTC, to the second."""
    if not isinstance(value, str):
        raise _Bad(f"{show(value)} is not a time like {_EXAMPLE_MOMENT}")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{show(value)} is not an ISO time like {_EXAMPLE_MOMENT}") from None
    if parsed.tzinfo is None:
        raise _Bad(f"{show(value)} has no UTC offset; write it like {_EXAMPLE_MOMENT}")
    if parsed.year not in YEARS:
        raise _Bad(f"{show(value)} is not between 1900 and 2199")
    return parsed.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def day(value: Any) -> str:
    """An ISO date, like 2026-03-02."""
    if not isinstance(value, str):
        raise _Bad(f"{show(value)} is not a date like 2026-03-02")
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{show(value)} is not an ISO date like 2026-03-02") from None
    if parsed.year not in YEARS:
        raise _Bad(f"{show(value)} is not between 1900 and 2199")
    return parsed.isoformat()


def one_of(choices: Iterable[str]) -> Callable[[Any], Any]:
    allowed = tuple(choices)

    def check(value: Any) -> Any:
        if value not in allowed:
            raise _Bad(f"{show(value)} is not one of: {', '.join(allowed)}")
        return value

    return check


def time_zone(value: Any) -> Any:
    from ..business_days import valid_zone

    try:
        known = isinstance(value, str) and valid_zone(value)
    except OSError:  # a folder of zones, like 'America': valid_zone lets IsADirectoryError through
        known = False
    if not known:
        raise _Bad(f"{show(value)} is not a time zone; use an IANA name like Europe/London")
    return value


def country(value: Any) -> Any:
    from ..business_days import valid_country

    if not isinstance(value, str) or not valid_country(value):
        raise _Bad(f"{show(value)} is not a supported country; use a code like GB or US")
    return value


def texts(value: Any) -> list[str]:
    """A list of strings (decoded)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Bad(f"{show(value)} is not a list of text")
    return [_text(v) for v in value]


def feed_token(value: Any) -> Any:
    """The calendar feed's secret token: 16 to 128 URL-safe characters, as tactful makes them."""
    if not isinstance(value, str) or not _FEED_TOKEN.fullmatch(value):
        raise _Bad(
            f"{show(value)} is not a feed token (16 to 128 letters, digits, '-' or '_'); remove the "
            "calendar_feed row, and a new token is made on first use"
        )
    return value


def json_texts(value: Any) -> Any:
    """A JSON list of strings, kept as the JSON text it is."""
    texts(_json(value))
    return value


def _json(value: Any) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError, RecursionError):
        raise _Bad(f"{show(value)} is not JSON") from None


def _text_or_none(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{show(value)} is not text")
    return value if value is None else _text(value)


def _flag(value: Any) -> Any:
    if not isinstance(value, bool):
        raise _Bad(f"{show(value)} is not true or false")
    return value


#: What each profile setting's JSON value must be (None is always allowed but for the lists and flags).
PROFILE: Mapping[str, Callable[[Any], Any]] = {
    "name": _text_or_none,
    "email": _text_or_none,
    "phone": _text_or_none,
    "linkedin": _text_or_none,
    "signature": _text_or_none,
    "tz": lambda v: v if v is None else time_zone(v),
    "country": lambda v: v if v is None else country(v),
    "skills": texts,
    "notes": _flag,
    "linkedin_free": _flag,
}

_CHANNELS = [c.value for c in Channel]
_OUTCOMES = [o.value for o in Outcome]
#: The columns tactful reads back into its own types, per table: a checker that returns the value to
#: store (times are rewritten in UTC, to the second, as the store writes them).
RULES: Mapping[str, Mapping[str, Callable[[Any], Any]]] = {
    "contacts": {
        "created_at": moment,
        "tz": time_zone,
        "prefers": one_of(_CHANNELS),
        "connected_on": day,
    },
    "contact_addresses": {"kind": one_of(["email", "phone", "url"])},
    "threads": {
        "outcome": one_of(_OUTCOMES),
        "outcome_at": moment,
        "dormant_at": moment,
        "created_at": moment,
    },
    "interactions": {
        "kind": one_of(k.value for k in Kind),
        "at": moment,
        "decision_by": day,
        "promised_by": day,
        "topics": json_texts,
        "questions": json_texts,
        "created_at": moment,
    },
    "followups": {
        "purpose": one_of(p.value for p in Purpose),
        "channel": one_of(_CHANNELS),
        "not_before": moment,
        "due_by": moment,
        "suggested_at": moment,
        "status": one_of(s.value for s in Status),
        "done_at": moment,
        "created_at": moment,
        "sent_channel": one_of(_CHANNELS),
    },
    "events": {"kind": one_of(["reply", "outcome"]), "at": moment, "outcome": one_of(_OUTCOMES)},
    "imported_events": {"imported_at": moment},
    "calendar_feed": {"token": feed_token, "created_at": moment},
}


def _profile_row(row: dict[str, Any]) -> None:
    key = row.get("key")
    if not isinstance(key, str) or key not in PROFILE:
        raise _Bad(
            f"{show(key)} is not a profile setting this tactful knows; upgrade tactful first", field="key"
        )
    try:
        PROFILE[key](_json(row.get("value")))
    except _Bad as exc:
        raise _Bad(str(exc), field="value") from None


#: Checks that look at a whole row: they raise _Bad naming the field.
ROW_RULES: Mapping[str, Callable[[dict[str, Any]], None]] = {"profile": _profile_row}


# -- the document ----------------------------------------------------------------------------------------
def tables_of(text: str, file: str) -> dict[str, Any]:
    """The `tables` of a backup's text, once its header says it is one this tactful reads."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{file} line {exc.lineno}: not JSON ({exc.msg}); is it a tactful backup?"
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. a number too long, or nesting too deep
        reason = " ".join(str(exc).split()[:12])
        raise InvalidInput(f"{file}: not JSON a backup can hold ({reason})") from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise InvalidInput(f'{file} is not a tactful backup (no "format": "{BACKUP_FORMAT}")')
    schema = data.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise InvalidInput(f'{file}: "schema" must be a positive number, not {show(schema)}')
    if schema > BACKUP_SCHEMA:
        raise InvalidInput(
            f"{file} is a schema {schema} backup, newer than this tactful reads; upgrade tactful"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(f'{file}: "tables" must be an object of table name to rows')
    return tables


def check(
    tables: Mapping[str, Any],
    schema: Mapping[str, Iterable[Column]],
    file: str,
    left_out: Iterable[str] = NOT_BACKED_UP,
) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, checked and ready to insert; or `InvalidInput` for the first bad one.

    `schema` is the database's tables and columns; `left_out` the tables a backup never holds.
    """
    never = set(left_out)
    out: dict[str, list[dict[str, Any]]] = {}
    for table, rows in tables.items():
        if table in never:
            raise InvalidInput(f"{file}: a backup never holds {table!r}; remove it from the file")
        if table not in schema:
            raise InvalidInput(
                f"{file}: the backup has a table {show(table)} this tactful does not know; upgrade tactful first"
            )
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput(f"{file}: {table!r} must be a list of objects, one per row")
        columns = {c.name: c for c in schema[table]}
        unknown = sorted({key for row in rows for key in row} - set(columns))
        if unknown:  # named as they are, unless that would break the message's one line or run on
            named = ", ".join(k if k.isprintable() and len(k) <= 60 else show(k) for k in unknown[:10])
            raise InvalidInput(
                f"{file}: table {table!r} has columns this tactful does not know ({named}); upgrade tactful first"
            )
        rules = RULES.get(table, {})
        out[table] = [_row(file, table, n, row, columns, rules) for n, row in enumerate(rows, start=1)]
    return out


def _row(
    file: str,
    table: str,
    n: int,
    row: dict[str, Any],
    columns: Mapping[str, Column],
    rules: Mapping[str, Callable[[Any], Any]],
) -> dict[str, Any]:
    where = f"{file}: {table} row {n}"
    if isinstance(row.get("id"), int):
        where += f" (id {row['id']})"
    elif table == "profile" and isinstance(row.get("key"), str):
        where += f" (key {show(row['key'])})"
    clean: dict[str, Any] = {}
    for name, column in columns.items():
        if name not in row:
            if (column.not_null and not column.has_default) or column.key:
                raise InvalidInput(f"{where}, field {name!r}: missing")
            continue
        value = row[name]
        try:
            if value is None:
                if column.not_null or column.key:
                    raise _Bad("is empty (null) but needs a value")
            else:
                value = _plain(value)
                if name in rules:  # what tactful reads back says best what is wrong
                    value = rules[name](value)
                value = _typed(value, column)
        except _Bad as exc:
            raise InvalidInput(f"{where}, field {name!r}: {exc}") from None
        clean[name] = value
    if table in ROW_RULES:
        try:
            ROW_RULES[table](clean)
        except _Bad as exc:
            raise InvalidInput(f"{where}, field {exc.field!r}: {exc}") from None
    return clean
