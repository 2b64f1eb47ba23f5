"""What works, on the command line: `suggestions`, the windows your own history suggests moving, and
`suggestions accept ID`, which writes one into your playbook. Nothing changes without it."""

from __future__ import annotations

import click

from .base import App, emit, group, json_option


@group(invoke_without_command=True)
@json_option
@click.pass_context
def suggestions(ctx: click.Context, as_json: bool) -> None:
    """Windows your own replies suggest moving, with the figures behind each.

    A nudge's window is looked at once at least 30 threads have one sent: where those sent on some
    days were answered clearly more often than the rest, the window is suggested to cover those
    days, within the playbook's limits. Nothing changes until you accept one.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..service.what_works import MIN_THREADS, findings

    app: App = ctx.obj
    found = findings(app.service)
    if as_json:
        emit({"suggestions": [s.to_dict() for s in found.suggestions]})
        return
    if not found.suggestions:
        if found.enough:
            click.echo("No suggestions: your replies give no clear reason to move a window.")
        else:
            click.echo(f"No suggestions yet: they need at least {MIN_THREADS} threads of a kind.")
        return
    from rich.table import Table

    from .render import console, safe

    table = Table(title="Suggestions", title_justify="left", title_style="bold", show_edge=False)
    table.add_column("ID", style="cyan", no_wrap=True)
    table.add_column("Window now", no_wrap=True)
    table.add_column("Suggested", no_wrap=True)
    table.add_column("Why", ratio=1)
    for s in found.suggestions:
        table.add_row(
            safe(s.id),
            f"days {s.opens} to {s.closes}",
            f"days {s.proposed_opens} to {s.proposed_closes}",
            safe(s.why),
        )
    out = console()
    out.print(table)
    out.print(
        "Windows are in business days. `tactful suggestions accept ID` writes one into "
        f"{safe(app.service.playbook_path or 'your playbook')}."
    )


@suggestions.command("accept")
@click.argument("suggestion_id", metavar="ID")
@json_option
@click.pass_obj
def suggestions_accept(app: App, suggestion_id: str, as_json: bool) -> None:
    """Write suggestion ID's window into your own playbook.toml (the rest of the file stays)."""
    from ..service.what_works import accept

    chosen, path = accept(app.service, suggestion_id)
    if as_json:
        emit({"accepted": chosen.to_dict(), "path": str(path)})
        return
    click.echo(
        f'Wrote opens = "{chosen.proposed_opens}d" and closes = "{chosen.proposed_closes}d" to '
        f'[rules."{chosen.id}"] in {path} (it was days {chosen.opens} to {chosen.closes}). '
        "Follow-ups planned from now on use it; those already planned keep their windows."
    )


COMMANDS = [suggestions]
