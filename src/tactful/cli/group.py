"""The `tactful` group: the commands of every family (`people`, `followups`, `corrections`,
`reading`, `messages`, `transfer`, `web`), gathered under one name with the global `--db`."""

from __future__ import annotations

import click

from .. import __version__
from ..config import BY_NAME
from . import (
    accounts,
    corrections,
    followups,
    mail,
    messages,
    people,
    reading,
    transfer,
    web,
    what_works,
    worker,
)
from .base import App, Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    metavar="PATH|URL",
    help=f"The database: a SQLite file, a sqlite:/// or a postgresql:// URL (default: {BY_NAME['database'].env}, else "
    "tactful.db in your user data directory).",
)
@click.version_option(__version__, prog_name="tactful")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """tactful: follow up on time, on the right channel, without being pushy.

    Log what happened (`tactful log interview --with 'Priya Natarajan' --org Acme`), then ask what is
    due (`tactful agenda`). Every planned follow-up says which rule made it and why.
    """
    ctx.obj = App(db)


for family in (
    people,
    followups,
    corrections,
    reading,
    messages,
    transfer,
    mail,
    web,
    what_works,
    accounts,
    worker,
):
    for command in family.COMMANDS:
        cli.add_command(command)


__all__ = ["cli"]
