"""Messages: review a draft, write one for a follow-up, package it as a mail file.

The composer writes from the `Facts` of a follow-up and the reviewer reads a draft in its
`ReviewContext`; both are gathered from the thread by `draft_inputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain import OWN_TASKS, Channel, FollowUp, Purpose
from ..errors import InvalidInput
from . import validate
from .base import Service
from .draft_inputs import facts, profile_context, review_context
from .lookup import choice
from .reading import companions, followup

if TYPE_CHECKING:
    from ..compose import Composed
    from ..review import Draft, Review


@dataclass
class Checked:
    """A draft as the reviewer read it (subject and body), and its review."""

    draft: Draft
    review: Review

    def to_dict(self) -> dict[str, Any]:
        return self.review.to_dict()


@dataclass
class DraftResult:
    followup: FollowUp
    composed: Composed
    review: Review
    mailto: str | None
    also: list[FollowUp] = field(default_factory=list)  # the same-day e-mails this one covers too

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
            "prompts": list(c.prompts),
        }
        if self.also:
            data["also"] = [f.purpose.value for f in self.also]
            data["also_ids"] = [f.id for f in self.also]
        if c.voicemail is not None:
            data["voicemail"] = c.voicemail
        if c.post_by is not None:
            data["post_by"] = c.post_by.isoformat()
        if self.mailto:
            data["mailto"] = self.mailto
        return data


def note_limit(svc: Service, channel: Channel) -> int | None:
    """How many characters a message on `channel` may hold, where the channel itself counts: a
    LinkedIn note (200 on a free account). None where there is no hard limit."""
    if channel is not Channel.LINKEDIN:
        return None
    from ..domain import LENGTH_LIMITS, LINKEDIN_FREE_LIMIT

    return LINKEDIN_FREE_LIMIT if svc.profile.linkedin_free else LENGTH_LIMITS[Channel.LINKEDIN]


def check(
    svc: Service,
    text: str,
    followup_id: int | None = None,
    now: str | None = None,
    channel: str | None = None,
) -> Checked:
    """Review a draft: in the context of follow-up `followup_id` when given, else on its own."""
    from ..review import Draft

    text = validate.bounded("text", text, "text")  # control characters are the reviewer's to point out
    f = followup(svc, followup_id) if followup_id is not None else None
    chosen = choice(Channel, channel, "channel") if channel else (f.channel if f else Channel.EMAIL)
    draft = Draft.parse(text, chosen)
    if not draft.body.strip():
        raise InvalidInput("the draft is empty; give a file holding the message, or pipe it in", field="text")
    moment = svc.moment(now, "now")
    if f is None:
        return Checked(draft, svc.reviewer.review(draft, profile_context(svc.profile)))
    context = review_context(svc.store, svc.planner, f, moment, chosen)
    return Checked(draft, svc.reviewer.review(draft, context))


def draft(svc: Service, followup_id: int, channel: str | None = None, now: str | None = None) -> DraftResult:
    """A ready-to-send draft for follow-up `followup_id`, with its review as if sent at `now`."""
    from ..compose import combine, compose
    from ..formats.eml import mailto
    from ..review import Draft

    f = followup(svc, followup_id)
    if f.purpose in OWN_TASKS:
        what = "a reminder to yourself" if f.purpose is Purpose.REMINDER_TO_SELF else "a promise of yours"
        raise InvalidInput(
            f"follow-up {f.id} is {what}, with nothing to send ({f.why}); mark it done when it is dealt with"
        )
    chosen = choice(Channel, channel, "channel") if channel else f.channel
    moment = svc.moment(now, "now")
    history = svc.store.history(f.thread_id)  # read once, for the composer and the reviewer
    composed = compose(
        facts(svc.store, svc.profile, svc.zone_name, f, chosen, history, moment), svc.templates
    )
    also = companions(svc, f) if chosen is f.channel else []
    if also:  # one e-mail for the same-day follow-ups to this person
        theirs = [
            facts(svc.store, svc.profile, svc.zone_name, o, chosen, svc.store.history(o.thread_id), moment)
            for o in also
        ]
        composed = combine(composed, *(compose(x, svc.templates) for x in theirs))
    spoken = chosen is Channel.PHONE and composed.voicemail is not None
    text = composed.voicemail if spoken and composed.voicemail else composed.body
    message = Draft(channel=chosen, subject=composed.subject, body=text, to=composed.to)
    review = svc.reviewer.review(message, review_context(svc.store, svc.planner, f, moment, chosen, history))
    link = mailto(composed.to, composed.subject, composed.body) if chosen is Channel.EMAIL else None
    return DraftResult(f, composed, review, link, also)


def draft_eml(
    svc: Service,
    followup_id: int,
    now: str | None = None,
    text: str | None = None,
    result: DraftResult | None = None,
    deliver: Callable[[bytes], None] | None = None,
) -> bytes:
    """The email draft (or `text`, as edited) as an RFC 5322 message; its Message-ID is kept.

    `result`, when given, is the email draft already written for this follow-up. `deliver`, when
    given, is where the message goes (a file): it runs inside the transaction that keeps the
    Message-ID, so a message that could not be delivered leaves nothing behind.
    """
    from ..formats.eml import eml
    from ..review import Draft

    if result is None or result.composed.channel is not Channel.EMAIL:
        result = draft(svc, followup_id, "email", now)
    subject, body = result.composed.subject, result.composed.body
    if text is not None:
        edited = Draft.parse(validate.bounded("text", text, "text"))
        subject, body = edited.subject, edited.body
    person = svc.store.get_contact(result.followup.contact_id)
    to = (person.name if person else "", result.composed.to)
    data, message_id = eml(subject, body, to, svc.profile, svc.moment(now, "now"))
    with svc.store.transaction():
        svc.store.set_message_id(followup_id, message_id)
        if deliver is not None:
            deliver(data)
    return data
