"""Use cases that move data in and out: imports, calendar exports, the calendar feed, backups.

Each runs in one transaction: bad input raises `InvalidInput` (or `ParseError`, naming the file,
line and field) before anything is kept. The parsers, the merge rules and the iCalendar writer are
pure; this module reads the files, asks them, and writes through the store.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import MESSAGES
from ..errors import Conflict, TactfulError, ref
from ..formats.backup import BACKUP_FORMAT, BACKUP_SCHEMA
from ..formats.records import ImportedContact, ParseError, Problem, ProposedInteraction, Unrelated, read_text
from ..store.base import Store
from .promises import waiting

if TYPE_CHECKING:
    from ..domain import FollowUp
    from ..formats.merge import Decision
    from .base import Service
    from .followups import Logged

T = TypeVar("T")
#: Wraps the records being written, e.g. in a progress bar: (records, what is done) -> the records.
Progress = Callable[[Sequence[T], str], Iterable[T]]

FEED_PATH = "/calendar/{token}.ics"
#: How far back an export reaches for follow-ups that are no longer planned (all with `everything`).
HISTORY = dt.timedelta(days=60)
#: Drafts are written for planned follow-ups opening within this time (later ones would go stale),
#: the soonest due first, and for this many at most: each costs about a millisecond.
DRAFT_HORIZON = dt.timedelta(days=14)
DRAFT_LIMIT = 50


def _stop_on(problems: list[Problem], skip_bad: bool) -> None:
    if problems and not skip_bad:
        raise ParseError(problems[0], more=len(problems) - 1)


def _no_progress(items: Sequence[T], what: str) -> Iterable[T]:
    return items


# -- contacts -----------------------------------------------------------------------------------------
@dataclass
class ImportReport:
    source: str
    file: str
    dry_run: bool
    decisions: list[Decision]
    problems: list[Problem]

    def count(self, action: str) -> int:
        return sum(1 for d in self.decisions if d.action == action)

    @property
    def skipped(self) -> int:
        """Rows that changed nothing: people already known as the file has them, and bad rows."""
        return self.count("skipped") + len(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.file,
            "dry_run": self.dry_run,
            "rows": len(self.decisions) + len(self.problems),
            "created": self.count("created"),
            "updated": self.count("updated"),
            "skipped": self.skipped,
            "contacts": [
                {
                    "line": d.item.line,
                    "name": d.item.name,
                    "action": d.action,
                    "contact_id": d.contact_id,
                    "matched_by": d.matched_by,
                    "filled": sorted(d.fields) if d.action == "updated" else [],
                    "added": [a.value for _, a in d.addresses],
                }
                for d in self.decisions
            ],
            "kept": [
                {
                    "line": k.line,
                    "contact_id": k.contact_id or None,
                    "name": k.name,
                    "field": k.field,
                    "kept": k.kept,
                    "ignored": k.ignored,
                }
                for d in self.decisions
                for k in d.kept
            ],
            "bad": [_problem_dict(p) for p in self.problems],
        }


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"line": p.line, "field": p.field, "message": p.message, "error": str(p)}


def import_contacts(
    service: Service,
    source: str,
    path: Path,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress[ImportedContact] = _no_progress,
    label: str | None = None,
) -> ImportReport:
    """Merge the people of a LinkedIn, Google or vCard export into the contacts; `label` is the
    file's name as the user knows it (an upload's), when `path` is not."""
    shown = label or path.name
    from ..formats.contacts import parse
    from ..formats.merge import Index, bind, decide

    parsed = parse(source, path, read_text(path))
    parsed.items, bounds = _within_limits(parsed.items, shown)
    parsed.problems = sorted([*parsed.problems, *bounds], key=lambda p: p.line)
    _stop_on(parsed.problems, skip_bad)
    store = service.store
    now = service.now()
    decisions: list[Decision] = []
    with store.transaction():
        if not dry_run:
            store.begin_change("import", f"imported {shown}", now)
        index = Index(store.known_contacts())
        for item in progress(parsed.items, f"Importing {path.name}"):
            decision = decide(item, index, source)
            if not dry_run:
                contact_id = store.apply_import(decision, now)
                if decision.action == "created" and contact_id is not None:
                    bind(decision, contact_id)
            decisions.append(decision)
        if not dry_run:
            made = sum(1 for d in decisions if d.action == "created")
            store.describe_change(f"imported {shown} ({made} new people)")
    return ImportReport(source, shown, dry_run, decisions, parsed.problems)


#: What an imported person's fields are held to: the limits of the same fields typed in (`validate`).
_IMPORTED = {"name": "name", "organisation": "org", "role": "role", "linkedin": "linkedin"}


def _within_limits(items: list[ImportedContact], file: str) -> tuple[list[ImportedContact], list[Problem]]:
    """The people whose every field fits its limit, and a problem for each who does not: a file can
    hold anything, the database keeps what a person could have typed."""
    from .validate import LIMITS, has_control

    kept: list[ImportedContact] = []
    problems: list[Problem] = []
    for item in items:
        wrong = None
        for attribute, limit_of in _IMPORTED.items():
            value = getattr(item, attribute)
            if value and len(value) > LIMITS[limit_of]:
                wrong = Problem(
                    file,
                    item.line,
                    f"{len(value):,} characters is too long; at most {LIMITS[limit_of]:,} are kept",
                    attribute,
                )
                break
        for address in (*item.emails, *item.phones, *item.urls):
            if wrong is None and (len(address.value) > LIMITS["email"] or has_control(address.value)):
                wrong = Problem(file, item.line, f"{address.value[:40]!r} is not an address", "address")
        if wrong is None:
            kept.append(item)
        else:
            problems.append(wrong)
    return kept, problems


# -- calendar events ------------------------------------------------------------------------------------
@dataclass
class EventReport:
    file: str
    dry_run: bool
    proposals: list[ProposedInteraction]
    unrelated: list[Unrelated]
    problems: list[Problem]
    logged: list[tuple[ProposedInteraction, Logged]] = field(default_factory=list)

    def to_dict(self, tz: Any) -> dict[str, Any]:
        done = {id(p): logged for p, logged in self.logged}
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "created": len(self.logged),
            "updated": 0,
            "skipped": len(self.proposals) - len(self.logged) + len(self.unrelated) + len(self.problems),
            "proposed": [
                {
                    "line": p.line,
                    "uid": p.uid,
                    "summary": p.summary,
                    "kind": p.kind,
                    "at": p.at.astimezone(tz).isoformat(),
                    "with": [{"name": x.name, "email": x.email} for x in p.people],
                    "organisation": p.organisation,
                    "title": p.title,
                    "because": p.matched,
                    "logged": id(p) in done,
                    "interaction_id": done[id(p)].interaction.id if id(p) in done else None,
                    "thread_id": done[id(p)].interaction.thread_id if id(p) in done else None,
                    "followups": len(done[id(p)].change.added) if id(p) in done else 0,
                }
                for p in self.proposals
            ],
            "left_alone": [
                {"line": u.line, "summary": u.summary, "reason": u.reason} for u in self.unrelated
            ],
            "bad": [_problem_dict(p) for p in self.problems],
        }


def propose_events(
    service: Service, path: Path, skip_bad: bool = False, now: str | None = None
) -> EventReport:
    """The events of a calendar export that look like interactions, not yet logged and not in the future."""
    from ..formats.ics_events import parse_events

    profile = service.profile
    me = [m for m in (profile.email, profile.name) if m]
    parsed = parse_events(read_text(path), path.name, service.zone, me)
    _stop_on(parsed.problems, skip_bad)
    moment = service.moment(now, "now")
    seen = service.store.logged_events(p.uid for p in parsed.items if p.uid)
    proposals: list[ProposedInteraction] = []
    unrelated = list(parsed.unrelated)
    for p in parsed.items:
        if p.uid and p.uid in seen:
            unrelated.append(Unrelated(p.line, p.summary, f"already logged (interaction {seen[p.uid]})"))
        elif p.at > moment:
            unrelated.append(Unrelated(p.line, p.summary, "in the future: import it after it happened"))
        else:
            proposals.append(p)
    unrelated.sort(key=lambda u: u.line)
    return EventReport(path.name, False, proposals, unrelated, parsed.problems)


def log_events(
    service: Service, report: EventReport, chosen: Iterable[int], dry_run: bool = False
) -> EventReport:
    """Log the chosen proposals (by position) through `Service.log`, all in one transaction."""
    from .followups import LogRequest, log

    picked = [report.proposals[n] for n in sorted(set(chosen))]
    report.dry_run = dry_run
    if dry_run or not picked:
        return report
    store = service.store
    now = service.now()
    with store.transaction():
        store.begin_change("import", f"logged {len(picked)} event(s) from the calendar", now)
        for p in picked:
            people = [_who(store, x.name, x.email) for x in p.people]
            first = p.people[0]
            logged = log(
                service,
                LogRequest(
                    kind=p.kind,
                    people=people,
                    email=first.email if first.email and not people[0].startswith("#") else None,
                    org=p.organisation,
                    title=p.title,
                    at=p.at.isoformat(),
                    note=p.note,
                ),
            )
            for person, contact_id in zip(p.people[1:], logged.interaction.contact_ids[1:], strict=False):
                if person.email and store.find_contact_by_email(person.email) is None:
                    known = store.get_contact(contact_id)
                    if known is not None and not known.email:
                        store.update_contact(contact_id, email=person.email)
            if p.uid:
                store.remember_event(p.uid, logged.interaction.id, now)
            report.logged.append((p, logged))
    return report


def _who(store: Store, name: str, email: str | None) -> str:
    """How to name a person to `log`: '#ID' when their email is known, else their name."""
    found = store.find_contact_by_email(email) if email else None
    return f"#{found.id}" if found is not None else name


# -- calendar export and feed ---------------------------------------------------------------------------------
def export_ics(service: Service, todo: bool = False, everything: bool = False) -> tuple[bytes, int]:
    """The follow-ups as an iCalendar file (events, or to-dos), and how many it holds."""
    from ..formats import ical

    store = service.store
    now = service.now()
    # as the agenda shows them: a nudge to someone you owe a promise waits for it
    followups = waiting(store.calendar_followups(None if everything else now - HISTORY))
    contacts = {c.id: c for c in store.contacts(f.contact_id for f in followups)}
    labels = store.labels(f.thread_id for f in followups)
    drafts = _drafts(service, followups)
    entries = [
        ical.Entry(f, contacts[f.contact_id], *labels.get(f.thread_id, (None, None)), drafts.get(f.id))
        for f in followups
        if f.contact_id in contacts
    ]
    return ical.calendar(entries, now, service.zone, todo=todo), len(entries)


def _drafts(service: Service, followups: list[FollowUp]) -> dict[int, str]:
    """Ready-to-edit drafts of the planned follow-ups due soonest: DRAFT_LIMIT at most.

    A follow-up the composer refuses (a `TactfulError`, such as a contact it cannot write to) goes
    without one; any other failure of the composer is a bug, and surfaces.
    """
    from ..compose import compose
    from .draft_inputs import facts

    horizon = service.now() + DRAFT_HORIZON
    soon = sorted(
        (
            f
            for f in followups
            if f.status.value == "planned" and f.not_before <= horizon and f.purpose in MESSAGES
        ),
        key=lambda f: (f.due_by, f.id),
    )
    drafts: dict[int, str] = {}
    for f in soon[:DRAFT_LIMIT]:
        try:
            composed = compose(
                facts(service.store, service.profile, service.zone_name, f, f.channel, now=service.now()),
                service.templates,
            )
        except TactfulError:
            continue
        drafts[f.id] = str(composed.to_text())
    return drafts


def feed_ics(service: Service) -> bytes:
    """What the calendar feed serves: the events export."""
    return export_ics(service)[0]


@dataclass(frozen=True)
class Feed:
    token: str
    created_at: dt.datetime
    account: int | None = None  # on a team server, whose feed: its address names the account first

    @property
    def path(self) -> str:
        return FEED_PATH.format(token=self.token if self.account is None else f"{self.account}.{self.token}")


def feed_show(service: Service) -> Feed:
    """The calendar feed's token, made on first use."""
    store = service.store
    with store.transaction():
        found = store.feed_token()
        if found is None:
            found = (secrets.token_urlsafe(32), service.now())
            store.set_feed_token(*found)
    return Feed(*found, account=service.account.id if service.account else None)


