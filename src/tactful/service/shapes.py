"""The public JSON shapes (see the interface's contract), shared by `--json` and the web API.

Times are shown in the user's time zone, with their offset.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..domain import Contact, FollowUp, Interaction, Outgoing, SeenMail, State, ThreadHistory
from ..errors import spell

if TYPE_CHECKING:
    from .base import Service
    from .followups import Change, Logged
    from .mailbox import MailResult
    from .people import Found
    from .reading import Agenda


def moment_text(moment: dt.datetime | None, tz: ZoneInfo) -> str:
    """A moment as people read it, in the user's zone; a whole-day window edge without its hour."""
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    if local.time() in (dt.time(0, 0), dt.time(23, 59, 59)):
        return f"{local:%a %-d %b}"
    return f"{local:%a %-d %b %H:%M}"


def window_text(f: FollowUp, now: dt.datetime, tz: ZoneInfo) -> str:
    """The part of a follow-up's window that matters now: when it opens, or when it closes."""
    state = f.state(now)
    if state is State.WAITING:
        return f"opens {moment_text(f.not_before, tz)}"
    if state is State.OVERDUE:
        return f"was due {moment_text(f.due_by, tz)}"
    return f"due by {moment_text(f.due_by, tz)}"


def stamp(moment: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).isoformat() if moment else None


def contact_dict(c: Contact) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "linkedin": c.linkedin,
        "organisation": c.organisation,
        "role": c.role,
        "prefers": c.prefers.value if c.prefers else None,
    }


def contacts_dict(found: list[Found], tz: ZoneInfo) -> dict[str, Any]:
    """`contacts --json`: the people found, each with their last interaction."""
    return {
        "contacts": [
            {
                "id": f.contact.id,
                "name": f.contact.name,
                "email": f.contact.email,
                "organisation": f.contact.organisation,
                "last_interaction": f.last_interaction.astimezone(tz).isoformat()
                if f.last_interaction
                else None,
            }
            for f in found
        ]
    }


def followup_dict(
    f: FollowUp,
    contact: Contact,
    now: dt.datetime,
    tz: ZoneInfo,
    title: str | None = None,
    org: str | None = None,
) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "id": f.id,
        "thread_id": f.thread_id,
        "contact": {"id": contact.id, "name": contact.name, "email": contact.email},
        "purpose": f.purpose.value,
        "channel": f.channel.value,
        "nudge": f.nudge,
        "not_before": stamp(f.not_before, tz),
        "due_by": stamp(f.due_by, tz),
        "state": f.state(now).value,
        "status": f.status.value,
        "rule": f.rule,
        "why": f.why,
        "suggested_at": stamp(f.suggested_at, tz),
    }
    if f.done_at:
        shape["done_at"] = stamp(f.done_at, tz)
    if f.cancel_reason:
        shape["cancel_reason"] = f.cancel_reason
    if f.text:
        shape["text"] = f.text  # what was sent
    if title is not None or org is not None:
        shape["thread"] = {"id": f.thread_id, "title": title, "organisation": org}
    return shape


def interaction_dict(i: Interaction, tz: ZoneInfo, history: ThreadHistory | None = None) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "id": i.id,
        "kind": i.kind.value,
        "thread_id": i.thread_id,
        "at": stamp(i.at, tz),
        "round": i.round,
        "contact_ids": list(i.contact_ids),
        "topics": list(i.topics),
        "questions": list(i.questions),
        "decision_by": i.decision_by.isoformat() if i.decision_by else None,
        "promised_by": i.promised_by.isoformat() if i.promised_by else None,
        "time_sensitive": i.time_sensitive,
        "note": i.note,
    }
    if history is not None:
        shape["with"] = [history.contacts[c].name for c in i.contact_ids if c in history.contacts]
    return shape


def thread_dict(h: ThreadHistory, tz: ZoneInfo) -> dict[str, Any]:
    t = h.thread
    return {
        "id": t.id,
        "title": t.title,
        "organisation": t.organisation,
        "stage": h.stage.value,
        "round": t.round,
        "outcome": t.outcome.value if t.outcome else None,
        "dormant_why": t.dormant_why,
        "dormant_since": stamp(t.dormant_at, tz),
    }


def change_followups(
    change: Change, contacts: dict[int, Contact], now: dt.datetime, tz: ZoneInfo
) -> list[dict[str, Any]]:
    return [followup_dict(f, contacts[f.contact_id], now, tz) for f in change.added]


def change_dict(change: Change, now: dt.datetime, tz: ZoneInfo, **head: Any) -> dict[str, Any]:
    """What a use case did to the plan, after `head` (what was done: {"done": ...}, {"reply": ...})."""
    data = dict(head)
    data.update(
        followups=change_followups(change, change.contacts, now, tz),
        cancelled=change.cancelled,
        dormant_why=change.dormant_why,
        notes=change.notes,
        moved=change.moved,
    )
    if change.also_done:
        data["also_done"] = change.also_done
    return data


