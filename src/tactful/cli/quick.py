"""The quickest answers, without the command-line toolkit: `tactful contacts [QUERY] --json`.

Scripts and launchers search people many times a day, and importing click is a third of such a
command's start. This path takes only the plain form (`[--db PATH] contacts WORDS... --json`) and
prints exactly what the `contacts` command prints (a test holds the two to it); anything else, and
any error, goes to the full command line, which answers it (read-only, so running it again there
changes nothing).
"""

from __future__ import annotations

import json
import sys


def answer(args: list[str]) -> bool:
    """Answer `args` here when they are a plain `contacts ... --json`; whether it was answered."""
    db = None
    if args[:1] == ["--db"] and len(args) > 2:
        db, args = args[1], args[2:]
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
