"""What there is to see, on the command line: `agenda`, `show`, `stats`, and `demo` with a sample
history."""

from __future__ import annotations

from pathlib import Path

import click

from .base import App, command, emit, json_option, pass_app


@command()
@click.option("--now", help="Look as of this time (default now).")
@click.option(
    "--days",
    type=click.IntRange(0, 3650),
    default=7,
    show_default=True,
    help="Show what opens within N days.",
)
@click.option(
    "--all", "everything", is_flag=True, help="Also show later follow-ups and every dormant thread."
)
@json_option
@pass_app
def agenda(app: App, now: str | None, days: int, everything: bool, as_json: bool) -> None:
    """What to do: overdue, due, and coming up, each with its reason."""
    from ..service.reading import agenda as build

    result = build(app.service, now, days, everything)
    if as_json:
        from ..service.shapes import agenda_dict

        emit(agenda_dict(result, app.service.zone))
    else:
        from .render import show_agenda

        show_agenda(result, app.service.zone, days, everything)


@command(spells={"contact": "ID", "thread_id": "ID"})
@click.argument("what", type=click.Choice(["contact", "thread"]))
@click.argument("ref", metavar="ID")
@json_option
@pass_app
def show(app: App, what: str, ref: str, as_json: bool) -> None:
    """The history and plan of a contact (ID, #ID or name) or a thread (ID)."""
    from ..service import reading, shapes
    from ..service.lookup import is_id
    from .render import show_contact, show_thread

    service = app.service
    tz = service.zone
    now = service.now()
    if what == "thread":
        if not is_id(ref.lstrip("#")):
            raise click.BadParameter(f"{ref!r} is not a thread id", param_hint="ID")
        history = reading.history(service, int(ref.lstrip("#")))
        if as_json:
            emit(shapes.history_dict(history, now, tz))
        else:
            show_thread(history, now, tz)
        return
    person = reading.contact(service, ref)
    histories = reading.contact_threads(service, person)
    if as_json:
        addresses, tags = reading.addresses(service, person), reading.tags(service, person)
        emit(shapes.contact_threads_dict(person, histories, now, tz, addresses, tags))
    else:
        show_contact(person, histories, now, tz)


@command()
@click.option("--now", help="Pretend it is this time.")
@click.option(
    "--keep", type=click.Path(dir_okay=False, path_type=Path), help="Keep the sample database here."
)
@json_option
def demo(now: str | None, keep: Path | None, as_json: bool) -> None:
    """Load a small sample history into a throw-away database and show its agenda."""
    from ..errors import InvalidInput
    from ..service import demo as sample
    from ..service.reading import agenda as build
    from ..service.shapes import agenda_dict, moment_text

    if keep is None:
        import tempfile

        keep = Path(tempfile.mkdtemp(prefix="tactful-demo-")) / "demo.db"
    elif keep.exists():
        raise InvalidInput(
            f"{keep} already exists; give --keep a new file (the sample never replaces a database)",
            field="keep",
        )
    app = App(str(keep))
    service = app.service
    sample.start(service, now)
    result = build(service, None, 7, False)
    if as_json:
        emit(agenda_dict(result, service.zone))
        return
    from .render import console, show_agenda

    console().print(f"[bold]A sample history[/] in {keep}, as of {moment_text(result.now, service.zone)}.\n")
    show_agenda(result, service.zone, 7, False)
    console().print(
        "\nTry it on your own: [bold]tactful log interview --with 'Name' --org 'Company'[/], then "
        "[bold]tactful agenda[/]."
    )


@command()
@click.option("--since", metavar="DATE", help="Only what was sent since then (default: ever).")
@json_option
@pass_app
def stats(app: App, since: str | None, as_json: bool) -> None:
    """Reply rates from your own history: by purpose, nudge, channel, delay and weekday."""
    from ..service.stats import stats as measure

    figures = measure(app.service, since)
    if as_json:
        emit(figures.to_dict())
    else:
        from .render import show_stats

        show_stats(figures.to_dict())


COMMANDS = (agenda, show, stats, demo)
