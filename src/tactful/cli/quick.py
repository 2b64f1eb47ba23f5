"""The quickest answers, without the command-line toolkit: `tactful contacts [QUERY] --json` and
`tactful agenda [--all] --json`.

Scripts, launchers and status bars search people and read the agenda many times a day, and importing
click is a third of such a command's start. This path takes only the plain forms
(`[--db PATH] contacts WORDS... --json`, `[--db PATH] agenda [--all] --json`) and prints exactly what
the commands print (a test holds them to it); anything else, and any error, goes to the full command
line, which answers it (read-only, so running it again there changes nothing).
"""

from __future__ import annotations

import json
import sys


def answer(args: list[str]) -> bool:
    """Answer `args` here when they are a plain `contacts ... --json`; whether it was answered."""
    db = None
    if args[:1] == ["--db"] and len(args) > 2:
        db, args = args[1], args[2:]
    if args in (["agenda", "--json"], ["agenda", "--all", "--json"]):
        return _agenda(db, everything=len(args) == 3)
    if args[:1] != ["contacts"] or args[-1:] != ["--json"]:
        return False
    words = args[1:-1]
    if any(w.startswith("-") for w in words):
        return False
    try:
        from ..service.people import find
        from ..service.shapes import contacts_dict
        from .wiring import open_service, settings

        service = open_service(settings(db))
        found = find(service, " ".join(words) or None)
        text = json.dumps(contacts_dict(found, service.zone), indent=2, ensure_ascii=False)
    except Exception:  # the full command line says what was wrong, in the contract's words
        return False
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return True


def _agenda(db: str | None, everything: bool) -> bool:
    """`tactful agenda [--all] --json`, as the `agenda` command prints it (seven days ahead)."""
    try:
        from ..service.reading import agenda
        from ..service.shapes import agenda_dict
        from .wiring import open_service, settings

        service = open_service(settings(db))
        text = json.dumps(
            agenda_dict(agenda(service, None, 7, everything), service.zone), indent=2, ensure_ascii=False
        )
    except Exception:  # the full command line says what was wrong, in the contract's words
        return False
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    return True
