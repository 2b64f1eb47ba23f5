"""One family of errors a person can act on.

Each carries the exit status the CLI returns and the HTTP status the API answers with, and, when
one input was wrong, the `field` it came from, named as the JSON API names it (`their_tz`). The
message is one line: what was wrong, and how to fix it. Where it names an input, it holds a
reference made by `ref("their_tz")`, and each face spells it in its own words (`spelled`): the
command line as its option (`--their-tz`), the API as the field (`their_tz`), a page as the form's
label. The faces translate these errors in exactly one place each.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: A reference to an input inside a message: brackets no message, name or template otherwise holds.
_OPEN, _CLOSE = "\u27e6", "\u27e7"
_REFERENCE = re.compile(f"{_OPEN}([a-z][a-z0-9_]*){_CLOSE}")


def ref(field: str) -> str:
    """How a message names the input `field`, for each face to spell in its own words."""
    return f"{_OPEN}{field}{_CLOSE}"


def spell(text: str, spelling: Callable[[str], str | None] = lambda field: field) -> str:
    """`text` with each input it names written as `spelling` says (by default, as the API names it)."""
    return _REFERENCE.sub(lambda m: spelling(m[1]) or m[1], text)


class TactfulError(Exception):
    exit_code = 1
    http_status = 400

    #: The longest message said: a value echoed in one (a name, a time) never makes it a page long.
    LONGEST = 1_000

    def __init__(self, message: str, field: str | None = None) -> None:
        if len(message) > self.LONGEST:
            message = message[: self.LONGEST - 1] + "…"
        super().__init__(message)
        self.template = message
        self.field = field

    def spelled(self, spell: Callable[[str], str | None]) -> str:
        """The message with each input it names written as `spell` says (its own name when None)."""
        return _REFERENCE.sub(lambda m: spell(m[1]) or m[1], self.template)  # see `spell`

    @property
    def message(self) -> str:
        """The message with inputs named as the JSON API names them."""
        return self.spelled(lambda field: field)

    def __str__(self) -> str:
        return self.message


class InvalidInput(TactfulError):
    """The user typed something tactful cannot use."""

    http_status = 422


class NotFound(TactfulError):
    """An id or a name that matches nothing."""

    http_status = 404


class Ambiguous(TactfulError):
    """A name that matches more than one thing: `value` as given, and the `choices` it could mean, as
    (id, label) pairs, for a face that can ask which."""

    http_status = 409

    def __init__(
        self,
        message: str,
        field: str | None = None,
        value: str | None = None,
        choices: tuple[tuple[int, str], ...] = (),
    ) -> None:
        super().__init__(message, field)
        self.value = value
        self.choices = choices


class Conflict(TactfulError):
    """The request makes no sense in the thread's current state."""

    http_status = 409


class StorageError(TactfulError):
    """The database cannot be opened or upgraded."""

    exit_code = 1
    http_status = 500


class Busy(StorageError):
    """Another program held the database for longer than a write waits: nothing was changed."""

    http_status = 503


class Unavailable(StorageError):
    """The database server is not answering (restarting, or gone): the request is refused, in one
    line, and the next one tries again."""

    http_status = 503


class MailError(TactfulError):
    """A mail server refused, failed or could not be reached; the message names which, and why.
    `maybe_sent`: the connection broke after the message was handed over, before the server's
    answer, so it may have left."""

    http_status = 502
    maybe_sent = False
