"""Fuzz targets for mail: any bytes a mail server or an export hands over are read as a `Mail` that
keeps its promises, never raising and never hanging; what a writer wrote above the quotes is found,
and read, in time that grows with the text; and `tactful import eml|mbox` of mutated messages either
matches them or refuses in one line, and counts nothing twice: the same files imported again change
nothing, and the same mail in one batch, in two, or twice leaves the same plan.

The messages are those of `test_mailbox`'s story (Robin sent Priya a thank-you after an interview;
Priya answers, is away, or a list or a stranger writes), built with `EmailMessage` and then spoilt:
bytes flipped, inserted, cut or repeated, and odd header values (unknown charsets, raw 8-bit, CR, LF
and NUL). Crashes they found are kept as `@example`s.
"""

from __future__ import annotations

import atexit
import datetime as dt
import email.utils
import functools
import gc
import json
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given
from hypothesis import strategies as st

from tactful.cli import cli
from tactful.formats import away, mail, replies
from tactful.service import Service
from tactful.store import open_store

from .fuzzing import NOW, ODD, copy_of, fuzz, rarely
from .snapshots import snapshot
from .test_fuzz_imports import backup_restores
from .test_hardening import HANG_SECONDS, no_hang

ME, PRIYA = "robin@vale.example", "priya@acme.example"
THANKS_ID = "<thanks-1@vale.example>"
#: The moment the story starts: the interview was at 10:00 New York time, the thank-you went at 15:00.
START = dt.datetime(2026, 3, 2, 20, 0, tzinfo=dt.UTC)


