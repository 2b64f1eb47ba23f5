"""The morning digest: an e-mail to yourself of what is due today, the replies waiting for your
word and anything the outbox could not send. Optional (`tactful mail digest --daily`); the mail
worker of `tactful serve` sends it once a day from `HOUR` in your time zone, and
`tactful mail digest` sends it now."""

from __future__ import annotations

from ..domain import Contact, State
from ..errors import InvalidInput
from .base import Service
from .mailsync import account, open_smtp
from .reading import agenda, mail_news

#: The hour (the user's time) from which the day's digest goes.
HOUR = 8


def text(svc: Service) -> tuple[str, str]:
    """The digest's subject and body, in the user's words of the day."""
    now = svc.now()
    today = agenda(svc, None, 0)
    due = [i for i in today.items if i.followup.state(now) is not State.WAITING]
    news = mail_news(svc)
    waiting = [m for m in news.replies if m.decision == "proposed"]
    failed = [o for o in news.outbox if o.status == "failed"]
    day = now.astimezone(svc.zone)
    subject = f"tactful: {len(due)} to follow up on, {day:%a} {day.day} {day:%b}"
    lines = [f"What is due on {day:%A} {day.day} {day:%B}:", ""]
    if not due:
        lines.append("Nothing is due today.")
    for item in due:
        f = item.followup
        late = " (overdue)" if f.state(now) is State.OVERDUE else ""
        lines.append(
            f"- {f.purpose.value} to {_who(item.contact)} by {f.channel.value}{late}: follow-up {f.id}"
        )
    if waiting:
        lines += ["", "Replies waiting for your decision:"]
        lines += [f"- {news.names.get(m.contact_id or 0, 'someone')}: {m.proposal}" for m in waiting]
    if failed:
        lines += ["", "Not sent:"]
        lines += [f"- follow-up {o.followup_id} to {o.recipient}: {o.error}" for o in failed]
    return subject, "\n".join(lines) + "\n"


def _who(contact: Contact) -> str:
    return f"{contact.name} ({contact.organisation})" if contact.organisation else contact.name


def send(svc: Service) -> str:
    """Send the digest to yourself now; the address it went to."""
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    acct = account(svc)
    to = acct.address or (acct.user if "@" in acct.user else None)
    if not to:
        raise InvalidInput("the account has no address to send the digest to; connect it with --address")
    subject, body = text(svc)
    message = EmailMessage()
    message["From"] = to
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(svc.now())
    message["Message-ID"] = make_msgid(idstring="tactful-digest", domain=to.rsplit("@", 1)[-1])
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no one should auto-reply to it
    message.set_content(body)
    with svc.store.transaction():  # noted first: at most one a day, even if the send fails
        svc.store.set_digest(sent_on=svc.calendar.local_date(svc.now()).isoformat())
    with open_smtp(svc) as smtp:
        smtp.send(to, [to], bytes(message))
    return to


def due(svc: Service) -> bool:
    """Whether the daily digest should go now: wanted, past `HOUR`, not yet today."""
    acct = svc.store.get_account()
    if acct is None or not acct.digest:
        return False
    local = svc.now().astimezone(svc.zone)
    return local.hour >= HOUR and acct.digest_on != local.date().isoformat()


def choose(svc: Service, daily: bool) -> None:
    account(svc)
    with svc.store.transaction():
        svc.store.begin_change("digest", "turned the morning digest " + ("on" if daily else "off"), svc.now())
        svc.store.set_digest(wanted=daily)
