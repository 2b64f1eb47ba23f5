"""Fuzz targets for the importers (LinkedIn, Google, vCard, calendar events, and any file as any of
them): a file is imported whole or refused with nothing written, and what was imported can be
listed, and a backup of it would restore. The files are made in `fuzz_files`.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from tactful.errors import TactfulError
from tactful.formats.backup import check, tables_of
from tactful.service import Service, people
from tactful.service import transfer as exchange
from tactful.store import open_store

from .fuzz_files import ANY_FILE, GOOGLE_FILES, ICS_FILES, LINKEDIN_FILES, VCARD_FILES
from .fuzzing import NOW, copy_of, fuzz, refused_or_done, seeded

FILE_NAMES = {
    "linkedin": "Connections.csv",
    "google": "contacts.csv",
    "vcard": "contacts.vcf",
    "ics": "calendar.ics",
}


def backup_restores(service: Service) -> None:
    """What the database holds now would restore: a backup of it passes the reader's checks."""
    document = json.dumps(exchange.export_json(service), ensure_ascii=False)
    check(tables_of(document, "backup.json"), service.store.backup_schema(), "backup.json")


def import_file(source: str, raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    """Import `raw` as `source` into a copy of the seeded database: done, or refused with nothing
    written; and what was imported can be listed, and a backup of it would restore."""
    with copy_of(seeded()) as db:
        path = db.parent / FILE_NAMES[source]
        path.write_bytes(raw)

        def work(service: Service) -> Any:
            report: Any
            if source == "ics":
                proposed = exchange.propose_events(service, path, skip_bad=skip_bad, now="2026-03-10 09:00")
                report = exchange.log_events(
                    service, proposed, range(len(proposed.proposals)), dry_run=dry_run
                )
                json.dumps(report.to_dict(service.zone))
            else:
                report = exchange.import_contacts(service, source, path, dry_run=dry_run, skip_bad=skip_bad)
                json.dumps(report.to_dict())
            return report

        if not isinstance(refused_or_done(db, work, writes=not dry_run), TactfulError) and not dry_run:
            service = Service(open_store(db), now=NOW)
            try:
                json.dumps([(f.contact.name, f.contact.email) for f in people.find(service, None)])
                backup_restores(service)
            finally:
                service.store.close()


@fuzz(200)
@given(raw=LINKEDIN_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A column named twice: rows as wide as the names, not the header, once read past their end (IndexError).
@example(
    raw=b"First Name,Last Name,URL,URL,Connected On,Connected On\nAna,Lima,,\n", skip_bad=False, dry_run=False
)
# The year 1 was imported, and then no backup of the database could be restored.
@example(raw=b"First Name,Last Name,Connected On\nAna,Lima,05 Mar 0001\n", skip_bad=True, dry_run=False)
def test_a_linkedin_export_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("linkedin", raw, skip_bad, dry_run)


@fuzz(200)
@given(raw=GOOGLE_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in a second address's label, or in a LinkedIn address, was kept, and then no backup of the
# database could be restored.
@example(
    raw=b"First Name,Organization Name,Website 1 - Value\nAna,,https://www.linkedin.com/in/a\x00b\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"First Name,Organization Name,E-mail 1 - Label,E-mail 1 - Value\nAna,,* Work ::: Wo\x00rk,a@b.co ::: c@d.co\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_google_export_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("google", raw, skip_bad, dry_run)


@fuzz(250)
@given(raw=VCARD_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in a second address's label (a TYPE word, or Apple's X-ABLabel) or in a LinkedIn address was
# kept, and then no backup of the database could be restored (found with TACTFUL_FUZZ_SCALE=10).
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nURL:https://www.linkedin.com/in/a\x00b\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nTEL:+1 212 555 0100\r\nTEL;TYPE=\x00:+1 212 555 0147\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
@example(
    raw=b"BEGIN:VCARD\r\nFN:Ana\r\nEMAIL:a@b.co\r\nitem1.EMAIL:c@d.co\r\nitem1.X-ABLabel:wo\x00rk\r\nEND:VCARD\r\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_vcard_file_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("vcard", raw, skip_bad, dry_run)


@fuzz(200)
@given(raw=ICS_FILES, skip_bad=st.booleans(), dry_run=st.booleans())
# A NUL in an event's UID was kept to recognise it by, and then no backup of the database could be restored.
@example(
    raw=b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ab\x00cd\r\nDTSTART:20260302T100000Z\r\n"
    b"SUMMARY:Coffee with Ana Lima\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    skip_bad=False,
    dry_run=False,
)
def test_a_calendar_is_imported_or_refused_whole(raw: bytes, skip_bad: bool, dry_run: bool) -> None:
    import_file("ics", raw, skip_bad, dry_run)


@fuzz(200)
@given(source=st.sampled_from(sorted(FILE_NAMES)), raw=ANY_FILE, skip_bad=st.booleans())
def test_any_file_as_any_source_is_imported_or_refused_whole(source: str, raw: bytes, skip_bad: bool) -> None:
    import_file(source, raw, skip_bad, dry_run=False)
