"""The context every use case works in: one `Service` per command or web request.

It holds the store, the clock and what is read from the store once and kept: the user's profile,
their business-day calendar, the planner over the playbook, the reviewer and the draft phrasings.
The use cases are plain functions in the modules beside this one (`followups`, `reading`,
`drafting`, `transfer`, `access`, `demo`), each taking the service as its first argument. They read
and check their input, ask the pure core (playbook, composer, reviewer, formats), and store the
outcome in one transaction: bad input raises a `TactfulError` before anything is written. Nothing
here prints or prompts.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from ..business_days import BusinessCalendar, country_for_zone, zone
from ..config import Config, system_zone_name
from ..domain import Account, Profile
from ..errors import InvalidInput
from ..store.base import Store

if TYPE_CHECKING:
    from ..compose import Templates
    from ..playbook.planner import Planner
    from ..review import Reviewer

_REVIEWERS: dict[tuple[str, float, str], Reviewer] = {}


def shared_reviewer(phrases: Path | None, cache: Path | None = None) -> Reviewer:
    """One reviewer per process, phrase file and cache: its dictionary takes a few tenths of a
    second to load (less from the cache)."""
    from ..review import Reviewer, default_reviewer

    extra = phrases if phrases is not None and phrases.exists() else None
    if extra is None and cache is None:
        return default_reviewer()
    key = (str(extra or ""), extra.stat().st_mtime if extra else 0.0, str(cache or ""))
    if key not in _REVIEWERS:
        try:
            _REVIEWERS[key] = Reviewer(extra_phrase_files=[extra] if extra else [], word_cache=cache)
        except ValueError as exc:
            raise InvalidInput(f"{exc}; fix the file or move it aside") from exc
    return _REVIEWERS[key]


class Service:
    """The store, the clock and the user's settings, as every use case needs them.

    `playbook_path`, `phrases_path` and `templates_dir` are the user's own playbook, phrase lists
    and draft phrasings, `cache_dir` where rebuildable files may be kept; those not given come from
    `config` (see `tactful.config`); `now` fixes the clock (tests, a sample history).
    """

    def __init__(
        self,
        store: Store,
        playbook_path: Path | None = None,
        now: dt.datetime | None = None,
        phrases_path: Path | None = None,
        templates_dir: Path | None = None,
        cache_dir: Path | None = None,
        config: Config | None = None,
        reviewer: Reviewer | None = None,
        account: Account | None = None,
    ):
        self.store = store
        self.account = account  # whose data this is, on a team server (None: one person's database)
        if reviewer is not None:  # one that reviews elsewhere (a web server's worker process)
            self.__dict__["reviewer"] = reviewer
        self._paths = {
            "playbook": playbook_path,
            "phrases": phrases_path,
            "templates": templates_dir,
            "cache": cache_dir,
        }
        self._config = config
        self._fixed_now = now

    # -- the user's files: given here, else the settings' (looked up only when first needed) -------
    def _path(self, name: str) -> Path | None:
        given = self._paths[name]
        if given is None and self._config is not None:
            given = self._paths[name] = getattr(self._config, name)
        return given

    @property
    def playbook_path(self) -> Path | None:
        return self._path("playbook")

    @property
    def phrases_path(self) -> Path | None:
        return self._path("phrases")

    @property
    def templates_dir(self) -> Path | None:
        return self._path("templates")

    @property
    def cache_dir(self) -> Path | None:
        return self._path("cache")

    # -- the clock --------------------------------------------------------------------------------
    def use_clock(self, moment: dt.datetime | None) -> None:
        """Answer as if it were `moment` (None: the real time), e.g. for a sample history or a replay."""
        self._fixed_now = moment

    def now(self) -> dt.datetime:
        return self._fixed_now or dt.datetime.now(dt.UTC).replace(microsecond=0)

    def moment(
        self,
        text: str | None,
        what: str,
        prefer: Literal["past", "future"] = "past",
        since: dt.datetime | None = None,
    ) -> dt.datetime:
        """The moment `text` names in the user's zone (now when empty); `what` names the field.
        Relative words count from `since` (default now): a deadline from when it was set."""
        if not text:
            return self.now()
        from ..timeparse import parse_moment
        from .validate import bounded

        text = bounded(what, text, "moment")
        return parse_moment(text, self.zone, since or self.now(), prefer, what, self.date_order)

    def day(self, text: str | None, what: str, since: dt.datetime | None = None) -> dt.date | None:
        """The calendar day `text` names (None when empty), a coming one when only a weekday is given;
        relative words count from `since` (default now)."""
        if not text:
            return None
        from ..timeparse import parse_day
        from .validate import bounded

        text = bounded(what, text, "moment")
        return parse_day(text, self.zone, since or self.now(), "future", what, self.date_order)

    @property
    def date_order(self) -> str:
        """How the user writes numeric dates, by the profile's country: "DMY", "MDY" or "YMD"."""
        from ..timeparse import date_order

        return date_order(self.profile.country)

    # -- what is read once and kept ----------------------------------------------------------------
    @cached_property
    def profile(self) -> Profile:
        return self.store.get_profile()

    @property
    def zone_name(self) -> str:
        """The user's IANA time zone: the profile's, else the system's."""
        return self.profile.tz or system_zone_name()

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.zone_name)

    @cached_property
    def calendar(self) -> BusinessCalendar:
        country = self.profile.country or country_for_zone(self.zone_name)
        return BusinessCalendar(self.zone_name, country)

    @cached_property
    def planner(self) -> Planner:
        from ..playbook import rules
        from ..playbook.planner import Planner

        return Planner(rules.load(self.playbook_path), self.calendar, self.profile)

    @cached_property
    def reviewer(self) -> Reviewer:
        return shared_reviewer(self.phrases_path, self.cache_dir)

    @cached_property
    def templates(self) -> Templates | None:
        """The draft phrasings with the user's overrides (None: the shipped ones alone)."""
        if self.templates_dir is None or not self.templates_dir.is_dir():
            return None
        from ..compose import Templates

        return Templates(override_dir=self.templates_dir)

    def refresh(self) -> None:
        """Forget what was read from the store (profile, calendar, planner) after it changed underneath."""
        for name in ("profile", "calendar", "planner"):
            self.__dict__.pop(name, None)


def lookback(svc: Service, at: dt.datetime) -> dt.datetime:
    """How far back a sent follow-up can still constrain a new one under the playbook's limits."""
    limits = svc.planner.playbook.limits
    business = max(limits.spacing_business_days, limits.one_channel_business_days)
    return at - dt.timedelta(days=2 * business + limits.phone_after_email_days + 14)
