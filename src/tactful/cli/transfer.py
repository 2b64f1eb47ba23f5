"""`tactful export`, `tactful import` and `tactful feed`: data in and out, as thin commands.

Each calls a use case of `tactful.service.transfer`. Rich, icalendar and vobject load only when used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import InvalidInput
from .base import App, emit, group, json_option

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..service.transfer import EventReport, ImportReport

T = TypeVar("T")
#: Files with more records than this get a progress bar, when stderr is a terminal.
PROGRESS_FROM = 500

file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
out_option = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)


def _write(out: Path, data: bytes) -> None:
    """Write atomically: a reader never sees half a file."""
    import tempfile  # only commands that write a file pay for it

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, out)
    except OSError as exc:
        raise InvalidInput(
            f"cannot write {out}: {exc.strerror or exc}; choose another --out", field="out"
        ) from None


def _output(out: Path | None, data: bytes, as_json: bool) -> None:
    if out is None:
        if as_json:
            raise click.UsageError("--json needs --out FILE: without it, the export itself goes to stdout")
        click.echo(data, nl=False)  # bytes go to the binary stream as they are
    else:
        _write(out, data)


def _progress(items: Sequence[T], what: str) -> Iterable[T]:
    if len(items) < PROGRESS_FROM or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=what, console=Console(stderr=True), transient=True)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


# -- export ---------------------------------------------------------------------------------------------
@group()
def export() -> None:
    """Write your follow-ups as a calendar, or everything as a backup."""


@export.command("ics")
@out_option
@click.option("--todo", is_flag=True, help="To-dos from when a window opens to when it closes, not events.")
@click.option("--all", "everything", is_flag=True, help="The whole history, not only the last 60 days.")
@json_option
@click.pass_obj
def export_ics(app: App, out: Path | None, todo: bool, everything: bool, as_json: bool) -> None:
    """Your follow-ups as an iCalendar file (RFC 5545) any calendar opens.

    One event per follow-up at its suggested time, with an alarm when its window opens; with --todo,
    one to-do per follow-up, due when its window closes. Import it again later and your calendar
    updates the same entries instead of adding new ones.
    """
    from ..service.transfer import export_ics as build

    data, count = build(app.service, todo=todo, everything=everything)
    _output(out, data, as_json)
    if out is not None:
        kind = "to-dos" if todo else "events"
        if as_json:
            emit({"file": str(out), "format": "ics", "kind": kind, "followups": count})
        else:
            click.echo(f"Wrote {_count(count, 'follow-up')} as {kind} to {out}.")


@export.command("json")
@out_option
@json_option
@click.pass_obj
def export_json(app: App, out: Path | None, as_json: bool) -> None:
    """Everything tactful holds, as one JSON backup `tactful import json` restores."""
    import json

    from ..service.transfer import export_json as build

    document = build(app.service)
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _output(out, text.encode("utf-8"), as_json=False)  # without --out, the backup is the JSON document
    if out is not None:
        if as_json:
            emit({"file": str(out), "format": document["format"], "counts": document["counts"]})
        else:
            total = sum(document["counts"].values())
            click.echo(f"Wrote a backup of {total} rows to {out}.")


# -- import ---------------------------------------------------------------------------------------------
@group("import")
def import_() -> None:
    """Bring in contacts (LinkedIn, Google, vCard), calendar events, or a backup."""


def _contacts_command(source: str, label: str, doc: str) -> click.Command:
    @import_.command(source, help=doc)
    @file_argument
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    @click.option("--skip-bad", is_flag=True, help="Import the good rows and list the bad ones.")
    @click.option("--yes", is_flag=True, hidden=True, help="Accepted as for `import ics`; this never asks.")
    @json_option
    @click.pass_obj
    def command(app: App, file: Path, dry_run: bool, skip_bad: bool, yes: bool, as_json: bool) -> None:
        from ..service.transfer import import_contacts

        report = import_contacts(app.service, source, file, dry_run, skip_bad, _progress)
        if as_json:
            emit(report.to_dict())
        else:
            _show_contacts(report, label)

    return command


_contacts_command(
    "linkedin",
    "LinkedIn",
    "Contacts from LinkedIn's Connections.csv (Settings > Data privacy > Get a copy of your data).\n\n"
    "Each connection is merged with who you know (by email, LinkedIn address, then name and "
    "organisation); the day you connected is kept as your last contact. No follow-ups are planned.",
)
_contacts_command(
    "google",
    "Google Contacts",
    "Contacts from a Google Contacts CSV export (current or older layout).\n\n"
    "Merged with who you know: empty fields are filled, nothing you have is overwritten.",
)
_contacts_command(
    "vcard",
    "vCard",
    "Contacts from a vCard file (.vcf, versions 2.1, 3.0 and 4.0) from a phone or address book.\n\n"
    "Merged with who you know: empty fields are filled, nothing you have is overwritten.",
)


def _show_contacts(report: ImportReport, label: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from .render import safe

    console = Console(soft_wrap=True)
    data = report.to_dict()
    verb = "Would import" if report.dry_run else "Imported"
    console.print(
        f"{verb} {safe(report.file)} ({label}): [bold]{data['created']}[/] created, [bold]{data['updated']}[/] "
        f"updated, [bold]{data['skipped']}[/] skipped."
    )
    changed = [c for c in data["contacts"] if c["action"] != "skipped"]
    if changed and len(changed) <= 25:
        table = Table("line", "name", "", "how", box=None, pad_edge=False)
        for c in changed:
            how = f"matched by {c['matched_by']}; filled {', '.join(c['filled'] + c['added'])}"
            table.add_row(
                str(c["line"]), safe(c["name"]), c["action"], safe(how) if c["action"] == "updated" else ""
            )
        console.print(table)
    if data["kept"]:
        console.print("\nKept what you had where the file differs:")
        table = Table("line", "contact", "field", "kept", "file had", box=None, pad_edge=False)
        for k in data["kept"]:
            table.add_row(*(safe(x) for x in (k["line"], k["name"], k["field"], k["kept"], k["ignored"])))
        console.print(table)
    if data["bad"]:
        console.print(f"\nSkipped {len(data['bad'])} bad {'entry' if len(data['bad']) == 1 else 'entries'}:")
        for bad in data["bad"]:
            console.print(f"  {bad['error']}", markup=False)
    if report.dry_run:
        console.print("\nDry run: nothing was written.")


@import_.command("ics")
@file_argument
@click.option("--dry-run", is_flag=True, help="Show what would be logged; log nothing.")
@click.option("--skip-bad", is_flag=True, help="Read past broken events and list them.")
@click.option("--yes", is_flag=True, help="Log every proposed interaction without asking.")
@click.option("--now", help="Treat events after this time as not yet happened (default now).")
@json_option
@click.pass_obj
def import_ics(
    app: App, file: Path, dry_run: bool, skip_bad: bool, yes: bool, now: str | None, as_json: bool
) -> None:
    """Interviews, meetings and calls from a calendar export (.ics), logged once you confirm.

    Events whose title says interview, coffee, call, pitch... and that name someone (attendees, or
    'with NAME') are proposed; each confirmed one is logged like `tactful log` and gets its
    follow-ups. In a terminal you pick which; elsewhere nothing is logged without --yes.
    """
    from ..service.transfer import log_events, propose_events

    service = app.service
    report = propose_events(service, file, skip_bad, now)
    everything = range(len(report.proposals))
    if yes or dry_run:
        chosen: Iterable[int] = everything
    elif report.proposals and _interactive() and not as_json:
        _show_events(report, service.zone, asking=True, me_known=bool(service.profile.email))
        chosen = _ask(len(report.proposals))
    else:
        chosen = []
    report = log_events(service, report, chosen, dry_run)
    if as_json:
        data = report.to_dict(service.zone)
        data["confirmed"] = bool(report.logged)
        emit(data)
    else:
        quiet = _interactive() and not yes
        _show_events(report, service.zone, False, quiet, me_known=bool(service.profile.email))


def _ask(count: int) -> list[int]:
    answer = click.prompt("Log which? (all, none, or numbers like 1,3)", default="all", err=True)
    text = answer.strip().casefold()
    if text in {"all", "a", "y", "yes"}:
        return list(range(count))
    if text in {"none", "n", "no", ""}:
        return []
    from ..service.lookup import is_id

    picked = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        if not is_id(part) or not 1 <= int(part) <= count:
            raise InvalidInput(f"{part!r} is not one of the numbers 1 to {count}; run the import again")
        picked.append(int(part) - 1)
    return picked


def _show_events(
    report: EventReport, tz: ZoneInfo, asking: bool, quiet_list: bool = False, me_known: bool = True
) -> None:
    from rich.console import Console
    from rich.table import Table

    from .render import safe

    console = Console(stderr=asking, soft_wrap=True)
    if report.proposals and not quiet_list:
        done = {id(p) for p, _ in report.logged}
        table = Table("#", "when", "kind", "with", "organisation", "event", box=None, pad_edge=False)
        if not asking:
            table.add_column("logged")
        for n, p in enumerate(report.proposals, start=1):
            row = [str(n), f"{p.at.astimezone(tz):%a %d %b %Y %H:%M}", p.kind]
            row += [safe(", ".join(x.name for x in p.people)), safe(p.organisation or ""), safe(p.summary)]
            table.add_row(*row, *([] if asking else ["yes" if id(p) in done else "no"]))
        console.print(
            f"{_count(len(report.proposals), 'event')} in {safe(report.file)} look like interactions:"
        )
        console.print(table)
        if not me_known:
            console.print("Tip: `tactful profile --email ADDRESS` leaves you out of the people listed.")
    if asking:
        return
    followups = sum(len(result.change.added) for _, result in report.logged)
    if report.dry_run:
        console.print(
            f"Dry run: would log {_count(len(report.proposals), 'interaction')}; nothing was written."
        )
    elif report.logged:
        count = _count(len(report.logged), "interaction")
        console.print(f"Logged {count}; {_count(followups, 'follow-up')} planned (`tactful agenda`).")
    elif report.proposals:
        console.print("Nothing logged: pass --yes to log them all, or run this in a terminal to choose.")
    else:
        console.print(f"No event in {safe(report.file)} looks like an interview, a meeting or a call.")
    if report.unrelated:
        console.print(
            f"Left alone: {_count(len(report.unrelated), 'event')} (`--json` lists them with reasons)."
        )
    for bad in report.problems:
        console.print(f"Skipped: {bad}", markup=False)


@import_.command("json")
@file_argument
@click.option("--replace", is_flag=True, help="Overwrite everything already in the database.")
@json_option
@click.pass_obj
def import_json(app: App, file: Path, replace: bool, as_json: bool) -> None:
    """Restore a backup made by `tactful export json`, into an empty database.

    A database that holds anything is left alone unless --replace is given, which deletes all of it
    first (in the same transaction: a failed restore keeps what was there).
    """
    from ..service.transfer import import_json as restore

    loaded = restore(app.service, file, replace)
    if as_json:
        emit({"file": file.name, "restored": loaded, "replaced": replace})
    else:
        click.echo(f"Restored {sum(loaded.values())} rows from {file.name}.")


@click.command("copy-to")
@click.argument("location", metavar="URL")
@json_option
@click.pass_obj
def copy_to(app: App, location: str, as_json: bool) -> None:
    """Copy this database into another, empty one, ids kept: e.g. a SQLite file to a team server's
    PostgreSQL (`tactful copy-to postgresql://tactful@db.example/tactful`).

    Everything is copied but the record `tactful undo` keeps; a message still queued to be sent is
    marked failed in the copy, so that it is never sent twice.
    """
    from ..service.transfer import copy_to as copy
    from .wiring import open_other

    target = open_other(app.config, location)
    try:
        loaded = copy(app.service, target)
        shown = target.location
    finally:
        target.close()
    if as_json:
        emit({"to": shown, "copied": loaded})
    else:
        click.echo(f"Copied {sum(loaded.values())} rows into {shown}.")


# -- feed -----------------------------------------------------------------------------------------------
@group()
def feed() -> None:
    """The calendar feed a calendar app can subscribe to (served by the web app)."""


def _print_feed(found: Any, as_json: bool, rotated: bool) -> None:

    data = {"path": found.path, "token": found.token, "created_at": found.created_at.isoformat()}
    if as_json:
        emit(data)
        return
    if rotated:
        click.echo("A new feed address; the old one no longer works.")
    click.echo(f"Feed path: {found.path}")
    click.echo(f"Token:     {found.token}")
    click.echo("Subscribe to the web app's address followed by this path; keep it secret.")


@feed.command("show")
@json_option
@click.pass_obj
def feed_show(app: App, as_json: bool) -> None:
    """The feed's secret address (made on first use)."""
    from ..service.transfer import feed_show as show

    _print_feed(show(app.service), as_json, rotated=False)


@feed.command("rotate")
@json_option
@click.pass_obj
def feed_rotate(app: App, as_json: bool) -> None:
    """A new secret address; the old one stops working at once."""
    from ..service.transfer import feed_rotate as rotate

    _print_feed(rotate(app.service), as_json, rotated=True)


COMMANDS = (export, import_, copy_to, feed)
