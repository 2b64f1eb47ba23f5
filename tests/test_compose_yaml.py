"""compose.yaml is documentation: read here, so that what it says can run. Every tactful command in
it exists, with the options it gives; every TACTFUL_ setting it sets is one tactful reads; the web
app and the worker reach the database service it defines, and the server's health check asks the
health endpoint."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import click
import yaml

from tactful.cli import cli
from tactful.config import SETTINGS

COMPOSE = Path(__file__).resolve().parent.parent / "compose.yaml"


def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    found: dict[str, Any] = document["services"]
    return found


def tactful_words(command: str) -> list[str]:
    """The `tactful ...` part of a service's shell command."""
    inner = shlex.split(command)[-1] if command.startswith("sh -c") else command
    for part in inner.split("&&"):
        words = shlex.split(part)
        if words and words[0] == "tactful":
            return words[1:]
    raise AssertionError(f"no tactful command in {command!r}")


def test_the_services_are_a_database_a_server_and_a_worker() -> None:
    found = services()
    assert set(found) == {"db", "server", "worker"}
    assert found["db"]["image"].startswith("postgres:")
    for name in ("server", "worker"):
        service = found[name]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["environment"]["TACTFUL_DB"].startswith("postgresql://")
        assert "@db:5432/" in service["environment"]["TACTFUL_DB"]
        assert "'/app[server]'" in service["command"]  # the extra with the driver and the queue
    assert "/healthz" in " ".join(found["server"]["healthcheck"]["test"])


def test_every_command_option_and_setting_is_one_tactful_has() -> None:
    known = {s.env for s in SETTINGS}
    for name in ("server", "worker"):
        service = services()[name]
        assert set(service["environment"]) <= known, set(service["environment"]) - known
        words = tactful_words(service["command"])
        command = cli.commands[words[0]]
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
        given = [w for w in words[1:] if w.startswith("--")]
        assert given and set(given) <= options, set(given) - options
        context = command.make_context(words[0], words[1:], resilient_parsing=False)
        assert context.params  # the values parse, as the command would take them
    assert tactful_words(services()["server"]["command"])[0] == "serve"
    assert tactful_words(services()["worker"]["command"])[0] == "worker"
