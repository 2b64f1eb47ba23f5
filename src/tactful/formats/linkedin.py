"""LinkedIn's `Connections.csv` (Settings > Data privacy > Get a copy of your data).

The file opens with a `Notes:` line, a quoted notice about missing email addresses and a blank line;
then the header `First Name,Last Name,URL,Email Address,Company,Position,Connected On` (older exports
have no URL column). `Connected On` reads like `05 Mar 2024`; the email is nearly always empty, since
few people share it with their connections. A byte-order mark may lead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from ..timeparse import YEARS
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

HEADER = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
REQUIRED = ("First Name", "Last Name", "Connected On")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def connected_on(text: str) -> dt.date | None:
    """`05 Mar 2024` (LinkedIn's form) or `2024-03-05` as a date; None when it is neither."""
    parts = text.split()
    try:
        if len(parts) == 3 and parts[1].casefold() in _MONTHS:
            return dt.date(int(parts[2]), _MONTHS[parts[1].casefold()], int(parts[0]))
        return dt.date.fromisoformat(text)
    except (ValueError, OverflowError):  # "05 Mar 12345678901234567890" is no date either
        return None


def parse_connections(text: str, file: str) -> Parsed[ImportedContact]:
    parsed: Parsed[ImportedContact] = Parsed()
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    header_line = previous_end = width = 0
    for row in csv_rows(reader, file):
        line, previous_end = previous_end + 1, reader.line_num
        if columns is None:
            if row and row[0].strip().lstrip("\ufeff") == "First Name":
                columns = {name.strip(): n for n, name in enumerate(row)}
                header_line, width = line, len(row)  # a repeated column counts: it is a field too
                missing = [name for name in REQUIRED if name not in columns]
                if missing:
                    raise ParseError(
                        Problem(
                            file,
                            line,
                            f"the header lacks {', '.join(missing)}: is this LinkedIn's Connections.csv?",
                            field=missing[0],
                        ),
                        whole_file=True,
                    )
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            parsed.problems.append(
                Problem(file, line, f"expected {width} fields as in the header, found {len(row)}")
            )
            continue
        item = _contact(row, columns, line, file, parsed.problems)
        if item is not None:
            parsed.items.append(item)
    if columns is None:
        raise ParseError(
            Problem(
                file,
                1,
                "no header line 'First Name,Last Name,URL,Email Address,Company,Position,Connected On' "
                "found: is this LinkedIn's Connections.csv?",
            ),
            whole_file=True,
        )
    if not parsed.items and not parsed.problems:
        raise ParseError(
            Problem(
                file,
                header_line,
                "only the header, no connection below it: is this the whole Connections.csv?",
            ),
            whole_file=True,
        )
    return parsed


def _contact(
    row: list[str], columns: dict[str, int], line: int, file: str, problems: list[Problem]
) -> ImportedContact | None:
    def cell(name: str) -> str | None:
        return clean(row[columns[name]]) if name in columns else None

    name = " ".join(part for part in (cell("First Name"), cell("Last Name")) if part)
    if not name:
        problems.append(Problem(file, line, "no name: both First Name and Last Name are empty", "First Name"))
        return None
    when = None
    raw_date = cell("Connected On")
    if raw_date:
        when = connected_on(raw_date)
        if when is None or when.year not in YEARS:  # a backup could not restore the year 1 either
            wrong = "is not a date like '05 Mar 2024'" if when is None else "is not between 1900 and 2199"
            problems.append(Problem(file, line, f"{raw_date!r} {wrong}", "Connected On"))
            return None
    url = cell("URL")
    if url and not linkedin_url(url):
        problems.append(Problem(file, line, f"{url!r} is not a LinkedIn profile address", "URL"))
        return None
    email = cell("Email Address")
    if email and not looks_like_email(email):
        problems.append(Problem(file, line, f"{email!r} is not an email address", "Email Address"))
        return None
    return ImportedContact(
        line=line,
        name=name,
        emails=[Address(email)] if email else [],
        organisation=cell("Company"),
        role=cell("Position"),
        linkedin=url,
        connected_on=when,
        linkedin_connected=True,
    )
