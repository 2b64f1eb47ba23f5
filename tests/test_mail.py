"""Reading mail: headers, who sent it (a person or a machine), the body's text, and what was written
above the quoted part; and what a reply says. Pure functions, on messages written here."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tactful.formats import away, mail, replies

from .test_hardening import no_hang

AT = dt.datetime(2026, 3, 3, 14, 0, tzinfo=dt.UTC)

REPLY = b"""From: Priya Natarajan <Priya@Acme.example>
To: Sam Lee <sam@example.com>, hiring@acme.example
Cc: Dana <DANA@acme.example>
Subject: Re: Thank you
Date: Tue, 3 Mar 2026 14:05:00 -0500
Message-ID: <abc@acme.example>
In-Reply-To: <t1@example.com>
References: <t0@example.com>
 <t1@example.com>
Content-Type: text/plain; charset=utf-8

Hi Sam,

Thanks for following up. I'll share your notes with the team.

Best,
Priya

On Tue, 3 Mar 2026 at 10:00, Sam Lee <sam@
example.com> wrote:
> Dear Priya,
> Thank you for today.
"""


def message(headers: dict[str, str], body: str = "Hello.") -> bytes:
    m = EmailMessage()
    for name, value in {"From": "a@b.example", "To": "sam@example.com", **headers}.items():
        m[name] = value
    m.set_content(body)
    return bytes(m)


def test_a_reply_is_read_with_its_threading_headers_and_addresses_lower_cased() -> None:
    got = mail.parse(REPLY)
    assert got.message_id == "<abc@acme.example>"
    assert got.answers == ("<t1@example.com>", "<t0@example.com>")
    assert (got.sender, got.sender_name) == ("priya@acme.example", "Priya Natarajan")
    assert got.recipients == ("sam@example.com", "hiring@acme.example", "dana@acme.example")
    assert got.at == dt.datetime(2026, 3, 3, 19, 5, tzinfo=dt.UTC)
    assert got.automatic is None
    assert (
        mail.latest(got.text)
        == "Hi Sam,\n\nThanks for following up. I'll share your notes with the team.\n\nBest,\nPriya"
    )


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Auto-Submitted": "auto-replied", "Subject": "Out of office"}, "out-of-office"),
        ({"Auto-Submitted": "auto-replied", "Subject": "Re: Thank you"}, "out-of-office"),
        ({"X-Autoreply": "yes", "Subject": "Automatic reply: Thank you"}, "out-of-office"),
        ({"Subject": "Automatic reply: Thank you"}, "out-of-office"),
        ({"Auto-Submitted": "auto-generated", "Subject": "Your order"}, "auto"),
        ({"Auto-Submitted": "no", "Subject": "Re: Thank you"}, None),
        ({"List-Id": "<team.lists.acme.example>"}, "list"),
        ({"List-Unsubscribe": "<mailto:leave@acme.example>"}, "list"),
        ({"Precedence": "bulk"}, "list"),
        ({"Precedence": "junk"}, "list"),
        ({"Return-Path": "<>"}, "auto"),
        ({"Subject": "Re: out of office plans for the team"}, None),  # a person writing about it
    ],
)
def test_mail_no_person_wrote_is_told_apart(headers: dict[str, str], kind: str | None) -> None:
    assert mail.parse(message(headers)).automatic == kind


def test_a_bounce_names_the_address_that_failed() -> None:
    report = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: sam@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. I could not deliver it.\r\n"
        b"--XX\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; Priya@Acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        b"Final-Recipient: rfc822; ok@acme.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n"
        b"--XX--\r\n"
    )
    got = mail.parse(report)
    assert got.automatic == "bounce" and got.failed == ("priya@acme.example",)


def test_an_html_only_message_is_read_as_its_words() -> None:
    m = EmailMessage()
    m["From"] = "a@b.example"
    m.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Hi Sam,</p><p>Could you do a call "
        "<b>Thursday</b>?</p><script>x()</script></body></html>",
        subtype="html",
    )
    assert mail.parse(bytes(m)).text == "Hi Sam,\n\nCould you do a call Thursday?"


def test_broken_headers_and_an_unknown_charset_are_read_as_far_as_they_go() -> None:
    raw = (
        b"From: =?x-unknown?b?QWRh?= <ada@acme.example>\r\nDate: someday\r\nMessage-ID: not-bracketed\r\n"
        b"Subject: =?utf-8?q?broken=ZZ?=\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nHello \xff there\r\n"
    )
    got = mail.parse(raw)
    assert got.sender == "ada@acme.example" and got.at is None and got.message_id == "not-bracketed"
    assert "Hello" in got.text and "there" in got.text


def test_an_mbox_holds_each_message_once_with_from_lines_unescaped() -> None:
    box = (
        b"From sam@example.com Tue Mar  3 10:00:00 2026\n" + REPLY + b"\nFrom x@y Tue Mar  3 11:00:00 2026\n"
    )
    box += message({"Message-ID": "<two@b.example>"}, "Line\n>From here on\n")
    got = list(mail.mbox(box))
    assert [m.message_id for m in got] == ["<abc@acme.example>", "<two@b.example>"]
    assert "From here on" in got[1].text and ">From" not in got[1].text


@pytest.mark.parametrize(
    "text",
    [
        "Sounds good.\n\nOn Mon, Mar 2, 2026 at 9:00 AM Sam Lee <sam@example.com> wrote:\n> hi",
        "Sounds good.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday\n",
        "Sounds good.\n\nFrom: Sam Lee <sam@example.com>\nSent: Monday, March 2, 2026 9:00 AM\nTo: Priya\n",
        "Sounds good.\n\n________________________________\nFrom: Sam Lee\n",
        "Sounds good.\n-- \nPriya Natarajan | Head of Data\n",
        "Sounds good.\n\nSent from my iPhone\n\n> On 2 Mar 2026, at 09:00, Sam wrote:",
        "Sounds good.\n\nLe lun. 2 mars 2026 à 09:00, Sam Lee <sam@example.com> a écrit :\n> bonjour",
        "Sounds good.\n\nAm Mo., 2. März 2026 um 09:00 Uhr schrieb Sam Lee <sam@example.com>:\n> hallo",
    ],
)
def test_the_quoted_message_and_signature_are_cut(text: str) -> None:
    assert mail.latest(text) == "Sounds good."


def test_a_line_starting_on_is_kept_when_it_quotes_nothing() -> None:
    text = "On Thursday we can talk about the role.\nOn reflection, the second slot is better."
    assert mail.latest(text) == text


@pytest.mark.parametrize(
    ("text", "kind", "until"),
    [
        ("Unfortunately we have decided to move forward with other candidates.", "rejection", None),
        ("The position has been filled, but thank you for your time.", "rejection", None),
        ("Unfortunately I can't make Tuesday, could we do Wednesday?", "invitation", None),  # a new time
        ("We are heads down this quarter, could you check back in 6 weeks?", "later", dt.date(2026, 4, 14)),
        ("Not right now, but touch base next quarter.", "later", dt.date(2026, 6, 2)),
        ("We'd like to invite you to a second round with the team.", "invitation", None),
        ("What times work for you next week?", "invitation", None),
        ("Thanks Sam, got it. We'll decide by Friday.", "reply", None),
    ],
)
def test_a_reply_is_read_by_its_words(text: str, kind: str, until: dt.date | None) -> None:
    reading = replies.read(text, AT)
    assert (reading.kind, reading.until) == (kind, until)
    assert kind == "reply" or reading.said


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("I am out of the office until Monday 9 March with limited access to email.", dt.date(2026, 3, 9)),
        ("Back on 2026-03-10.", dt.date(2026, 3, 10)),
        ("I will return on March 12th.", dt.date(2026, 3, 12)),
        ("Away until 5/4.", dt.date(2026, 4, 5)),
        ("Away until 5 January.", dt.date(2027, 1, 5)),
        ("I am away and reading mail rarely.", None),
    ],
)
def test_an_out_of_office_says_when_its_writer_is_back(text: str, back: dt.date | None) -> None:
    assert away.back_on(text, AT) == back


@pytest.mark.parametrize("text", ["On " * 15_000, "On x wrote\n" * 5_000, "> " * 25_000, "-" * 50_000,
                                  "From: a\nSent: b\n" * 5_000, "check back in " * 5_000, "until 1 " * 10_000])  # fmt: skip
def test_reading_strangers_mail_takes_time_in_proportion_to_it(text: str) -> None:
    """The reply-parsing libraries took 76 s and more on 45 KB of "On On On..."."""
    with no_hang():
        mail.latest(text)
        replies.read(text, AT)
        away.back_on(text, AT)
        mail.parse(message({}, text))


_HEADERS = st.sampled_from(["From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "References",
                            "Auto-Submitted", "Content-Type", "Content-Transfer-Encoding", "Return-Path", "List-Id"])  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.tuples(_HEADERS, st.binary(max_size=80)), max_size=12),
    st.binary(max_size=2_000),
    st.integers(0, len(REPLY)),
    st.binary(max_size=40),
)
def test_a_mutated_message_never_breaks_the_parser(
    headers: list[tuple[str, bytes]], body: bytes, cut: int, spliced: bytes
) -> None:
    """Any bytes a server hands over give a `Mail`: garbled headers, bodies, or a real message cut
    and spliced anywhere."""
    made = b"".join(name.encode() + b": " + value.replace(b"\n", b" ") + b"\r\n" for name, value in headers)
    for raw in (made + b"\r\n" + body, REPLY[:cut] + spliced + REPLY[cut:]):
        got = mail.parse(raw)
        assert isinstance(got.text, str) and len(got.text) <= mail.TEXT_LIMIT
        assert all("@" in a for a in got.recipients)
        replies.read(mail.latest(got.text), got.at or AT)


def test_headers_alone_read_as_the_whole_message_does_but_for_its_text() -> None:
    from email.message import EmailMessage

    from tactful.formats.mail import headers, parse

    m = EmailMessage()
    m["From"] = "Priya Natarajan <Priya@Acme.example>"
    m["To"] = "robin@vale.example, =?utf-8?q?Sam_L=C3=A9e?= <sam@acme.example>"
    m["Subject"] = "=?utf-8?q?R=C3=A9union?= next week"
    m["Date"] = "Tue, 03 Mar 2026 09:00:00 -0500"
    m["Message-ID"] = "<r1@acme.example>"
    m["In-Reply-To"] = "<t1@vale.example>"
    m["Auto-Submitted"] = "auto-replied"
    m.set_content("I am out of the office until Monday.")
    m.add_attachment(b"x" * 1000, maintype="application", subtype="pdf", filename="cv.pdf")
    whole, head = parse(bytes(m)), headers(bytes(m).split(b"\n\n", 1)[0] + b"\n\n")
    assert head.text == "" and whole.text.startswith("I am out of the office")
    for name in ("message_id", "in_reply_to", "sender", "sender_name", "recipients", "at", "subject"):
        assert getattr(head, name) == getattr(whole, name), name
    assert whole.subject == "Réunion next week" and whole.recipients == (
        "robin@vale.example",
        "sam@acme.example",
    )
