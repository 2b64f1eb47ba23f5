"""The SMTP side of a mail account, over the standard `smtplib`: log in (TLS, STARTTLS, or plain on
loopback only) and hand over one message. Every failure becomes a `MailError` of one line that names
the server; whether the server took the message is known only from its final reply (250)."""

from __future__ import annotations

import contextlib
import smtplib

from .servers import MailError, Server, common_reason, context, printable

#: Seconds a server may stay silent before the connection counts as lost.
TIMEOUT = 60.0


class Smtp:
    """One logged-in SMTP session; use it in a `with` block."""

    def __init__(self, server: Server, user: str, password: str) -> None:
        self.server = server
        try:
            if server.security == "tls":
                self.client: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=TIMEOUT, context=context()
                )
            else:
                self.client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
                if server.security == "starttls":
                    self.client.starttls(context=context())
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot reach the SMTP server {server}: {_reason(exc)}") from None
        try:
            self.client.login(user, password)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(
                f"the SMTP server {server} refused the login for {user!r}: {_reason(exc)}"
            ) from None

    def __enter__(self) -> Smtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.client.quit()
        except (OSError, smtplib.SMTPException):
            self.client.close()

    def send(self, sender: str, recipients: list[str], raw: bytes) -> None:
        """Hand the message over; returns once the server has accepted it (its 250 after DATA).
        A failure before DATA, or the server's refusal of it, means nothing left; a connection
        lost during DATA raises a `MailError` whose `maybe_sent` is true."""
        try:
            code, said = self.client.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, said, sender)
            for recipient in recipients:
                code, said = self.client.rcpt(recipient)
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({recipient: (code, said)})
        except (OSError, smtplib.SMTPException) as exc:
            self._reset()
            raise MailError(
                f"the SMTP server {self.server} did not take the message: {_reason(exc)}"
            ) from None
        try:
            code, said = self.client.data(raw)
        except smtplib.SMTPDataError as exc:  # an answer: it refused the message
            raise MailError(f"the SMTP server {self.server} refused the message: {_reason(exc)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            error = MailError(
                f"the connection to the SMTP server {self.server} broke while sending ({_reason(exc)}); "
                "the message may have been sent"
            )
            error.maybe_sent = True
            raise error from None
        if code != 250:  # its final answer after the message: not taken
            raise MailError(
                f"the SMTP server {self.server} refused the message: {_reason(smtplib.SMTPDataError(code, said))}"
            )

    def _reset(self) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.client.rset()


def _reason(exc: BaseException) -> str:
    shared = common_reason(exc, "--smtp-security", TIMEOUT)
    if shared is not None:
        return shared
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = printable(", ".join(f"{who} ({code})" for who, (code, _) in exc.recipients.items()))
        return f"it refused {refused}"
    if isinstance(exc, smtplib.SMTPResponseException):
        said = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {printable(said)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError):
        return "the connection was closed"
    return printable(str(exc)) or type(exc).__name__