@contextmanager
def no_hang_at_all(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """`no_hang`, whose alarm rings again every second after the first: the mail parser catches
    `Exception` around the email package (a header it cannot decode is read as not given), and
    would swallow a single alarm and parse the same header again with none."""
    with no_hang(seconds):
        signal.setitimer(signal.ITIMER_REAL, seconds, 1)
        yield


# -- messages ----------------------------------------------------------------------------------------------
REPLIES = [
    "Thanks Robin, it was good to meet you.",
    "Thanks Robin! Talk soon.\n\nOn Mon, 2 Mar 2026 at 15:00, Robin Vale <robin@vale.example> wrote:\n> Hi Priya",
    "Dear Robin,\n\nUnfortunately we have decided to move forward with other candidates.\n\nBest,\nPriya",
    "Hi Robin, we are pausing this role for now. Please check back in 3 weeks.\n\nPriya",
    "Hi Robin, we would like to invite you to a second interview with the team next week.",
    "Sounds good.\n-- \nPriya Natarajan | Head of Data\n",
    "Danke, Robin.\n\nAm Mo., 2. März 2026 um 15:00 Uhr schrieb Robin Vale <robin@vale.example>:\n> Hallo",
]
SENT = [
    "Hi Priya,\n\nThank you for the conversation about streaming today.\n\nRobin\n",
    "Hi Priya,\n\nJust checking in on the Data Engineer role. Happy to share anything else.\n\nRobin\n",
    "Hi Priya, thanks, Tuesday works. Robin",
]
AWAY = [
    "I am out of the office until 20 April 2026 with limited access to email.",
    "I am away until Monday 9 March.",
    "Back on 2026-03-20.",
    "I am away and reading mail rarely.",
]
OTHER = ["Our newsletter: what is new at Acme.", "Hello, are you hiring?", "Grüße aus Zürich 👋"]
#: The odd characters and runs of `fuzzing` that a mail program writes (a lone surrogate it cannot).
ODD_TEXT = [odd for odd in ODD if not any("\ud800" <= ch <= "\udfff" for ch in odd)]
KINDS = ["sent", "reply", "out-of-office", "list", "stranger", "bounce"]
SHAPES = ["plain", "plain", "html", "alternative", "attachment", "latin-1", "base64", "quoted-printable"]
ZONES = [dt.timezone(dt.timedelta(hours=h)) for h in (-5, -4, 0, 1, 5.5)]


def bounce(mid: str, at: dt.datetime, answers: str | None) -> bytes:
    """A delivery report from Robin's mail server: Priya's address failed."""
    quoted = f"In-Reply-To: {answers}\r\n" if answers else ""
    return (
        f"From: Mail Delivery System <MAILER-DAEMON@vale.example>\r\nTo: {ME}\r\n"
        f"Date: {email.utils.format_datetime(at)}\r\nMessage-ID: {mid}\r\n{quoted}"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.vale.example\r\n\r\n"
        f"Final-Recipient: rfc822; {PRIYA}\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n"
    ).encode()


def message(
    kind: str,
    mid: str,
    at: dt.datetime,
    text: int = 0,
    answers: str | None = None,
    shape: str = "plain",
    odd: str = "",
) -> bytes:
    """One message of the story: `kind` (one of KINDS), its Message-ID, when it was sent, which of
    the usual texts it says, what it answers, how its body is made, and what odd text ends its
    Subject and its first line."""
    if kind == "bounce":
        return bounce(mid, at, answers)
    m = EmailMessage()
    sender, to, texts = {
        "sent": (f"Robin Vale <{ME}>", f"Priya Natarajan <{PRIYA}>", SENT),
        "reply": (f"Priya Natarajan <{PRIYA}>", ME, REPLIES),
        "out-of-office": (f"Priya Natarajan <{PRIYA}>", ME, AWAY),
        "list": (f"Acme News <{PRIYA}>", ME, OTHER),
        "stranger": ("Someone <someone@else.example>", ME, OTHER),
    }[kind]
    m["From"], m["To"], m["Date"], m["Message-ID"] = sender, to, email.utils.format_datetime(at), mid
    m["Subject"] = (
        ("Automatic reply: " if kind == "out-of-office" else "Re: ") + "Data Engineer interview" + odd
    )
    if answers:
        m["In-Reply-To"] = answers
        m["References"] = f"<interview@acme.example> {answers}"
    if kind == "out-of-office":
        m["Auto-Submitted"] = "auto-replied"
    if kind == "list":
        m["List-Id"], m["Precedence"] = "<news.acme.example>", "list"
    first, *rest = texts[text % len(texts)].split("\n")
    body = "\n".join([first + odd, *rest])
    if shape == "html":
        m.set_content(f"<html><body><p>{body}</p></body></html>", subtype="html")
    elif shape in ("latin-1", "base64", "quoted-printable"):
        charset = "iso-8859-1" if shape == "latin-1" else "utf-8"
        m.set_content(
            body.encode(charset, errors="replace").decode(charset),
            charset=charset,
            cte=None if shape == "latin-1" else shape,
        )
    else:
        m.set_content(body)
        if shape == "alternative":
            m.add_alternative(f"<p>{body}</p>", subtype="html")
        elif shape == "attachment":
            m.add_attachment(b"%PDF-1.4 " * 300, maintype="application", subtype="pdf", filename="cv.pdf")
    if m.is_multipart():
        m.set_boundary("=-fuzz-=")  # else the generator draws one with `random`
    return bytes(m)


@st.composite
def story_message(draw: st.DrawFn) -> bytes:
    """One message of the story, as a mail program would write it."""
    kind = draw(st.sampled_from(KINDS))
    at = START + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 60)))
    at = at.astimezone(draw(st.sampled_from(ZONES)))
    answers = draw(st.sampled_from([None, THANKS_ID, "<unknown@elsewhere.example>"]))
    n, text, shape = draw(st.integers(0, 99)), draw(st.integers(0, 9)), draw(st.sampled_from(SHAPES))
    odd = draw(st.one_of(st.just(""), st.sampled_from(ODD_TEXT)))
    return message(kind, f"<m{n}@fuzz.example>", at, text, answers, shape, odd)


