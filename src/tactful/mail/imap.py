"""The IMAP side of a mail account, over imap-tools (and the standard `imaplib` beneath it).

Logs in with TLS, STARTTLS or, on loopback only, in plain; finds the Sent folder by its SPECIAL-USE
flag; tells how far a folder has grown (UIDVALIDITY, UIDNEXT) without reading it; reads the headers
of messages past a UID, then the start of the bodies of those worth reading (a 50 MB attachment is
never fetched whole). Every failure becomes a `MailError` of one line that names the server.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .servers import MailError, Server, common_reason, context, printable

if TYPE_CHECKING:
    from imap_tools import BaseMailBox

#: How much of a message is fetched to read it: its text comes first; attachments are cut off.
BODY_BYTES = 256 * 1024
#: Messages asked for in one FETCH.
CHUNK = 500
#: Seconds a server may stay silent before the connection counts as lost.
TIMEOUT = 60.0

_UID = re.compile(rb"UID (\d+)")


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    uidnext: int
    messages: int


class Imap:
    """One logged-in IMAP connection; use it in a `with` block."""

    def __init__(self, server: Server, user: str, password: str) -> None:
        self.server = server
        self.box = _login(server, user, password)

    def __enter__(self) -> Imap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to say goodbye to
            self.box.logout()

    def _fail(self, doing: str, exc: BaseException) -> MailError:
        return MailError(f"the IMAP server {self.server} failed while {doing}: {_reason(exc)}")

    def folders(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every folder's name and flags (`\\Sent` among them where the server says which it is)."""
        try:
            return [(f.name, tuple(f.flags)) for f in self.box.folder.list()]
        except Exception as exc:
            raise self._fail("listing its folders", exc) from None

    def state(self, folder: str) -> FolderState:
        try:
            found = self.box.folder.status(folder, ["UIDVALIDITY", "UIDNEXT", "MESSAGES"])
        except Exception as exc:
            raise self._fail(
                f"looking at folder {folder!r} (does it exist? `--inbox`/`--sent` name another)", exc
            ) from None
        return FolderState(int(found["UIDVALIDITY"]), int(found["UIDNEXT"]), int(found["MESSAGES"]))

    def select(self, folder: str) -> None:
        try:
            self.box.folder.set(folder, readonly=True)
        except Exception as exc:
            raise self._fail(f"opening folder {folder!r}", exc) from None

    def headers_after(self, last_uid: int) -> Iterator[list[tuple[int, bytes]]]:
        """The selected folder's messages past `last_uid`, as (UID, header bytes), a chunk at a time,
        oldest first."""
        try:
            found = self.box.client.uid("SEARCH", f"UID {last_uid + 1}:*")
            words = found[1][0].split() if found[1] and found[1][0] else []
            uids = sorted(
                int(u) for u in words if int(u) > last_uid
            )  # "n:*" names the last one even when below n
        except Exception as exc:
            raise self._fail("searching for new messages", exc) from None
        for start in range(0, len(uids), CHUNK):
            yield self._fetch(uids[start : start + CHUNK], "BODY.PEEK[HEADER]")

    def bodies(self, uids: list[int]) -> dict[int, bytes]:
        """The first `BODY_BYTES` of each of these messages of the selected folder."""
        found: dict[int, bytes] = {}
        for start in range(0, len(uids), CHUNK):
            found.update(self._fetch(uids[start : start + CHUNK], f"BODY.PEEK[]<0.{BODY_BYTES}>"))
        return found

    def _fetch(self, uids: list[int], part: str) -> list[tuple[int, bytes]]:
        if not uids:
            return []
        try:
            status, data = self.box.client.uid("FETCH", ",".join(map(str, uids)), f"(UID {part})")
        except Exception as exc:
            raise self._fail("fetching messages", exc) from None
        if status != "OK":
            raise MailError(f"the IMAP server {self.server} would not send messages: {_said(data)}")
        return _pairs(data)

    def has_message(self, folder: str, message_id: str) -> bool:
        """Whether `folder` holds a message with this Message-ID."""
        try:
            self.box.folder.set(folder, readonly=True)
            found = self.box.client.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
        except Exception as exc:
            raise self._fail(f"searching {folder!r} for {message_id}", exc) from None
        return bool(found[1] and found[1][0] and found[1][0].split())

    def append(self, folder: str, raw: bytes) -> None:
        try:
            self.box.append(raw, folder, flag_set=["\\Seen"])
        except Exception as exc:
            raise self._fail(f"filing a copy in {folder!r}", exc) from None


def _pairs(data: list[Any]) -> list[tuple[int, bytes]]:
    found: list[tuple[int, bytes]] = []
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            uid = _UID.search(item[0])
            if uid:
                found.append((int(uid.group(1)), item[1]))
    return found


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _said(data: Any) -> str:
    first = data[0] if isinstance(data, list) and data else data
    text = first.decode("utf-8", "replace") if isinstance(first, bytes) else str(first)
    return printable(text) or "no reason given"


def _reason(exc: BaseException) -> str:
    shared = common_reason(exc, "--imap-security", TIMEOUT)
    if shared is not None:
        return shared
    if isinstance(exc, imaplib.IMAP4.abort | ConnectionError | EOFError):
        said = printable(str(exc).split("=>")[-1], 120)
        return f"the connection was lost ({said}); run the command again: it goes on where it stopped"
    text = getattr(exc, "command_result", None)
    if text is not None:
        return _said(text[1] if isinstance(text, tuple) and len(text) > 1 else text)
    return printable(str(exc)) or type(exc).__name__


def _login(server: Server, user: str, password: str) -> BaseMailBox:
    from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted

    try:
        box: BaseMailBox
        if server.security == "tls":
            box = MailBox(server.host, server.port, timeout=TIMEOUT, ssl_context=context())
        elif server.security == "starttls":
            box = MailBoxStartTls(server.host, server.port, timeout=TIMEOUT, ssl_context=context())
        else:
            box = MailBoxUnencrypted(server.host, server.port, timeout=TIMEOUT)
    except Exception as exc:
        raise MailError(f"cannot reach the IMAP server {server}: {_reason(exc)}") from None
    try:
        return box.login(user, password, initial_folder=None)
    except Exception as exc:
        with contextlib.suppress(Exception):
            box.logout()
        raise MailError(f"the IMAP server {server} refused the login for {user!r}: {_reason(exc)}") from None
