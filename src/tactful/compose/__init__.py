"""The composer: a ready-to-send draft for every follow-up, on every channel. Pure."""

from .writer import LIMITS, NUDGES, Composed, Facts, Templates, compose

__all__ = ["LIMITS", "NUDGES", "Composed", "Facts", "Templates", "compose"]
