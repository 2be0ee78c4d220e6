"""`bot faq list` shows the language an entry is posted in.

The poster decides an unsure guess with the knowledge's vote
(QAService.detect); `list` asks the same function over the index when it is
already built, and otherwise shows the bare guess marked unchecked, without
indexing anything.  "gadget documentation terrible" is English for the
identifier alone (0.66, below `sure_language_confidence`) and French with the
vote of a knowledge whose one French article holds all three words
(tests/test_language_detection.py has the same question on the shipped articles).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.core.config import load_settings
from bot.faq.config import load_faq
from bot.knowledge.language import language_by_settings

from conftest import PYTHON, ROOT, subprocess_env

QUESTION = "gadget documentation terrible"
FAQ = ("entries:\n"
       f"  - {{id: gadget, question: '{QUESTION}', schedule: '0 9 * * mon', chats: []}}\n"
       f"  - {{id: pinned, question: '{QUESTION}', lang: sw, schedule: '0 9 * * mon', chats: []}}\n")


@pytest.fixture
def folders(tmp_path, config_copy) -> tuple[Path, Path]:
    """(knowledge folder with one French article holding the question's words, config with its FAQ)."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "gadget.md").write_text(
        "---\ntitle: Le gadget\nlang: fr\n---\n"
        "Ce gadget est livré avec une documentation terrible, que personne ne lit.\n", encoding="utf-8")
    (config_copy / "faq.yaml").write_text(FAQ, encoding="utf-8")
    return knowledge, config_copy


def list_entries(knowledge: Path, config: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "bot", "--knowledge", str(knowledge), "--config", str(config),
                           "faq", "list", *args], cwd=ROOT, env=subprocess_env(**env), capture_output=True,
                          text=True, timeout=120)


def test_list_shows_the_language_the_poster_uses_when_the_index_is_built(folders):
    from bot.answering.service import QAService
    from bot.faq.poster import compose

    knowledge, config = folders
    settings = load_settings(config)
    assert language_by_settings(QUESTION, settings) == "en"  # the guess alone
    service = QAService.open(knowledge, config)  # builds and persists the index, as `bot index` does
    entries = {e.id: e for e in load_faq(config, settings.languages).entries}
    posted = compose(service, entries["gadget"]).lang  # the poster's path (scheduler, `faq post`)
    assert posted == "fr"

    out = list_entries(knowledge, config, "--json")
    assert out.returncode == 0, out.stderr
    rows = {row["id"]: row for row in json.loads(out.stdout)}
    assert rows["gadget"]["lang"] == posted  # was the guess alone, "en"
    assert rows["gadget"]["lang_checked"] is True
    assert (rows["pinned"]["lang"], rows["pinned"]["lang_checked"]) == ("sw", True)  # an explicit lang stays
    assert set(rows["gadget"]) == {"id", "question", "lang", "schedule", "timezone", "chats", "next_run",
                                   "lang_checked"}
    text = list_entries(knowledge, config)
    assert f"    [fr] {QUESTION}" in text.stdout.splitlines()
    assert "?" not in text.stdout  # nothing marked unchecked


def test_list_without_a_built_index_builds_none_and_marks_the_guess(folders, tmp_path, monkeypatch, capsys):
    import bot.answering.service as service_module
    import bot.knowledge.embedding as embedding
    import bot.knowledge.index_cache as index_cache
    import bot.knowledge.store as store
    from bot.cli import main

    knowledge, config = folders
    cache = tmp_path / "fresh-cache"
    cache.mkdir()
    out = list_entries(knowledge, config, "--json", BOT_CACHE_DIR=str(cache))
    assert out.returncode == 0, out.stderr
    rows = {row["id"]: row for row in json.loads(out.stdout)}
    assert (rows["gadget"]["lang"], rows["gadget"]["lang_checked"]) == ("en", False)
    assert (rows["pinned"]["lang"], rows["pinned"]["lang_checked"]) == ("sw", True)
    text = list_entries(knowledge, config, BOT_CACHE_DIR=str(cache))
    assert f"    [en?] {QUESTION}" in text.stdout.splitlines() and f"    [sw] {QUESTION}" in text.stdout
    assert "without the knowledge's vote" in text.stdout and "bot index" in text.stdout
    assert not [p.name for p in cache.iterdir() if p.name.startswith("index-")]  # nothing indexed

    # In-process, the paths that index a folder or load the embedding model (the slow
    # part of opening a service) are not even entered.
    def forbidden(*_args, **_kwargs):
        raise AssertionError("faq list must not index the knowledge nor load a model")

    monkeypatch.setenv("BOT_CACHE_DIR", str(cache))
    monkeypatch.setattr(store, "update", forbidden)
    monkeypatch.setattr(service_module, "open_knowledge", forbidden)
    monkeypatch.setattr(embedding, "load_embedder", forbidden)
    assert main(["--knowledge", str(knowledge), "--config", str(config), "faq", "list", "--json"]) == 0
    assert {r["id"]: r["lang_checked"] for r in json.loads(capsys.readouterr().out)} == {"gadget": False,
                                                                                       "pinned": True}
    assert not index_cache.cache_dir_for(knowledge).exists()


def test_a_stale_index_is_not_asked_nor_updated(folders, tmp_path, monkeypatch):
    """An index built before the knowledge changed may vote otherwise than the one
    the poster will build: the guess is shown unchecked, the index left as it was."""
    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.index_files import STAMP
    from bot.knowledge.store import open_built, open_knowledge

    knowledge, config = folders
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings(config)
    open_knowledge(knowledge, settings)
    assert open_built(knowledge, settings) is not None
    stamp = (cache_dir_for(knowledge) / STAMP).read_text(encoding="utf-8")
    with open(knowledge / "gadget.md", "a", encoding="utf-8") as f:
        f.write("Encore une ligne.\n")
    assert open_built(knowledge, settings) is None
    out = list_entries(knowledge, config, "--json", BOT_CACHE_DIR=str(tmp_path / "cache"))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["lang_checked"] is False
    assert (cache_dir_for(knowledge) / STAMP).read_text(encoding="utf-8") == stamp


@pytest.mark.parametrize("value, says", [
    ("tomorrow", "is not an ISO 8601 instant"),
    ("2026-03-28T12:00:00", "must include a UTC offset"),
    # were OverflowError tracebacks (the next run is searched for years after the instant)
    ("9999-12-31T23:59:00Z", "is out of range"),
    ("0001-01-01T00:00:00+00:00", "is out of range"),
])
def test_a_bad_bot_faq_now_is_one_error_line_exit_2(folders, value, says):
    """BOT_FAQ_NOW=tomorrow was a ValueError traceback; a value without offset exited 1
    with a bare sentence.  Both are a problem to fix first: `error: …` naming it, exit 2."""
    knowledge, config = folders
    p = list_entries(knowledge, config, BOT_FAQ_NOW=value)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    assert f"error: BOT_FAQ_NOW={value!r} {says}" in p.stderr
