"""The `tactful` command: a thin shell over the service.

Each command parses its options, calls one use case and prints the result, as Rich tables for
people (`render`) or as one JSON document with `--json`. The commands live in one module per family
(`people`, `followups`, `corrections`, `reading`, `messages`, `transfer`, `web`); `group` gathers
them into the `tactful` group. A `TactfulError` becomes one line on stderr and an exit status in one
place (`base.fail`). Rich is imported only when a person is reading, and click only when a command
needs it: `quick` answers the searches scripts run most (`tactful contacts QUERY --json`) without
it, the same way, and hands anything else to the group.
"""

from __future__ import annotations

import sys


def main() -> None:
    from .quick import answer

    if answer(sys.argv[1:]):
        return
    from .group import cli

    cli(prog_name="tactful")


def __getattr__(name: str) -> object:
    """`tactful.cli.cli`, the click group, made when first asked for."""
    if name == "cli":
        from .group import cli

        return cli
    raise AttributeError(name)


__all__ = ["cli", "main"]
