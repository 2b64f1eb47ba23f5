"""The store's SQL, written once in SQLite's words, said in PostgreSQL's.

The queries of `reads`, `edits`, `mail`, `long_game` and `transfer` are shared by both stores. Most of
them are standard SQL already; what is SQLite's own is turned here, once per distinct statement:

- `?` and `:name` placeholders become psycopg's `%s` and `%(name)s` (a literal `%` is doubled);
- `INSERT OR IGNORE` becomes `INSERT ... ON CONFLICT DO NOTHING`;
- `lower(?)` lowers the parameter in the "C" collation, as the columns it meets are (and as SQLite
  lowers: ASCII letters only);
- `max(a, b, ...)` of several values becomes `greatest(...)` (`min`, `least`); `instr(a, b)`
  becomes `strpos(a, b)`; SQLite's `a IS b` and `a IS NOT b` (NULLs compared as values) become
  `IS NOT DISTINCT FROM` and `IS DISTINCT FROM`;
- every `ORDER BY` term says where NULLs go, as SQLite puts them: first going up, last going down
  (PostgreSQL's default is the other way round, and listings would come out in another order).

What is inside quotes is never touched. A statement the rules cannot say alike (SQLite's
`sqlite_master`, its pragmas, its full-text index) is written anew in `pg_store` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_QUOTED = re.compile(r"('(?:[^']|'')*'|\"[^\"]*\")")
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_ENDS_ORDER = re.compile(r"\b(LIMIT|OFFSET)\b", re.IGNORECASE)


@lru_cache(maxsize=2048)
def translate(sql: str, named: bool = False) -> str:
    """`sql` as PostgreSQL and psycopg take it; `named` when its parameters come as a mapping."""
    ignore = bool(re.match(r"\s*INSERT\s+OR\s+IGNORE\b", sql, re.IGNORECASE))
    if ignore and re.search(r"\bRETURNING\b", sql, re.IGNORECASE):
        raise ValueError("INSERT OR IGNORE ... RETURNING has no PostgreSQL form here; write ON CONFLICT")
    out = []
    for part in _QUOTED.split(sql):
        if part[:1] in ("'", '"'):
            out.append(part.replace("%", "%%"))
            continue
        part = part.replace("%", "%%")
        # a parameter lowered as the "C" columns it is compared with are (ASCII only, as SQLite's)
        part = re.sub(r"\blower\((\?|:\w+)\)", r'lower(CAST(\1 AS text) COLLATE "C")', part, flags=re.I)
        part = _NAMED.sub(r"%(\1)s", part) if named else part.replace("?", "%s")
        part = re.sub(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", "INSERT INTO", part, flags=re.IGNORECASE)
        part = re.sub(r"\binstr\(", "strpos(", part, flags=re.IGNORECASE)
        part = re.sub(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b)", "IS DISTINCT FROM ", part, flags=re.IGNORECASE)
        part = re.sub(
            r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b)", "IS NOT DISTINCT FROM ", part, flags=re.IGNORECASE
        )
        out.append(part)
    text = _nulls_as_sqlite(_scalar_extremes("".join(out)))
    if ignore:
        text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return text


def _scalar_extremes(sql: str) -> str:
    """SQLite's `max(a, b)` and `min(a, b)` of several values, as PostgreSQL's `greatest` and `least`
    (one argument: the aggregate, left as it is)."""
    for match in reversed(list(re.finditer(r"\b(max|min)\(", sql, re.IGNORECASE))):
        inside = sql[match.end() : _clause_end(sql, match.end(), bare=True)]
        if len(_split_terms(inside)) > 1:
            word = "greatest" if match.group(1).lower() == "max" else "least"
            sql = sql[: match.start()] + word + "(" + sql[match.end() :]
    return sql


def _nulls_as_sqlite(sql: str) -> str:
    """Each ORDER BY term given SQLite's place for NULLs (`NULLS FIRST` ascending, `LAST` descending)."""
    pieces: list[str] = []
    done = 0
    for match in _ORDER_BY.finditer(sql):
        if match.start() < done:
            continue
        start = match.end()
        end = _clause_end(sql, start)
        terms = _split_terms(sql[start:end])
        pieces.append(sql[done:start])
        pieces.append(",".join(_placed(t) for t in terms))
        done = end
    pieces.append(sql[done:])
    return "".join(pieces)


def _outside_quotes(sql: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(position, character, parenthesis depth before it) of each character from `start` that is
    not inside quotes."""
    depth, quote = 0, ""
    for i in range(start, len(sql)):
        ch = sql[i]
        if quote:
            quote = "" if ch == quote else quote
            continue
        if ch in "'\"":
            quote = ch
            continue
        yield i, ch, depth
        depth += 1 if ch == "(" else -1 if ch == ")" else 0


def _clause_end(sql: str, start: int, bare: bool = False) -> int:
    """Where an ORDER BY list beginning at `start` ends: a closing parenthesis of the enclosing
    expression, LIMIT, OFFSET, a semicolon, or the end (`bare`: only the closing parenthesis)."""
    for i, ch, depth in _outside_quotes(sql, start):
        if depth == 0 and (ch in ");" or (not bare and ch in "LOlo" and _ends_order(sql, i))):
            return i
    return len(sql)


def _ends_order(sql: str, i: int) -> bool:
    """Whether LIMIT or OFFSET, as a word, begins at `i`."""
    return bool(_ENDS_ORDER.match(sql, i)) and (i == 0 or not sql[i - 1].isalnum())


def _split_terms(text: str) -> list[str]:
    """The comma-separated terms of a list, commas inside parentheses or quotes kept."""
    cuts = [i for i, ch, depth in _outside_quotes(text) if ch == "," and depth == 0]
    bounds = [-1, *cuts, len(text)]
    return [text[bounds[n] + 1 : bounds[n + 1]] for n in range(len(bounds) - 1)]


def _placed(term: str) -> str:
    stripped = term.rstrip()
    trailing = term[len(stripped) :]
    upper = stripped.upper()
    if not stripped or "NULLS " in upper:
        return term
    if upper.endswith(" DESC"):
        return f"{stripped} NULLS LAST{trailing}"
    return f"{stripped} NULLS FIRST{trailing}"
