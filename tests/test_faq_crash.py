"""kill -9 of a process in the middle of posting a FAQ slot to many chats.

The worker (tests/faq_worker.py run-due, the real FaqScheduler posting over
HTTP through PTB) is killed at random moments while it posts one slot to 30
chats, each sendMessage answered slowly.  After every kill the state file is
intact (integrity_check "ok", WAL); restarts at later instants of the same
slot complete the chats nobody claimed; no chat ever gets the slot twice
(a claim interrupted mid-post is never re-posted: at most once per chat).
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess

from conftest import KNOWLEDGE, PYTHON, ROOT, subprocess_env
from fake_bot_api import FakeBotAPI

CHATS = [-1009000000000 - i for i in range(30)]
FAQ = ("timezone: Europe/Paris\nentries:\n  - id: five-stars\n"
       "    question: \"Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?\"\n"
       "    lang: fr\n    schedule: \"0 9 * * mon\"\n    chats: " + json.dumps(CHATS) + "\n")


def check_state(path) -> dict[str, str]:
    db = sqlite3.connect(str(path))
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        return {chat: status for chat, status in db.execute("SELECT chat, status FROM faq_posts")}
    finally:
        db.close()


def worker(state, go, config, api, now):
    proc = subprocess.Popen(
        [PYTHON, str(ROOT / "tests" / "faq_worker.py"), "run-due", str(state), str(go), str(config),
         str(KNOWLEDGE), api.root, api.token, now],
        cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line == "ready", proc.stderr.read()
    go.touch()
    return proc


def posts_per_chat(api) -> dict:
    counts: dict = {}
    for call in api.calls_to("sendMessage", ok_only=True):
        counts[call.params["chat_id"]] = counts.get(call.params["chat_id"], 0) + 1
    return counts


def test_kill_9_during_faq_posts_never_posts_a_slot_twice(tmp_path, config_copy):
    (config_copy / "faq.yaml").write_text(FAQ, encoding="utf-8")
    state, go = tmp_path / "state.sqlite3", tmp_path / "go"
    rng = random.Random(5)
    with FakeBotAPI() as api:
        api.delay("sendMessage", 0.15, times=10_000)
        kills = 0
        for minute in range(3):  # restarts inside the grace period of the same 09:00 slot
            go.unlink(missing_ok=True)
            mark = api.mark()
            proc = worker(state, go, config_copy, api, f"2026-03-30T09:0{minute}:00+02:00")
            api.wait_for("sendMessage", since=mark, count=rng.randint(2, 6), timeout=60)
            proc.kill()
            proc.wait(30)
            kills += 1
            check_state(state)
            assert max(posts_per_chat(api).values()) == 1
        # A last run that is not interrupted, then one after the stale-claim limit.
        for now in ("2026-03-30T09:05:00+02:00", "2026-03-30T09:40:00+02:00"):
            go.unlink(missing_ok=True)
            proc = worker(state, go, config_copy, api, now)
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        rows = check_state(state)
        counts = posts_per_chat(api)
    assert kills == 3
    assert set(counts) <= set(CHATS) and max(counts.values()) == 1  # never twice
    assert set(rows) == {str(c) for c in CHATS}  # every chat claimed exactly once (primary key)
    posted = {chat for chat, status in rows.items() if status == "posted"}
    assert posted <= {str(c) for c in counts}  # recorded as posted => delivered
    interrupted = {chat for chat, status in rows.items() if status != "posted"}
    assert len(interrupted) <= 3  # at most the one in flight at each kill
    # ... closed as failed ("interrupted") once stale, never re-posted automatically
    assert {rows[chat] for chat in interrupted} <= {"failed"}
    assert len(counts) >= len(CHATS) - 3
