"""What the IMAP and SMTP adapters share: a server's address and security, and their TLS context.

`security` is "tls" (TLS from the first byte), "starttls" (upgraded after the greeting) or "plain",
which is accepted for a loopback host only: a password never crosses a network in the clear. The
default follows the port (993 and 465 TLS; 143 and 587 STARTTLS). Certificates are checked against
the system's authorities, or those of `SSL_CERT_FILE`.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass

from ..errors import InvalidInput, MailError, ref

SECURITIES = ("tls", "starttls", "plain")
_DEFAULT_PORTS = {
    "imap": {"tls": 993, "starttls": 143, "plain": 143},
    "smtp": {"tls": 465, "starttls": 587, "plain": 25},
}
_BY_PORT = {993: "tls", 465: "tls", 143: "starttls", 587: "starttls", 25: "starttls"}

__all__ = ["SECURITIES", "MailError", "Server", "context", "server"]


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def server(kind: str, text: str, security: str | None, option: str) -> Server:
    """`HOST[:PORT]` as typed for `--imap` or `--smtp`, with its security (None: by the port)."""
    text = (text or "").strip()
    host, _, port_text = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    if text.startswith("[") and "]:" in text:  # [::1]:143
        host, port_text = text[1:].split("]:", 1)
    host = host.strip("[]")
    if not host or any(c.isspace() for c in host):
        raise InvalidInput(
            f"{ref(option)}: give the server as HOST or HOST:PORT, e.g. imap.example.com:993", field=option
        )
    if security is not None and security not in SECURITIES:
        raise InvalidInput(f"{ref(option)} security: one of {', '.join(SECURITIES)}", field=option)
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InvalidInput(f"{ref(option)}: {port_text!r} is not a port number", field=option)
        port = int(port_text)
    else:
        port = _DEFAULT_PORTS[kind][security or "tls"]
    chosen = security or _BY_PORT.get(port, "tls")
    if chosen == "plain" and not loopback(host):
        raise InvalidInput(
            f"{ref(option)}: plain (unencrypted) is allowed only on this machine (127.0.0.1, localhost); "
            f"use tls or starttls for {host}",
            field=option,
        )
    return Server(host, port, chosen)


def loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def context() -> ssl.SSLContext:
    """Certificates checked, names too; SSL_CERT_FILE (read by OpenSSL) adds authorities."""
    return ssl.create_default_context()


def printable(text: str, limit: int = 200) -> str:
    """A server's words as a line may show them: no control characters or escapes, one line, short."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())[:limit]


def common_reason(exc: BaseException, option: str, timeout: float) -> str | None:
    """Why a connection failed, in words, for the failures IMAP and SMTP share (None for others)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc}); check {option}"
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"no answer within {timeout:.0f} s"
    if isinstance(exc, ConnectionRefusedError):
        return "nothing listens there; check the host and port"
    if isinstance(exc, socket.gaierror):
        return "no such host; check its name"
    return None
