"""The composer: a ready-to-send draft for every follow-up, on every channel. Pure: no storage, no
clock, no output. `compose(facts)` turns the `Facts` of one follow-up into a `Composed` draft."""

from .combined import combine
from .facts import Composed, Facts
from .phrasings import Templates
from .writer import LIMITS, NUDGES, compose

__all__ = ["LIMITS", "NUDGES", "Composed", "Facts", "Templates", "combine", "compose"]
