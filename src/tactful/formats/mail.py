"""A mail message as tactful reads it: who wrote to whom, when, in answer to what, whether a person
or a machine sent it, and what they wrote above the quoted text.

Pure: bytes in (one RFC 5322 message, or an mbox file's), a `Mail` out. Nothing here decides what a
message means for a thread: see `tactful.formats.replies` for reading a reply (`away` for an
out-of-office's return date), and the service for matching messages to follow-ups.

Untrusted input: a message can be malformed, in an unknown charset, or 50 MB. Every header is
decoded with the standard library's `email` package (its defects are tolerated, not raised), only
the first `TEXT_LIMIT` characters of the body are read, and the quoted text is cut line by line (the
reply-parsing libraries tried, `mail-parser-reply` and `email-reply-parser`, took 76 s and more on
45 KB of "On On On…", so neither fits mail from strangers).
"""

from __future__ import annotations

import datetime as dt
import email
import email.parser
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

#: The most of a body that is read, in characters: a reply says what it says near the top.
TEXT_LIMIT = 20_000
#: A header value longer than this is cut (Message-IDs are under 1,000 characters in practice).
HEADER_LIMIT = 2_000


@dataclass(frozen=True)
class Mail:
    """One message: what matching and reading need, nothing else."""

    message_id: str | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: str | None  # the From address, lower-cased
    sender_name: str | None
    recipients: tuple[str, ...]  # To and Cc addresses, lower-cased
    at: dt.datetime | None  # the Date header, aware; None when missing or unreadable
    subject: str
    text: str  # the body as plain text, at most TEXT_LIMIT characters
    automatic: str | None  # None for a person; else "out-of-office", "bounce", "list" or "auto"
    failed: tuple[str, ...] = ()  # a bounce's recipients that could not be reached

    @property
    def answers(self) -> tuple[str, ...]:
        """The Message-IDs this message answers: In-Reply-To first, then References, newest first."""
        seen: list[str] = []
        for mid in (*self.in_reply_to, *reversed(self.references)):
            if mid not in seen:
                seen.append(mid)
        return tuple(seen)


def parse(raw: bytes) -> Mail:
    """The message in `raw`; never raises on what a mail server might hold.

    Read with the standard library's `compat32` policy, which keeps each header as the text it
    was: a header is cut to `HEADER_LIMIT` before anything parses it, so no header, however long
    or odd, costs more than a bounded amount of work (the default policy parses every header whole,
    and some of its parsers are quadratic or recursive on crafted input)."""
    try:
        message = email.message_from_bytes(raw)
    except RecursionError:  # parts nested deeper than the parser's recursion: the headers alone
        message = email.parser.BytesParser().parsebytes(raw, headersonly=True)
    try:
        return read(message)
    except RecursionError:
        return read(email.parser.BytesParser().parsebytes(raw, headersonly=True), body=False)


def headers(raw: bytes) -> Mail:
    """A message read from its headers alone (what a sync fetches first): no text, no failed list."""
    try:
        return read(email.parser.BytesParser().parsebytes(raw, headersonly=True), body=False)
    except RecursionError:
        return read(email.message_from_string(""), body=False)


def read(message: Message, body: bool = True) -> Mail:
    sender_name, sender = _address(_header(message, "From"))
    recipients = _addresses(_header(message, "To"), _header(message, "Cc"))
    failed = _failed_recipients(message) if body else ()
    return Mail(
        message_id=_first_id(_header(message, "Message-ID")),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        sender=sender,
        sender_name=sender_name,
        recipients=recipients,
        at=_date(_header(message, "Date")),
        subject=" ".join(_header(message, "Subject").split()),
        text=body_text(message) if body else "",
        automatic="bounce" if failed or _is_report(message) else _automatic(message),
        failed=failed,
    )


def mbox(raw: bytes) -> Iterator[Mail]:
    """The messages of an mbox file ("From " lines between them; ">From " unescaped as mboxrd)."""
    current: list[bytes] = []
    for line in raw.splitlines(keepends=True):
        if line.startswith(b"From ") and (not current or current[-1].strip() == b""):
            if current:
                yield parse(b"".join(current))
            current = []
            continue
        current.append(line[1:] if re.match(rb">+From ", line) else line)
    if current and any(part.strip() for part in current):
        yield parse(b"".join(current))


# -- headers ----------------------------------------------------------------------------------------
#: Control characters (NUL, escapes, line breaks left in a value): never kept from a header or a body.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _header(message: Message, name: str) -> str:
    """A header's decoded value ('' when absent or undecodable), on one line, cut to HEADER_LIMIT
    before it is decoded, with no control characters."""
    try:
        values = message.get_all(name) or []
        text = str(values[0]) if values else ""
    except Exception:  # a header the email package cannot even hold is one not given
        return ""
    text = text[:HEADER_LIMIT].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "=?" in text:
        text = _decoded_words(text)
    return " ".join(_CONTROL.sub(" ", text).split())


