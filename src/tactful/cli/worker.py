"""`tactful worker`: the background jobs of a server (see `tactful.worker`)."""

from __future__ import annotations

import click

from .base import App, command, pass_app


@command()
@click.option(
    "--every", default=15, show_default=True, type=click.IntRange(1, 59), metavar="SECONDS",
    help="How often to look for what is due.",
)  # fmt: skip
@click.option("--burst", is_flag=True, help="Stop once nothing is left to do, instead of waiting for more.")
@click.option("--keep-done", is_flag=True, help="Keep finished jobs in the queue's table, to look at them.")
@click.option(
    "--stalled-after", default=30.0, show_default=True, type=click.FloatRange(2, 3600), metavar="SECONDS",
    help="How long a worker may go silent before its job is given to another.",
)  # fmt: skip
@pass_app
def worker(app: App, every: int, burst: bool, keep_done: bool, stalled_after: float) -> None:
    """Run the background jobs of a PostgreSQL database: each account's mail sync, the messages
    queued to be sent, and the morning digest.

    Start as many as you like, on any machines that reach the database: each job runs once, a
    message is sent at most once, and a job of a worker that died is taken up by another. Stop one
    with Ctrl+C (or SIGTERM): it finishes the job in hand first.
    """
    from ..worker.jobs import run

    click.echo(f"tactful worker: looking for work every {every} s; press Ctrl+C to stop.", err=True)
    run(app.config, every=every, burst=burst, keep_done=keep_done, stalled_after=stalled_after)


COMMANDS = (worker,)
