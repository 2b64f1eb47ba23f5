"""Putting mistakes right: an interaction corrected or removed, a person corrected, removed or merged
into another, and the last change taken back. A correction plans the thread again and says what
moved; every one of them can itself be undone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from ..business_days import valid_zone
from ..domain import Channel, Contact, FollowUp, Interaction, Status
from ..errors import Conflict, InvalidInput, NotFound, ref
from ..playbook.planner import FROM_INTERACTION
from . import validate
from .base import Service, lookback
from .followups import Change
from .lookup import Lookup, choice


@dataclass
class Undone:
    kind: str  # what was taken back: log, done, skip, snooze, reply, outcome, edit, delete, merge, import
    summary: str


@dataclass
class Edited:
    """An interaction as corrected, and what that did to its plan."""

    interaction: Interaction
    change: Change
    said: list[str] = field(default_factory=list)  # each step of the plan that moved, in words


def last_change(svc: Service) -> tuple[int, str, str] | None:
    """The change `undo` would take back: its id, kind and summary."""
    return svc.store.last_change()


def undo(svc: Service, change_id: int | None = None) -> Undone:
    """Take back the last change (`change_id`: only if it is still the last one)."""
    store = svc.store
    last = store.last_change()
    if last is None:
        raise InvalidInput("there is nothing to undo")
    if change_id is not None and last[0] != change_id:
        raise Conflict(f"something else changed since; the last change now is: {last[2]}")
    try:
        with store.transaction():
            store.undo_change(last[0])
    except Conflict as exc:
        with store.transaction():  # set aside, so that undo goes on with the change before it
            store.forget_change(last[0])
        raise Conflict(
            f"{last[2]} can no longer be taken back: {exc}; it is set aside, undo again for the one before"
        ) from None
    svc.refresh()
    return Undone(last[1], last[2])


# -- interactions -------------------------------------------------------------------------------------
def interaction(svc: Service, interaction_id: int) -> Interaction:
    thread_id = svc.store.interaction_thread(interaction_id)
    if thread_id is None:
        raise NotFound(
            f"no interaction {interaction_id}; `tactful show thread ID` lists a thread's interactions with their ids",
            field="interaction_id",
        )
    return next(i for i in svc.store.history(thread_id).interactions if i.id == interaction_id)


def edit_interaction(
    svc: Service,
    interaction_id: int,
    at: str | None = None,
    decision_by: str | None = None,
    promised_by: str | None = None,
    promised: str | None = None,
    title: str | None = None,
    org: str | None = None,
    topics: list[str] | None = None,
    questions: list[str] | None = None,
    note: str | None = None,
) -> Edited:
    """Correct what happened, then plan its follow-ups again: the ones already sent stay as they were."""
    old = interaction(svc, interaction_id)
    new = replace(old)
    if at:
        new.at = svc.moment(at, "at")
    for name, text in (("decision_by", decision_by), ("promised_by", promised_by)):
        if text is not None:
            day = svc.day(text, name, since=new.at) if text.strip() else None
            setattr(new, name, day)
    for name in ("decision_by", "promised_by"):  # the dates given now, or kept, against the time
        day = getattr(new, name)
        if day and day < svc.calendar.local_date(new.at):
            raise InvalidInput(
                f"{ref(name)}: {day} is before the {old.kind.value} itself; correct it too, or clear it with ''",
                field=name,
            )
    if promised is not None:
        new.promised = validate.line("promised", promised) or None
    if topics is not None:
        new.topics = tuple(validate.lines("topics", topics))
    if questions is not None:
        new.questions = tuple(validate.lines("questions", questions))
    if note is not None:
        new.note = validate.prose("note", note) or None
    title = validate.line("title", title) or None
    org = validate.line("org", org) or None
    if new == old and not title and not org:
        raise InvalidInput("nothing to change; give what was wrong, e.g. --at 'monday 10am'")
    store = svc.store
    with store.transaction():
        store.begin_change(
            "edit", f"corrected {old.kind.value} #{old.id} (thread {old.thread_id})", svc.now()
        )
        store.update_interaction(new)
        if title or org:
            thread_fields: dict[str, Any] = {"title": title} if title else {}
            if org:
                thread_fields["organisation_id"] = store.organisation_id(org)
            store.update_thread(old.thread_id, **thread_fields)
        if (new.at, new.decision_by, new.promised_by) == (old.at, old.decision_by, old.promised_by):
            # no date moved: the plan (and any snooze in it) stays as it is
            return Edited(new, Change(thread_id=new.thread_id), ["the plan stays as it was"])
        edited = _replan(svc, old, new)
    return edited


def _replan(svc: Service, old: Interaction, new: Interaction) -> Edited:
    """Plan the interaction's own follow-ups again and keep each one's id where the same step returns."""
    store = svc.store
    own = FROM_INTERACTION[new.kind]  # not what an outcome or a sent message planned from it
    before = [
        f for f in store.history(new.thread_id).followups if f.interaction_id == new.id and f.rule in own
    ]
    waiting = [f for f in before if f.status is Status.PLANNED]
    planned: dict[tuple[str, int], list[FollowUp]] = {}
    for f in waiting:  # two of one step (a person merged into another) may wait side by side
        planned.setdefault((f.rule, f.contact_id), []).append(f)
    # sent, dropped, or stopped by what happened since (a reply, an outcome, a new round): settled
    settled = {(f.rule, f.contact_id) for f in before if f.status is not Status.PLANNED} - set(planned)
    for f in waiting:
        store.cancel_followup(f.id, "planned again: the interaction was corrected")
    history = store.history(new.thread_id)
    others = [
        f
        for f in store.followups_for_contacts(
            [*new.contact_ids, new.introducer_id or 0], lookback(svc, new.at)
        )
        if f.id not in {w.id for w in waiting}
    ]
    plan = svc.planner.after_interaction(history, new, others)
    # once they have answered or the thread has an outcome, a correction asks them nothing new
    answered = history.thread.outcome is not None or any(
        e.kind == "reply" and e.at >= new.at for e in history.events
    )
    change = Change(thread_id=new.thread_id, notes=plan.notes)
    said: list[str] = []
    zone = svc.zone
    for f in plan.new:
        key = (f.rule, f.contact_id)
        if key in settled or (f.nudge and answered):
            continue  # already dealt with: a correction does not ask for it twice
        same = planned.get(key) or []
        was = same.pop(0) if same else None
        if was is None:
            f.id = store.add_followup(f)
            said.append(f"new: follow-up {f.id} ({f.purpose.value}), {_window(f, zone)}")
        else:
            store.reopen_followup(was.id, f.not_before, f.due_by, f.suggested_at or f.not_before, f.why)
            f.id = was.id
            if (was.not_before, was.due_by) != (f.not_before, f.due_by):
                said.append(
                    f"moved: follow-up {f.id} ({f.purpose.value}) from {_window(was, zone)} to {_window(f, zone)}"
                )
        change.added.append(f)
    for was in (w for same in planned.values() for w in same):
        change.cancelled.append(was.id)
        said.append(f"cancelled: follow-up {was.id} ({was.purpose.value}), no longer called for")
    for fid, reason in plan.cancel:
        store.cancel_followup(fid, reason)
        change.cancelled.append(fid)
    change.contacts = {c.id: c for c in store.contacts(f.contact_id for f in change.added)}
    if not said:
        said.append("the plan stays as it was")
    return Edited(new, change, said)


def _window(f: FollowUp, zone: Any) -> str:
    """A window as a person reads it: days for a window of whole days, else days and times."""
    opens, due = f.not_before.astimezone(zone), f.due_by.astimezone(zone)
    whole_days = opens.time() == dt.time(0) and due.time() >= dt.time(23, 59)

    def day(moment: dt.datetime) -> str:
        return f"{moment:%a} {moment.day} {moment:%b}" + ("" if whole_days else f" {moment:%H:%M}")

    return f"{day(opens)}–{day(due)}"


def delete_interaction(svc: Service, interaction_id: int) -> str:
    """Remove an interaction and what was planned for it; a round it started gives back the plan it
    replaced. What was removed, in words."""
    gone = interaction(svc, interaction_id)
    store = svc.store
    summary = f"deleted {gone.kind.value} #{gone.id} (thread {gone.thread_id})"
    with store.transaction():
        store.begin_change("delete", summary, svc.now())
        history = store.history(gone.thread_id)
        store.delete_interaction(gone.id)
        if store.get_thread(gone.thread_id) is None:
            return summary + "; the thread had nothing else, so it went too"
        rounds = [i.round for i in history.interactions if i.id != gone.id]
        if gone.round > max(rounds, default=1):
            store.update_thread(gone.thread_id, round=max(rounds, default=1))
            for f in history.followups:
                if f.status is Status.CANCELLED and f.cancel_reason == f"replaced by round {gone.round}":
                    store.reopen_followup(f.id, f.not_before, f.due_by, f.suggested_at or f.not_before, f.why)
            summary += "; the earlier round's follow-ups are planned again"
    return summary


# -- people -------------------------------------------------------------------------------------------
def person(svc: Service, text: str, field_name: str = "contact") -> Contact:
    return Lookup(svc.store, svc.now()).existing(text, field_name)


#: The details `edit contact` may clear (an empty value), by the name the faces give them.
CLEARABLE = ("email", "phone", "linkedin", "org", "prefers", "tz", "note")


def edit_contact(svc: Service, who: str, **fields: str | None) -> tuple[Contact, list[str]]:
    """Correct a person's details (an empty value clears one); the ones changed, by name."""
    found = person(svc, who)
    given = {k: v.strip() for k, v in fields.items() if v is not None}
    cleared = [k for k in CLEARABLE if given.get(k) == "" and _current(found, k)]
    given = {k: v for k, v in given.items() if v != "" or k == "name"}
    if not given and not cleared:
        raise InvalidInput("nothing to change; give a detail to correct, e.g. --email dana@globex.example")
    values: dict[str, Any] = {}
    if "name" in given:
        values["name"] = validate.name("name", given["name"])  # a name is corrected, never cleared
    if "email" in given:
        values["email"] = validate.email("email", given["email"])
    if "phone" in given:
        values["phone"] = validate.phone("phone", given["phone"])
    if "linkedin" in given:
        values["linkedin"] = validate.url("linkedin", given["linkedin"])
    if "prefers" in given:
        values["prefers"] = choice(Channel, given["prefers"], "prefers")
    if "tz" in given:
        tz = validate.line("tz", given["tz"]) or ""
        if not valid_zone(tz):
            raise InvalidInput(
                f"{ref('tz')}: {tz!r} is not a time zone; use an IANA name like Asia/Tokyo", field="tz"
            )
        values["tz"] = tz
    if "note" in given:
        values["note"] = validate.prose("note", given["note"])
    org = validate.line("org", given.get("org")) or None
    values = {k: v for k, v in values.items() if v != _current(found, k)}  # what really changes
    if org and org == found.organisation:
        org = None
    if values.get("email"):
        other = svc.store.find_contact_by_email(values["email"])
        if other is not None and other.id != found.id:
            raise Conflict(
                f"{ref('email')}: {values['email']} is {other.name}'s (#{other.id}); if they are the same person, "
                f"`tactful merge contact {found.id} {other.id}`",
                field="email",
            )
    changed = [*values, *(["org"] if org else []), *cleared]
    if not changed:
        return found, []
    store = svc.store
    with store.transaction():
        store.begin_change("edit", f"corrected {found.name} (#{found.id})", svc.now())
        store.update_contact(found.id, organisation=org, cleared=cleared, **values)
    return person(svc, f"#{found.id}"), changed


