"""What the composer and the reviewer need to know about a follow-up, gathered from its thread.

Both are pure and know nothing of storage: this module reads the thread, the person's other
outreach and the user's profile, and hands the composer its `Facts` and the reviewer its
`ReviewContext`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..domain import (
    KINDS,
    MESSAGES,
    Channel,
    Contact,
    FollowUp,
    Kind,
    Outcome,
    Profile,
    Status,
    ThreadHistory,
    channel_companions,
)
from ..playbook.planner import history_interaction
from .promises import RULE, kept_since

if TYPE_CHECKING:
    from ..compose import Facts
    from ..playbook.planner import Planner
    from ..review import ReviewContext
    from ..store.base import Store

_JOB_KINDS = frozenset(kind for kind, facts in KINDS.items() if facts.group == "job")


def facts(
    store: Store,
    profile: Profile,
    tz: str,
    f: FollowUp,
    channel: Channel,
    history: ThreadHistory | None = None,
    now: dt.datetime | None = None,
) -> Facts:
    """Everything the thread knows that the draft for `f` may use, written at `now` to go out then (or
    when its window opens, if that is later)."""
    from ..compose import Facts

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
        sent_texts=tuple(
            x.text for x in history.followups if x.id != f.id and x.status is Status.DONE and x.text
        ),
        sending=max(now, f.suggested_at or f.not_before) if now is not None else None,
        kept=_kept(store, f),
        profile=profile,
        tz=tz,
    )


def _kept(store: Store, f: FollowUp) -> tuple[str, ...]:
    """What the user promised `f`'s recipient and kept since they last wrote to them (in any thread):
    the next message says it was done."""
    if f.purpose not in MESSAGES:
        return ()
    promises = store.followups_by_rule(f.contact_id, RULE)
    if not promises:
        return ()
    written = [
        x.done_at
        for x in store.followups_for_contacts([f.contact_id], None)
        if x.status is Status.DONE and x.purpose in MESSAGES and x.done_at is not None and x.id != f.id
    ]
    return tuple(dict.fromkeys(kept_since(promises, f.contact_id, max(written, default=None))))


def profile_context(profile: Profile) -> ReviewContext:
    """The context every draft has: who is writing."""
    from ..review import ReviewContext

    return ReviewContext(
        user_name=profile.name,
        signature=profile.signature,
        skills=profile.skills,
        vocabulary=_words(profile.name, profile.signature),
        linkedin_free=profile.linkedin_free,
    )


def review_context(
    store: Store,
    planner: Planner,
    f: FollowUp,
    now: dt.datetime,
    channel: Channel,
    history: ThreadHistory | None = None,
) -> ReviewContext:
    """The full context of follow-up `f`, as if its draft went out on `channel` at `now`."""
    from ..review import ReviewContext

    history = history or store.history(f.thread_id)
    person = history.contacts[f.contact_id]
    anchor = history_interaction(history, f)
    thread = history.thread
    org = thread.organisation or person.organisation
    round_items = [i for i in history.interactions if i.round == f.round] or history.interactions
    topics = tuple(dict.fromkeys(t for i in round_items for t in i.topics))
    notes = tuple(x for i in round_items for x in (i.note, *i.questions, i.promised) if x)
    profile = planner.profile
    return ReviewContext(
        recipient_name=person.name,
        recipient_org=org,
        role=thread.title or person.role,
        purpose=f.purpose,
        nudge=f.nudge,
        job_thread=bool(anchor and anchor.kind in _JOB_KINDS),
        topics=topics,
        notes=notes,
        other_names=_wrong_names(history, f),
        other_orgs=tuple(
            o for o in store.thread_organisations() if org is None or o.casefold() != org.casefold()
        ),
        not_before=planner.cal.local(f.not_before),  # local, so the reviewer's words say local times
        due_by=planner.cal.local(f.due_by),
        now=planner.cal.local(now),
        nudges_sent=sum(
            1 for x in history.followups if x.nudge and x.round == f.round and x.status is Status.DONE
        ),
        cap=planner.cap(history, now),
        rejected=thread.outcome is Outcome.REJECTED,
        decided=thread.outcome is not None,
        other_channel_recently=_other_channels(store, planner, f, now, channel),
        sibling_texts=_siblings(history, f),
        sent_texts=tuple(
            x.text
            for x in history.followups
            if x.contact_id == f.contact_id and x.id != f.id and x.status is Status.DONE and x.text
        ),
        reachable=_reachable(person, channel),
        user_name=profile.name,
        signature=profile.signature,
        skills=profile.skills,
        vocabulary=_words(profile.name, profile.signature, org, thread.title, person.role, *topics),
        linkedin_free=profile.linkedin_free,
    )


def _words(*texts: str | None) -> tuple[str, ...]:
    return tuple(word for text in texts if text for word in text.replace("/", " ").split())


def _wrong_names(history: ThreadHistory, f: FollowUp) -> tuple[str, ...]:
    """People in the thread who are not this message's recipient.

    Someone the message may rightly mention is left out: the introducer when writing to the new
    contact, and the new contact when thanking the introducer.
    """
    mentionable = {f.contact_id}
    for i in history.interactions:
        if i.kind is Kind.INTRODUCTION and i.introducer_id is not None:
            if f.contact_id == i.introducer_id:
                mentionable.update(i.contact_ids)
            elif f.contact_id in i.contact_ids:
                mentionable.add(i.introducer_id)
    return tuple(c.name for cid, c in history.contacts.items() if cid not in mentionable)


def _other_channels(
    store: Store, planner: Planner, f: FollowUp, now: dt.datetime, channel: Channel
) -> tuple[str, ...]:
    """Channels other than this one that reached the person within the last few business days."""
    cal = planner.cal
    gap = planner.playbook.limits.one_channel_business_days
    found: list[str] = []
    for other in store.followups_for_contacts([f.contact_id], now - dt.timedelta(days=3 * gap + 14)):
        if other.id == f.id or other.status is not Status.DONE or other.done_at is None:
            continue
        if other.channel is channel or channel_companions(f.rule, other.rule) or other.done_at > now:
            continue
        apart = cal.business_days_between(cal.local_date(other.done_at), cal.local_date(now))
        if apart < gap and other.channel.value not in found:
            found.append(other.channel.value)
    return tuple(found)


def _reachable(person: Contact, channel: Channel) -> bool | None:
    """Whether the channel has an address for them: an email, a phone number (None: tactful cannot tell,
    as for a letter, or LinkedIn, where they can be found by name)."""
    if channel is Channel.EMAIL:
        return bool(person.email)
    if channel is Channel.PHONE:
        return bool(person.phone)
    return None


def _siblings(history: ThreadHistory, f: FollowUp) -> tuple[tuple[str, str], ...]:
    """What was sent to other people at the same organisation in this thread."""
    person = history.contacts[f.contact_id]
    texts = []
    for other in history.followups:
        if other.contact_id == f.contact_id or other.status is not Status.DONE or not other.text:
            continue
        them = history.contacts[other.contact_id]
        if (them.organisation or "").casefold() == (person.organisation or "").casefold():
            texts.append((them.name, other.text))
    return tuple(texts)
