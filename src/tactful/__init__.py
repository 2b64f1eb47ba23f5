"""tactful: a local-first follow-up assistant."""

__version__ = "0.1.0"
