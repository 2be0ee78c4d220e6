"""A fresh clone's first run: `bot index` (make run's install step) leaves nothing for the first question to build."""

from __future__ import annotations

import json
import subprocess

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env

QUESTIONS = [
    "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?",
    "Je, ukadiriaji wa nyota 5 husaidia mauzo?",
    "ความไว้วางใจของลูกค้ามาจากอะไร",
    "Why can a perfect rating hurt sales?",
]


def test_index_builds_every_cache_the_first_questions_need(tmp_path):
    cache = tmp_path / "fresh-cache"
    env = subprocess_env(BOT_CACHE_DIR=str(cache))
    common = [PYTHON, "-m", "bot", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG)]
    p = subprocess.run([*common, "index"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "(rebuilt)" in p.stdout
    built = sorted(path.name for path in cache.iterdir())
    assert any(name.startswith("index-") for name in built) and any(name.startswith("table-") for name in built)
    p = subprocess.run([*common, "ask", "--json", "-"], input="\n".join(QUESTIONS) + "\n", cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert [json.loads(line)["lang"] for line in p.stdout.splitlines()] == ["fr", "sw", "th", "en"]
    assert sorted(path.name for path in cache.iterdir()) == built  # the questions built nothing new

    # `make clean` removes every cache the bot made there, and nothing else: with
    # BOT_CACHE_DIR=/tmp or ~/.cache it used to delete the whole folder but `history`.
    import shutil

    if shutil.which("make") is None:
        return
    (cache / "history").write_text("a question\n", encoding="utf-8")
    (cache / "someone-else.txt").write_text("not the bot's\n", encoding="utf-8")
    (cache / "pip").mkdir()
    project = tmp_path / "project"  # the Makefile alone: clean's other targets are this folder's
    project.mkdir()
    shutil.copy(ROOT / "Makefile", project / "Makefile")
    p = subprocess.run(["make", "-s", "-C", str(project), "clean"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert sorted(path.name for path in cache.iterdir()) == ["history", "pip", "someone-else.txt"]
