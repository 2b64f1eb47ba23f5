"""What works, from the user's own history: reply rates and how soon people answer (`tactful stats`).

A follow-up counts once sent (marked done, by hand or by the mailbox), reminders to yourself aside.
It was answered when a reply in its thread (recorded with `tactful reply`, or synced) came after it
and before the thread's next nudge was sent: an answer to a later nudge is that nudge's. Each rate
says how many sends it rests on (`of`), so that 2 of 3 is not taken for a law.
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .base import Service

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Rate:
    replied: int = 0
    of: int = 0

    def add(self, answered: bool, n: int = 1) -> None:
        self.of += n
        self.replied += n if answered else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate": round(self.replied / self.of, 3) if self.of else None,
            "replied": self.replied,
            "of": self.of,
        }


@dataclass
class Stats:
    threads: int = 0
    sent: int = 0
    by_purpose: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    by_nudge: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    by_channel: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    by_delay: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    by_weekday: dict[str, Rate] = field(default_factory=lambda: defaultdict(Rate))
    days_to_reply: list[float] = field(default_factory=list)
    on_time: int = 0
    since: dt.datetime | None = None

    @property
    def overall(self) -> Rate:
        return Rate(sum(r.replied for r in self.by_purpose.values()), self.sent)

    def to_dict(self) -> dict[str, Any]:
        def group(rates: dict[str, Rate], order: tuple[str, ...] = ()) -> dict[str, Any]:
            keys = [k for k in order if k in rates] + sorted(k for k in rates if k not in order)
            return {k: rates[k].to_dict() for k in keys}

        median = statistics.median(self.days_to_reply) if self.days_to_reply else None
        return {
            "threads": self.threads,
            "sent": self.sent,
            "reply_rate": {
                "overall": self.overall.to_dict(),
                "by_purpose": group(self.by_purpose),
                "by_nudge": group(self.by_nudge),
                "by_channel": group(self.by_channel),
                "by_delay": group(self.by_delay, ("in_window", "late")),
                "by_weekday": group(self.by_weekday, WEEKDAYS),
            },
            "median_days_to_reply": round(median, 1) if median is not None else None,
            "on_time": {"on_time": self.on_time, "of": self.sent},
        }


#: A send as `Store.sent_record` gives it: (id, thread, purpose, channel it went on, nudge, round,
#: due_by, done_at), times as stored (UTC ISO), oldest first per thread.
Sent = tuple[int, int, str, str, bool, int, str, str]


def answered_at(sent: Sequence[Sent], replies: Mapping[int, Sequence[str]]) -> list[str | None]:
    """For each send of `sent`, when the reply that answered it came (None: unanswered).

    `replies` holds each thread's reply times, oldest first. A send is answered by the first reply in
    its thread after it, if that came before the thread's next nudge was sent: an answer to a later
    nudge is that nudge's. `what_works` counts answers the same way, through this function.
    """
    next_nudge: dict[int, str | None] = {}  # each send's thread's next nudge, when it was sent
    for n in range(len(sent) - 1, -1, -1):
        fid, thread_id = sent[n][0], sent[n][1]
        later = sent[n + 1] if n + 1 < len(sent) and sent[n + 1][1] == thread_id else None
        next_nudge[fid] = None if later is None else (later[7] if later[4] else next_nudge[later[0]])
    found: list[str | None] = []
    for fid, thread_id, *_, done_at in sent:
        answers = replies.get(thread_id)
        answer = None
        if answers:
            first = bisect.bisect_right(answers, done_at)
            answer = answers[first] if first < len(answers) else None
            until = next_nudge[fid]
            if answer is not None and until is not None and answer > until:
                answer = None
        found.append(answer)
    return found


def record(svc: Service, start: dt.datetime | None = None) -> tuple[list[Sent], list[str | None]]:
    """Every send since `start` (default: ever) and, beside each, when it was answered (or None)."""
    sent = svc.store.sent_record(start)
    replies: dict[int, list[str]] = defaultdict(list)
    for thread_id, at in svc.store.reply_record(start):
        replies[thread_id].append(at)
    return sent, answered_at(sent, replies)


def stats(svc: Service, since: str | None = None) -> Stats:
    """The figures over what was sent since `since` (default: ever)."""
    start = svc.moment(since, "since") if since else None
    sent, answers = record(svc, start)
    zone = svc.zone
    result = Stats(since=start)
    threads: set[int] = set()
    nudges_in_round: dict[tuple[int, int], int] = defaultdict(int)
    counts: dict[tuple[str, str, str, str, str, bool], int] = defaultdict(int)  # one count per kind of send
    weekdays: dict[str, str] = {}  # the weekday of each UTC hour, in zones whose days begin on the hour
    for (_, thread_id, purpose, channel, nudge, round_, due_by, done_at), answer in zip(
        sent, answers, strict=True
    ):
        threads.add(thread_id)
        answered = answer is not None
        if answer is not None:
            waited = dt.datetime.fromisoformat(answer) - dt.datetime.fromisoformat(done_at)
            result.days_to_reply.append(waited.total_seconds() / 86400)
        number = "0"
        if nudge:
            nudges_in_round[(thread_id, round_)] += 1
            number = str(nudges_in_round[(thread_id, round_)])
        delay = "in_window" if done_at <= due_by else "late"
        day = weekdays.get(done_at[:13])
        if day is None:
            local = dt.datetime.fromisoformat(done_at).astimezone(zone)
            day = WEEKDAYS[local.weekday()]
            offset = local.utcoffset()
            if offset is not None and not offset.total_seconds() % 3600:  # a day begins on the hour
                weekdays[done_at[:13]] = day
        counts[(purpose, number, channel, delay, day, answered)] += 1
    for (purpose, number, channel, delay, day, answered), n in counts.items():
        for group, key in (
            (result.by_purpose, purpose),
            (result.by_nudge, number),
            (result.by_channel, channel),
            (result.by_delay, delay),
            (result.by_weekday, day),
        ):
            group[key].add(answered, n)
        result.sent += n
        if delay == "in_window":
            result.on_time += n
    result.threads = len(threads)
    return result
