"""One table of settings: what each face reads, from the environment or the user's folders."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tactful import config

SRC = Path(__file__).parent.parent / "src" / "tactful"


def test_each_setting_comes_from_its_variable_else_its_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for s in config.SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    found = config.load()
    assert found.database == str(tmp_path / "data" / "tactful" / "tactful.db")
    assert found.playbook == tmp_path / "conf" / "tactful" / "playbook.toml"
    assert found.phrases == tmp_path / "conf" / "tactful" / "phrases.toml"
    assert found.templates == tmp_path / "conf" / "tactful" / "templates"
    assert found.cache == tmp_path / "cache" / "tactful"
    given = {
        "TACTFUL_DB": str(tmp_path / "elsewhere.db"),
        "TACTFUL_PLAYBOOK": str(tmp_path / "mine.toml"),
        "TACTFUL_PHRASES": str(tmp_path / "words.toml"),
        "TACTFUL_TEMPLATES": str(tmp_path / "phrasings"),
        "TACTFUL_CACHE": str(tmp_path / "kept"),
    }
    found = config.load(environ=given)
    assert found.database == given["TACTFUL_DB"]
    assert found.cache == tmp_path / "kept"
    assert (found.playbook, found.phrases, found.templates) == (
        tmp_path / "mine.toml",
        tmp_path / "words.toml",
        tmp_path / "phrasings",
    )


def test_db_given_on_the_command_line_wins_and_a_url_is_kept_as_written() -> None:
    env = {"TACTFUL_DB": "/tmp/from-env.db"}
    assert config.load(database="/tmp/given.db", environ=env).database == "/tmp/given.db"
    assert config.load(environ={"TACTFUL_DB": "sqlite:///rel.db"}).database == "sqlite:///rel.db"
    assert config.load(environ={"TACTFUL_DB": "~/t.db"}).database == str(Path("~/t.db").expanduser())


def _strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_every_tactful_variable_is_in_the_table_and_only_config_reads_the_environment() -> None:
    known = {s.env for s in config.SETTINGS}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _strings(tree):
            for word in text.replace("`", " ").replace("'", " ").split():
                if word.startswith("TACTFUL_"):
                    assert word.strip(".,;:()") in known, f"{path.name} names {word} outside config.SETTINGS"
        if path.name != "config.py":
            reads = [
                n
                for n in ast.walk(tree)
                if isinstance(n, ast.Attribute)
                and n.attr in ("environ", "getenv")
                and isinstance(n.value, ast.Name)
                and n.value.id == "os"
            ]
            assert not reads, (
                f"{path.relative_to(SRC)} reads the environment itself; go through tactful.config"
            )


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.env)
def test_the_settings_table_documents_each_setting(setting: config.Setting) -> None:
    table = config.settings_table()
    assert f"`{setting.env}`" in table and setting.help in table
