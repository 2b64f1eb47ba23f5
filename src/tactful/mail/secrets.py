"""Where a mail account's password lives: `TACTFUL_MAIL_PASSWORD` (read by `tactful.config`, and
handed in as `given`); on a server, where no OS keyring exists, in the database, sealed under the
server's key (`TACTFUL_SECRET_KEY`, handed in as `key`) with Fernet (AES in CBC mode and an HMAC,
from `cryptography`); else the OS keyring. Never in clear in the database, a file, a backup or a log."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInput, MailError

#: The keyring's service name; the entry's user name is "USER@IMAP_HOST".
SERVICE = "tactful-mail"


def password(
    user: str, host: str, given: str | None, key: str | None = None, sealed: str | None = None
) -> str:
    if given:
        return given
    if key is not None:
        if sealed is None:
            raise MailError(
                f"no mail password is kept for {user} at {host}: run `tactful mail connect` again, "
                "or set TACTFUL_MAIL_PASSWORD"
            )
        return unseal(sealed, key)
    try:
        import keyring

        found = keyring.get_password(SERVICE, f"{user}@{host}")
    except Exception as exc:  # no keyring backend, a locked one, D-Bus gone
        raise MailError(
            f"cannot read the mail password from the OS keyring ({_said(exc)}); set TACTFUL_MAIL_PASSWORD"
        ) from None
    if not found:
        raise MailError(
            f"no mail password for {user} at {host}: set TACTFUL_MAIL_PASSWORD, or run `tactful mail connect` again"
        )
    return found


def remember(user: str, host: str, secret: str) -> None:
    """Keep the password in the OS keyring (only when it was typed, not taken from the environment)."""
    try:
        import keyring

        keyring.set_password(SERVICE, f"{user}@{host}", secret)
    except Exception as exc:
        raise InvalidInput(
            f"this machine has no OS keyring to keep the password in ({_said(exc)}); "
            "set TACTFUL_MAIL_PASSWORD instead"
        ) from None


def entry(user: str, host: str) -> str:
    """The name a sealed password is kept under in the database."""
    return f"mail-password:{user}@{host}"


def _fernet(key: str) -> Any:
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    if len(key) < 32:
        raise InvalidInput("TACTFUL_SECRET_KEY is too short: use at least 32 random characters")
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest()))


def seal(secret: str, key: str) -> str:
    """`secret` encrypted and authenticated under `key`, as text to keep."""
    return str(_fernet(key).encrypt(secret.encode("utf-8")).decode("ascii"))


def unseal(sealed: str, key: str) -> str:
    """What `seal` kept; a wrong key (or a changed value) is one clear error."""
    from cryptography.fernet import InvalidToken

    try:
        return str(_fernet(key).decrypt(sealed.encode("ascii")).decode("utf-8"))
    except (InvalidToken, ValueError):
        raise MailError(
            "the mail password kept in the database does not open with this TACTFUL_SECRET_KEY; "
            "set the key it was kept under, or run `tactful mail connect` again"
        ) from None


def _said(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__
