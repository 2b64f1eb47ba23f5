"""From a planned follow-up to a message: the composer's facts, and the draft as a mail file or link.

The composer is pure and knows nothing of storage; this module reads what the thread knows and
hands it over, then packages the result: an RFC 5322 message a mail client opens as a draft, with a
Message-ID tactful keeps to match the answer later, and a `mailto:` link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..domain import Channel, FollowUp, Kind, Profile, Status, ThreadHistory
from ..playbook.planner import history_interaction

if TYPE_CHECKING:
    from ..compose.writer import Composed, Facts
    from ..review import Review
    from ..store.base import Store


@dataclass
class DraftResult:
    followup: FollowUp
    composed: Composed
    review: Review
    mailto: str | None

    def to_dict(self) -> dict[str, Any]:
        c = self.composed
        data: dict[str, Any] = {
            "followup_id": self.followup.id,
            "channel": c.channel.value,
            "to": c.to,
            "subject": c.subject,
            "body": c.body,
            "review": self.review.to_dict(),
            "missing": list(c.missing),
        }
        if c.voicemail is not None:
            data["voicemail"] = c.voicemail
        if c.post_by is not None:
            data["post_by"] = c.post_by.isoformat()
        if self.mailto:
            data["mailto"] = self.mailto
        return data


def facts(
    store: Store,
    profile: Profile,
    tz: str,
    f: FollowUp,
    channel: Channel,
    history: ThreadHistory | None = None,
) -> Facts:
    """Everything the thread knows that the draft for `f` may use."""
    from ..compose.writer import Facts

    history = history or store.history(f.thread_id)
    person = history.contacts[f.contact_id]
    anchor = history_interaction(history, f)
    thread = history.thread
    items = [i for i in history.interactions if i.round == f.round] or history.interactions
    introducer = next(
        (
            history.contacts.get(i.introducer_id)
            for i in items
            if i.introducer_id and i.introducer_id != person.id
        ),
        None,
    )
    others = [
        history.contacts[c].name
        for i in items
        for c in i.contact_ids
        if c != person.id and c in history.contacts
    ]
    sent = tuple(
        (x.purpose.value, x.channel.value)
        for x in history.followups
        if x.status is Status.DONE and x.id != f.id
    )
    return Facts(
        purpose=f.purpose,
        channel=channel,
        rule=f.rule,
        kind=anchor.kind if anchor else Kind.MEETING,
        recipient=person,
        organisation=thread.organisation or person.organisation,
        opportunity=thread.title,
        interaction_at=anchor.at if anchor else f.not_before,
        topics=tuple(dict.fromkeys(t for i in items for t in i.topics)),
        questions=tuple(dict.fromkeys(q for i in items for q in i.questions)),
        note=next((i.note for i in reversed(items) if i.note), None),
        promised=next((i.promised for i in reversed(items) if i.promised), None),
        promised_by=next((i.promised_by for i in reversed(items) if i.promised_by), None),
        decision_by=next((i.decision_by for i in reversed(items) if i.decision_by), None),
        introducer=introducer,
        other_people=tuple(dict.fromkeys(others)),
        already_sent=sent,
        time_sensitive=any(i.time_sensitive for i in items),
        due_by=f.due_by,
        profile=profile,
        tz=tz,
    )


def mailto(composed: Composed) -> str | None:
    """A `mailto:` link that opens the draft in the user's mail app."""
    if composed.channel is not Channel.EMAIL:
        return None
    address = quote(composed.to or "", safe="@.+-_")
    query = f"subject={quote(composed.subject or '')}&body={quote(composed.body)}"
    return f"mailto:{address}?{query}"


def eml(
    subject: str | None, body: str, to: tuple[str, str | None], profile: Profile, now: dt.datetime
) -> tuple[bytes, str]:
    """An RFC 5322 message for an email draft to `to` (name, address), and its Message-ID."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, formataddr, make_msgid

    message = EmailMessage()
    name, address = to
    if address:
        message["To"] = formataddr((name, address))
    if profile.email:
        message["From"] = formataddr((profile.name or "", profile.email))
    message["Subject"] = subject or ""
    message["Date"] = format_datetime(now)
    domain = profile.email.rsplit("@", 1)[-1] if profile.email and "@" in profile.email else "tactful.invalid"
    message_id = make_msgid(idstring="tactful", domain=domain)
    message["Message-ID"] = message_id
    message["X-Unsent"] = "1"  # mail clients open the file as a draft to send
    message.set_content(body)
    return message.as_bytes(policy=SMTP), message_id