#: What a mutation inserts: line breaks, NUL, 8-bit bytes, the marks headers and MIME are made of,
#: encoded words in unknown or broken charsets, boundaries, and mbox "From " lines.
SPLICES = [
    b"\x00", b"\r", b"\n", b"\r\n", b"\r\n\r\n", b"\r\n ", b"\t", b"\x0b", b"\x0c", b"\xff", b"\x80", b"\xed\xa0\x80",
    b"\xc3", b"<", b">", b"<>", b"(", b")", b'"', b"\\", b":", b";", b",", b"@", b"=", b"?", b"=?", b"?=",
    b"=?x-unknown?B?SGVsbG8=?=", b"=?x-unknown?Q?caf=E9?=", b"=?utf-8?q?=ZZ?=", b"=?utf-8?b?7aCA?=",
    b"=?utf-8?b?AA==?=", b"=?iso-2022-jp?b?GyRCJEgbKEI=?=", b"--", b"\r\n--", b"\r\n--b1--\r\n", b"=\r\n", b"=E2",
    b"\nFrom x@y Mon Mar  2 15:00:00 2026\n", b"\n>From ", b"\r\nContent-Type: multipart/mixed; boundary=\"x\"",
    b"; charset=x-unknown", b"; charset=utf-16", b"\r\nContent-Transfer-Encoding: base64", b"\r\nSubject: ",
    b"\r\nMessage-ID: ", b"\r\nIn-Reply-To: <", b"\r\nReferences: ", b"\r\nDate: ", b"\r\nAuto-Submitted: auto-replied",
    b"\r\nFrom: ", b"\r\nTo: ", b"\r\nCc: ", b"Mon, 31 Dec 9999 23:59:59 -2359", b"+9999", b"<thanks-1@vale.example>",
    b"On Mon, Robin wrote:\n> ", b"> ", "Zoë 😀 \u2028\u202e\ufeff".encode(),
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """A message from `base` with one to four bytes-level mutations."""
    raw = bytearray(draw(base))
    for _ in range(draw(st.integers(1, 4))):
        head = raw.find(b"\n\n") % (len(raw) + 1)  # where the headers end (half the changes land there)
        at = draw(st.integers(0, head if draw(st.booleans()) else len(raw)))
        how = draw(st.sampled_from(["flip", "insert", "insert", "insert", "delete", "cut", "repeat"]))
        if how == "flip" and at < len(raw):
            raw[at] ^= draw(st.sampled_from([0x01, 0x20, 0x80, 0xFF, 0x0D ^ 0x0A]))
        elif how == "insert":
            raw[at:at] = draw(st.one_of(st.sampled_from(SPLICES), st.binary(min_size=1, max_size=12)))
        elif how == "delete":
            del raw[at : at + draw(st.integers(1, 40))]
        elif how == "cut":
            del raw[at:]
        elif how == "repeat":
            raw[at:at] = bytes(raw[at : at + draw(st.integers(1, 60))]) * draw(st.integers(2, 20))
    return bytes(raw)


#: The headers tactful reads (those with a structure twice: the email package parses them).
HEADERS = [
    "From", "From", "To", "To", "Cc", "Cc", "Date", "Date", "Message-ID", "Message-ID", "In-Reply-To", "References",
    "Subject", "Content-Type", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "MIME-Version",
    "Auto-Submitted", "List-Id", "List-Unsubscribe", "Precedence", "Return-Path", "X-Failed-Recipients",
    "X-Autoreply", "X-Auto-Response-Suppress",
]  # fmt: skip
ODD_VALUES = [
    b"=?x-unknown?B?SGVsbG8=?=", b"=?x-unknown?Q?caf=E9?= <priya@acme.example>", b"caf\xe9 <Priya@ACME.example>",
    b"\xff\xfe\x00", b"a\x00b", b"a\rb", b"a\x0bb", b"<a\x00b@x>", b"<a b@x>", b"< a@b >", b"<>", b"<<a@b>>", b"",
    b" ", b"=?utf-8?B?AA==?=", b"=?utf-8?B?PGFAYj4=?=", b"=?utf-8?q?a=0D=0Ab?=", b"Priya <PRIYA@ACME.EXAMPLE>",
    b"undisclosed-recipients:;", b"g: a@b, c@d;", b'"a@b" <X@Y>, <Z@W>', b"text/plain; charset=x-klingon",
    b"multipart/mixed", b"multipart/report; report-type=delivery-status", b"text/html; charset=\"utf-8\x00\"",
    b"attachment", b"inline; filename*=x-unknown''%FF", b"base64", b"quoted-printable", b"x-uuencode", b"8bit",
    b"Tue, 03 Mar 2026 09:00:00", b"Tue, 03 Mar 2026 09:00:00 -0000", b"Tue, 30 Feb 2026 25:61:61 +0000",
    b"0 0 0 0:0:0", b"Mon, 01 Jan 0100 00:00:00 +2359", b"someday", b"auto-replied", b"auto-generated", b"no",
    b"bulk", "Zoë 😀 \u2028 \u202e".encode(), "Zoë".encode("latin-1"), b"a@", b"a@[b", b'"', b"a:;b:;", b"=?utf-8?q?a=0D?=",
]  # fmt: skip
#: What addresses, ids and dates are made of, to put together in ways no grammar allows.
MARKS = [
    b"<", b">", b'"', b"@", b":", b";", b",", b"(", b")", b"[", b"]", b"\\", b".", b" ", b"a", b"b.example", b"\t",
    b"=?utf-8?q?a=0D?=", b"=?x-unknown?b?QQ==?=", b"\xff", b"\x00", b"\r", b"2026", b"Mar", b"+0000", b"99999999999",
]  # fmt: skip
PIECE = st.one_of(st.sampled_from(ODD_VALUES), st.sampled_from(SPLICES[:40]), st.binary(max_size=8))
#: A header value: an odd one, a few of them, or marks put together.
VALUE = st.one_of(
    PIECE,
    st.lists(PIECE, max_size=6).map(b"".join),
    st.lists(st.sampled_from(MARKS), min_size=1, max_size=6).map(b"".join),
)


@st.composite
def odd_headers(draw: st.DrawFn) -> bytes:
    """A message of the story with one to three headers given odd values: in place of the first
    header of that name, or on top."""
    raw = draw(story_message())
    head, sep, body = raw.partition(b"\n\n")
    lines = head.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(HEADERS)).encode()
        line = name + b": " + draw(VALUE)
        found = [n for n, old in enumerate(lines) if old.lower().startswith(name.lower() + b":")]
        if found and not rarely(draw, 4):
            lines[found[0]] = line
        else:
            lines.insert(0, line)
    return b"\n".join(lines) + sep + body


