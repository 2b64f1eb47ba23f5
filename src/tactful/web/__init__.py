"""The web app and JSON API (`tactful serve`)."""

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
