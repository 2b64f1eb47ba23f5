"""Who may use the web app: the password it asks for beyond this machine, and the key that signs its
session cookies. Both are kept in the store, never in a backup."""

from __future__ import annotations

import contextlib
import secrets

from ..errors import InvalidInput
from .base import Service

#: The shortest password the web app accepts.
MIN_PASSWORD = 10


def session_key(svc: Service) -> str:
    """The key that signs session cookies, made once and kept in the database."""
    key = svc.store.get_secret("session_key")
    if key is None:
        key = secrets.token_urlsafe(48)
        with svc.store.transaction():
            svc.store.set_secret("session_key", key)
    return key


def password_is_set(svc: Service) -> bool:
    return svc.store.get_secret("password_hash") is not None


def set_password(svc: Service, password: str) -> None:
    """Keep an argon2 hash of `password`, replacing any earlier one."""
    from argon2 import PasswordHasher

    if len("".join(password.split())) < MIN_PASSWORD:  # spaces do not count towards the length
        raise InvalidInput(
            f"the password is too short; use at least {MIN_PASSWORD} characters besides spaces"
        )
    hashed = PasswordHasher().hash(password)
    with svc.store.transaction():
        svc.store.set_secret("password_hash", hashed)
        _next_generation(svc)  # whoever was logged in with the old password is no longer


def session_generation(svc: Service) -> str:
    """What a session cookie must carry to be honoured: it changes on logout and with the password,
    which ends every session signed before (a cookie cannot be taken back, its generation can)."""
    return svc.store.get_secret("session_generation") or "0"


def end_sessions(svc: Service) -> None:
    """Log out everywhere: no cookie issued before now opens a page again."""
    with svc.store.transaction():
        _next_generation(svc)


def _next_generation(svc: Service) -> None:
    svc.store.set_secret("session_generation", secrets.token_urlsafe(16))


def check_password(svc: Service, password: str) -> bool:
    """Whether `password` is the one set; False when none is."""
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    stored = svc.store.get_secret("password_hash")
    if stored is None:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except VerificationError:
        return False


_NOBODY: list[str] = []


def check_password_of_nobody(password: str) -> None:
    """Take as long as checking a password does, for an address with no account: a wrong address
    answers no faster than a wrong password."""
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    if not _NOBODY:
        _NOBODY.append(PasswordHasher().hash(secrets.token_urlsafe(16)))
    with contextlib.suppress(VerificationError):
        PasswordHasher().verify(_NOBODY[0], password)
