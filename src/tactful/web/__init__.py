"""The web app and JSON API (`tactful serve`)."""

from .app import LOOPBACK_NAMES, Settings, create_app

__all__ = ["LOOPBACK_NAMES", "Settings", "create_app"]
