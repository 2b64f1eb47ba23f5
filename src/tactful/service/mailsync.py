"""Where mail comes from: an exported file (`import eml|mbox`), or the user's IMAP account
(`mail connect`, `mail sync`). Both hand messages to `mailbox.apply`, which matches them.

A sync reads the Sent folder, then the Inbox, past the last UID it read in each (kept with the
folder's UIDVALIDITY: when that changes, the folder is read again from the start, and what was
already matched is known by its Message-ID). It reads headers first and fetches the start of a body
only for messages that may concern a contact. Each chunk is matched and its mark moved in one
transaction, so a sync cut off midway goes on from there next time and counts nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import MailAccount
from ..errors import InvalidInput, NotFound, ref
from ..formats.mail import Mail, headers, mbox, parse
from .base import Service
from .mailbox import MailResult, Matcher, apply, own_addresses

if TYPE_CHECKING:
    from ..mail.imap import Imap
    from ..mail.smtp import Smtp

#: The largest mail file read by an import, in bytes (an mbox of years of mail is rarely bigger).
FILE_LIMIT = 2 * 1024**3
#: Names a Sent folder goes by where the server does not flag it (`\\Sent`).
SENT_NAMES = (
    "sent",
    "sent items",
    "sent messages",
    "sent mail",
    "[gmail]/sent mail",
    "inbox.sent",
    "inbox/sent",
)


def import_files(svc: Service, kind: str, paths: Iterable[Path]) -> MailResult:
    """`tactful import eml FILE...` and `tactful import mbox FILE`: the same matching as a sync, on
    exported mail. The sender tells whether the user sent a message (the profile's address)."""
    mails: list[Mail] = []
    for path in paths:
        try:
            size = path.stat().st_size
            if size > FILE_LIMIT:
                raise InvalidInput(
                    f"{path.name}: {size // 1024**2} MB is more than an import reads; split the file"
                )
            raw = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(
                f"{path.name}: cannot be read ({exc.strerror or exc}); check the path"
            ) from None
        mails.extend(mbox(raw) if kind == "mbox" else [parse(raw)])
    own = own_addresses(svc, _account_addresses(svc))
    return apply(svc, mails, own)


def _account_addresses(svc: Service) -> list[str]:
    account = svc.store.get_account()
    return [a for a in (account.address, account.user) if a] if account else []


@dataclass
class ConnectRequest:
    imap: str
    smtp: str
    user: str
    security: str | None = None
    imap_security: str | None = None
    smtp_security: str | None = None
    inbox: str | None = None
    sent: str | None = None
    address: str | None = None
    password: str | None = None  # typed by the user; else TACTFUL_MAIL_PASSWORD


def connect(svc: Service, req: ConnectRequest) -> MailAccount:
    """Check both logins, find the Inbox and Sent folders, and store the account (not the
    password); nothing is stored when anything fails."""
    from ..config import mail_password, secret_key
    from ..mail.imap import Imap
    from ..mail.secrets import entry, remember, seal
    from ..mail.servers import server
    from ..mail.smtp import Smtp
    from . import validate

    imap = server("imap", req.imap, req.imap_security or req.security, "imap")
    smtp = server("smtp", req.smtp, req.smtp_security or req.security, "smtp")
    user = validate.bounded("user", req.user, "ref").strip()
    if not user:
        raise InvalidInput(f"{ref('user')}: give the account's login name", field="user")
    address = validate.bounded("address", req.address, "ref").strip() if req.address else None
    if address is not None and (
        address.count("@") != 1 or any(c.isspace() for c in address) or not address.isascii()
    ):
        raise InvalidInput(f"{ref('address')}: {address!r} is not an e-mail address", field="address")
    address = address or (user if "@" in user else svc.profile.email) or None
    if address is None:
        raise InvalidInput(f"give the address you send from with {ref('address')}", field="address")
    secret = req.password or mail_password()
    if not secret:
        raise InvalidInput(
            "no mail password: set TACTFUL_MAIL_PASSWORD, or run this in a terminal to type it"
        )
    key = secret_key()
    sealed = seal(secret, key) if key else None  # on a server: kept in the database, encrypted
    with Imap(imap, user, secret) as box:
        folders = box.folders()
        inbox = _folder(folders, req.inbox, "inbox") if req.inbox else _folder(folders, "INBOX", "inbox")
        sent = _folder(folders, req.sent, "sent") if req.sent else _sent_folder(folders)
    with Smtp(smtp, user, secret):
        pass
    if sealed is None and req.password:
        remember(user, imap.host, secret)
    now = svc.now()
    account = MailAccount(
        user=user,
        address=address,
        imap_host=imap.host,
        imap_port=imap.port,
        imap_security=imap.security,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security=smtp.security,
        inbox=inbox,
        sent=sent,
        connected_at=now,
    )
    before = svc.store.get_account()
    if before is not None:
        account.digest, account.daily_cap = before.digest, before.daily_cap
    same = before is not None and (before.user, before.imap_host, before.inbox, before.sent) == (
        account.user,
        account.imap_host,
        account.inbox,
        account.sent,
    )
    with svc.store.transaction():
        svc.store.begin_change("mail-connect", f"connected the mail account {user} at {imap.host}", now)
        svc.store.save_account(account, keep_marks=same)
        if sealed is not None:
            svc.store.set_secret(entry(user, imap.host), sealed)
    return account


def _folder(folders: list[tuple[str, tuple[str, ...]]], name: str, option: str) -> str:
    for found, _ in folders:
        if found == name or (found.upper() == "INBOX" and name.upper() == "INBOX"):
            return found
    listed = ", ".join(sorted(f for f, _ in folders)[:20])
    raise InvalidInput(f"{ref(option)}: the server has no folder {name!r}; it has {listed}", field=option)


def _sent_folder(folders: list[tuple[str, tuple[str, ...]]]) -> str:
    for name, flags in folders:
        if "\\Sent" in flags:
            return name
    for name, _ in folders:
        if name.lower() in SENT_NAMES:
            return name
    raise InvalidInput(f"the server flags no folder as Sent; name it with {ref('sent')}", field="sent")


def account(svc: Service) -> MailAccount:
    found = svc.store.get_account()
    if found is None:
        raise NotFound(
            "no mail account is connected: `tactful mail connect --imap HOST --smtp HOST --user USER` connects one"
        )
    return found


def _secret(svc: Service) -> str:
    from ..config import mail_password, secret_key
    from ..mail.secrets import entry, password

    acct = account(svc)
    key = secret_key()
    sealed = svc.store.get_secret(entry(acct.user, acct.imap_host)) if key else None
    return password(acct.user, acct.imap_host, mail_password(), key, sealed)


def open_imap(svc: Service) -> Imap:
    """A logged-in IMAP connection to the connected account (use it in a `with` block)."""
    from ..mail.imap import Imap
    from ..mail.servers import Server

    acct = account(svc)
    return Imap(Server(acct.imap_host, acct.imap_port, acct.imap_security), acct.user, _secret(svc))


def open_smtp(svc: Service) -> Smtp:
    """A logged-in SMTP session with the connected account (use it in a `with` block)."""
    from ..mail.servers import Server
    from ..mail.smtp import Smtp

    acct = account(svc)
    return Smtp(Server(acct.smtp_host, acct.smtp_port, acct.smtp_security), acct.user, _secret(svc))


def sync(svc: Service) -> MailResult:
    """Read what is new in the Sent folder and the Inbox, and apply it."""
    acct = account(svc)
    own = own_addresses(svc, [a for a in (acct.address, acct.user) if a])
    total = MailResult()
    with open_imap(svc) as box:
        for folder, role in ((acct.sent, "sent"), (acct.inbox, "inbox")):
            total.extend(_read_folder(svc, box, folder, role, own))
    with svc.store.transaction():
        svc.store.account_synced(svc.now())
    return total


def _read_folder(svc: Service, box: Imap, folder: str, role: str, own: set[str]) -> MailResult:
    store = svc.store
    state = box.state(folder)
    mark = store.folder_mark(folder)
    last = mark[1] if mark is not None and mark[0] == state.uidvalidity else 0
    result = MailResult()
    if mark is not None and mark[0] == state.uidvalidity and state.uidnext <= last + 1:
        return result  # nothing new since the last sync: not one message is read
    box.select(folder)
    matcher = Matcher(svc, own)
    for chunk in box.headers_after(last):
        if not chunk:  # deleted by another client between the search and the fetch
            continue
        wanted = [uid for uid, raw in chunk if _concerns(matcher, headers(raw), role)]
        bodies = box.bodies(wanted) if wanted else {}
        mails = [parse(bodies[uid]) for uid in wanted if uid in bodies]
        top = max(uid for uid, _ in chunk)

        def mark_read(top: int = top) -> None:
            store.set_folder_mark(folder, state.uidvalidity, top, svc.now())

        result.extend(apply(svc, mails, own, role, scanned=len(chunk), then=mark_read))
    return result


def _concerns(matcher: Matcher, head: Mail, role: str) -> bool:
    """Whether a message, by its headers alone, may concern a contact (and so is read in full)."""
    if role == "sent":
        return any(matcher.person(a) is not None for a in head.recipients if a not in matcher.own)
    if head.sender in matcher.own:
        return False
    if head.automatic == "bounce" or matcher.person(head.sender) is not None:
        return True
    return bool(head.answers and matcher.store.sent_with(head.answers))
