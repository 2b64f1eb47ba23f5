"""One family of errors a person can act on.

Each carries the exit status the CLI returns and the HTTP status the API answers with. The message
is one line: what was wrong, and how to fix it. The faces translate these in exactly one place.
"""

from __future__ import annotations


class TactfulError(Exception):
    exit_code = 1
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(TactfulError):
    """The user typed something tactful cannot use."""

    http_status = 422


class NotFound(TactfulError):
    """An id or a name that matches nothing."""

    http_status = 404


class Ambiguous(TactfulError):
    """A name that matches more than one thing."""

    http_status = 409


class Conflict(TactfulError):
    """The request makes no sense in the thread's current state."""

    http_status = 409


class StorageError(TactfulError):
    """The database cannot be opened or upgraded."""

    exit_code = 1
    http_status = 500
