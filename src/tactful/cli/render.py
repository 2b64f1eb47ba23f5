"""What people read in the terminal: Rich tables of the agenda, plans and histories."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..domain import Contact, FollowUp, Outcome, Purpose, State, Status, ThreadHistory
from ..errors import spell
from ..service.drafting import Checked, DraftResult
from ..service.followups import Change, Logged
from ..service.people import Found
from ..service.reading import Agenda
from ..service.shapes import moment_text as when
from ..service.shapes import window_text

if TYPE_CHECKING:
    from ..service.mailbox import MailResult

_STATE_STYLE = {State.OVERDUE: "bold red", State.DUE: "bold green", State.WAITING: "dim"}


#: Control characters but tab and newline, and the escape sequences they start: data shown in a
#: terminal must not set its title, clear it or plant links (an imported vCard could hold them).
_CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def safe(text: object) -> str:
    """Data as the terminal may show it: control characters removed, Rich markup escaped."""
    return escape(_CONTROL.sub("", str(text)))


@cache
def console() -> Console:
    return Console(highlight=False)


def window(f: FollowUp, tz: ZoneInfo, now: dt.datetime | None = None) -> str:
    """The part of the window that matters now, or the whole window when no moment is given."""
    if now is None:
        return f"{when(f.not_before, tz)} → {when(f.due_by, tz)}"
    return window_text(f, now, tz)


def _who(contact: Contact) -> str:
    return f"{contact.name} ({contact.organisation})" if contact.organisation else contact.name


def _table(title: str) -> Table:
    """One row per follow-up: its id, then who, what and when over the reason, which reads at any width."""
    table = Table(title=title, title_justify="left", title_style="bold", expand=False, show_header=False)
    table.add_column("ID", justify="right", style="cyan", no_wrap=True)
    table.add_column("Follow-up", ratio=1)
    return table


def _row(table: Table, f: FollowUp, who: str, when_text: str, style: str = "", extra: str = "") -> None:
    what = (
        "reminder to yourself"
        if f.purpose is Purpose.REMINDER_TO_SELF
        else "your promise"
        if f.purpose is Purpose.PROMISE
        else f"{f.purpose.value} by {f.channel.value}"
    )
    head = f"[bold]{safe(who)}[/] · {what} · {when_text}{extra}"
    table.add_row(str(f.id), f"{head}\n[dim]{safe(f.why)}[/]", style=style)


def show_agenda(agenda: Agenda, tz: ZoneInfo, days: int, everything: bool) -> None:
    out = console()
    groups: dict[State, list[Any]] = {State.OVERDUE: [], State.DUE: [], State.WAITING: []}
    for item in agenda.items:
        groups[item.followup.state(agenda.now)].append(item)
    titles = {
        State.OVERDUE: "Overdue: late, still worth doing",
        State.DUE: "Due now",
        State.WAITING: "Coming up" if everything else f"Coming up in the next {days} days",
    }
    if not agenda.items and not agenda.proposals and not agenda.losing_touch:
        out.print("Nothing to follow up on. Log what happens with [bold]tactful log KIND --with NAME[/].")
    for state, items in groups.items():
        if not items:
            continue
        table = _table(titles[state])
        for item in items:
            f = item.followup
            also = "".join(f" · also {o.purpose.value} ({o.id}), in the same e-mail" for o in item.also)
            _row(table, f, _who(item.contact), window(f, tz, agenda.now), _STATE_STYLE[state], also)
        out.print(table)
    for m in agenda.proposals:
        out.print(
            f"[bold]Reply to decide[/] (thread {m.thread_id}, {when(m.at, tz)}): {safe(m.proposal or '')}\n"
            f"  `tactful accept {safe(_quoted(m.message_id))}` or `tactful decline {safe(_quoted(m.message_id))}`"
        )
    for x in agenda.losing_touch:
        out.print(
            f"[bold]Losing touch[/]: {safe(x.name)}, last in touch {x.gap_days} days ago (#{x.contact_id})."
        )
    for thread in agenda.dormant:
        label = thread.title or thread.organisation or f"thread {thread.id}"
        out.print(f"[dim]Dormant: {safe(label)} (thread {thread.id}): {safe(thread.dormant_why or '')}[/]")


def show_change(
    change: Change,
    contacts: dict[int, Contact],
    now: dt.datetime,
    tz: ZoneInfo,
    logged: Logged | None = None,
    head: dict[str, Any] | None = None,
) -> None:
    out = console()
    if logged is not None:
        i, t = logged.interaction, logged.thread
        about = " · ".join(x for x in (t.title, t.organisation) if x) if t else ""
        where = f"thread {i.thread_id}" + (f" ({safe(about)})" if about else "")
        joined = f"started {where}" if logged.new_thread else f"joined {where}"
        out.print(f"Logged {i.kind.value} #{i.id} at {when(i.at, tz)}; it {joined}.")
        if logged.notice:
            out.print(f"[bold]Note:[/] {safe(spell(logged.notice, lambda field: '--' + field))}")
        for person, tag in logged.offers:
            out.print(
                f"Tag to keep in touch later? [cyan]tactful tag '#{person.id}' {tag}[/] ({safe(person.name)})"
            )
    elif head and "done" in head:
        done = head["done"]
        own = done["purpose"] in ("promise", "reminder-to-self")
        out.print(f"Marked follow-up {done['id']} ({done['purpose']}) as {'done' if own else 'sent'}.")
        if change.also_done:
            out.print(
                f"The same e-mail covered follow-up(s) {', '.join(map(str, change.also_done))}: marked sent too."
            )
    elif head and "reply" in head:
        out.print(f"Noted their reply in thread {change.thread_id}.")
    elif head and "wake" in head:
        out.print(f"Thread {change.thread_id} goes on.")
    elif head and "outcome" in head:
        out.print(f"Thread {change.thread_id}: {Outcome(head['outcome']['outcome']).said}.")
    if change.cancelled:
        out.print(
            f"Cancelled {len(change.cancelled)} pending follow-up(s): {', '.join(map(str, change.cancelled))}."
        )
    if change.added:
        table = _table("Planned")
        for f in change.added:
            _row(table, f, _who(contacts[f.contact_id]), window(f, tz, now))
        out.print(table)
    if change.moved:
        out.print(f"Moved later to keep the limits: follow-up(s) {', '.join(map(str, change.moved))}.")
    for note in change.notes:
        out.print(f"[yellow]{safe(note)}[/]")
    if change.dormant_why:
        out.print(f"[yellow]Thread {change.thread_id} is dormant: {safe(change.dormant_why)}[/]")
    elif not change.added and logged is None:
        out.print("Nothing new to plan.")


def show_thread(h: ThreadHistory, now: dt.datetime, tz: ZoneInfo) -> None:
    out = console()
    t = h.thread
    label = " · ".join(x for x in (t.title, t.organisation) if x) or "untitled"
    out.print(
        f"[bold]Thread {t.id}[/]: {safe(label)} — {h.stage.value}"
        + (f" ({t.outcome.value})" if t.outcome else "")
    )
    if t.dormant_why:
        out.print(f"[yellow]{safe(t.dormant_why)}[/]")
    timeline = Table(title="History", title_justify="left", title_style="bold")
    timeline.add_column("When")
    timeline.add_column("What")
    timeline.add_column("Detail", ratio=1)
    rows: list[tuple[dt.datetime, str, str]] = []
    for i in h.interactions:
        people = ", ".join(h.contacts[c].name for c in i.contact_ids if c in h.contacts)
        detail = "; ".join(x for x in (", ".join(i.topics), i.note or "") if x)
        rows.append((i.at, f"{i.kind.value} with {people}", detail))
    for e in h.events:
        rows.append((e.at, e.outcome.value if e.outcome else "reply", ""))
    for f in h.followups:
        if f.status is Status.DONE and f.done_at:
            rows.append(
                (f.done_at, f"sent {f.purpose.value} by {f.channel.value}", h.contacts[f.contact_id].name)
            )
    for moment, what, detail in sorted(rows, key=lambda r: r[0]):
        timeline.add_row(when(moment, tz), safe(what), safe(detail))
    out.print(timeline)
    for f in h.followups:
        if f.status is Status.DONE and f.text:
            out.print(f"[bold]What you sent[/] ({f.purpose.value} to {safe(h.contacts[f.contact_id].name)}, "
                      f"follow-up {f.id}):")  # fmt: skip
            out.print(safe(f.text), soft_wrap=True)
    plan = _table("Plan")
    for f in h.followups:
        if f.status is Status.DONE:
            continue
        if f.status is Status.PLANNED:
            _row(plan, f, _who(h.contacts[f.contact_id]), window(f, tz, now), _STATE_STYLE[f.state(now)])
        else:
            _row(
                plan,
                f,
                _who(h.contacts[f.contact_id]),
                window(f, tz),
                "dim",
                f" · {f.status.value}: {f.cancel_reason}",
            )
    if plan.row_count:
        out.print(plan)


def show_contact(person: Contact, histories: list[ThreadHistory], now: dt.datetime, tz: ZoneInfo) -> None:
    out = console()
    details = " · ".join(
        x for x in (person.role, person.organisation, person.email, person.phone, person.linkedin) if x
    )
    out.print(f"[bold]#{person.id} {safe(person.name)}[/]" + (f" — {safe(details)}" if details else ""))
    if person.prefers:
        out.print(f"Prefers {person.prefers.value}.")
    if not histories:
        out.print("No threads yet.")
    for h in histories:
        out.print()
        show_thread(h, now, tz)


def show_profile(data: dict[str, Any]) -> None:
    table = Table(title="Your profile", title_justify="left", title_style="bold", show_header=False)
    table.add_column("Field", style="cyan")
    table.add_column("Value")
    for key, value in data.items():
        if isinstance(value, list):
            value = ", ".join(value)
        table.add_row(key, "" if value is None else safe(value))
    console().print(table)


_MARK = {"error": "[bold red]✗ error[/]", "warning": "[yellow]! warning[/]", "tip": "[cyan]· tip[/]"}


def show_review(checked: Checked) -> None:
    """The draft line by line, each finding printed under the line it concerns."""
    out = console()
    draft, review = checked.draft, checked.review
    verdict = "[bold green]ready[/]" if review.ready else "[bold red]needs work[/]"
    out.print(f"{verdict} · score {review.score}/100")
    by_line: dict[int | None, list[Any]] = {}
    for finding in review.findings:
        by_line.setdefault(finding.line, []).append(finding)

    def findings_at(line: int | None, indent: str) -> None:
        for f in by_line.get(line, []):
            excerpt = f" [dim]“{safe(f.excerpt)}”[/]" if f.excerpt else ""
            out.print(
                f"{indent}{_MARK.get(f.severity.value, f.severity.value)} {f.code}: {safe(f.message)}{excerpt}"
            )

    if draft.subject is not None:
        out.print(f"[dim]   Subject:[/] {safe(draft.subject)}")
    out.print()
    for number, line in enumerate(draft.body.split("\n"), start=1):
        out.print(f"[dim]{number:>3} │[/] {safe(line)}")
        findings_at(number, "    │   ")
    if by_line.get(None):
        out.print("\n[bold]The whole message[/]")
        findings_at(None, "  ")


def show_draft(result: DraftResult, eml_file: str | None = None) -> None:
    """The draft as plain text to copy, then what the reviewer says about it."""
    out = console()
    c = result.composed
    if c.to:
        out.print(f"[dim]To:[/] {safe(c.to)}")
    if c.subject is not None:
        out.print(f"[dim]Subject:[/] {safe(c.subject)}")
    if c.post_by is not None:
        out.print(f"[dim]Post it by:[/] {c.post_by:%a %-d %b}")
    out.print()
    out.print(safe(c.body), soft_wrap=True)
    if c.voicemail:
        out.print("\n[bold]If you reach their voicemail[/]")
        out.print(safe(c.voicemail), soft_wrap=True)
    out.print()
    review = result.review
    verdict = "[green]ready to send[/]" if review.ready else "[red]needs work[/]"
    out.print(f"[dim]Review:[/] {verdict} · score {review.score}/100")
    for f in review.findings:
        out.print(f"  {_MARK.get(f.severity.value, f.severity.value)} {f.code}: {safe(f.message)}")
    for fact in c.missing:
        out.print(f"[dim]  · written around a missing fact: {safe(fact)}[/]")
    if c.prompts:
        out.print("\n[bold]In your own words[/]")
        for ask in c.prompts:
            out.print(f"  · {safe(ask)}")
    if eml_file:
        out.print(f"[dim]Wrote {safe(eml_file)}: open it in your mail app to send.[/]")


def show_contacts(found: list[Found], tz: ZoneInfo, query: str | None) -> None:
    out = console()
    if not found:
        out.print(
            f"No one matches {safe(repr(query))}."
            if query
            else "No one yet: `tactful log` records who you met."
        )
        return
    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("#", "Name", "Organisation", "E-mail", "Last"):
        table.add_column(column)
    for f in found:
        c = f.contact
        last = when(f.last_interaction, tz) if f.last_interaction else ""
        table.add_row(str(c.id), safe(c.name), safe(c.organisation or ""), safe(c.email or ""), last)
    out.print(table)


def show_mail(result: MailResult, tz: ZoneInfo) -> None:
    """What a sync or a mail import did, a line each."""
    out = console()
    names = {c.id: c.name for c in result.contacts.values()}
    out.print(f"Read {result.scanned} message{'s' if result.scanned != 1 else ''}.")
    for fid, mid in result.sent:
        out.print(f"Sent: follow-up {fid} marked done ({safe(mid)}).")
    for m in result.replies:
        who = safe(names.get(m.contact_id or 0, "they"))
        line = f"Reply from {who} (thread {m.thread_id}, {when(m.at, tz)}): nudges stopped."
        if m.proposal:
            line += f"\n  Proposed: {safe(m.proposal)} `tactful accept {safe(_quoted(m.message_id))}`"
        out.print(line)
    for m in result.automatic:
        who = safe(names.get(m.contact_id or 0, "they"))
        if m.kind == "out-of-office":
            back = f"back {when(m.until, tz)}" if m.until else "no return date given"
            out.print(f"Out of office: {who}, {back}.")
        else:
            out.print(f"Bounced: {safe(m.proposal or '')} `tactful accept {safe(_quoted(m.message_id))}`")
    if result.moved:
        out.print(f"Moved: follow-ups {', '.join(map(str, result.moved))}.")
    if result.cancelled:
        out.print(f"Cancelled: follow-ups {', '.join(map(str, result.cancelled))} (they replied).")
    if result.added:
        out.print(f"Planned: follow-ups {', '.join(str(f.id) for f in result.added)} (`tactful agenda`).")


def _quoted(text: str) -> str:
    """As a shell takes it ("<id@host>" would be a redirection)."""
    import shlex

    return shlex.quote(text)


def show_stats(data: dict[str, Any]) -> None:
    """Reply rates as tables: each rate with how many sends it rests on."""
    out = console()
    if not data["sent"]:
        out.print("Nothing sent yet: the figures come once follow-ups are marked sent.")
        return
    overall = data["reply_rate"]["overall"]
    median = data["median_days_to_reply"]
    out.print(
        f"{data['sent']} follow-ups sent over {data['threads']} threads; "
        f"{overall['replied']} answered ({overall['rate']:.0%})"
        + (f", after {median} days in the middle" if median is not None else "")
        + f"; {data['on_time']['on_time']} sent in their window."
    )
    titles = {"by_purpose": "By purpose", "by_nudge": "By nudge (0: not a nudge)", "by_channel": "By channel",
              "by_delay": "In the window, or late", "by_weekday": "By the day it was sent"}  # fmt: skip
    for key, title in titles.items():
        table = Table(title=title, title_justify="left", show_edge=False)
        for column in ("", "answered", "of", "rate"):
            table.add_column(column, justify="left" if not column else "right")
        for name, rate in data["reply_rate"][key].items():
            shown = f"{rate['rate']:.0%}" if rate["rate"] is not None else "–"
            table.add_row(safe(name), str(rate["replied"]), str(rate["of"]), shown)
        out.print(table)
    if data["threads"] < 30:
        out.print(f"[dim]Over {data['threads']} threads: a small sample, read it as a hint, not a law.[/]")
