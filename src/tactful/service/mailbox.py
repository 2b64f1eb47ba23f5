"""Mail applied to the plan: what the user sent marks its follow-up done, what came back stops the
nudges or moves them, and what a reply seems to say waits for the user's word (`proposals`).

The same matching serves a sync of the Inbox and Sent folders and an import of exported mail. A
message is known by its Message-ID, so reading it again (a second sync, the same file imported
twice) changes nothing. All of one batch is one transaction and one change `tactful undo` takes back.

- Sent by the user: each recipient who is a contact has their next planned e-mail marked done, with
  the Message-ID that went out and its text; the playbook then plans what comes next. It is never
  taken for their reply.
- From someone else: matched first by `In-Reply-To`/`References` against what the user sent, then by
  the sender's known addresses. A reply stops the thread's nudges, as `tactful reply` does; what it
  seems to say (a rejection, "not now", an invitation) is proposed, not recorded.
- From a machine: an out-of-office moves the person's open windows past the day they are back; a
  bounce marks the address as failing and proposes another channel; lists and other automatic mail
  count for nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from ..domain import OWN_TASKS, Channel, Contact, FollowUp, SeenMail, Status
from ..formats.away import back_on
from ..formats.mail import Mail, latest
from ..formats.replies import read
from .base import Service, lookback
from .followups import Change, _sent, answered
from .keep_in_touch import refresh
from .reading import companions, follows_after

#: What each reading of a reply proposes, before the user accepts it.
READINGS = ("reply", "rejection", "later", "invitation")
#: The furthest return date an out-of-office is believed (a sabbatical, a parental leave).
AWAY_AT_MOST = dt.timedelta(days=400)


@dataclass
class MailResult:
    """What a batch of mail changed: the shape of `mail sync --json` and `import mbox --json`."""

    scanned: int = 0
    sent: list[tuple[int, str]] = field(default_factory=list)  # (follow-up, Message-ID)
    replies: list[SeenMail] = field(default_factory=list)
    automatic: list[SeenMail] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    added: list[FollowUp] = field(default_factory=list)
    contacts: dict[int, Contact] = field(default_factory=dict)  # everyone named above

    def extend(self, other: MailResult) -> None:
        self.scanned += other.scanned
        self.sent += other.sent
        self.replies += other.replies
        self.automatic += other.automatic
        self.moved += other.moved
        self.cancelled += other.cancelled
        self.added += other.added
        self.contacts |= other.contacts

    def take(self, change: Change) -> None:
        self.added += change.added
        self.cancelled += change.cancelled
        self.moved += change.moved
        self.contacts |= change.contacts


def key(mail: Mail) -> str:
    """The message's Message-ID, or one made from what it says when it has none (the same message
    read twice gets the same one)."""
    if mail.message_id:
        return mail.message_id
    seen = "\n".join(
        (mail.sender or "", mail.at.isoformat() if mail.at else "", mail.subject, mail.text[:2000])
    )
    return f"<{hashlib.sha256(seen.encode('utf-8', 'replace')).hexdigest()[:32]}@tactful.invalid>"


def own_addresses(svc: Service, extra: Iterable[str] = ()) -> set[str]:
    """The user's addresses: the profile's, and the account's."""
    found = {a.strip().lower() for a in (svc.profile.email, *extra) if a and "@" in a}
    return found


