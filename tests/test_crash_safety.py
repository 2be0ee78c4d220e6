"""kill -9 while the index is being written: the next run still answers.

The index is written file by file through temporary files and renames, and
its fingerprint is written last, so an interrupted build is either ignored
(rebuilt) or complete; it is never trusted half-written.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, subprocess_env


def make_knowledge(target, copies: int) -> int:
    target.mkdir()
    count = 0
    for n in range(copies):
        for src in sorted(KNOWLEDGE.glob("*.md")):
            text = src.read_text(encoding="utf-8")
            # distinct ids; translation links point into the same copy
            text = text.replace("translation_of: 000_", f"translation_of: c{n}-000_")
            (target / f"c{n}-{src.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def test_kill_during_indexing_never_leaves_a_trusted_broken_index(tmp_path):
    knowledge = tmp_path / "knowledge"
    expected = make_knowledge(knowledge, 12)
    env = subprocess_env(BOT_CACHE_DIR=str(tmp_path / "cache"))
    base = [PYTHON, "-m", "bot", "--knowledge", str(knowledge), "--config", str(CONFIG)]
    rng = random.Random(7)
    kills = 0
    for _ in range(6):
        proc = subprocess.Popen(base + ["index", "--rebuild"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    assert kills >= 1
    report = subprocess.run(base + ["index", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["articles"] == expected
    ask = subprocess.run(base + ["ask", "--json", "Mteja mwenye furaha ni mteja wa aina gani?"], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=300)
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["answered"] is True
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