def _decoded_words(text: str) -> str:
    """RFC 2047 encoded words decoded, each in its charset (an unknown one read as UTF-8)."""
    from email.header import decode_header

    try:
        pieces = decode_header(text)
    except Exception:  # a malformed encoded word: the text as it is
        return text
    out: list[str] = []
    for chunk, charset in pieces:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            out.append(chunk.decode(charset or "utf-8", "replace"))
        except (LookupError, ValueError):  # an unknown charset, or a name no codec could have
            out.append(chunk.decode("utf-8", "replace"))
    return "".join(out)


def _addresses(*values: str) -> tuple[str, ...]:
    try:
        found = email.utils.getaddresses(list(values))
    except (RecursionError, ValueError, IndexError):
        return ()
    return tuple(
        dict.fromkeys(
            a.strip().lower() for _, a in found if "@" in a and not any(c.isspace() for c in a.strip())
        )
    )


_ID = re.compile(r"<([^<>\s]{1,500})>")


def _ids(value: str) -> tuple[str, ...]:
    return tuple(f"<{m}>" for m in _ID.findall(value))


def _first_id(value: str) -> str | None:
    found = _ids(value)
    return found[0] if found else (value.strip() or None)


def _address(value: str) -> tuple[str | None, str | None]:
    try:
        name, address = email.utils.parseaddr(value)
    except (RecursionError, ValueError, IndexError):
        return None, None
    address = address.strip()
    return (name.strip() or None), (address.lower() if "@" in address and " " not in address else None)


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


# -- machines -------------------------------------------------------------------------------------------
_OUT_OF_OFFICE = re.compile(
    r"\b(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|away from (the )?office|on (annual )?leave|"
    r"on vacation|on holiday|abwesenheit|absence)\b|^auto:",
    re.IGNORECASE,
)


_BOUNCE_SUBJECT = re.compile(
    r"^(undeliver(ed|able)|delivery (status notification|failure|has failed)|mail delivery (failed|failure)|"
    r"returned mail|failure notice|non[- ]?delivery)",
    re.IGNORECASE,
)


def _automatic(message: Message) -> str | None:
    """What sent a message that no person wrote (RFC 3834 and the usual headers); None for a person."""
    auto = _header(message, "Auto-Submitted").lower()
    subject = _header(message, "Subject")
    if message.get_content_type() == "multipart/report":
        return "auto"  # a read receipt, or another report that is not a delivery failure
    sender = (_address(_header(message, "From"))[1] or "").split("@")[0]
    if _BOUNCE_SUBJECT.search(subject) and sender in (
        "mailer-daemon",
        "postmaster",
        "mail-daemon",
        "mailerdaemon",
    ):
        return "bounce"
    replied = auto.startswith("auto-replied") or any(
        _header(message, h) for h in ("X-Autoreply", "X-Autorespond")
    )
    if auto and auto != "no" and not replied:  # auto-generated: a notice, not an answer
        return "out-of-office" if _OUT_OF_OFFICE.search(subject) else "auto"
    replied = replied or bool(_header(message, "X-Auto-Response-Suppress"))
    if replied:  # an auto-reply is an out-of-office unless it reads as a receipt for a request
        opening = " ".join(body_text(message)[:600].split())
        receipt = _RECEIPT.search(subject) or (_RECEIPT.search(opening) and not _AWAY.search(opening))
        return "auto" if receipt and not _OUT_OF_OFFICE.search(subject) else "out-of-office"
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return "list"
    if _header(message, "Precedence").lower() in ("bulk", "list", "junk"):
        return "out-of-office" if _OUT_OF_OFFICE.search(subject) else "list"
    return_path = message.get("Return-Path")
    if return_path is not None and str(return_path).strip() in ("<>", ""):
        return "auto"
    if re.match(
        r"(automatic reply|auto(matische antwort)?|réponse automatique|respuesta automática|"
        r"out of (the )?office|abwesenheitsnotiz|absence)\s*:",
        subject,
        re.IGNORECASE,
    ):
        return "out-of-office"
    return None


#: An auto-reply that acknowledges a request (a ticket, an application) rather than an absence.
_RECEIPT = re.compile(
    r"\b(ticket|case (number|#|no)|request (number|#|id)|we (have|'ve) received your|thank you for contacting|"
    r"thanks for contacting|your (request|message|application) has been received|support team)\b",
    re.IGNORECASE,
)
#: An auto-reply whose first lines say its writer is away.
_AWAY = re.compile(
    r"\b(ooo|out of (the )?office|away (from|until|on|this|next)|on (annual |parental |maternity |paternity )?leave|"
    r"on (vacation|holiday)|(limited|no) access to (e-?mail|my e-?mail)|back (on|in the office)|returning on|"
    r"abwesend|nicht im büro|absent|ausente|fuera de la oficina)\b",
    re.IGNORECASE,
)


