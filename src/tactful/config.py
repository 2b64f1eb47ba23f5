"""Every setting tactful reads from its environment or the user's folders, in one table.

`SETTINGS` lists them: the environment variable, the file or folder in the config directory it
otherwise comes from, and what it is for. The command line and the web app both get their
settings from `load()`; `settings_table()` writes the table the README shows, so the two cannot
disagree. Nothing is read when this module is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

APP = "tactful"


@dataclass(frozen=True)
class Setting:
    """One setting: its name in `Config`, its environment variable, and where it lives otherwise."""

    name: str
    env: str
    default: str  # where the value comes from when the variable is not set, for people to read
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database",
        "TACTFUL_DB",
        "`tactful.db` in the user data directory",
        "The database: a SQLite file's path, a `sqlite:///` URL, or a `postgresql://` URL (a server "
        "several people share). `--db` on the command line wins.",
    ),
    Setting(
        "user",
        "TACTFUL_USER",
        "none: the database is one person's",
        "On a team server, whose data the command line reads and writes: an account's e-mail address "
        "(`tactful users list`).",
    ),
    Setting(
        "url",
        "TACTFUL_URL",
        "`http://127.0.0.1:8000`",
        "The address people reach the web app at, for the links tactful prints (`tactful users add`).",
    ),
    Setting(
        "playbook",
        "TACTFUL_PLAYBOOK",
        "`playbook.toml` in the config directory",
        "Your changes to the playbook's rules and limits, key by key; the rest stays as shipped.",
    ),
    Setting(
        "phrases",
        "TACTFUL_PHRASES",
        "`phrases.toml` in the config directory",
        "Words and phrases added to the reviewer's lists.",
    ),
    Setting(
        "templates",
        "TACTFUL_TEMPLATES",
        "the `templates` folder in the config directory",
        "A folder of draft phrasings (`thank-you.toml`, ...) replacing the shipped ones key by key.",
    ),
    Setting(
        "cache",
        "TACTFUL_CACHE",
        "the user cache directory",
        "Files tactful can rebuild at any time, such as the reviewer's word list kept in a form that "
        "loads faster. Safe to delete.",
    ),
    Setting(
        "mail_password",
        "TACTFUL_MAIL_PASSWORD",
        "the OS keyring, where `tactful mail connect` put it",
        "The mail account's password, for a machine without a keyring. Never stored by tactful in clear.",
    ),
    Setting(
        "secret_key",
        "TACTFUL_SECRET_KEY",
        "none: passwords go to the OS keyring",
        "A server's key (at least 32 characters) under which mail passwords are kept, encrypted, in the "
        "database, where no keyring exists. Never in a backup.",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """The settings in force: where the data is, and the user's own playbook, phrases and phrasings.

    The paths are worked out when first asked for: a command that plans nothing never looks up
    the platform's folders (platformdirs alone is a tenth of a quick command's start)."""

    database: str
    given: Mapping[str, str] = field(default_factory=dict)

    def _in_config(self, name: str, file: str) -> Path:
        value = self.given.get(name)
        return Path(value).expanduser() if value else config_dir() / file

    @cached_property
    def playbook(self) -> Path:
        return self._in_config("playbook", "playbook.toml")

    @cached_property
    def phrases(self) -> Path:
        return self._in_config("phrases", "phrases.toml")

    @cached_property
    def templates(self) -> Path:
        return self._in_config("templates", "templates")

    @property
    def user(self) -> str | None:
        """Whose data, on a team server (`TACTFUL_USER`)."""
        return self.given.get("user")

    @property
    def url(self) -> str:
        """Where the web app is reached, for links."""
        return self.given.get("url", "http://127.0.0.1:8000").rstrip("/")

    @cached_property
    def cache(self) -> Path:
        value = self.given.get("cache")
        return Path(value).expanduser() if value else cache_dir()


def config_dir() -> Path:
    """The user's config directory (`~/.config/tactful` on Linux)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    """The user's data directory (`~/.local/share/tactful` on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """The user's cache directory (`~/.cache/tactful` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def system_zone_name() -> str:
    """The system's IANA zone name, falling back to UTC. The usual case (`TZ` naming a zone, or
    /etc/localtime linking into a zoneinfo folder) is read directly: tzlocal, which covers the
    rest, costs a quick command a fifth of its start."""
    from .business_days import valid_zone

    named = os.environ.get("TZ", "").lstrip(":")
    if named and "/" in named and valid_zone(named):
        return named
    if not named:
        try:
            _, marker, name = os.readlink("/etc/localtime").partition("zoneinfo/")
        except OSError:
            marker = name = ""
        if marker and valid_zone(name):
            return name
    try:
        from tzlocal import get_localzone_name

        found = get_localzone_name()
    except Exception:  # tzlocal raises several kinds of error on odd systems
        found = None
    return found or "UTC"


def load(database: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The settings in force: `database` when given (`--db`), else each variable, else its default."""
    env = os.environ if environ is None else environ

    def given(name: str) -> str | None:
        return env.get(BY_NAME[name].env) or None

    if database is not None:
        location = os.fspath(database)
    elif value := given("database"):
        location = value if "://" in value else str(Path(value).expanduser())
    else:
        location = str(data_dir() / "tactful.db")
    names = ("playbook", "phrases", "templates", "cache", "user", "url")
    return Config(database=location, given={n: v for n in names if (v := given(n))})


def mail_password(environ: Mapping[str, str] | None = None) -> str | None:
    """The mail password given in the environment, read only when a command needs it (and kept in
    no `Config`, whose repr could end up in a log)."""
    return (os.environ if environ is None else environ).get(BY_NAME["mail_password"].env) or None


def secret_key(environ: Mapping[str, str] | None = None) -> str | None:
    """The server's key for mail passwords kept in the database, read only when a command needs it."""
    return (os.environ if environ is None else environ).get(BY_NAME["secret_key"].env) or None


def settings_table() -> str:
    """The settings as a Markdown table, for the docs."""
    rows = ["| Variable | Default | What it sets |", "| --- | --- | --- |"]
    rows += [f"| `{s.env}` | {s.default} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"
