"""What the importers' fuzz targets (`test_fuzz_imports`) are fed: LinkedIn and Google CSV exports,
vCard files and calendars, each mostly readable but odd (odd cells, odd quoting, odd parameters,
escapes, folds, times and people), in every encoding of `fuzzing.to_bytes`; and the soup of all of
them, text that is almost a file of each kind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import strategies as st

from .fuzzing import ADDRESSES, CELL, DATES, HUGE, PIECES, rarely, to_bytes

# -- CSV exports -------------------------------------------------------------------------------------------
#: The headers each export has had (the usual ones twice, to be drawn more often), and broken ones.
LINKEDIN_HEADERS = [
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
    ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],  # before 2020
    ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],
    ["\ufeffFirst Name", "Last Name", "Connected On"],
    ["First Name", "Last Name", "URL", "URL", "Connected On", "Connected On"],
    ["First Name", "Last Name", "Company"],  # no Connected On
]
GOOGLE_HEADERS = [
    ["First Name", "Middle Name", "Last Name", "Nickname", "File As", "Organization Name", "Organization Title",
     "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label",
     "Phone 1 - Value", "Website 1 - Label", "Website 1 - Value"],
    ["Name", "Given Name", "Additional Name", "Family Name", "Nickname", "E-mail 1 - Type", "E-mail 1 - Value",
     "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title",
     "Website 1 - Type", "Website 1 - Value"],
    ["First Name", "Middle Name", "Last Name", "Organization Name", "E-mail 1 - Label", "E-mail 1 - Value"],
    ["First Name", "Organization Name", "E-mail 1 - Value", "E-mail 99999999999999999999 - Value",
     "Phone 1 - Label"],
    ["Given Name", "Family Name", "Website 1 - Value", "Website 1 - Value", "E-mail 1 - Label"],
]  # fmt: skip
QUOTING = ["minimal", "minimal", "minimal", "all", "raw", "stray quotes"]
LINE_ENDS = ["\n", "\r\n", "\r"]


NAME = st.one_of(
    st.sampled_from(
        ["Priya", "Natarajan", "Tomás de la Vega", "Zoë", "محمد", "李小龍", "O'Brien", "Anne-Marie", "\u202eevil",
         "Bob [/] Smith", "Ana\x00Lima", "Grace 🌍", "Dr. Ada Lovelace, PhD", "ⅫⅫ", "A" * 500, "", " "]
    ),
    st.builds(str.__add__, st.sampled_from(["Priya", "Dana", "Kenji"]), PIECES),
    st.text(min_size=1, max_size=15),
)  # fmt: skip
ORG = st.one_of(
    st.sampled_from(
        ["Acme Analytics", "Harbour Foods, Inc.", "Northwind", "", "\u200fשלום Ltd", "x" * 16_000]
    ),
    st.builds(str.__add__, st.sampled_from(["Acme ", "Globex "]), PIECES),
)
EMAILS = st.one_of(
    st.sampled_from(
        ["priya@acme.example", "DANA@NORTHWIND.EXAMPLE", "", "zoë@example.org", "a@b.co ::: c@d.co"]
    ),
    st.builds(
        "{}@{}.example".format,
        st.text(alphabet="abcxyz.+_-é1", min_size=1, max_size=8),
        st.text(alphabet="abcxyz-ü", min_size=1, max_size=8),
    ),
)


def with_odd_tail(values: list[str]) -> st.SearchStrategy[str]:
    """One of `values`, or one of them with something odd after it: a NUL, a line break, an emoji..."""
    return st.one_of(st.sampled_from(values), st.builds(str.__add__, st.sampled_from(values), PIECES))


LINKEDIN = with_odd_tail(
    ["https://www.linkedin.com/in/priya-natarajan-4b21a9", "linkedin.com/in/zoë", "", "https://x.example/in/a",
     "https://www.linkedin.com/in/" + "a" * 3000, "https://uk.linkedin.com/in/priya-natarajan-4b21a9/?x=1"]
)  # fmt: skip
LABELS = with_odd_tail(["* Work", "Home", "* ", "", "Work ::: Home", "*", "* myContacts ::: Friends"])
PHONES = with_odd_tail(["+1 212 555 0147", "", "12", "+44 20 7946 0018 ::: 555", "☎"])
CONNECTED = st.one_of(
    st.sampled_from(["05 Mar 2024", "29 Feb 2024", "2024-03-05", ""]),
    st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)).map(lambda d: d.strftime("%d %b %Y")),
    st.dates().map(dt.date.isoformat),
    DATES,
)


def column(name: str) -> st.SearchStrategy[str]:
    """Cells for a column: mostly what the column holds (odd but readable), else anything."""
    for words, fits in (
        (("Label", "Type"), LABELS),
        (("Connected On",), CONNECTED),
        (("URL", "Website"), LINKEDIN),
        (("Email", "E-mail"), EMAILS),
        (("Phone",), PHONES),
        (("Company", "Organization", "Position"), ORG),
        (("Name", "File As"), NAME),
    ):
        if any(word in name for word in words):
            return st.one_of(fits, fits, fits, fits, fits, CELL)
    return st.one_of(st.just(""), CELL)


@st.composite
def csv_text(draw: st.DrawFn, headers: list[list[str]], preamble: str = "") -> str:
    """A header from `headers` and rows of odd cells, written with one of several quotings."""
    header = list(draw(st.sampled_from(headers)))
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        row = [draw(column(name)) for name in header]
        if rarely(draw, 8):  # a row with a field too many or too few
            row = row[:-1] if draw(st.booleans()) else [*row, draw(CELL)]
        rows.append(row)
    if rows and rows[-1] and rarely(draw, 12):  # now and then, a cell past the csv limit
        rows[-1][draw(st.integers(0, len(rows[-1]) - 1))] = draw(HUGE)
    quoting, end = draw(st.sampled_from(QUOTING)), draw(st.sampled_from(LINE_ENDS))
    lines = [header, *rows]
    if quoting in ("minimal", "all"):
        out = io.StringIO()
        writer = csv.writer(
            out, quoting=csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL, lineterminator=end
        )
        writer.writerows(lines)
        body = out.getvalue()
    else:
        wraps = st.sampled_from(["{}"] * 6 + ['"{}"', '"{}', '{}"', '"{}""', '""{}'])
        body = "".join(
            ",".join(
                (draw(wraps) if quoting == "stray quotes" and line is not header else "{}").format(cell)
                for cell in line
            )
            + end
            for line in lines
        )
    return (preamble if draw(st.booleans()) else "") + body


LINKEDIN_NOTES = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
LINKEDIN_FILES = to_bytes(csv_text(LINKEDIN_HEADERS, LINKEDIN_NOTES))
GOOGLE_FILES = to_bytes(csv_text(GOOGLE_HEADERS))


# -- vCards ----------------------------------------------------------------------------------------------------
VCARD_NAMES = [
    "FN", "N", "EMAIL", "TEL", "URL", "ORG", "TITLE", "NOTE", "ADR", "BDAY", "PHOTO", "X-ABLABEL",
    "X-SOCIALPROFILE", "UID", "REV", "KIND", "X-UNKNOWN", "item1.EMAIL", "item1.X-ABLabel", "item2.TEL",
    "item2.URL", "BEGIN", "END", "VERSION", "", "email", "a.b.c.FN", "X-" + "A" * 300,
]  # fmt: skip
VCARD_PARAMS = [
    "", ";TYPE=INTERNET", ";type=WORK;type=pref", ';TYPE="voice,cell"', ";PREF=1", ";CELL;PREF",
    ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", ";ENCODING=QUOTED-PRINTABLE", ";ENCODING=b", ";ENCODING=BASE64",
    ";CHARSET=x-nonsense;ENCODING=QUOTED-PRINTABLE", ";CHARSET=ISO-8859-1", ";CHARSET=UTF-16", ";VALUE=uri",
    ';LABEL="a;b:c"', ";=", ";;", ";TYPE=", ';X-"odd', ";TYPE=\x00", ";LANGUAGE=" + "x" * 200,
]  # fmt: skip
VCARD_VALUES = [
    "\\n", "\\N", "\\,", "\\;", "\\\\", "\\", "\\:", "tel:+44 20 7946 0018", "mailto:a@b.co", "=0D=0A", "=E2=82",
    "=", "=ZZ", "=C3=A9=\r\n=A9", "=\r\n", "Doe;Jane;;;", ";;;;", "Doe;Jane;Q;Dr;Jr", "a@b.co",
    "https://www.linkedin.com/in/x", "_$!<Other>!$_", "_$!<", "QUJD", "!!!", "Acme;Sales", "20260302",
]  # fmt: skip
VCARD_VALUE = st.lists(st.one_of(st.sampled_from(VCARD_VALUES), PIECES), max_size=5).map("".join)


#: The properties a contact is read from, with what they usually hold.
VCARD_USUAL: dict[str, st.SearchStrategy[str]] = {
    "FN": NAME,
    "N": st.builds("{};{};;;".format, NAME, NAME),
    "EMAIL": EMAILS,
    "TEL": PHONES,
    "ORG": ORG,
    "TITLE": ORG,
    "URL": LINKEDIN,
}


@st.composite
def vcard_text(draw: st.DrawFn) -> str:
    """Cards with the usual properties (odd values, odd parameters, escapes) and odd properties."""
    end = draw(st.sampled_from(LINE_ENDS))
    params = st.one_of(st.just(""), st.just(""), st.sampled_from(VCARD_PARAMS))
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        lines += ["BEGIN:VCARD", "VERSION:" + draw(st.sampled_from(["3.0", "2.1", "4.0", "9", ""]))]
        props = [(name, draw(st.one_of(fits, fits, VCARD_VALUE))) for name, fits in VCARD_USUAL.items()
                 if name == "FN" or draw(st.booleans())]  # fmt: skip
        props += [
            (draw(st.sampled_from(VCARD_NAMES)), draw(VCARD_VALUE)) for _ in range(draw(st.integers(0, 3)))
        ]
        if rarely(draw, 40):
            props.append((draw(st.sampled_from(["NOTE", "FN", "ORG"])), draw(HUGE)))
        for name, value in props:
            line = f"{name}{draw(params)}{'' if rarely(draw, 20) else ':'}{value}"
            if rarely(draw, 4) and len(line) > 2:  # folded, as long lines are (or broken)
                cut = draw(st.integers(1, len(line) - 1))
                line = line[:cut] + draw(st.sampled_from(["\r\n ", "\n\t", "\r\n"])) + line[cut:]
            lines.append(line)
        if not rarely(draw, 8):
            lines.append(draw(st.sampled_from(["END:VCARD", "end:vcard", " END : VCARD "])))
    return draw(st.sampled_from(["", "\ufeff", "garbage\n"])) + end.join(lines) + end


VCARD_FILES = to_bytes(vcard_text())


# -- calendars -----------------------------------------------------------------------------------------------
def _moment(year: int, month: int, day: int, hour: int, zone: str) -> str:
    return f"{year:04d}{month:02d}{day:02d}T{hour:02d}0000{zone}"


#: Mostly real moments before the import's "now" (2026-03-10), in each of iCalendar's forms.
REAL_MOMENTS = st.builds(
    dt.datetime.strftime,
    st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2026, 3, 9)),
    st.sampled_from(["%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%dT%H%M00Z"]),
)
MOMENTS = st.one_of(
    REAL_MOMENTS,
    REAL_MOMENTS,
    REAL_MOMENTS,
    st.builds(
        _moment,
        st.sampled_from([2026, 2025, 1899, 1, 0, 9999, 99999, 12345678901234567890]),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.sampled_from(["Z", "", "+0100", "z"]),
    ),
    st.sampled_from(["20260302", "2026-03-02T10:00:00Z", "P1D", "", "T", "20260302T1", "99999999T999999"]),
)
ICS_PROPS: dict[str, st.SearchStrategy[str]] = {
    "DTSTART": MOMENTS,
    "DTEND": MOMENTS,
    "DURATION": st.sampled_from(
        ["PT1H", "PT30M", "P1D", "PT-1H", "P99999999D", "P", "1H", "PT99999999999999999999H"]
    ),
    "SUMMARY": st.one_of(
        st.sampled_from(
            [
                "Interview with Dana Whitfield at Acme",
                "Coffee with Omar Osei and Zoë Lindqvist (Fintrail)",
                "Phone screen: Senior Data Engineer at Acme",
                "Call",
                "Interview: ",
                "with",
                "Chat with A B C D E F",
            ]
        ),
        st.builds("Interview with {} at {}".format, CELL, CELL),
        st.builds(
            "{} with {}".format, st.sampled_from(["Coffee", "Call", "Lunch", "Pitch", "Catch-up"]), NAME
        ),
        VCARD_VALUE,
    ),
    "DESCRIPTION": st.one_of(VCARD_VALUE, st.just("Join Zoom Meeting\\nhttps://zoom.us/j/1"), HUGE),
    "ATTENDEE": st.builds("mailto:{}".format, st.one_of(EMAILS, EMAILS, ADDRESSES, VCARD_VALUE)),
    "ORGANIZER": st.builds("mailto:{}".format, st.one_of(EMAILS, ADDRESSES, VCARD_VALUE)),
    "UID": st.one_of(st.text(max_size=10), with_odd_tail(["uid-1@fuzz", "x" * 5000])),
    "STATUS": st.sampled_from(["CONFIRMED", "CANCELLED", "", "TENTATIVE"]),
    "RRULE": st.sampled_from(["FREQ=WEEKLY", "FREQ=NEVER", "", "FREQ=DAILY;COUNT=99999999999999999999"]),
    "RECURRENCE-ID": MOMENTS,
    "X-FOO": VCARD_VALUE,
}
ICS_PARAMS = [
    "", ";TZID=America/New_York", ";TZID=Europe/London", ";TZID=Nowhere/City", ";TZID=", ";VALUE=DATE",
    ';CN="Dana Whitfield"', ";CN=Omar Osei;PARTSTAT=ACCEPTED", ";CN=", ";CUTYPE=ROOM", ";PARTSTAT=DECLINED",
    ";ROLE=NON-PARTICIPANT", ";CN=Robin Vale", ';CN="\\";', ";X=\x00",
]  # fmt: skip


@st.composite
def ics_text(draw: st.DrawFn) -> str:
    """Calendars of events with the usual properties (odd times, odd people) and odd properties."""
    end = draw(st.sampled_from(LINE_ENDS))
    params = st.one_of(st.just(""), st.just(""), st.sampled_from(ICS_PARAMS))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    for _ in range(draw(st.integers(1, 3))):
        lines.append("BEGIN:VEVENT")
        usual = [name for name in ("UID", "DTSTART", "DTEND", "SUMMARY", "ATTENDEE") if not rarely(draw, 8)]
        for name in usual + draw(st.lists(st.sampled_from(sorted(ICS_PROPS)), max_size=3)):
            lines.append(f"{name}{draw(params)}:{draw(ICS_PROPS[name])}")
        if not rarely(draw, 6):
            lines.append("END:VEVENT")
    if not rarely(draw, 6):
        lines.append("END:VCALENDAR")
    return end.join(lines) + end


ICS_FILES = to_bytes(ics_text())

#: Fragments of every format, shuffled: text that is almost a file of each kind.
SOUP = st.lists(
    st.one_of(
        st.sampled_from(
            ["BEGIN:VCARD", "END:VCARD", "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VCALENDAR", "END:VCALENDAR",
             "First Name,Last Name,URL,Email Address,Company,Position,Connected On", "First Name",
             "Given Name,Family Name", "FN:", "N:", "DTSTART:", "SUMMARY:Interview with Ana Lima", "\r\n", "\n",
             "\r", ",", '"', ":", ";", "05 Mar 2024", "Notes:"]
        ),
        PIECES,
    ),
    max_size=40,
).map("".join)  # fmt: skip
#: Anything at all: random text (lone surrogates included), random bytes, and the soup.
ANY_FILE = st.one_of(to_bytes(st.text(max_size=300)), st.binary(max_size=600), to_bytes(SOUP))
