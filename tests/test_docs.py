"""Docs that cannot rot: the CLI reference and the settings table match the code, every command says
what it does, and the README's command-line examples run, in order, on a throw-away database."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tactful.cli import cli

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
TACTFUL = Path(sys.executable).parent / "tactful"

#: Examples that fail today because of a known bug, with the reason; the test fails once they pass,
#: so that the mark is taken off with the fix.
KNOWN_TO_FAIL: dict[str, str] = {}
#: A draft for `tactful check mydraft.txt`, and the file `import linkedin` reads.
MY_DRAFT = (
    "Subject: Thank you for the Data Engineer interview\n\nDear Sam,\n\nThank you for your time today and for "
    "the conversation about streaming ingestion at Acme. I am keen on the Data Engineer role.\n\n"
    "Best regards,\nRobin Vale\n"
)


def test_the_cli_reference_and_the_settings_table_match_the_code() -> None:
    from cogapp import Cog

    status = Cog().main(
        ["cog", "--check", str(ROOT / "docs" / "cli.md"), str(ROOT / "docs" / "security.md"), str(README)]
    )
    assert status == 0, "docs/cli.md or the README's settings are stale: run `make docs`"


def _commands(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _commands(sub, [*path, name])


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli, [])], ids=lambda p: " ".join(p) or "tactful")
def test_every_command_says_what_it_does_and_is_in_the_reference(path: list[str]) -> None:
    command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help and command.get_short_help_str(), f"{path} has no help text"
    assert f"## `{' '.join(['tactful', *path])}`" in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def readme_examples() -> list[str]:
    """Every `tactful` command in the README's shell blocks, as written, without its comment."""
    found, inside, pending = [], False, ""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line.strip() == "```sh"
            continue
        if not inside:
            continue
        pending += line.rstrip().removesuffix("\\")
        if line.rstrip().endswith("\\"):
            pending += " "
            continue
        words = shlex.split(pending, comments=True)
        pending = ""
        if words and words[0] == "tactful":
            found.append(shlex.join(words))
    return found


EXAMPLES = readme_examples()


def test_the_readme_shows_the_core_loop() -> None:
    starts = {" ".join(shlex.split(e)[:2]) for e in EXAMPLES}
    assert {"tactful log", "tactful agenda", "tactful done", "tactful draft", "tactful serve"} <= starts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(words: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """`tactful serve` as a real process (on a free port): it must answer its first page, then stop."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(TACTFUL), *words[1:], "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    return (0 if page.status == 200 else 1), page.read().decode("utf-8")[:200]
            except OSError:
                if proc.poll() is not None:
                    return proc.returncode or 1, proc.stdout.read() if proc.stdout else ""
                time.sleep(0.2)
        return 1, "the server did not answer within 30 s"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every example run in the README's order, in one folder and one database: (exit status, output)."""
    here = tmp_path_factory.mktemp("readme")
    shutil.copy(FIXTURES / "Connections.csv", here / "Connections.csv")
    (here / "mydraft.txt").write_text(MY_DRAFT, encoding="utf-8")
    env = {
        "TACTFUL_DB": str(here / "readme.db"),
        "TACTFUL_PLAYBOOK": str(here / "no-playbook.toml"),
        "TACTFUL_PHRASES": str(here / "no-phrases.toml"),
        "TACTFUL_TEMPLATES": str(here / "no-templates"),
        "NO_COLOR": "1",
    }
    results: dict[str, tuple[int, str]] = {}
    runner = CliRunner()
    with contextlib.chdir(here):  # the files the examples write land here
        for example in EXAMPLES:
            words = shlex.split(example)
            if words[1] == "serve":
                results[example] = _serve(words, {**os.environ, **env}, here)
                continue
            result: Any = runner.invoke(cli, words[1:], env=env, prog_name="tactful")
            results[example] = (result.exit_code, result.output + (result.stderr or ""))
    return results


@pytest.mark.parametrize(
    "example",
    [
        pytest.param(e, marks=pytest.mark.xfail(strict=True, reason=KNOWN_TO_FAIL[e]))
        if e in KNOWN_TO_FAIL
        else e
        for e in EXAMPLES
    ],
)
def test_a_readme_example_runs_as_written(played: dict[str, tuple[int, str]], example: str) -> None:
    status, output = played[example]
    words = shlex.split(example)
    ok = {0, 3} if words[1] == "check" else {0}  # `check` says "needs work" with status 3 (the interface)
    assert status in ok, f"{example} ended with {status}:\n{output}"


def test_every_test_the_security_page_names_exists() -> None:
    """docs/security.md says which test holds each promise: each named test must be there."""
    import re

    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_\w+)`", page))
    assert len(named) >= 15
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    missing = sorted(n for n in named if not re.search(rf"def {n}\b", source))
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