def _is_report(message: Message) -> bool:
    return message.get_content_type() == "multipart/report" and (
        str(message.get_param("report-type", "")).lower() == "delivery-status"
    )


def _failed_recipients(message: Message) -> tuple[str, ...]:
    """The recipients a delivery report says failed: RFC 3464's `Action: failed`, or the
    `X-Failed-Recipients` header of older mail servers."""
    sender = (_address(_header(message, "From"))[1] or "").split("@")[0]
    return_path = message.get("Return-Path")
    from_system = sender in ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon") or (
        return_path is not None and str(return_path).strip() in ("<>", "")
    )
    # a header anyone can write: believed only from a mail system, or it could silence a contact
    failed: list[str] = list(_addresses(_header(message, "X-Failed-Recipients"))) if from_system else []
    if not _is_report(message):
        return tuple(failed)
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = [b for b in payload if isinstance(b, Message)] if isinstance(payload, list) else []
        for block in blocks:
            action = _header(block, "Action").lower()
            recipient = _header(block, "Final-Recipient") or _header(block, "Original-Recipient")
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            if action == "failed" and "@" in address and address not in failed:
                failed.append(address)
    return tuple(failed)


# -- the body -------------------------------------------------------------------------------------------
def body_text(message: Message) -> str:
    """The message's words as plain text: its text/plain part, else its HTML without the markup."""
    plain = html = None
    parts = message.walk() if message.is_multipart() else iter([message])
    for part in parts:
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = _decoded(part)
        elif kind == "text/html" and html is None:
            html = _decoded(part)
        if plain is not None:
            break
    if plain is not None:
        text = plain
    elif html is not None:
        text = html_text(html)
    else:
        text = ""
    return text.replace("\r\n", "\n").replace("\r", "\n")[:TEXT_LIMIT]


def _decoded(part: Message) -> str:
    """A part's text in its charset (an unknown or broken one read as UTF-8), control characters out."""
    try:
        raw = part.get_payload(decode=True)
    except Exception:  # a transfer encoding the package cannot undo: nothing to read
        return ""
    if not isinstance(raw, bytes):
        return ""
    raw = raw[: TEXT_LIMIT * 8]  # the most a reader looks at, whatever the attachment's size
    try:
        charset = part.get_content_charset() or "utf-8"
        text = raw.decode(charset, errors="replace")
    except (LookupError, ValueError):
        text = raw.decode("utf-8", errors="replace")
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def html_text(html: str) -> str:
    """HTML's text, paragraphs and line breaks kept, scripts and styles dropped."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in ("script", "style", "head"):
                self.skip += 1
            elif tag in ("br", "p", "div", "li", "tr", "blockquote"):
                self.out.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("script", "style", "head") and self.skip:
                self.skip -= 1
            elif tag in ("p", "div"):
                self.out.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.out.append(data)

    reader = Text()
    reader.feed(html[: TEXT_LIMIT * 4])
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.out).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- what they wrote, above what they quoted ------------------------------------------------------------
_QUOTE_HEADER = re.compile(
    r"^(on\b.{0,300}\bwrote:?|le\b.{0,300}\ba écrit\s?:|am\b.{0,300}\bschrieb\b.{0,120}:)\s*$", re.IGNORECASE
)
_SEPARATOR = re.compile(
    r"^(-{2,}\s*original message\s*-{2,}|_{10,}|-{10,}|begin forwarded message:?)\s*$", re.IGNORECASE
)
_OUTLOOK = re.compile(r"^\*?(from|de|von)\s*:\*?\s", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^(-- ?|sent from my \w+.*|get outlook for \w+.*)$", re.IGNORECASE)


def latest(text: str) -> str:
    """What the writer wrote above the quoted message and their signature: line by line, linear."""
    lines = text.splitlines()
    kept: list[str] = []
    for n, line in enumerate(lines):
        bare = line.strip()
        if bare.startswith(">"):
            break
        if _SEPARATOR.match(bare) or _SIGN_OFF.match(line.rstrip() if line.startswith("--") else bare):
            break
        if len(bare) <= 600:
            joined = (
                bare
                if bare.lower().endswith(("wrote:", "écrit :", "écrit:"))
                else f"{bare} {lines[n + 1].strip()}"
                if n + 1 < len(lines)
                else bare
            )
            if _QUOTE_HEADER.match(bare) or (
                bare.lower().startswith(("on ", "le ", "am ")) and _QUOTE_HEADER.match(joined)
            ):
                break
        if _OUTLOOK.match(bare) and any(
            re.match(r"^\*?(sent|date|to|subject|gesendet|envoyé)\s*:", following.strip(), re.IGNORECASE)
            for following in lines[n + 1 : n + 4]
        ):
            break
        kept.append(line)
    return "\n".join(kept).strip()
