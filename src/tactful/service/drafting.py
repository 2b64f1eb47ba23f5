"""The use cases about messages: review a draft, write one for a follow-up, package it as a mail file.

`Service` takes these in; they rely on its store, clock, profile and planner.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from ..domain import Channel, FollowUp, Profile
from ..errors import InvalidInput
from .lookup import choice

if TYPE_CHECKING:
    from ..compose.phrasings import Templates
    from ..playbook.planner import Planner
    from ..review import Review, Reviewer
    from ..store.base import Store
    from .drafts import DraftResult

_REVIEWERS: dict[tuple[str, float], Reviewer] = {}


def shared_reviewer(phrases: Path | None) -> Reviewer:
    """One reviewer per process and phrase file: its dictionary takes a few tenths of a second to load."""
    from ..review import Reviewer

    extra = phrases if phrases is not None and phrases.exists() else None
    if extra is None:
        from ..review import default_reviewer

        return default_reviewer()
    key = (str(extra), extra.stat().st_mtime)
    if key not in _REVIEWERS:
        try:
            _REVIEWERS[key] = Reviewer(extra_phrase_files=[extra])
        except ValueError as exc:
            raise InvalidInput(f"{exc}; fix the file or move it aside") from exc
    return _REVIEWERS[key]


class _Services(Protocol):
    """What these use cases need from the service they are mixed into."""

    store: Store
    phrases_path: Path | None
    templates_dir: Path | None

    @property
    def profile(self) -> Profile: ...
    @property
    def planner(self) -> Planner: ...
    @property
    def zone_name(self) -> str: ...
    @property
    def reviewer(self) -> Reviewer: ...
    @property
    def templates(self) -> Templates | None: ...
    def moment(
        self, text: str | None, what: str, prefer: Literal["past", "future"] = "past"
    ) -> dt.datetime: ...
    def followup(self, followup_id: int) -> FollowUp: ...
    def draft(self, followup_id: int, channel: str | None = None, now: str | None = None) -> DraftResult: ...


class MessageCases:
    """Mixed into `Service`: each method runs with the service as `self`."""

    @cached_property
    def reviewer(self: _Services) -> Reviewer:
        return shared_reviewer(self.phrases_path)

    @cached_property
    def templates(self: _Services) -> Templates | None:
        """The draft phrasings with the user's overrides (None: the shipped ones alone)."""
        if self.templates_dir is None or not self.templates_dir.is_dir():
            return None
        from ..compose.phrasings import Templates

        return Templates(override_dir=self.templates_dir)

    # -- reviewing ----------------------------------------------------------------------------------
    def check(
        self: _Services,
        text: str,
        followup_id: int | None = None,
        now: str | None = None,
        channel: str | None = None,
    ) -> Review:
        """Review a draft: in the context of follow-up `followup_id` when given, else on its own."""
        from ..review import Draft
        from .draft_inputs import profile_context, review_context

        f = self.followup(followup_id) if followup_id is not None else None
        chosen = choice(Channel, channel, "--channel") if channel else (f.channel if f else Channel.EMAIL)
        draft = Draft.parse(text, chosen)
        if not draft.body.strip():
            raise InvalidInput("the draft is empty; give a file holding the message, or pipe it in")
        moment = self.moment(now, "--now")
        if f is None:
            return self.reviewer.review(draft, profile_context(self.profile))
        return self.reviewer.review(draft, review_context(self.store, self.planner, f, moment, chosen))

    def draft(
        self: _Services, followup_id: int, channel: str | None = None, now: str | None = None
    ) -> DraftResult:
        """A ready-to-send draft for follow-up `followup_id`, with its review as if sent at `now`."""
        from ..compose.writer import compose
        from ..review import Draft
        from .draft_inputs import review_context
        from .drafts import DraftResult, facts, mailto

        f = self.followup(followup_id)
        chosen = choice(Channel, channel, "--channel") if channel else f.channel
        moment = self.moment(now, "--now")
        history = self.store.history(f.thread_id)  # read once, for the composer and the reviewer
        composed = compose(
            facts(self.store, self.profile, self.zone_name, f, chosen, history), self.templates
        )
        spoken = chosen is Channel.PHONE and composed.voicemail is not None
        text = composed.voicemail if spoken and composed.voicemail else composed.body
        draft = Draft(channel=chosen, subject=composed.subject, body=text, to=composed.to)
        context = review_context(self.store, self.planner, f, moment, chosen, history)
        review = self.reviewer.review(draft, context)
        return DraftResult(f, composed, review, mailto(composed))

    def draft_eml(
        self: _Services,
        followup_id: int,
        now: str | None = None,
        text: str | None = None,
        result: DraftResult | None = None,
    ) -> bytes:
        """The email draft (or `text`, as edited) as an RFC 5322 message; its Message-ID is kept.

        `result`, when given, is the email draft already written for this follow-up.
        """
        from ..review import Draft
        from .drafts import eml

        if result is None or result.composed.channel is not Channel.EMAIL:
            result = self.draft(followup_id, "email", now)
        subject, body = result.composed.subject, result.composed.body
        if text is not None:
            edited = Draft.parse(text)
            subject, body = edited.subject, edited.body
        person = self.store.get_contact(result.followup.contact_id)
        to = (person.name if person else "", result.composed.to)
        data, message_id = eml(subject, body, to, self.profile, self.moment(now, "--now"))
        with self.store.transaction():
            self.store.set_message_id(followup_id, message_id)
        return data
