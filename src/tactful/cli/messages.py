"""Commands about messages: `draft` writes one for a follow-up, `check` reviews one."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import TactfulError
from .base import CHANNELS, App, command, emit, json_option, pass_app, read_text

#: The exit status of `check` when the draft needs work (the interface's contract).
NEEDS_WORK = 3


@command()
@click.argument("text", metavar="[FILE|-]", required=False, type=click.File("rb"))
@click.option(
    "--for", "followup_id", type=int, metavar="ID", help="Review it in the context of follow-up ID."
)
@click.option("--now", help="As if sent at this time (default now).")
@click.option(
    "--channel", type=click.Choice(CHANNELS), help="The channel (default: the follow-up's, else email)."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when the draft needs work.")
@json_option
@pass_app
def check(
    app: App,
    text: Any,
    followup_id: int | None,
    now: str | None,
    channel: str | None,
    exit_zero: bool,
    as_json: bool,
) -> None:
    """Is this draft ready to send? Read from FILE, or from stdin with '-'.

    A draft may begin with mail-style lines ('Subject: ...', 'To: ...') and a blank line; the rest is
    the body. With --for, the draft is judged in its follow-up's context: recipient, thread, timing.
    Exits 0 when it is ready to send and 3 when it needs work (always 0 with --exit-zero), so that
    scripts can act on the verdict.
    """
    if text is None:
        if sys.stdin.isatty():
            raise click.UsageError("give a FILE holding the draft, or pipe it in with '-'")
        text = sys.stdin.buffer
    from ..service.drafting import check as review

    result = review(app.service, read_text(text), followup_id, now, channel)
    if as_json:
        emit(result.to_dict())
    else:
        from .render import show_review

        show_review(result)
    if not result.review.ready and not exit_zero:
        click.get_current_context().exit(NEEDS_WORK)


def _ask_for_name(app: App) -> None:
    """A draft is signed: in a terminal, ask once for the user's name when the profile lacks it."""
    if app.service.profile.name or not sys.stdin.isatty():
        return
    name = click.prompt("Your name, to sign the draft (saved in your profile)", default="", err=True).strip()
    if name:
        from ..service.profile import update_profile

        update_profile(app.service, name=name)


@command()
@click.argument("followup_id", metavar="ID", type=int)
@click.option(
    "--channel", type=click.Choice(CHANNELS), help="Write it for another channel than the planned one."
)
@click.option(
    "--eml",
    "eml_file",
    type=click.Path(dir_okay=False, writable=True),
    help="Also write an email draft file.",
)
@click.option("--now", help="Review it as if sent at this time (default now).")
@json_option
@pass_app
def draft(
    app: App, followup_id: int, channel: str | None, eml_file: str | None, now: str | None, as_json: bool
) -> None:
    """A ready-to-send draft for follow-up ID, with its review.

    With --eml FILE, also write the email as a .eml file your mail app opens as a draft; tactful keeps
    its Message-ID to recognise the answer.
    """
    from ..service.drafting import draft as write
    from ..service.drafting import draft_eml

    _ask_for_name(app)
    result = write(app.service, followup_id, channel, now)
    if eml_file:
        if result.composed.channel.value != "email":
            raise TactfulError(
                "--eml writes email drafts; leave out --channel or use --channel email", field="eml"
            )
        target = eml_file

        def write_file(data: bytes) -> None:
            try:
                with open(target, "wb") as handle:
                    handle.write(data)
            except OSError as exc:
                raise TactfulError(
                    f"cannot write {target}: {exc.strerror}; choose another path for --eml", field="eml"
                ) from None

        draft_eml(app.service, followup_id, now, result=result, deliver=write_file)
    if as_json:
        emit(result.to_dict())
        return
    from .render import show_draft

    show_draft(result, eml_file)


COMMANDS = (check, draft)
