"""What every command shares: the App that opens the store on first use, the `--json` option and its
printer, reading a file's text, and the one place a `TactfulError` becomes a line on stderr.

Commands are built with `command()` and `group()` from here, so that each of them translates errors
the same way; `tactful.cli` gathers them into the `tactful` group.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ..config import Config, load
from ..domain import Channel, Kind
from ..errors import TactfulError

if TYPE_CHECKING:
    from ..service import Service

F = TypeVar("F", bound=Callable[..., Any])

KINDS = [k.value for k in Kind]
CHANNELS = [c.value for c in Channel]


def fail(ctx: click.Context, exc: TactfulError) -> NoReturn:
    """One line on stderr saying what was wrong and how to fix it, and the error's exit status.

    The inputs the message names are spelt as this command line takes them: `their_tz` as
    `--their-tz`, `followup_id` as `ID`.
    """
    click.echo(f"error: {exc.spelled(spelling(ctx))}", err=True)
    ctx.exit(exc.exit_code)


def spelling(ctx: click.Context) -> Callable[[str], str]:
    """How the command of `ctx` (and the groups above it) spells an input: its option or argument."""
    spelt: dict[str, str] = {}
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
    """A command whose user errors end as one line and an exit status, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TactfulError as exc:
            fail(ctx, exc)


class Group(click.Group):
    """A group of `Command`s, translating errors of its own the same way."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TactfulError as exc:
            fail(ctx, exc)


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
        return load(database=self.db)

    @property
    def service(self) -> Service:
        if self._service is None:
            from ..service import Service
            from ..store import open_store

            config = self.config
            self._service = Service(
                open_store(config.database),
                playbook_path=config.playbook,
                phrases_path=config.phrases,
                templates_dir=config.templates,
                cache_dir=config.cache,
            )
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