def nested(depth: int) -> bytes:
    """A message of `depth` multiparts, one inside the other, with a text part at the bottom."""
    inner = b"Content-Type: text/plain\r\n\r\nhello from the bottom\r\n"
    for n in range(depth):
        inner = (
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n)
            + inner
            + b"\r\n--b%d--\r\n" % n
        )
    return b"From: priya@acme.example\r\nMIME-Version: 1.0\r\n" + inner


def keeps_its_promises(got: mail.Mail) -> None:
    """What `Mail` promises whatever it was read from."""
    assert "\r" not in got.subject and "\n" not in got.subject, got.subject[:200]
    assert len(got.subject.splitlines()) <= 1, got.subject[:200]
    assert len(got.text) <= mail.TEXT_LIMIT
    assert got.at is None or got.at.utcoffset() is not None, got.at
    for mid in got.answers:
        assert mid and not any(ch.isspace() for ch in mid), got.answers
    assert got.message_id is None or (got.message_id.strip() and len(got.message_id.splitlines()) == 1)
    assert got.sender is None or got.sender == got.sender.lower(), got.sender
    assert all(a == a.lower() and "@" in a for a in (*got.recipients, *got.failed)), got.recipients
    assert got.automatic in (None, "out-of-office", "bounce", "list", "auto"), got.automatic


