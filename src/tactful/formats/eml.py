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
    subject: str | None,
    body: str,
    to: tuple[str, str | None],
    profile: Profile,
    now: dt.datetime,
    sender: str | None = None,
    answers: tuple[str, ...] = (),
    unsent: bool = True,
) -> tuple[bytes, str]:
    """An RFC 5322 message for an email draft to `to` (name, address), and its Message-ID.

    `sender`: the From address, when not the profile's (the mail account's). `answers`: the
    Message-IDs of the thread so far, oldest first; the last is the one this answers
    (`In-Reply-To`), all are its `References`. `unsent`: marked as a draft for a mail client to open.
    """
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr, make_msgid

    message = EmailMessage()
    name, address = to
    if address and not address.isascii():
        from ..errors import InvalidInput

        raise InvalidInput(
            f"{address} has letters beyond ASCII, which tactful cannot send to yet; use another address"
        )
    if address:
        message["To"] = formataddr((_one_line(name), _one_line(address)))
    own = sender or profile.email
    if own:
        message["From"] = formataddr((_one_line(profile.name or ""), _one_line(own)))
    message["Subject"] = _one_line(subject or "")
    message["Date"] = format_datetime(now)
    domain = own.rsplit("@", 1)[-1] if own and "@" in own else ""
    if not domain or any(not (ch.isascii() and (ch.isalnum() or ch in ".-")) for ch in domain):
        domain = "tactful.invalid"  # a Message-ID's domain holds letters, digits, dots and hyphens
    message_id = make_msgid(idstring="tactful", domain=domain)
    message["Message-ID"] = message_id
    ids = [
        i for i in (_one_line(a) for a in answers) if i.startswith("<") and i.endswith(">") and " " not in i
    ]
    if ids:
        message["In-Reply-To"] = ids[-1]
        message["References"] = " ".join(ids[-20:])
    if unsent:
        message["X-Unsent"] = "1"  # mail clients open the file as a draft to send
    message.set_content(body)
    return message.as_bytes(policy=SMTP), message_id


def _one_line(text: str) -> str:
    """A header's value on one line: a line break kept from older data would end the header and
    start another (a "Bcc:" of the file's own); cleaned as an imported cell is."""
    return clean(text) or ""
