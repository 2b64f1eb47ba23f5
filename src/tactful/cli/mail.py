"""Mail on the command line: `mail connect|sync`, `import eml|mbox`, and `accept`/`decline` of what
a reply proposed.

Each calls a use case of `tactful.service.mailsync` or `tactful.service.proposals`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .base import App, command, emit, group, json_option, pass_app
from .transfer import import_

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..service.mailbox import MailResult
    from ..service.outbox import Delivered
    from ..service.proposals import Decided

_files = click.Path(exists=True, dir_okay=False, path_type=Path)


@import_.command("eml")
@click.argument("files", nargs=-1, required=True, type=_files)
@json_option
@click.pass_obj
def import_eml(app: App, files: tuple[Path, ...], as_json: bool) -> None:
    """Match saved messages (.eml) to your follow-ups, as a mail sync would.

    A message you sent (from your profile's address) marks the planned e-mail to its recipient done;
    a reply stops the thread's nudges and may propose an outcome (`tactful accept`).
    """
    from ..service.mailsync import import_files

    show_result(import_files(app.service, "eml", files), app.service.zone, as_json)


@import_.command("mbox")
@click.argument("file", type=_files)
@json_option
@click.pass_obj
def import_mbox(app: App, file: Path, as_json: bool) -> None:
    """Match an exported mailbox (mbox) to your follow-ups, as a mail sync would."""
    from ..service.mailsync import import_files

    show_result(import_files(app.service, "mbox", [file]), app.service.zone, as_json)


def show_result(result: MailResult, tz: ZoneInfo, as_json: bool) -> None:
    from ..service.shapes import mail_result_dict

    if as_json:
        emit(mail_result_dict(result, tz))
        return
    from .render import show_mail

    show_mail(result, tz)


@command()
@click.argument("message_id", metavar="MESSAGE_ID")
@click.option("--at", help="A check-back: the day to ask again; an invitation: when the meeting is.")
@json_option
@pass_app
def accept(app: App, message_id: str, at: str | None, as_json: bool) -> None:
    """Record what tactful proposed from a reply (see `tactful agenda`)."""
    from ..service.proposals import accept as record

    decided = record(app.service, message_id, at)
    _show_decided(app, decided, as_json)


@command()
@click.argument("message_id", metavar="MESSAGE_ID")
@json_option
@pass_app
def decline(app: App, message_id: str, as_json: bool) -> None:
    """Dismiss what tactful proposed from a reply; it still counts as their reply."""
    from ..service.proposals import decline as dismiss

    _show_decided(app, dismiss(app.service, message_id), as_json)


def _show_decided(app: App, decided: Decided, as_json: bool) -> None:
    from ..service.shapes import change_dict, proposal_dict

    tz, now = app.service.zone, app.service.now()
    if as_json:
        head = {"decision": decided.mail.decision} | proposal_dict(decided.mail, tz)
        if decided.change is not None:
            emit(change_dict(decided.change, now, tz, **{"accepted": head}))
        else:
            emit({"declined": head})
        return
    from .followups import print_change

    verb = "Accepted" if decided.mail.decision == "accepted" else "Declined"
    click.echo(f"{verb}: {decided.mail.proposal}")
    if decided.change is not None:
        print_change(app, decided.change, False)


@group()
def mail() -> None:
    """Your mail account: tactful reads what you sent and what came back."""


_SECURITY = click.Choice(["tls", "starttls", "plain"])


@mail.command("connect")
@click.option(
    "--imap", required=True, metavar="HOST[:PORT]", help="The IMAP server (993: TLS, 143: STARTTLS)."
)
@click.option(
    "--smtp", required=True, metavar="HOST[:PORT]", help="The SMTP server (465: TLS, 587: STARTTLS)."
)
@click.option("--user", required=True, help="The login name, often your address.")
@click.option("--security", type=_SECURITY, help="For both servers; plain only on this machine (loopback).")
@click.option("--imap-security", type=_SECURITY, help="For the IMAP server, over --security.")
@click.option("--smtp-security", type=_SECURITY, help="For the SMTP server, over --security.")
@click.option("--inbox", metavar="NAME", help="The folder replies arrive in (default INBOX).")
@click.option(
    "--sent", metavar="NAME", help="The folder sent mail is filed in (default: the one flagged \\Sent)."
)
@click.option("--address", help="Your address, if the login name is not it.")
@json_option
@click.pass_obj
def mail_connect(app: App, /, as_json: bool, **options: str | None) -> None:
    """Connect your mail account: both logins are checked and nothing is kept when one fails.

    The password comes from TACTFUL_MAIL_PASSWORD, or is asked for here and kept in the OS keyring:
    never in the database.
    """
    from ..config import mail_password
    from ..service.mailsync import ConnectRequest, connect

    typed = None
    if not mail_password() and _interactive():
        typed = click.prompt("Mail password", hide_input=True, err=True)
    account = connect(app.service, ConnectRequest(**options, password=typed))  # type: ignore[arg-type]
    shown = {
        "user": account.user,
        "address": account.address,
        "imap": f"{account.imap_host}:{account.imap_port}",
        "imap_security": account.imap_security,
        "smtp": f"{account.smtp_host}:{account.smtp_port}",
        "smtp_security": account.smtp_security,
        "inbox": account.inbox,
        "sent": account.sent,
    }
    if as_json:
        emit(shown)
    else:
        click.echo(
            f"Connected {account.user}: IMAP {shown['imap']} ({account.imap_security}), "
            f"SMTP {shown['smtp']} ({account.smtp_security}); reading {account.inbox!r} and {account.sent!r}. "
            "`tactful mail sync` reads what is new."
        )


@mail.command("sync")
@json_option
@click.pass_obj
def mail_sync(app: App, as_json: bool) -> None:
    """Send what is due in the outbox, then read what is new in your Inbox and Sent folders and
    apply it to your follow-ups."""
    from ..service.outbox import mail_round

    delivered, result = mail_round(app.service)
    result.sent[:0] = [(o.followup_id, o.message_id) for o in delivered.sent]
    if as_json:
        from ..service.shapes import mail_result_dict, outgoing_dict

        tz = app.service.zone
        emit(
            mail_result_dict(result, tz)
            | {
                "outbox": {
                    "failed": [outgoing_dict(o, tz) for o in delivered.failed],
                    "notes": delivered.notes,
                }
            }
        )
        return
    show_result(result, app.service.zone, False)
    _show_delivered(delivered)


@mail.command("digest")
@click.option(
    "--daily/--no-daily", default=None, help="Send it every morning while `tactful serve` runs, or stop."
)
@json_option
@click.pass_obj
def mail_digest(app: App, daily: bool | None, as_json: bool) -> None:
    """E-mail yourself what is due today (with --daily/--no-daily: every morning, or no longer)."""
    from ..service import digest

    if daily is not None:
        digest.choose(app.service, daily)
        if as_json:
            emit({"daily": daily})
        else:
            click.echo(
                "The morning digest is "
                + ("on: it goes from 8:00 while `tactful serve` runs." if daily else "off.")
            )
        return
    to = digest.send(app.service)
    if as_json:
        emit({"sent_to": to})
    else:
        click.echo(f"Sent today's digest to {to}.")


def _show_delivered(delivered: Delivered) -> None:
    for o in delivered.failed:
        click.echo(f"Not sent: follow-up {o.followup_id} to {o.recipient}: {o.error}", err=True)
    for note in delivered.notes:
        click.echo(note, err=True)


@command()
@click.argument("followup_id", metavar="ID", type=int)
@click.option("--at", help="When to send it (default: now).")
@click.option(
    "--text", "text_file", type=click.File("rb"), help="A file holding the message as you edited it."
)
@json_option
@pass_app
def send(app: App, followup_id: int, at: str | None, text_file: Any, as_json: bool) -> None:
    """Send follow-up ID's e-mail from your account: now, or queued until --at.

    The draft is reviewed first and not sent while it has errors. A copy goes in your Sent folder.
    """
    import datetime as dt

    from ..service.outbox import deliver, queue
    from .base import read_text

    text = read_text(text_file) if text_file else None
    svc = app.service
    queued = queue(svc, followup_id, at, text, undo=dt.timedelta(0))
    delivered = deliver(svc, only=followup_id) if at is None else None
    shown = (
        next((x for x in (delivered.sent + delivered.failed) if x.followup_id == followup_id), queued)
        if delivered
        else queued
    )
    if as_json:
        from ..service.shapes import outgoing_dict

        emit(outgoing_dict(shown, svc.zone))
    elif shown.status == "sent":
        click.echo(f"Sent follow-up {followup_id} to {shown.recipient} ({shown.message_id}).")
    elif shown.status == "queued":
        from ..service.shapes import moment_text

        click.echo(
            f"Queued follow-up {followup_id} for {moment_text(shown.send_at, svc.zone)}; `tactful outbox cancel {followup_id}` takes it back."
        )
    if delivered is not None:
        _show_delivered(delivered)
    if shown.status == "failed":
        raise SystemExit(1)


@group(invoke_without_command=True)
@json_option
@click.pass_context
def outbox(ctx: click.Context, as_json: bool) -> None:
    """What you told tactful to send: queued, sending, sent or failed."""
    if ctx.invoked_subcommand is not None:
        return
    from ..service.outbox import listing
    from ..service.shapes import outgoing_dict

    app: App = ctx.obj
    messages = listing(app.service)
    if as_json:
        emit({"messages": [outgoing_dict(o, app.service.zone) for o in messages]})
        return
    if not messages:
        click.echo("The outbox is empty. `tactful send ID` sends a follow-up's e-mail.")
    for o in messages:
        extra = f": {o.error}" if o.error else ""
        click.echo(f"{o.followup_id}  {o.status:<9} {o.recipient}  {o.subject}{extra}")


@outbox.command("cancel")
@click.argument("followup_id", metavar="FOLLOWUP_ID", type=int)
@json_option
@click.pass_obj
def outbox_cancel(app: App, followup_id: int, as_json: bool) -> None:
    """Take back a queued message before it leaves."""
    from ..service.outbox import cancel

    o = cancel(app.service, followup_id)
    if as_json:
        from ..service.shapes import outgoing_dict

        emit(outgoing_dict(o, app.service.zone))
    else:
        click.echo(f"Took back the message of follow-up {followup_id}; it was not sent.")


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


COMMANDS = [accept, decline, mail, send, outbox]
