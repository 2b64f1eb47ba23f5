"""Google Contacts CSV, in both of Google's layouts.

The current export (`First Name,Middle Name,Last Name,...,Organization Name,Organization Title,...`)
and the older one (`Name,Given Name,Additional Name,Family Name,...,Organization 1 - Name,...`) both
repeat numbered groups: `E-mail 1 - Label` / `E-mail 1 - Value` (`- Type` in the older layout), then
`E-mail 2 - ...`, and the same for phones and websites. One cell may hold several values joined by
` ::: `, and so may its label cell; a label starting with `* ` marks the primary one.
"""

from __future__ import annotations

import csv
import io
import re

from .records import (
    Address,
    ImportedContact,
    Parsed,
    ParseError,
    Problem,
    clean,
    csv_rows,
    linkedin_url,
    looks_like_email,
)

SEPARATOR = " ::: "
_GROUP = re.compile(r"^(E-mail|Phone|Website) (\d+) - (Label|Type|Value)$")
#: Per layout: the columns of a person's name, their organisation and their title there.
_NAME = {
    "current": ("First Name", "Middle Name", "Last Name"),
    "legacy": ("Given Name", "Additional Name", "Family Name"),
}
_ORG = {"current": "Organization Name", "legacy": "Organization 1 - Name"}
_ROLE = {"current": "Organization Title", "legacy": "Organization 1 - Title"}


def parse_google(text: str, file: str) -> Parsed[ImportedContact]:
    parsed: Parsed[ImportedContact] = Parsed()
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = csv_rows(reader, file)
    header = next(rows, None)
    if header is None:
        raise ParseError(
            Problem(file, 1, "the file is empty; export your contacts as Google CSV"), whole_file=True
        )
    header = [h.strip().lstrip("\ufeff") for h in header]
    columns = {name: n for n, name in enumerate(header)}
    if "First Name" in columns and "Organization Name" in columns:
        layout = "current"
    elif "Given Name" in columns and "Family Name" in columns:
        layout = "legacy"
    else:
        raise ParseError(
            Problem(
                file,
                1,
                "the header is neither Google's 'First Name,Middle Name,Last Name,...' nor the older "
                "'Name,Given Name,...': is this a Google Contacts CSV export?",
            ),
            whole_file=True,
        )
    groups = _groups(header)
    previous_end = reader.line_num
    for row in rows:
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.problems.append(
                Problem(file, line, f"expected {len(header)} fields as in the header, found {len(row)}")
            )
            continue
        item = _contact(row, columns, groups, layout, line, file, parsed.problems)
        if item is not None:
            parsed.items.append(item)
    if not parsed.items and not parsed.problems:
        raise ParseError(
            Problem(file, 1, "only the header, no contact below it: export your contacts again"),
            whole_file=True,
        )
    return parsed


def _groups(header: list[str]) -> dict[str, list[tuple[str, int | None, int]]]:
    """Per kind (E-mail, Phone, Website): (value column name, label column, value column), in order."""
    found: dict[tuple[str, int], dict[str, int]] = {}
    for n, name in enumerate(header):
        match = _GROUP.match(name)
        if match:
            kind, number, part = match.groups()
            found.setdefault((kind, int(number)), {})["Value" if part == "Value" else "Label"] = n
    groups: dict[str, list[tuple[str, int | None, int]]] = {"E-mail": [], "Phone": [], "Website": []}
    for (kind, number), parts in sorted(found.items()):
        if "Value" in parts:
            groups[kind].append((f"{kind} {number} - Value", parts.get("Label"), parts["Value"]))
    return groups


def _addresses(row: list[str], group: list[tuple[str, int | None, int]]) -> list[tuple[str, Address, bool]]:
    """(column, address, primary) for every value of a group, split at ' ::: '."""
    out = []
    for column, label_at, value_at in group:
        values = [v.strip() for v in row[value_at].split(SEPARATOR) if v.strip()]
        labels = [v.strip() for v in row[label_at].split(SEPARATOR)] if label_at is not None else []
        for n, value in enumerate(values):
            label = labels[n] if n < len(labels) else (labels[0] if len(labels) == 1 else "")
            primary = label.startswith("*")
            label = label.lstrip("* ").strip()
            out.append((column, Address(value, clean(label)), primary))  # no NUL, no line break
    out.sort(key=lambda entry: not entry[2])  # the primary one first, the rest in file order
    return out


def _contact(
    row: list[str],
    columns: dict[str, int],
    groups: dict[str, list[tuple[str, int | None, int]]],
    layout: str,
    line: int,
    file: str,
    problems: list[Problem],
) -> ImportedContact | None:
    def cell(name: str) -> str | None:
        return clean(row[columns[name]]) if name in columns else None

    emails = _addresses(row, groups["E-mail"])
    for column, address, _ in emails:
        if not looks_like_email(address.value):
            problems.append(Problem(file, line, f"{address.value!r} is not an email address", column))
            return None
    phones = _addresses(row, groups["Phone"])
    sites = [address for _, address, _ in _addresses(row, groups["Website"])]
    name = " ".join(p for p in (cell(k) for k in _NAME[layout]) if p)
    if layout == "legacy":
        name = cell("Name") or name
    name = name or cell("File As") or cell("Nickname") or ""
    if not name and emails:
        name = emails[0][1].value
    if not name:
        problems.append(
            Problem(
                file, line, "no name, nickname or email address: nothing to know them by", _NAME[layout][0]
            )
        )
        return None
    profile = next((linkedin_url(a.value) for a in sites if linkedin_url(a.value)), None)
    return ImportedContact(
        line=line,
        name=name,
        emails=[a for _, a, _ in emails],
        phones=[a for _, a, _ in phones],
        urls=[a for a in sites if a.value != profile],
        organisation=cell(_ORG[layout]),
        role=cell(_ROLE[layout]),
        linkedin=profile,
    )