def apply(
    svc: Service,
    mails: Iterable[Mail],
    own: set[str],
    folder: str | None = None,
    scanned: int | None = None,
    then: Callable[[], None] | None = None,
) -> MailResult:
    """Match a batch of messages and apply them, all in one transaction. `folder`: "sent" when all
    are the user's, "inbox" when none is, None (an import) to tell by the sender. `scanned`: how
    many were looked at (a sync reads only some in full); `then` runs last, in the same transaction
    (a sync notes how far it has read)."""
    batch = sorted(mails, key=lambda m: m.at or dt.datetime.max.replace(tzinfo=dt.UTC))
    result = MailResult(scanned=len(batch) if scanned is None else scanned)
    store = svc.store
    matcher = Matcher(svc, own)
    with store.transaction():
        known = store.seen_mail(key(m) for m in batch)
        for mail in batch:
            mid = key(mail)
            if mid in known:
                continue
            known.add(mid)
            mine = matcher.is_mine(mail, folder)
            if mine is None:
                continue
            if mine:
                matcher.sent(mail, mid, result)
            elif mail.automatic == "out-of-office":
                matcher.away(mail, mid, result)
            elif mail.automatic == "bounce":
                matcher.bounced(mail, mid, result)
            elif mail.automatic is None:
                matcher.answered(mail, mid, result)
        if matcher.touched:  # a message is a contact: keep-in-touch check-ins start again from it
            refresh(svc, matcher.touched)
        if then is not None:
            then()
        if result.sent or result.replies or result.automatic:
            store.describe_change(_summary(result))
    return result


def _summary(result: MailResult) -> str:
    parts = [f"read {result.scanned} messages"]
    if result.sent:
        parts.append(f"{len(result.sent)} sent")
    if result.replies:
        parts.append(f"{len(result.replies)} replies")
    if result.automatic:
        parts.append(f"{len(result.automatic)} automatic")
    return ", ".join(parts)


