"""An email draft as a file a mail client opens (RFC 5322, marked unsent), or as a `mailto:` link.

The message gets a Message-ID, which the caller keeps to recognise the answer later.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from ..domain import Profile
from .records import clean


def mailto(to: str | None, subject: str | None, body: str) -> str:
    """A `mailto:` link that opens an email draft in the user's mail app."""
    address = quote(to or "", safe="@.+-_")
    query = f"subject={quote(subject or '')}&body={quote(body)}"
    return f"mailto:{address}?{query}"


def eml(
    subject: str | None, body: str, to: tuple[str, str | None], profile: Profile, now: dt.datetime
) -> tuple[bytes, str]:
    """An RFC 5322 message for an email draft to `to` (name, address), and its Message-ID."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr, make_msgid

    message = EmailMessage()
    name, address = to
    if address:
        message["To"] = formataddr((_one_line(name), _one_line(address)))
    if profile.email:
        message["From"] = formataddr((_one_line(profile.name or ""), _one_line(profile.email)))
    message["Subject"] = _one_line(subject or "")
    message["Date"] = format_datetime(now)
    domain = profile.email.rsplit("@", 1)[-1] if profile.email and "@" in profile.email else ""
    if not domain or any(not (ch.isascii() and (ch.isalnum() or ch in ".-")) for ch in domain):
        domain = "tactful.invalid"  # a Message-ID's domain holds letters, digits, dots and hyphens
    message_id = make_msgid(idstring="tactful", domain=domain)
    message["Message-ID"] = message_id
    message["X-Unsent"] = "1"  # mail clients open the file as a draft to send
    message.set_content(body)
    return message.as_bytes(policy=SMTP), message_id


def _one_line(text: str) -> str:
    """A header's value on one line: a line break kept from older data would end the header and
    start another (a "Bcc:" of the file's own); cleaned as an imported cell is."""
    return clean(text) or ""
