"""The `tactful` command: a thin shell over the service.

Each command parses its options, calls one use case and prints the result, as Rich tables for
people or as one JSON document with `--json`. Errors are turned into a one-line message and an exit
status in exactly one place (`_Group.invoke`). Rich is imported only when a person is reading.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__
from ..domain import Channel, Kind
from ..errors import TactfulError

F = TypeVar("F", bound=Callable[..., Any])

KINDS = [k.value for k in Kind]
CHANNELS = [c.value for c in Channel]


class _Group(click.Group):
    """Turns every `TactfulError` into one line on stderr and its exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TactfulError as exc:
            click.echo(f"error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


class App:
    """What the commands share: the database path, opened on first use."""

    def __init__(self, db: Path | None) -> None:
        self.db = db
        self._service: Any = None

    @property
    def service(self) -> Any:
        if self._service is None:
            from ..service.base import Service
            from ..store import open_store

            self._service = Service(
                open_store(self.db),
                playbook_path=config_file("playbook.toml"),
                phrases_path=config_file("phrases.toml"),
                templates_dir=config_file("templates"),
            )
        return self._service


def config_file(name: str) -> Path:
    """A file of the user's own settings: TACTFUL_PLAYBOOK / TACTFUL_PHRASES, else the config dir."""
    env = os.environ.get(f"TACTFUL_{name.split('.')[0].upper()}")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("tactful", appauthor=False)) / name


def read_text(handle: Any) -> str:
    """A file's text (UTF-8, with or without a byte-order mark), or a clear error."""
    data = handle.read()
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        name = getattr(handle, "name", "the file")
        raise TactfulError(
            f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document for scripts.")(func)


def emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _zone(app: App) -> Any:
    from ..business_days import zone

    return zone(app.service.zone_name)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="TACTFUL_DB",
    help="The database file (default: tactful.db in your user data directory; also TACTFUL_DB).",
)
@click.version_option(__version__, prog_name="tactful")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """tactful: follow up on time, on the right channel, without being pushy.

    Log what happened (`tactful log interview --with 'Priya Natarajan' --org Acme`), then ask what is
    due (`tactful agenda`). Every planned follow-up says which rule made it and why.
    """
    ctx.obj = App(db)


pass_app = click.make_pass_decorator(App)


@cli.command()
@click.option("--name", help="Your name, as you sign messages.")
@click.option("--email", help="Your email address.")
@click.option("--phone", help="Your phone number.")
@click.option("--linkedin", help="Your LinkedIn profile URL.")
@click.option("--signature", help="The signature under your messages.")
@click.option("--tz", help="Your time zone, e.g. Europe/London (default: the system's).")
@click.option("--country", help="Your country code for public holidays, e.g. GB, US, DE.")
@click.option("--skills", help="Your skills, comma-separated, for drafts.")
@click.option("--notes/--no-notes", default=None, help="Plan a handwritten card after each interview.")
@click.option(
    "--linkedin-free/--linkedin-premium", default=None, help="A free LinkedIn account (200-character notes)."
)
@json_option
@pass_app
def profile(app: App, /, as_json: bool, skills: str | None, **fields: Any) -> None:
    """Your own details: used in drafts and in the business-day calendar."""
    if skills is not None:
        fields["skills"] = skills.split(",")
    service = app.service
    if any(v is not None for v in fields.values()):
        service.update_profile(**fields)
    from ..service.shapes import profile_dict

    data = profile_dict(service)
    if as_json:
        emit(data)
    else:
        from .render import show_profile

        show_profile(data)