def feed_rotate(service: Service) -> Feed:
    """A new token; the old one stops working at once."""
    feed = Feed(secrets.token_urlsafe(32), service.now(), service.account.id if service.account else None)
    with service.store.transaction():
        service.store.set_feed_token(feed.token, feed.created_at)
    return feed


def feed_token_matches(service: Service, candidate: str) -> bool:
    """Whether `candidate` is the feed's current token, compared in constant time."""
    found = service.store.feed_token()
    if found is None or not candidate:
        return False
    return hmac.compare_digest(found[0].encode("utf-8"), candidate.encode("utf-8"))


# -- backups ------------------------------------------------------------------------------------------------
def export_json(service: Service) -> dict[str, Any]:
    """Everything in the database, as one JSON-ready document a later tactful can read."""
    from .. import __version__

    with service.store.transaction():
        tables = service.store.backup_dump()
    return {
        "format": BACKUP_FORMAT,
        "schema": BACKUP_SCHEMA,
        "tactful": __version__,
        "database_version": service.store.schema_version(),
        "exported_at": service.now().isoformat(),
        "counts": {t: len(rows) for t, rows in tables.items()},
        "tables": tables,
    }


def copy_to(service: Service, target: Store) -> dict[str, int]:
    """Copy every row of this database into the empty `target` (a SQLite file to a PostgreSQL
    server, say), ids kept: the target's backup then reads as this one's. The web app's keys and
    sealed mail passwords go too; the undo record does not. The rows copied per table; nothing is
    written when the target holds data or refuses a row."""
    from ..formats.backup import check

    with service.store.transaction():
        tables = service.store.backup_dump()
        keys = service.store.secrets()
    if target.schema_version() != service.store.schema_version():
        raise Conflict(
            f"{target.location} has schema version {target.schema_version()}, this database "
            f"{service.store.schema_version()}; open both with the same tactful first"
        )
    rows = check(tables, target.backup_schema(), "the copy")
    with target.transaction():
        held = target.backup_counts()
        if held:
            listed = ", ".join(f"{n} {t}" for t, n in held.items())
            raise Conflict(f"{target.location} already holds data ({listed}); copy into an empty database")
        # one change, as a restore is: `tactful undo` there takes back the copy, not what came before it
        target.begin_change("import", "copied from another database", service.now())
        loaded = target.backup_load(rows, "the copy")
        for name, value in keys.items():
            target.set_secret(name, value)
    return loaded


def import_json(service: Service, path: Path, replace: bool = False) -> dict[str, int]:
    """Restore a backup into an empty database (or over everything in it, with `replace`).

    The whole document is checked before anything is written (`tactful.imports.backup`); then it is
    restored in one transaction, so a backup the database still refuses leaves it as it was.
    """
    from ..formats.backup import check, tables_of

    tables = tables_of(read_text(path, guess=False), path.name)  # JSON is UTF-8; a guess would garble it
    store = service.store
    rows = check(tables, store.backup_schema(), path.name)
    with store.transaction():
        held = store.backup_counts()
        if held and not replace:
            listed = ", ".join(f"{n} {t}" for t, n in held.items())
            raise Conflict(
                f"the database at {store.location} already holds data ({listed}); restore into a new one "
                f"with {ref('db')} NEW.db, or pass {ref('replace')} to overwrite everything in it"
            )
        store.begin_change("import", f"restored the backup {path.name}", service.now())
        if held:
            store.backup_clear()
        loaded = store.backup_load(rows, path.name)
    service.refresh()
    return loaded