def _current(person: Contact, detail: str) -> Any:
    return person.organisation if detail == "org" else getattr(person, detail, None)


def delete_contact(svc: Service, who: str, yes: bool = False) -> str:
    found = person(svc, who)
    store = svc.store
    threads = store.threads_for_contact(found.id)
    if threads and not yes:
        listed = ", ".join(map(str, threads))
        raise Conflict(
            f"{found.name} is in thread(s) {listed}; deleting removes what was logged and planned with them "
            f"alone. Add {ref('yes')} to go ahead (`tactful undo` brings it back)",
            field="yes",
        )
    summary = f"deleted {found.name} (#{found.id})"
    with store.transaction():
        store.begin_change("delete", summary, svc.now())
        store.delete_contact(found.id)
    return summary


def merge_contacts(svc: Service, keep: str, other: str) -> tuple[Contact, str]:
    kept = person(svc, keep, "keep")
    gone = person(svc, other, "other")
    if kept.id == gone.id:
        raise InvalidInput(
            f"{ref('other')}: that is {kept.name} again; name the duplicate to merge in", field="other"
        )
    summary = f"merged {gone.name} (#{gone.id}) into {kept.name} (#{kept.id})"
    store = svc.store
    with store.transaction():
        store.begin_change("merge", summary, svc.now())
        store.merge_contacts(kept.id, gone.id)
    return person(svc, f"#{kept.id}"), summary
