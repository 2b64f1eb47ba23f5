"""Putting things right on the command line: `edit`, `delete`, `merge`, `undo`, `snooze`, `wake`.

Each calls one use case of `tactful.service.corrections` (or `followups` for snooze and wake) and
says what it changed; `tactful undo` takes back any of them.
"""

from __future__ import annotations

from typing import Any

import click

from .base import CHANNELS, App, command, emit, group, json_option, pass_app


def _contact_dict(person: Any) -> dict[str, Any]:
    from ..service.shapes import contact_dict

    return contact_dict(person)


@group()
def edit() -> None:
    """Correct a person or an interaction (`tactful undo` takes a correction back)."""


@edit.command("contact", spells={"contact": "ID"})
@click.argument("ref", metavar="ID")
@click.option("--name", help="Their name.")
@click.option("--email", help="Their e-mail address.")
@click.option("--phone", help="Their phone number.")
@click.option("--linkedin", help="Their LinkedIn URL.")
@click.option("--org", help="Their organisation.")
@click.option("--prefers", metavar="CHANNEL", help=f"Their preferred channel: {', '.join(CHANNELS)}.")
@click.option("--tz", help="Their time zone, e.g. Asia/Tokyo.")
@click.option("--note", help="A note of your own about them. Any of these given as '' is cleared.")
@json_option
@pass_app
def edit_contact(app: App, /, ref: str, as_json: bool, **fields: str | None) -> None:
    """Correct person ID (ID, #ID, e-mail address or name)."""
    from ..service.corrections import edit_contact as correct

    person, changed = correct(app.service, ref, **fields)
    if as_json:
        emit({"contact": _contact_dict(person), "changed": changed})
    elif changed:
        click.echo(f"Corrected {person.name} (#{person.id}): {', '.join(changed)}.")
    else:
        click.echo(f"Nothing changed: {person.name} (#{person.id}) already has those details.")


@edit.command("interaction", spells={"interaction_id": "ID"})
@click.argument("interaction_id", metavar="ID", type=int)
@click.option("--at", help="When it really happened.")
@click.option("--decision-by", help="When they said they would decide ('' to clear).")
@click.option("--promised-by", help="When the promised help should arrive ('' to clear).")
@click.option("--promised", help="What they promised.")
@click.option("--for", "title", metavar="TITLE", help="The opportunity: a job title, a deal.")
@click.option("--org", help="The organisation of the thread.")
@click.option(
    "--topic", "topics", multiple=True, metavar="T", help="A topic discussed (repeat; replaces the list)."
)
@click.option(
    "--question",
    "questions",
    multiple=True,
    metavar="Q",
    help="An open question (repeat; replaces the list).",
)
@click.option("--note", help="The note.")
@json_option
@pass_app
def edit_interaction(
    app: App,
    /,
    interaction_id: int,
    topics: tuple[str, ...],
    questions: tuple[str, ...],
    as_json: bool,
    **fields: Any,
) -> None:
    """Correct interaction ID and plan its follow-ups again; says what moved."""
    from ..service import shapes
    from ..service.corrections import edit_interaction as correct

    service = app.service
    edited = correct(
        service,
        interaction_id,
        topics=list(topics) if topics else None,
        questions=list(questions) if questions else None,
        **fields,
    )
    tz, now = service.zone, service.now()
    if as_json:
        emit(
            {
                "interaction": shapes.interaction_dict(edited.interaction, tz),
                "followups": shapes.change_followups(edited.change, edited.change.contacts, now, tz),
                "cancelled": edited.change.cancelled,
                "changes": edited.said,
            }
        )
        return
    i = edited.interaction
    click.echo(
        f"Corrected {i.kind.value} #{i.id} (thread {i.thread_id}), now at {shapes.moment_text(i.at, tz)}."
    )
    for line in edited.said:
        click.echo(f"  {line[0].upper()}{line[1:]}.")


@group()
def delete() -> None:
    """Remove an interaction or a person, and plan again (`tactful undo` brings it back)."""


@delete.command("interaction", spells={"interaction_id": "ID"})
@click.argument("interaction_id", metavar="ID", type=int)
@json_option
@pass_app
def delete_interaction(app: App, /, interaction_id: int, as_json: bool) -> None:
    """Remove interaction ID and what was planned for it."""
    from ..service.corrections import delete_interaction as remove

    summary = remove(app.service, interaction_id)
    _said(summary, as_json, "deleted")


@delete.command("contact", spells={"contact": "ID"})
@click.argument("ref", metavar="ID")
@click.option("--yes", is_flag=True, help="Also when they are in threads: removes what was only theirs.")
@json_option
@pass_app
def delete_contact(app: App, /, ref: str, yes: bool, as_json: bool) -> None:
    """Remove person ID (ID, #ID, e-mail address or name)."""
    from ..service.corrections import delete_contact as remove

    _said(remove(app.service, ref, yes), as_json, "deleted")


@group()
def merge() -> None:
    """Make two records of one person into one."""


@merge.command("contact", spells={"keep": "KEEP", "other": "OTHER"})
@click.argument("keep", metavar="KEEP")
@click.argument("other", metavar="OTHER")
@json_option
@pass_app
def merge_contact(app: App, /, keep: str, other: str, as_json: bool) -> None:
    """Move OTHER's addresses, threads and history to KEEP; OTHER is gone."""
    from ..service.corrections import merge_contacts

    person, summary = merge_contacts(app.service, keep, other)
    if as_json:
        emit({"contact": _contact_dict(person), "summary": summary})
    else:
        click.echo(f"{summary[0].upper()}{summary[1:]}.")


@command()
@json_option
@pass_app
def undo(app: App, /, as_json: bool) -> None:
    """Take back the last change: a log, done, skip, snooze, reply, outcome, edit, delete, merge or import."""
    from ..service.corrections import undo as take_back

    undone = take_back(app.service)
    if as_json:
        emit({"undone": undone.kind, "summary": undone.summary})
    else:
        click.echo(f"Undone: {undone.summary}.")


@command(spells={"followup_id": "ID"})
@click.argument("followup_id", metavar="ID", type=int)
@click.option("--until", help="When it should open instead: 'monday 9am', '2026-03-10'.")
@json_option
@pass_app
def snooze(app: App, /, followup_id: int, until: str | None, as_json: bool) -> None:
    """Move follow-up ID later (default: one business day), within the playbook's limits."""
    from ..service import shapes
    from ..service.followups import snooze as put_off

    service = app.service
    done = put_off(service, followup_id, until)
    f = done.followup
    if as_json:
        emit(
            {
                "followup": shapes.followup_dict(f, done.contact, service.now(), service.zone),
                "held": done.held,
            }
        )
        return
    click.echo(
        f"Follow-up {f.id} ({f.purpose.value}) now opens {shapes.moment_text(f.not_before, service.zone)}."
    )
    for reason in done.held:
        click.echo(f"  Held later: {reason}")


@command(spells={"thread_id": "THREAD"})
@click.argument("thread_id", metavar="THREAD", type=int)
@json_option
@pass_app
def wake(app: App, /, thread_id: int, as_json: bool) -> None:
    """Plan a resting thread's next step again, within the limits."""
    from ..service.followups import wake as go_on
    from .followups import print_change

    change = go_on(app.service, thread_id)
    print_change(app, change, as_json, head={"wake": {"thread_id": thread_id}})


def _said(summary: str, as_json: bool, key: str) -> None:
    if as_json:
        emit({key: summary})
    else:
        click.echo(f"{summary[0].upper()}{summary[1:]}.")


COMMANDS = (edit, delete, merge, undo, snooze, wake)