class Matcher:
    """One batch's lookups, with the contacts it has found kept for the rest of the batch."""

    def __init__(self, svc: Service, own: set[str]) -> None:
        self.svc = svc
        self.store = svc.store
        self.own = own
        self.now = svc.now()
        self._people: dict[str, Contact | None] = {}
        self.touched: set[int] = set()  # the people a message recorded came from or went to

    def begin(self) -> None:
        """Before the first write: what mail changed is one change to take back. A batch that
        matched nothing opens none, so it never takes the user's last change from `undo`."""
        self.store.begin_change("mail", "read mail", self.now)

    def person(self, address: str | None) -> Contact | None:
        if not address:
            return None
        if address not in self._people:
            self._people[address] = self.store.find_contact_by_email(address)
        return self._people[address]

    def is_mine(self, mail: Mail, folder: str | None) -> bool | None:
        """Whether the user sent it; None when it is neither (their own note to self in the inbox)."""
        from_me = mail.sender in self.own if mail.sender else False
        if folder == "sent":
            return True
        if folder == "inbox":
            return None if from_me else False
        if self.own:
            return from_me
        # no address of the user's is known: a message from a contact is theirs, one to a contact is ours
        if self.person(mail.sender) is not None:
            return False
        return any(self.person(a) is not None for a in mail.recipients) or None

    def when(self, mail: Mail) -> dt.datetime:
        """When it was sent; a missing or future date counts as now."""
        return min(mail.at, self.now) if mail.at else self.now

    # -- what the user sent ------------------------------------------------------------------------
    def sent(self, mail: Mail, mid: str, result: MailResult) -> None:
        at = self.when(mail)
        hint = self._hint(mail)
        recorded: SeenMail | None = None
        for address in dict.fromkeys(a for a in mail.recipients if a not in self.own):
            person = self.person(address)
            if person is None:
                continue
            f = self._carried_out(person, mid, at, hint[0] if hint else None)
            thread_id = f.thread_id if f else (hint[0] if hint else self._thread_of(person))
            if f is not None:
                self._mark_done(f, mid, at, mail.text, result)
            if recorded is None and thread_id is not None:
                recorded = SeenMail(
                    mid,
                    "sent",
                    at,
                    person.id,
                    thread_id,
                    "sent",
                    f.id if f else None,
                    mail.subject,
                    mail.text,
                )
        if recorded is not None:
            self.begin()
            self.store.add_mail(recorded, self.now)
            self.touched.update(c for c in [recorded.contact_id] if c is not None)

    def _carried_out(
        self, person: Contact, mid: str, at: dt.datetime, thread_id: int | None
    ) -> FollowUp | None:
        """The planned e-mail to `person` this message carried out: the one drafted with its
        Message-ID, else the first due (in the thread it answers, if any), once what it follows happened."""
        planned = [
            f
            for f in self.store.followups_for_contacts([person.id])
            if f.status is Status.PLANNED and f.channel is Channel.EMAIL and f.purpose not in OWN_TASKS
        ]
        drafted = self.store.followup_by_message_id(mid)
        for f in planned:
            if f.id == drafted:
                return f
        fitting = [f for f in planned if not follows_after(self.svc, f, at)]
        fitting.sort(key=lambda f: (f.thread_id != thread_id, f.due_by, f.id))
        return fitting[0] if fitting else None

    def _mark_done(self, f: FollowUp, mid: str, at: dt.datetime, text: str, result: MailResult) -> None:
        self.begin()
        together = companions(self.svc, f, at)
        _, change = _sent(self.svc, f, at, Channel.EMAIL, text or None)
        result.take(change)
        owner = self.store.followup_by_message_id(mid)
        if owner is None:
            self.store.set_message_id(f.id, mid)
        result.sent.append((f.id, mid))
        for other in together:
            _, more = _sent(self.svc, other, at, Channel.EMAIL, text or None)
            result.take(more)
            result.sent.append((other.id, mid))

    def _thread_of(self, person: Contact) -> int | None:
        found = self.store.find_open_thread_for_contact(person.id)
        if found is None:
            threads = self.store.threads_for_contact(person.id)
            found = threads[-1] if threads else None
        return found

    def _hint(self, mail: Mail) -> tuple[int, int | None] | None:
        """The thread and person of the newest message of the user's this one answers (In-Reply-To
        first, then References from the newest)."""
        found = self.store.sent_with(mail.answers)
        return next((found[mid] for mid in mail.answers if mid in found), None)

    # -- what came back ----------------------------------------------------------------------------
    def _origin(self, mail: Mail) -> tuple[Contact | None, int | None]:
        """Who it is from and which thread it belongs to: by what it answers first, then by address."""
        hint = self._hint(mail)
        person = self.person(mail.sender)
        if hint is not None:
            thread_id, contact_id = hint
            if person is None and contact_id is not None:
                person = self.store.get_contact(contact_id)  # a reply from another address of theirs
                if person is not None and person.email and person.email.lower() in mail.recipients:
                    return None, None  # someone else writing to them (the user's own alias, a colleague)
            return person, thread_id
        if person is None:
            return None, None
        return person, self._thread_of(person)

    def answered(self, mail: Mail, mid: str, result: MailResult) -> None:
        person, thread_id = self._origin(mail)
        if person is None or thread_id is None:
            return
        if mail.at is None or not self._after_thread(thread_id, mail.at):
            return  # undated, or written before the thread began: not an answer to it
        at = self.when(mail)
        text = latest(mail.text)
        reading = read(text, at)
        store = self.store
        self.begin()
        result.take(answered(self.svc, thread_id, person.id, at))
        until = self.svc.calendar.start_of(reading.until) if reading.until else None
        thread = store.get_thread(thread_id)
        closed = thread is None or thread.closed  # nothing left to propose for a thread that ended
        proposal = None if closed else _proposal(self.svc, reading.kind, person, thread_id, until)
        self._keep(
            SeenMail(mid, "received", at, person.id, thread_id, reading.kind, subject=mail.subject, text=text,
                     until=until, said=reading.said or None, proposal=proposal),
            person, result.replies, result,
        )  # fmt: skip

    def _after_thread(self, thread_id: int, at: dt.datetime) -> bool:
        """Whether the message came once the thread had begun (not a note that arranged it)."""
        history = self.store.history(thread_id)
        return not history.interactions or at >= min(i.at for i in history.interactions)

    def _keep(self, seen: SeenMail, person: Contact, into: list[SeenMail], result: MailResult) -> None:
        """A message that came back, recorded; what it proposes waits for the user's decision."""
        seen.decision = "proposed" if seen.proposal else None
        self.store.add_mail(seen, self.now)
        self.touched.add(person.id)
        into.append(seen)
        result.contacts[person.id] = person

    def away(self, mail: Mail, mid: str, result: MailResult) -> None:
        """An out-of-office: the person's open windows move past the day they are back."""
        person, thread_id = self._origin(mail)
        if person is None:
            return
        at = self.when(mail)
        back = back_on(latest(mail.text) or mail.text, at, self.svc.date_order != "MDY")
        if back is not None and not at.date() <= back <= at.date() + AWAY_AT_MOST:
            back = None  # "until 31 Dec 9999", or a day gone: no return date worth planning around
        cal = self.svc.calendar
        opens = cal.start_of(cal.add_business_days(back, 1)) if back else None
        self.begin()
        if opens is not None:
            result.moved += self._move_past(person, opens)
        self._keep(
            SeenMail(mid, "received", at, person.id, thread_id, "out-of-office", subject=mail.subject,
                     text=latest(mail.text), until=opens),
            person, result.automatic, result,
        )  # fmt: skip

    def _move_past(self, person: Contact, opens: dt.datetime) -> list[int]:
        svc, store = self.svc, self.store
        planned = [
            f
            for f in store.followups_for_contacts([person.id])
            if f.status is Status.PLANNED and f.purpose not in OWN_TASKS and f.not_before < opens
        ]
        moved: list[int] = []
        for f in planned:
            later = replace(f, not_before=opens, due_by=opens + (f.due_by - f.not_before))
            others = [
                o for o in store.followups_for_contacts([person.id], lookback(svc, opens)) if o.id != f.id
            ]
            svc.planner.guards.apply(later, person, others)
            later.suggested_at = svc.planner.guards.suggest(later, person, False)
            why = f"{f.why} Moved: {person.name} is away until {opens:%a %d %b}."
            store.move_followup(
                f.id, later.not_before, later.due_by, later.suggested_at or later.not_before, why
            )
            moved.append(f.id)
        return moved

    def bounced(self, mail: Mail, mid: str, result: MailResult) -> None:
        """A delivery report: the addresses it names as failed are marked, and another channel proposed."""
        at = self.when(mail)
        hint = self._hint(mail)
        failed = list(mail.failed)
        person = next((p for p in map(self.person, failed) if p is not None), None)
        if person is None and hint is not None and hint[1] is not None:
            person = self.store.get_contact(hint[1])
            if person is not None and person.email and not failed:
                failed = [person.email.lower()]
        if person is None:
            return
        self.begin()
        for address in failed:
            self.store.mark_failing(address, at, mid)
        thread_id = hint[0] if hint else self._thread_of(person)
        self._keep(
            SeenMail(mid, "received", at, person.id, thread_id, "bounce", subject=mail.subject,
                     text=", ".join(failed), proposal=_another_channel(person, failed)),
            person, result.automatic, result,
        )  # fmt: skip


def _proposal(
    svc: Service, reading: str, person: Contact, thread_id: int, until: dt.datetime | None
) -> str | None:
    """What tactful proposes to record from a reply, in the words the user accepts."""
    if reading == "rejection":
        return f"Record thread {thread_id} as rejected and plan a gracious thank-you to {person.name}."
    if reading == "later" and until is not None:
        return f"Check back with {person.name} from {until.astimezone(svc.zone):%a %d %b %Y}."
    if reading == "later":
        return f"Check back with {person.name} later: accept with the day to ask again."
    if reading == "invitation":
        return f"Log the next meeting with {person.name}: accept with its time."
    return None


def _another_channel(person: Contact, failed: list[str]) -> str:
    address = failed[0] if failed else "their address"
    if person.phone:
        return f"{address} bounced: reach {person.name} by phone ({person.phone}), or add another address."
    if person.linkedin:
        return f"{address} bounced: reach {person.name} on LinkedIn, or add another address."
    return f"{address} bounced: find another way to reach {person.name} (`tactful edit contact {person.id}`)."
