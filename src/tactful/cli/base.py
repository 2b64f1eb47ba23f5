"""What every command shares: the App that opens the store on first use, the `--json` option and its
printer, reading a file's text, and the one place a `TactfulError` becomes a line on stderr.

Commands are built with `command()` and `group()` from here, so that each of them translates errors
the same way; `tactful.cli` gathers them into the `tactful` group.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ..config import Config
from ..domain import Channel, Kind
from ..errors import Ambiguous, TactfulError
from .wiring import open_service, settings

if TYPE_CHECKING:
    from ..service import Service

F = TypeVar("F", bound=Callable[..., Any])

KINDS = [k.value for k in Kind]
CHANNELS = [c.value for c in Channel]


def fail(ctx: click.Context, exc: TactfulError) -> NoReturn:
    """One line on stderr saying what was wrong and how to fix it, and the error's exit status; with
    `--json`, the same as a JSON document on stdout (`{"error": {"message", "field"}}`).

    The inputs the message names are spelt as this command line takes them: `their_tz` as
    `--their-tz`, `followup_id` as `ID`.
    """
    message = exc.spelled(spelling(ctx))
    if ctx.params.get("as_json"):
        echo_error_json(message, exc.field)
    click.echo(f"error: {message}", err=True)
    ctx.exit(exc.exit_code)


def echo_error_json(message: str, field: str | None) -> None:
    click.echo(json.dumps({"error": {"message": message, "field": field}}, ensure_ascii=False))


def usage_failure(exc: click.ClickException, args: list[str]) -> int:
    """How a error of the command line's own parsing ends: a value it cannot use (`done abc`,
    `--prefers fax`, a missing file) is a user error, one line and exit 1; an unknown option or a
    missing argument is a usage error, one line with a hint to `--help` and exit 2."""
    wants_json = "--json" in args
    missing = isinstance(exc, click.MissingParameter)
    if (isinstance(exc, click.BadParameter) and not missing) or not isinstance(exc, click.UsageError):
        field = exc.param.name if isinstance(exc, click.BadParameter) and exc.param else None
        message = " ".join(exc.format_message().split())
        if wants_json:
            echo_error_json(message, field)
        click.echo(f"error: {message}", err=True)
        return 1
    command = exc.ctx.command_path if exc.ctx else "tactful"
    message = " ".join(exc.format_message().split()).rstrip(".")
    if wants_json:
        echo_error_json(message, None)
    click.echo(f"error: {message}. See '{command} --help'.", err=True)
    return 2


def spelling(ctx: click.Context) -> Callable[[str], str]:
    """How the command of `ctx` (and the groups above it) spells an input: its option or argument."""
    spelt: dict[str, str] = dict(getattr(ctx.command, "spells", {}))
    for level in (ctx, *_parents(ctx)):
        for param in level.command.params:
            name = (param.name or "").rstrip("_")
            if name and name not in spelt:
                spelt[name] = (
                    max(param.opts, key=len) if isinstance(param, click.Option) else param.human_readable_name
                )

    def spell(field: str) -> str:
        return spelt.get(field) or "--" + field.replace("_", "-")

    return spell


def _parents(ctx: click.Context) -> list[click.Context]:
    found = []
    while ctx.parent is not None:
        ctx = ctx.parent
        found.append(ctx)
    return found


class Command(click.Command):
    """A command whose user errors end as one line and an exit status, never a traceback.

    `spells` names inputs the command takes under another name: `show` takes the contact as `ID`.
    """

    def __init__(self, *args: Any, spells: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spells = spells or {}

    def invoke(self, ctx: click.Context) -> Any:
        while True:
            try:
                return super().invoke(ctx)
            except Ambiguous as exc:
                # On a terminal, ask which person was meant and run again with their '#ID'; the
                # failed attempt wrote nothing, every write being a transaction.
                if not (exc.choices and sys.stdin.isatty() and not ctx.params.get("as_json")):
                    fail(ctx, exc)
                if not self._answer(ctx, exc, f"#{ask_which(exc)}"):
                    fail(ctx, exc)
            except TactfulError as exc:
                fail(ctx, exc)

    def _answer(self, ctx: click.Context, exc: Ambiguous, chosen: str) -> bool:
        """Put `chosen` where the ambiguous value was given; whether it could be."""
        wanted = {
            exc.field,
            *(p.name for p in self.params if p.human_readable_name == self.spells.get(exc.field or "")),
        }
        for name, value in ctx.params.items():
            if name.rstrip("_") not in wanted and name not in wanted:
                continue
            if isinstance(value, (tuple, list)) and exc.value in value:
                ctx.params[name] = type(value)(chosen if v == exc.value else v for v in value)
                return True
            if value == exc.value:
                ctx.params[name] = chosen
                return True
        return False


def ask_which(exc: Ambiguous) -> int:
    """Ask on the terminal which of the people an ambiguous name means; their id."""
    click.echo(f"{exc.value!r} could be:", err=True)
    for number, (_, label) in enumerate(exc.choices, 1):
        click.echo(f"  {number}. {label}", err=True)
    number = click.prompt("Which one?", type=click.IntRange(1, len(exc.choices)), err=True)
    return exc.choices[number - 1][0]


class Group(click.Group):
    """A group of `Command`s, translating errors of its own the same way."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TactfulError as exc:
            fail(ctx, exc)

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:  # type: ignore[override]
        """Run, turning the command line's own errors into one line and an exit status."""
        given = list(sys.argv[1:] if args is None else args)
        extra.pop("standalone_mode", None)
        try:
            status = super().main(given, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.exceptions.Abort:
            click.echo("error: stopped", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            sys.exit(usage_failure(exc, given))
        # Without standalone mode, click hands back the status of a `ctx.exit()`: exit with it.
        sys.exit(status if isinstance(status, int) else 0)


Group.group_class = Group


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """`click.command`, building a `Command`."""
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """`click.group`, building a `Group` of `Command`s."""
    return click.group(name, cls=Group, **attrs)


class App:
    """What the commands share: the settings, and the database, opened on first use."""

    def __init__(self, db: str | None) -> None:
        self.db = db
        self._service: Service | None = None

    @cached_property
    def config(self) -> Config:
        """The settings in force, `--db` first (see `tactful.config`)."""
        return settings(self.db)

    @property
    def service(self) -> Service:
        if self._service is None:
            self._service = open_service(self.config)
        return self._service


pass_app = click.make_pass_decorator(App)


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
