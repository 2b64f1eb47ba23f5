"""The accounts of a team server, on its command line: `users add` makes one and prints the one-time
link its owner sets a password through; `users list` shows them. The rest of the commands act as
one account when `TACTFUL_USER` names it."""

from __future__ import annotations

import datetime as dt

import click

from .base import App, emit, group, json_option, pass_app


@group()
def users() -> None:
    """The people of a team server (a PostgreSQL database), each with data of their own."""


@users.command("add")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Mark the account as one of the server's administrators.")
@json_option
@pass_app
def users_add(app: App, email: str, admin: bool, as_json: bool) -> None:
    """Add an account, and print the link (valid 24 hours, once) where its owner sets a password.

    Send the link to them; until they use it, nobody can log in as them. Their follow-ups, people
    and mail are theirs alone.
    """
    from ..service.accounts import LINK_HOURS, add_user
    from .wiring import open_directory

    directory = open_directory(app.config)
    try:
        account, path = add_user(directory, email, admin, dt.datetime.now(dt.UTC))
    finally:
        directory.close()
    link = app.config.url + path
    if as_json:
        emit({"email": account.email, "admin": account.admin, "link": link, "valid_hours": LINK_HOURS})
    else:
        click.echo(
            f"Added {account.email}{' (admin)' if admin else ''}. Send them this link to set a password,"
        )
        click.echo(f"valid for {LINK_HOURS} hours and only once: {link}")


@users.command("link")
@click.argument("email")
@json_option
@pass_app
def users_link(app: App, email: str, as_json: bool) -> None:
    """A new one-time link for an account, for when the first expired or was lost."""
    from ..errors import NotFound
    from ..service.accounts import LINK_HOURS, new_link
    from .wiring import open_directory

    directory = open_directory(app.config)
    try:
        account = directory.find(email)
        if account is None:
            raise NotFound(f"no account is {email!r} here; `tactful users list` shows them")
        path = new_link(directory, account, dt.datetime.now(dt.UTC))
    finally:
        directory.close()
    link = app.config.url + path
    if as_json:
        emit({"email": account.email, "link": link, "valid_hours": LINK_HOURS})
    else:
        click.echo(f"A new link for {account.email}, valid for {LINK_HOURS} hours and only once: {link}")


@users.command("list")
@json_option
@pass_app
def users_list(app: App, as_json: bool) -> None:
    """Every account, and whether its owner has set a password yet."""
    from ..service.accounts import users as listed
    from .wiring import open_directory

    directory = open_directory(app.config)
    try:
        found = listed(directory)
    finally:
        directory.close()
    if as_json:
        emit({"users": [{"email": a.email, "admin": a.admin, "password_set": a.has_password} for a in found]})
        return
    if not found:
        click.echo("No accounts yet; add one with `tactful users add EMAIL`.")
    for a in found:
        flags = ", ".join(
            x for x in ("admin" if a.admin else "", "no password yet" if not a.has_password else "") if x
        )
        click.echo(f"{a.email}{f'  ({flags})' if flags else ''}")


COMMANDS = (users,)