def logged_dict(logged: Logged, now: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    """What `log` did: the interaction, the thread it started or joined, and the plan's change."""
    head: dict[str, Any] = {"interaction": interaction_dict(logged.interaction, tz)}
    if logged.thread is not None:
        t = logged.thread
        head["thread"] = {
            "id": t.id,
            "title": t.title,
            "organisation": t.organisation,
            "new": logged.new_thread,
        }
    if logged.notice:
        head["notice"] = spell(logged.notice)
    return change_dict(logged.change, now, tz, **head)


def skipped_dict(f: FollowUp) -> dict[str, Any]:
    return {"skipped": {"id": f.id, "purpose": f.purpose.value, "reason": f.cancel_reason}}


def contact_threads_dict(
    person: Contact,
    histories: list[ThreadHistory],
    now: dt.datetime,
    tz: ZoneInfo,
    addresses: list[tuple[str, str, str | None]] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    contact = contact_dict(person)
    if tags is not None:
        contact["tags"] = tags
    if addresses:
        contact["addresses"] = [{"kind": k, "value": v, "label": label} for k, v, label in addresses]
    return {"contact": contact, "threads": [history_dict(h, now, tz) for h in histories]}


def agenda_dict(agenda: Agenda, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "now": stamp(agenda.now, tz),
        "items": [
            followup_dict(i.followup, i.contact, agenda.now, tz, i.title, i.organisation)
            | (
                {"also": [f.purpose.value for f in i.also], "also_ids": [f.id for f in i.also]}
                if i.also
                else {}
            )
            for i in agenda.items
        ],
        "proposals": [proposal_dict(m, tz) for m in agenda.proposals],
        "losing_touch": [
            {
                "contact_id": x.contact_id,
                "name": x.name,
                "last_interaction": stamp(x.last_interaction, tz),
                "gap_days": x.gap_days,
            }
            for x in agenda.losing_touch
        ],
        "dormant": [
            {
                "thread_id": t.id,
                "why": t.dormant_why,
                "title": t.title,
                "organisation": t.organisation,
                "since": stamp(t.dormant_at, tz),
            }
            for t in agenda.dormant
        ],
    }


def history_dict(h: ThreadHistory, now: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "thread": thread_dict(h, tz),
        "contacts": [contact_dict(c) for c in h.contacts.values()],
        "interactions": [interaction_dict(i, tz, h) for i in h.interactions],
        "events": [
            {
                "kind": e.kind,
                "at": stamp(e.at, tz),
                "outcome": e.outcome.value if e.outcome else None,
                "contact_id": e.contact_id,
            }
            for e in h.events
        ],
        "followups": [followup_dict(f, h.contacts[f.contact_id], now, tz) for f in h.followups],
    }


def profile_dict(service: Service) -> dict[str, Any]:
    """The user's profile, with the zone and holiday country actually in use."""
    from dataclasses import asdict

    data = asdict(service.profile)
    data["skills"] = list(service.profile.skills)
    data["tz_in_use"] = service.zone_name
    data["country_in_use"] = service.calendar.country
    return data


# -- mail ---------------------------------------------------------------------------------------------
def proposal_dict(m: SeenMail, tz: ZoneInfo) -> dict[str, Any]:
    """A reply as `mail sync --json` lists it, and one waiting for the user's decision as `agenda --json` does."""
    return {
        "message_id": m.message_id,
        "thread_id": m.thread_id,
        "contact_id": m.contact_id,
        "reading": m.kind,
        "proposal": m.proposal,
        "at": stamp(m.at, tz),
        "said": m.said,
        "until": stamp(m.until, tz),
    }


def mail_result_dict(result: MailResult, tz: ZoneInfo) -> dict[str, Any]:
    """What a sync or a mail import did: the shape of `mail sync --json`."""
    return {
        "scanned": result.scanned,
        "sent": [{"followup_id": fid, "message_id": mid} for fid, mid in result.sent],
        "replies": [proposal_dict(m, tz) for m in result.replies],
        "automatic": [
            {
                "contact_id": m.contact_id,
                "thread_id": m.thread_id,
                "message_id": m.message_id,
                "kind": m.kind,
                "until": stamp(m.until, tz),
                "proposal": m.proposal,
            }
            for m in result.automatic
        ],
        "moved": result.moved,
        "cancelled": result.cancelled,
        "added": [f.id for f in result.added],
    }


def outgoing_dict(o: Outgoing, tz: ZoneInfo) -> dict[str, Any]:
    """A message in the outbox, as `send --json` and `outbox --json` show it."""
    return {
        "followup_id": o.followup_id,
        "message_id": o.message_id,
        "status": o.status,
        "send_at": stamp(o.send_at, tz),
        "error": o.error,
        "to": o.recipient,
        "subject": o.subject,
        "sent_at": stamp(o.sent_at, tz) if o.status == "sent" else None,
        "filed": o.filed,
    }
