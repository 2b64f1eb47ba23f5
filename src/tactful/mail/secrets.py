"""Where a mail account's password lives: `TACTFUL_MAIL_PASSWORD` (read by `tactful.config`, and
handed in as `given`), else the OS keyring. Never the database, a file or a log line."""

from __future__ import annotations

from ..errors import InvalidInput, MailError

#: The keyring's service name; the entry's user name is "USER@IMAP_HOST".
SERVICE = "tactful-mail"


def password(user: str, host: str, given: str | None) -> str:
    if given:
        return given
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


def _said(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__