def read_everything(raw: bytes) -> mail.Mail:
    """Read `raw` as a message and as an mbox, and every text it gives as a reply and as an
    out-of-office, all without a hang."""
    with no_hang_at_all():
        found = [mail.parse(raw), *mail.mbox(raw)]
        for got in found:
            keeps_its_promises(got)
            written = mail.latest(got.text)
            replies.read(written, got.at or NOW)
            away.back_on(written or got.text, got.at or NOW, day_first=True)
    return found[0]


# -- the parser --------------------------------------------------------------------------------------------
@fuzz(400)
@given(
    raw=st.one_of(st.binary(max_size=2_000), mutated(story_message()), odd_headers(), mutated(odd_headers()))
)
# The email package raises where it cannot parse a header, and `_header`'s fallback (`get_all`) parses
# it the same way again: an address that opens an angle, a quote or a domain and never closes it, a
# Message-ID of nothing (IndexError); a domain literal left open, two groups in a From (AttributeError);
# an encoded CR in a From (ValueError); a year or an offset too large (OverflowError); comments nested
# a few hundred deep (RecursionError).
@example(raw=b"From: <\r\n\r\nhi")
@example(raw=b'From: "\r\n\r\nhi')
@example(raw=b"To: a@\r\n\r\nhi")
@example(raw=b"Message-ID: <>\r\n\r\nhi")
@example(raw=b"Message-ID: <a@[b>\r\n\r\nhi")
@example(raw=b"From: a:;b:;\r\n\r\nhi")
@example(raw=b"From: =?utf-8?q?a=0D=0Ab?=\r\n\r\nhi")
@example(raw=b"Date: 1 Jan 99999999999 0:0\r\n\r\nhi")
@example(raw=b"Date: Tue, 03 Mar 2026 09:00:00 +99999999999999999999\r\n\r\nhi")
@example(raw=b"Cc: " + b"(" * 300 + b"\r\n\r\nhi")
# The same nesting where the email package parses without a fallback: the Content-Type while reading
# the message, the Content-Disposition and Content-Transfer-Encoding while reading the body, and the
# X-Failed-Recipients while looking for a bounce's addresses (RecursionError).
@example(raw=b"MIME-Version: 1.0\r\nContent-Type: " + b"(" * 300 + b"\r\n\r\nhi")
@example(raw=b"MIME-Version: 1.0\r\nContent-Disposition: " + b"(" * 300 + b"\r\n\r\nhi")
@example(raw=b"MIME-Version: 1.0\r\nContent-Transfer-Encoding: " + b"(" * 300 + b"\r\n\r\nhi")
@example(raw=b"X-Failed-Recipients: " + b"(" * 600 + b"\r\n\r\nhi")
# Multiparts nested a thousand deep: the email package's parser recurses once per level (RecursionError).
@example(raw=nested(1_000))
def test_any_bytes_are_read_as_a_mail_that_keeps_its_promises(raw: bytes) -> None:
    read_everything(raw)


# Messages too large or too deep for the examples hypothesis makes, each read whole and in time.
def _huge(name: str, value: bytes) -> bytes:
    """Priya's reply with its header `name` (if any) renamed, and a new one of `value` on top."""
    raw = b"\n" + message("reply", "<big@acme.example>", START, answers=THANKS_ID)
    raw = raw.replace(b"\n" + name.encode() + b":", b"\nX-Old-" + name.encode() + b":")
    return name.encode() + b": " + value + raw


