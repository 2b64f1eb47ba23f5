"""Sending, only when told: `tactful send`, the outbox, and the one path a message takes out.

At most once, and never silently lost:

1. `queue` writes the row (status "queued") with the exact bytes to send and the Message-ID minted
   for them, before any server sees anything. Until `send_at` it can be taken back (`cancel`).
2. `deliver` runs under a lock file beside the database, so one process sends at a time. It moves a
   due row to "sending" (committed), hands the message to SMTP, and on the server's 250 records it
   "sent", marks the follow-up done with that Message-ID and text, and plans what comes next.
3. A copy is filed in the Sent folder (IMAP APPEND) unless one with that Message-ID is already
   there (some servers file it themselves), then the row is marked filed.

A crash between 2's first commit and its last leaves a row "sending", which only a dead sender can
leave (the lock says so): the next `deliver` looks for its Message-ID in the Sent folder. Found, it is
"sent"; not found, it is "failed" with "may have been sent", shown to the user and never retried by
itself. `_checkpoint` names each step, for the tests that kill the process there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..domain import OWN_TASKS, Channel, Outgoing, SeenMail, Status
from ..errors import Conflict, InvalidInput, MailError, NotFound, ref
from .base import Service
from .followups import _sent
from .mailbox import MailResult
from .mailsync import account, open_imap, open_smtp
from .reading import companions, followup

#: How long a message queued from the web app waits, to be taken back, before it leaves.
UNDO = dt.timedelta(seconds=20)
#: What a message whose fate is unknown says, as the interface spells it.
MAYBE_SENT = "may have been sent"


def _checkpoint(step: str) -> None:
    """A named step of sending: "claimed", "accepted", "recorded", "filed". Does nothing."""


@dataclass
class Delivered:
    """What a pass over the outbox did."""

    sent: list[Outgoing] = field(default_factory=list)
    failed: list[Outgoing] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what held messages back, or left a copy unfiled


def queue(
    svc: Service, followup_id: int, at: str | None = None, text: str | None = None, undo: dt.timedelta = UNDO
) -> Outgoing:
    """Put follow-up `followup_id`'s e-mail (its draft, or `text` as edited) in the outbox, to leave
    at `at` (default: once `undo` has passed)."""
    from ..formats.eml import eml
    from ..review import Severity
    from .drafting import check, draft

    acct = account(svc)
    f = followup(svc, followup_id)
    if f.status is not Status.PLANNED:
        raise Conflict(f"follow-up {f.id} is already {f.status.value}; there is nothing to send")
    if f.purpose in OWN_TASKS:
        raise InvalidInput(f"follow-up {f.id} is a task of your own: there is nothing to send")
    person = svc.store.get_contact(f.contact_id)
    if person is None or not person.email:
        raise InvalidInput(
            f"{person.name if person else 'they'} has no e-mail address: add one with "
            f"`tactful edit contact {f.contact_id} --email ...`"
        )
    if svc.store.failing([person.email]):
        raise InvalidInput(f"{person.email} bounced before; add another address or use another channel")
    if f.channel is not Channel.EMAIL:
        raise InvalidInput(
            f"follow-up {f.id} is planned by {f.channel.value}, not e-mail: mark it done when it is made "
            f"(`tactful done {f.id}`)"
        )
    if not acct.address:
        raise InvalidInput("the mail account has no address to send from: connect it again with --address")
    _not_yet(svc, f.id)
    now = svc.now()
    send_at = svc.moment(at, "at", prefer="future") if at else now + undo
    if send_at < now - dt.timedelta(minutes=1):
        raise InvalidInput(
            f"{ref('at')}: that time has passed; give a later one, or leave it out to send now"
        )
    if text is None:
        written = draft(svc, f.id, "email")
        subject, body, review = written.composed.subject or "", written.composed.body, written.review
    else:
        checked = check(svc, text, f.id, channel="email")
        subject, body, review = checked.draft.subject or "", checked.draft.body, checked.review
    errors = [x for x in review.findings if x.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        where = f" (line {first.line})" if first.line else ""
        raise InvalidInput(
            f"not sent: {first.code}{where}: {first.message}; fix the text and pass it with {ref('text')}"
        )
    earlier = [
        m
        for m in svc.store.thread_mail(f.thread_id)
        if m.contact_id == f.contact_id and m.kind in ("sent", "reply", "rejection", "later", "invitation")
    ]  # not an out-of-office or a bounce
    if earlier:
        subject = _reply_subject(earlier[-1].subject) or subject
    raw, message_id = eml(
        subject,
        body,
        (person.name, person.email),
        svc.profile,
        max(now, send_at),  # dated when it is meant to leave
        sender=acct.address,
        answers=tuple(m.message_id for m in earlier),
        unsent=False,
    )
    outgoing = Outgoing(f.id, message_id, "queued", send_at, now, person.email, subject, body, raw)
    with svc.store.transaction():  # checked again here: another `send` may have queued it meanwhile
        _not_yet(svc, f.id)
        svc.store.put_outgoing(outgoing)
        svc.store.set_message_id(f.id, message_id)
    return outgoing


def _not_yet(svc: Service, followup_id: int) -> None:
    waiting = svc.store.get_outgoing(followup_id)
    if waiting is not None and waiting.status in ("queued", "sending", "sent"):
        raise Conflict(f"follow-up {followup_id} is already {waiting.status} ({waiting.message_id})")


def _reply_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        return ""
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def cancel(svc: Service, followup_id: int) -> Outgoing:
    """Take back a queued message before it leaves."""
    o = svc.store.get_outgoing(followup_id)
    if o is None and svc.store.get_followup(followup_id) is None:
        raise NotFound(f"no follow-up {followup_id}; `tactful outbox` lists what is queued")
    if o is None:
        raise InvalidInput(f"follow-up {followup_id} is not in the outbox; `tactful outbox` lists what is")
    with svc.store.transaction():
        taken = svc.store.cancel_outgoing(followup_id, "taken back")
    now = svc.store.get_outgoing(followup_id) or o
    if not taken:
        raise Conflict(f"follow-up {followup_id}'s message is {now.status}: too late to take it back")
    return now


def listing(svc: Service) -> list[Outgoing]:
    return svc.store.outgoing()


def deliver(svc: Service, only: int | None = None) -> Delivered:
    """Send what is due (only follow-up `only`, when given), after settling what a crash left."""
    result = Delivered()
    with _sending_lock(svc) as mine:
        if not mine:
            result.notes.append("another tactful is sending right now; what is due leaves with it")
            return result
        _recover(svc, result)
        _send_due(svc, only, result)
        _file_copies(svc, result)
    return result


def waiting(svc: Service) -> bool:
    """Whether anything in the outbox needs a pass: due, stuck, or not yet filed."""
    return any(
        o.status == "sending"
        or (o.status == "queued" and o.send_at <= svc.now())
        or (o.status == "sent" and not o.filed)
        for o in svc.store.outgoing(["queued", "sending", "sent"])
    )


@contextlib.contextmanager
def _sending_lock(svc: Service) -> Iterator[bool]:
    """An exclusive lock on a file beside the database, not waited for: whether we hold it. (A
    database that is not a file has no other sender here.)"""
    import fcntl

    location = svc.store.location.removeprefix("sqlite:///")
    if "://" in location or location == ":memory:":
        yield True
        return
    with open(os.path.realpath(location) + ".sending", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _recover(svc: Service, result: Delivered) -> None:
    """Rows left "sending" by a sender that died: sent if the Sent folder has them, else failed."""
    stuck = svc.store.outgoing(["sending"])
    if not stuck:
        return
    acct = account(svc)
    with open_imap(svc) as box:
        for o in stuck:
            if box.has_message(acct.sent, o.message_id):
                with svc.store.transaction():
                    _record_sent(svc, o, o.sent_at or svc.now())
                    svc.store.update_outgoing(o.followup_id, filed=1)
                result.sent.append(svc.store.get_outgoing(o.followup_id) or o)
            else:
                with svc.store.transaction():
                    svc.store.update_outgoing(o.followup_id, status="failed", error=MAYBE_SENT)
                result.failed.append(svc.store.get_outgoing(o.followup_id) or o)


def _send_due(svc: Service, only: int | None, result: Delivered) -> None:
    store = svc.store
    now = svc.now()
    due = [o for o in store.outgoing(["queued"]) if o.send_at <= now and only in (None, o.followup_id)]
    if not due:
        return
    acct = account(svc)
    room = acct.daily_cap - store.sent_since(now - dt.timedelta(hours=24))
    if room <= 0:
        result.notes.append(
            f"the daily cap of {acct.daily_cap} messages is reached; the rest leave once the oldest is a day old"
        )
        return
    try:
        smtp = open_smtp(svc)
    except MailError as exc:
        if only is None:  # the background pass: they wait for the next one
            result.notes.append(f"{len(due)} waiting to leave: {exc}")
            return
        with store.transaction():  # asked to send now: say it failed, rather than send it later unasked
            for o in due:
                store.update_outgoing(o.followup_id, status="failed", error=str(exc))
        result.failed += [store.get_outgoing(o.followup_id) or o for o in due]
        return
    with smtp:
        for o in due[:room]:
            with store.transaction():
                f = store.get_followup(o.followup_id)
                if f is None or f.status is not Status.PLANNED:  # done another way, skipped, or they replied
                    said = f.status.value if f else "deleted"
                    store.cancel_outgoing(o.followup_id, f"not sent: its follow-up was {said} meanwhile")
                    continue
                if not store.claim_outgoing(o.followup_id, now):
                    continue
                store.update_outgoing(o.followup_id, sent_at=svc.now())
            _checkpoint("claimed")
            try:
                smtp.send(acct.address or acct.user, [o.recipient], o.raw)
            except MailError as exc:
                with store.transaction():
                    store.update_outgoing(
                        o.followup_id, status="failed", error=MAYBE_SENT if exc.maybe_sent else str(exc)
                    )
                result.failed.append(store.get_outgoing(o.followup_id) or o)
                if exc.maybe_sent:
                    break  # the connection is gone; what is left waits for the next pass
                continue
            _checkpoint("accepted")
            with store.transaction():
                _record_sent(svc, o, svc.now())
            _checkpoint("recorded")
            result.sent.append(store.get_outgoing(o.followup_id) or o)
    if len(due) > room:
        result.notes.append(f"{len(due) - room} more wait for the daily cap of {acct.daily_cap}")


def _record_sent(svc: Service, o: Outgoing, at: dt.datetime) -> None:
    """Inside a transaction: the message left; its follow-up (and those its e-mail covered) is done."""
    store = svc.store
    store.update_outgoing(o.followup_id, status="sent", sent_at=at, error=None)
    f = store.get_followup(o.followup_id)
    if f is None:
        return
    if f.status is Status.PLANNED:
        together = companions(svc, f, at)
        _sent(svc, f, at, Channel.EMAIL, o.body)
        for other in together:
            _sent(svc, other, at, Channel.EMAIL, o.body)
    if not store.seen_mail([o.message_id]):
        store.add_mail(
            SeenMail(o.message_id, "sent", at, f.contact_id, f.thread_id, "sent", f.id, o.subject, o.body),
            svc.now(),
        )


def _file_copies(svc: Service, result: Delivered) -> None:
    """A copy of each sent message in the Sent folder, unless the server filed one itself."""
    pending = [o for o in svc.store.outgoing(["sent"]) if not o.filed]
    if not pending:
        return
    acct = account(svc)
    try:
        with open_imap(svc) as box:
            for o in pending:
                if not box.has_message(acct.sent, o.message_id):
                    box.append(acct.sent, o.raw)
                _checkpoint("filed")
                with svc.store.transaction():
                    svc.store.update_outgoing(o.followup_id, filed=1)
    except MailError as exc:
        result.notes.append(f"sent, but no copy filed in {acct.sent!r} yet ({exc}); the next pass files it")


def mail_round(svc: Service) -> tuple[Delivered, MailResult]:
    """What `tactful mail sync` and the web app's background worker do: send what is due (settling
    what a crash left), then read what is new in the Sent folder and the Inbox."""
    from .mailsync import sync

    delivered = (
        deliver(svc) if svc.store.outgoing(["queued", "sending", "sent"]) and waiting(svc) else Delivered()
    )
    return delivered, sync(svc)
