"""The follow-up loop on the command line: `log`, `done`, `skip`, `reply`, `outcome`.

Each calls one use case of `tactful.service.followups` and prints what it did to the plan.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .base import CHANNELS, KINDS, App, command, emit, json_option, pass_app, read_text


def _ask_log(kind: str | None, people: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """In a terminal, ask for what `log` needs; elsewhere, a usage error."""
    if kind and (people or kind == "application"):  # a portal application names no one
        return kind, people
    if not sys.stdin.isatty():
        missing = "KIND" if not kind else "--with NAME"
        raise click.UsageError(f"missing {missing}; e.g. tactful log interview --with 'Priya Natarajan'")
    if not kind:
        kind = click.prompt("What happened?", type=click.Choice(KINDS), show_choices=True, err=True)
    if not people:
        names = click.prompt("With whom? (names, comma-separated)", err=True)
        people = tuple(n.strip() for n in names.split(",") if n.strip())
    return kind, people


@command()
@click.argument("kind", required=False, metavar="KIND")
@click.option("--with", "people", multiple=True, metavar="NAME", help="Who it was with (repeat for several).")
@click.option("--email", help="The first person's email.")
@click.option("--phone", help="The first person's phone number.")
@click.option("--linkedin", help="The first person's LinkedIn URL.")
@click.option("--org", help="Their organisation.")
@click.option("--role", help="The first person's role.")
@click.option("--for", "title", metavar="TITLE", help="The opportunity: a job title, a deal.")
@click.option("--at", help="When it happened (default now): '2026-03-02 10:00', 'today 3pm', 'yesterday'.")
@click.option("--decision-by", help="When they said they would decide.")
@click.option("--promised-by", help="When the promised help should arrive.")
@click.option("--promised", help="What they promised (a referral, a review...).")
@click.option("--introduced-by", metavar="NAME", help="Who introduced you (for an introduction).")
@click.option(
    "--i-promised", metavar="TEXT", help="Something you promised them ('send the deck'): a task of your own."
)
@click.option("--by", "i_promised_by", metavar="DATE", help="When you will have done it (with --i-promised).")
@click.option("--prefers", type=click.Choice(CHANNELS), help="The first person's preferred channel.")
@click.option("--their-tz", metavar="ZONE", help="The first person's time zone (for their business hours).")
@click.option("--topic", "topics", multiple=True, metavar="T", help="A topic you discussed (repeatable).")
@click.option("--question", "questions", multiple=True, metavar="Q", help="An open question (repeatable).")
@click.option("--note", help="Anything else worth remembering.")
@click.option("--time-sensitive", is_flag=True, help="Follow up sooner than usual.")
@click.option("--card", is_flag=True, help="Also plan a handwritten card.")
@click.option("--thread", "thread_id", type=int, metavar="ID", help="Add to this thread.")
@json_option
@pass_app
def log(app: App, /, kind: str | None, people: tuple[str, ...], as_json: bool, **fields: Any) -> None:
    """Record an interaction and plan its follow-ups.

    KIND is one of: interview, application, meeting, introduction, help-promised, call,
    presentation, client-meeting.
    """
    from ..service.followups import LogRequest, log

    kind, people = _ask_log(kind, people)
    fields["topics"] = list(fields["topics"])
    fields["questions"] = list(fields["questions"])
    logged = log(app.service, LogRequest(kind=kind, people=list(people), **fields))
    print_change(app, logged.change, as_json, logged=logged)


def print_change(
    app: App, change: Any, as_json: bool, logged: Any = None, head: dict[str, Any] | None = None
) -> None:
    from ..service import shapes as views

    tz = app.service.zone
    now = app.service.now()
    if as_json:
        if logged is not None:
            emit(views.logged_dict(logged, now, tz))
        else:
            emit(views.change_dict(change, now, tz, **(head or {})))
        return
    from .render import show_change

    show_change(change, change.contacts, now, tz, logged=logged, head=head)


@command()
@click.argument("followup_id", metavar="ID", type=int)
@click.option("--at", help="When you sent it (default now).")
@click.option("--channel", type=click.Choice(CHANNELS), help="The channel you used, if not the planned one.")
@click.option("--text", "text_file", type=click.File("rb"), help="A file holding what you sent.")
@json_option
@pass_app
def done(
    app: App, followup_id: int, at: str | None, channel: str | None, text_file: Any, as_json: bool
) -> None:
    """Mark follow-up ID sent, and plan what comes after it."""
    text = read_text(text_file) if text_file else None
    from ..service.followups import done as mark_done

    sent, change = mark_done(app.service, followup_id, at, channel, text)
    print_change(app, change, as_json, head={"done": {"id": sent.id, "purpose": sent.purpose.value}})


@command()
@click.argument("followup_id", metavar="ID", type=int)
@click.option("--reason", help="Why you are dropping it.")
@json_option
@pass_app
def skip(app: App, followup_id: int, reason: str | None, as_json: bool) -> None:
    """Drop follow-up ID without sending it."""
    from ..service.followups import skip as drop

    f = drop(app.service, followup_id, reason)
    if as_json:
        from ..service.shapes import skipped_dict

        emit(skipped_dict(f))
    else:
        click.echo(f"Skipped follow-up {f.id} ({f.purpose.value}).")


@command()
@click.option("--from", "from_", required=True, metavar="NAME", help="Who answered (name, #ID or email).")
@click.option(
    "--thread", "thread_id", type=int, metavar="ID", help="The thread (default: their latest open one)."
)
@click.option("--at", help="When they answered (default now).")
@json_option
@pass_app
def reply(app: App, from_: str, thread_id: int | None, at: str | None, as_json: bool) -> None:
    """They answered: stop the thread's nudges."""
    from ..service.followups import reply as note_reply

    change = note_reply(app.service, from_, thread_id, at)
    print_change(app, change, as_json, head={"reply": {"thread_id": change.thread_id}})


@command()
@click.argument("thread_id", metavar="THREAD", type=int)
@click.argument("outcome", metavar="OUTCOME")
@click.option("--at", help="When you heard (default now).")
@click.option(
    "--reply-by", metavar="DATE", help="An offer's reply deadline: a reminder to yourself comes before it."
)
@json_option
@pass_app
def outcome(
    app: App, thread_id: int, outcome: str, at: str | None, reply_by: str | None, as_json: bool
) -> None:
    """Record how thread THREAD ended: rejected, offer, accepted, won, lost, closed, helped."""
    from ..service.followups import outcome as record

    change = record(app.service, thread_id, outcome, at, reply_by)
    print_change(app, change, as_json, head={"outcome": {"thread_id": thread_id, "outcome": change.outcome}})


@command(spells={"contact": "NAME"})
@click.argument("who", metavar="NAME|#ID")
@click.option("--at", required=True, help="When to remind you: 'friday 9am', '2026-03-10 14:00'.")
@click.option("--note", help="What to remember.")
@json_option
@pass_app
def remind(app: App, /, who: str, at: str, note: str | None, as_json: bool) -> None:
    """A reminder of your own about a person, on the agenda like any follow-up."""
    from ..service import shapes
    from ..service.followups import remind as set_reminder

    service = app.service
    f, person = set_reminder(service, who, at, note)
    if as_json:
        emit({"followup": shapes.followup_dict(f, person, service.now(), service.zone)})
    else:
        click.echo(
            f"Follow-up {f.id}: a reminder about {person.name}, {shapes.moment_text(f.not_before, service.zone)}."
        )


COMMANDS = (log, done, skip, reply, outcome, remind)