def _attached(size: int) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Message-ID"] = PRIYA, ME, "<cv@acme.example>"
    m.set_content("Here is the signed offer.")
    m.add_attachment(
        b"\x00\xff" * (size // 2), maintype="application", subtype="octet-stream", filename="x.bin"
    )
    return bytes(m)


def _long_text(size: int, subtype: str) -> bytes:
    m = EmailMessage()
    m["From"], m["To"] = PRIYA, ME
    m.set_content(("<p>word</p> " if subtype == "html" else "word ") * (size // 12), subtype=subtype)
    return bytes(m)


MONSTERS: dict[str, Callable[[], bytes]] = {
    "a 100 KB Subject": lambda: _huge("Subject", b"x" * 100_000),
    "a 100 KB Subject of words": lambda: _huge("Subject", b"xy " * 33_000),
    "a 100 KB Subject of encoded words": lambda: _huge("Subject", b"=?utf-8?q?a=C3=A9?= " * 5_000),
    "a Subject folded 10,000 times": lambda: _huge("Subject", b"\r\n x" * 10_000),
    "10,000 References": lambda: _huge("References", b" ".join(b"<%d@acme.example>" % n for n in range(10_000))),
    "10,000 folded References": lambda: _huge("References", b"\r\n ".join(b"<%d@x>" % n for n in range(10_000))),
    "a 100 KB In-Reply-To": lambda: _huge("In-Reply-To", b"<" + b"a" * 100_000 + b">"),
    "5,000 recipients": lambda: _huge("Cc", b", ".join(b"p%d@acme.example" % n for n in range(5_000))),
    "multiparts 200 deep": lambda: nested(200),
    "a 5 MB attachment": lambda: _attached(5_000_000),
    "5 MB of text": lambda: _long_text(5_000_000, "plain"),
    "5 MB of HTML": lambda: _long_text(5_000_000, "html"),
    "HTML opening 100,000 divs": lambda: b"From: a@b.example\r\nContent-Type: text/html\r\n\r\n" + b"<div>" * 100_000,
    "100,000 empty lines": lambda: b"\n" * 100_000,
    "50,000 headers": lambda: b"".join(b"X-H%d: v\r\n" % n for n in range(50_000)) + b"\r\nhi",
    # The email package's address parser takes time that grows with the square of the header: a From of
    # 20,000 quotes took 6 s, 40,000 30 s, 100,000 minutes (HEADER_LIMIT cuts only what it returned).
    "a 100 KB From of quotes": lambda: _huge("From", b'"' * 100_000),
}  # fmt: skip


@pytest.mark.parametrize("name", list(MONSTERS))
def test_a_monstrous_message_is_read_in_time(name: str) -> None:
    raw = MONSTERS[name]()
    got = read_everything(raw)
    if "attachment" in name:
        assert got.text.strip() == "Here is the signed offer."  # the attachment is not the body
    if "MB of" in name:
        assert len(got.text) == mail.TEXT_LIMIT
    if name == "multiparts 200 deep":
        assert got.text.strip() == "hello from the bottom"
    if "References" in name:
        assert got.answers  # cut at HEADER_LIMIT, but read


# -- what they wrote ---------------------------------------------------------------------------------------
#: Runs that trip line-based and regex-based reply readers.
RUNS = [
    "On ", ">", "\n", "-", "_", "\r", " ", "a", "On x wrote\n", "> On Mon, Robin wrote:\n", "On Mon,\n",
    "From: a\nSent: b\n", "From: ", "-- \n", "Le ", "Am ", "schrieb ", "check back in ", "until 1 ", "back on 9th ",
    "not now ", "call me back ", "in 3 weeks ", "invite you ", "1/2/", "q1 ", "wrote:", "-----Original Message-----\n",
    "unfortunately we will not be moving forward ", "touch base in a few months around q3 ", ". ", "?",
]  # fmt: skip
#: Up to three runs, cut at three times what a body is read to (`latest` and `read` see at most TEXT_LIMIT).
LONG_TEXT = st.lists(
    st.builds(str.__mul__, st.sampled_from(RUNS), st.sampled_from([1, 7, 100, 2_000, 15_000])),
    min_size=1,
    max_size=3,
).map(lambda runs: "".join(runs)[: 3 * mail.TEXT_LIMIT])


@fuzz(30)
@given(text=LONG_TEXT, day_first=st.booleans())
@example(text="On " * 15_000, day_first=True)
@example(text=">" * 50_000, day_first=True)
@example(text="\n" * 100_000, day_first=True)
@example(text="-" * 50_000, day_first=True)
@example(text=("-" * 200 + "\n") * 500, day_first=True)
@example(text="On Mon,\n" * 20_000, day_first=False)
def test_what_was_written_is_found_in_time_that_grows_with_the_text(text: str, day_first: bool) -> None:
    with no_hang_at_all():
        written = mail.latest(text)
        replies.read(written, NOW)
        replies.read(text, NOW)
        away.back_on(text, NOW, day_first)
    assert len(written) <= len(text)


# -- imports through the command line ----------------------------------------------------------------------
def tactful(db: Path, *args: str) -> Result:
    """The real `tactful` command group, in-process, on `db` (as conftest's `run`, for one example)."""
    return CliRunner().invoke(
        cli,
        list(args),
        env={
            "TACTFUL_DB": str(db),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "TACTFUL_PLAYBOOK": str(db.parent / "none.toml"),
        },
        catch_exceptions=False,
    )


def ok(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@functools.cache
def story(thanked: bool) -> Path:
    """A database where Robin (robin@vale.example) interviewed with Priya on Monday 2 March 2026 at
    10:00 New York time (test_mailbox's `start`) and, when `thanked`, sent her the thank-you."""
    folder = Path(tempfile.mkdtemp(prefix="tactful-fuzz-mail-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / ("thanked.db" if thanked else "story.db")
    ok(tactful(db, "profile", "--name", "Robin Vale", "--email", ME, "--tz", "America/New_York", "--country", "US", "--json"))  # fmt: skip
    ok(tactful(db, "log", "interview", "--with", "Priya Natarajan", "--email", PRIYA, "--org", "Acme",
               "--for", "Data Engineer", "--at", "2026-03-02 10:00", "--topic", "streaming", "--json"))  # fmt: skip
    if thanked:
        thanks = db.parent / "thanks.eml"
        thanks.write_bytes(message("sent", THANKS_ID, START))
        assert ok(tactful(db, "import", "eml", str(thanks), "--json"))["sent"]
    gc.collect()  # the commands' connections closed, and their write-ahead log into the file, for `copy_of`
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def save(folder: Path, how: str, raws: list[bytes]) -> list[str]:
    """The messages as .eml files, or as one mbox file ("From " lines escaped as mboxrd)."""
    if how == "mbox":
        box = b"".join(
            b"From x@y Mon Mar  2 15:00:00 2026\n" + raw.replace(b"\nFrom ", b"\n>From ") + b"\n"
            for raw in raws
        )
        (folder / "all.mbox").write_bytes(box)
        return [str(folder / "all.mbox")]
    names = []
    for n, raw in enumerate(raws):
        (folder / f"{n}.eml").write_bytes(raw)
        names.append(str(folder / f"{n}.eml"))
    return names


def imported(db: Path, how: str, files: list[str]) -> Any:
    """`tactful import eml|mbox FILES --json`: its JSON, or None when it was refused in one line with
    nothing written; never a traceback (one would propagate: the runner does not catch them)."""
    before = snapshot(db)
    with no_hang_at_all():
        result = tactful(db, "import", how, *files, "--json")
    if result.exit_code == 0:
        return json.loads(result.stdout)
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr
    assert snapshot(db) == before
    return None


def without_undo(db: Path) -> dict[str, list[tuple]]:
    return snapshot(db, undo_record=False)


NOTHING = {"sent": [], "replies": [], "automatic": [], "moved": [], "cancelled": [], "added": []}


@fuzz(150)
@given(
    raws=st.lists(
        st.one_of(story_message(), mutated(story_message()), odd_headers(), mutated(odd_headers())),
        min_size=1,
        max_size=3,
    ),
    how=st.sampled_from(["eml", "eml", "mbox"]),
)
# An out-of-office back on the last day there is: the day after it, when the windows would open,
# is past the calendar (OverflowError in business_days.add_business_days).
@example(
    raws=[message("out-of-office", "<ooo@acme.example>", START, answers=THANKS_ID).replace(b"20 April 2026", b"31 Dec 9999")],
    how="eml",
)  # fmt: skip
# A NUL in a Message-ID (or a Subject, or the text) is stored as it came, and then no backup of the
# database can be restored ("mail_messages row 1, field 'message_id': ... is not valid text").
@example(raws=[message("reply", "<a\x00b@acme.example>", START, answers=THANKS_ID)], how="eml")
def test_an_import_of_any_mail_counts_it_once(raws: list[bytes], how: str) -> None:
    """Imported or refused in one line; and imported again, nothing changes and nothing is counted."""
    with copy_of(story(thanked=True)) as db:
        files = save(db.parent, how, raws)
        first = imported(db, how, files)
        if first is not None and how == "eml":
            assert first["scanned"] == len(raws)
        after = without_undo(db)
        again = imported(db, how, files)
        assert without_undo(db) == after
        if again is not None:
            assert {k: again[k] for k in NOTHING} == NOTHING
        ok(tactful(db, "agenda", "--all", "--json"))
        service = Service(open_store(db), now=NOW)
        try:
            backup_restores(service)
        finally:
            service.store.close()


# -- one batch, two, or twice ------------------------------------------------------------------------------
@st.composite
def conversation(draw: st.DrawFn) -> list[tuple[str, int, int, int | None]]:
    """The mail after the interview, in the order it was sent: (kind, hours after the one before,
    which text, which earlier message it answers by its index, if any)."""
    plan: list[tuple[str, int, int, int | None]] = []
    for n in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["sent", "sent", "reply", "reply", "out-of-office", "list", "stranger"]))
        if rarely(draw, 12):
            kind = "bounce"
        sent_before = [i for i, (k, *_) in enumerate(plan) if k == "sent"]
        earlier = draw(st.sampled_from([None, *sent_before])) if kind != "stranger" else None
        if kind == "sent" and n and draw(st.booleans()):
            earlier = draw(st.integers(0, n - 1))  # the user answers anything before
        plan.append((kind, draw(st.integers(1, 72)), draw(st.integers(0, 9)), earlier))
    return plan


def written(plan: list[tuple[str, int, int, int | None]]) -> list[bytes]:
    """The messages of `plan`, each an hour or more after the one before, in New York time."""
    at, out = START, []
    zone = dt.timezone(dt.timedelta(hours=-5))
    for n, (kind, hours, text, answers) in enumerate(plan):
        at += dt.timedelta(hours=hours)
        answer = None if answers is None else f"<m{answers}@fuzz.example>"
        out.append(message(kind, f"<m{n}@fuzz.example>", at.astimezone(zone), text, answer))
    return out


def plan_of(db: Path) -> dict[str, Any]:
    """What the follow-ups came to: the agenda's ids and statuses, the thread's follow-ups, how
    many events it holds, and the proposals waiting for the user."""
    agenda = ok(tactful(db, "agenda", "--all", "--json"))
    thread = ok(tactful(db, "show", "thread", "1", "--json"))
    return {
        "agenda": sorted((item["id"], item["status"]) for item in agenda["items"]),
        "proposals": sorted(p["message_id"] for p in agenda["proposals"]),
        "followups": sorted((f["id"], f["purpose"], f["status"]) for f in thread["followups"]),
        "events": len(thread["events"]),
        "outcome": thread["thread"]["outcome"],
    }


@fuzz(50)
@given(plan=conversation(), cut=st.integers(0, 8), how=st.sampled_from(["eml", "mbox"]))
def test_mail_in_one_batch_in_two_or_twice_leaves_the_same_plan(
    plan: list[tuple[str, int, int, int | None]], cut: int, how: str
) -> None:
    raws = written(plan)
    cut = min(cut, len(raws))
    outcomes = []
    for batches in ([raws], [raws[:cut], raws[cut:]], [raws, raws]):
        with copy_of(story(thanked=False)) as db:
            for n, batch in enumerate(batches):
                if batch:
                    folder = db.parent / f"batch{n}"
                    folder.mkdir()
                    result = imported(db, how, save(folder, how, batch))
                    assert result is not None
                    if batches == [raws, raws] and n == 1:
                        assert {k: result[k] for k in NOTHING} == NOTHING
            outcomes.append(plan_of(db))
    once, split, twice = outcomes
    assert split == once
    assert twice == once