def _ask_log(kind: str | None, people: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """In a terminal, ask for what `log` needs; elsewhere, a usage error."""
    if kind and people:
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


@cli.command()
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
    from ..service.base import LogRequest

    kind, people = _ask_log(kind, people)
    fields["topics"] = list(fields["topics"])
    fields["questions"] = list(fields["questions"])
    logged = app.service.log(LogRequest(kind=kind, people=list(people), **fields))
    _print_change(app, logged.change, as_json, logged=logged)


def _print_change(
    app: App, change: Any, as_json: bool, logged: Any = None, head: dict[str, Any] | None = None
) -> None:
    from ..service import shapes as views

    tz = _zone(app)
    now = app.service.now()
    if as_json:
        if logged is not None:
            emit(views.logged_dict(logged, now, tz))
        else:
            emit(views.change_dict(change, now, tz, **(head or {})))
        return
    from .render import show_change

    show_change(change, change.contacts, now, tz, logged=logged, head=head)


@cli.command()
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
    result = app.service.agenda(now, days, everything)
    if as_json:
        from ..service.shapes import agenda_dict

        emit(agenda_dict(result, _zone(app)))
    else:
        from .render import show_agenda

        show_agenda(result, _zone(app), days, everything)


@cli.command()
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
    sent, change = app.service.done(followup_id, at, channel, text)
    _print_change(app, change, as_json, head={"done": {"id": sent.id, "purpose": sent.purpose.value}})


@cli.command()
@click.argument("followup_id", metavar="ID", type=int)
@click.option("--reason", help="Why you are dropping it.")
@json_option
@pass_app
def skip(app: App, followup_id: int, reason: str | None, as_json: bool) -> None:
    """Drop follow-up ID without sending it."""
    f = app.service.skip(followup_id, reason)
    if as_json:
        from ..service.shapes import skipped_dict

        emit(skipped_dict(f))
    else:
        click.echo(f"Skipped follow-up {f.id} ({f.purpose.value}).")


@cli.command()
@click.option("--from", "name", required=True, metavar="NAME", help="Who answered (name, #ID or email).")
@click.option(
    "--thread", "thread_id", type=int, metavar="ID", help="The thread (default: their latest open one)."
)
@click.option("--at", help="When they answered (default now).")
@json_option
@pass_app
def reply(app: App, name: str, thread_id: int | None, at: str | None, as_json: bool) -> None:
    """They answered: stop the thread's nudges."""
    change = app.service.reply(name, thread_id, at)
    _print_change(app, change, as_json, head={"reply": {"thread_id": change.thread_id}})


@cli.command()
@click.argument("thread_id", metavar="THREAD", type=int)
@click.argument("result", metavar="OUTCOME")
@click.option("--at", help="When you heard (default now).")
@json_option
@pass_app
def outcome(app: App, thread_id: int, result: str, at: str | None, as_json: bool) -> None:
    """Record how thread THREAD ended: rejected, offer, accepted, won, lost, closed, helped."""
    change = app.service.outcome(thread_id, result, at)
    _print_change(app, change, as_json, head={"outcome": {"thread_id": thread_id, "outcome": change.outcome}})


@cli.command()
@click.argument("what", type=click.Choice(["contact", "thread"]))
@click.argument("ref", metavar="ID")
@json_option
@pass_app
def show(app: App, what: str, ref: str, as_json: bool) -> None:
    """The history and plan of a contact (ID, #ID or name) or a thread (ID)."""
    from ..service import shapes as views
    from .render import show_contact, show_thread

    service = app.service
    tz = _zone(app)
    now = service.now()
    if what == "thread":
        from ..service.lookup import is_id

        if not is_id(ref.lstrip("#")):
            raise click.BadParameter(f"{ref!r} is not a thread id", param_hint="ID")
        history = service.history(int(ref.lstrip("#")))
        if as_json:
            emit(views.history_dict(history, now, tz))
        else:
            show_thread(history, now, tz)
        return
    person = service.contact(ref)
    histories = service.contact_threads(person)
    if as_json:
        emit(views.contact_threads_dict(person, histories, now, tz))
    else:
        show_contact(person, histories, now, tz)


@cli.command()
@click.option("--now", help="Pretend it is this time.")
@click.option(
    "--keep", type=click.Path(dir_okay=False, path_type=Path), help="Keep the sample database here."
)
@json_option
def demo(now: str | None, keep: Path | None, as_json: bool) -> None:
    """Load a small sample history into a throw-away database and show its agenda."""
    from ..service.demo import build

    app = App(keep)
    service = build(keep, now)
    app._service = service
    result = service.agenda(None, 7, False)
    if as_json:
        from ..service.shapes import agenda_dict

        emit(agenda_dict(result, _zone(app)))
        return
    from ..service.shapes import moment_text
    from .render import console, show_agenda

    console().print(
        f"[bold]A sample history[/] in {service.store.path}, as of {moment_text(result.now, _zone(app))}.\n"
    )
    show_agenda(result, _zone(app), 7, False)
    console().print(
        "\nTry it on your own: [bold]tactful log interview --with 'Name' --org 'Company'[/], then "
        "[bold]tactful agenda[/]."
    )


# The commands about messages and the web app live beside this module; importing them registers them.
from . import messages as cli_messages  # noqa: E402
from . import transfer as cli_exchange  # noqa: E402
from . import web as cli_web  # noqa: E402

cli_exchange.register(cli)

__all__ = ["cli", "cli_exchange", "cli_messages", "cli_web", "main"]


def main() -> None:
    cli(prog_name="tactful")


if __name__ == "__main__":
    main()
