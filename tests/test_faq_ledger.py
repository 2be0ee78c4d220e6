"""The FAQ ledger on a real SQLite file: claims are exclusive, even across processes."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta

from bot.core.state import State
from bot.faq.ledger import CLAIMED, FAILED, POSTED, SKIPPED, Ledger

from conftest import PYTHON, ROOT, subprocess_env

NOW = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_claim_is_exclusive_and_outcomes_are_recorded(tmp_path):
    path = tmp_path / "state.sqlite3"
    first, second = Ledger(State(path)), Ledger(State(path))  # two connections, one file
    assert first.claim("five-stars", "2026-03-30T07:00Z", "-100123", NOW)
    assert not second.claim("five-stars", "2026-03-30T07:00Z", "-100123", NOW)
    assert second.claim("five-stars", "2026-03-30T07:00Z", "@channel", NOW)  # another chat
    assert first.get("five-stars", "2026-03-30T07:00Z", "-100123").status == CLAIMED
    first.finish("five-stars", "2026-03-30T07:00Z", "-100123", POSTED, NOW, "message 1000")
    record = second.get("five-stars", "2026-03-30T07:00Z", "-100123")
    assert (record.status, record.detail) == (POSTED, "message 1000") and record.posted_at
    # A skipped slot is recorded with the same claim, so it is logged once.
    assert first.claim("five-stars", "2026-03-23T08:00Z", "-100123", NOW, SKIPPED, "missed")
    assert not second.claim("five-stars", "2026-03-23T08:00Z", "-100123", NOW, SKIPPED, "missed")
    assert first.claim("five-stars", "manual:2026-03-31T10:00:00.000000Z", "-100123", NOW)
    assert first.last_slot("five-stars") == "2026-03-30T07:00Z"  # manual posts are not slots
    assert first.last_slot("other") is None


def test_stale_claims_are_closed_as_failed_and_never_reposted(tmp_path):
    ledger = Ledger(State(tmp_path / "state.sqlite3"))
    ledger.claim("e", "2026-03-29T06:00Z", "-1", NOW - timedelta(minutes=20))  # crashed mid-post
    ledger.claim("e", "2026-03-29T06:59Z", "-1", NOW - timedelta(minutes=1))   # still posting
    closed = ledger.close_stale_claims(NOW)
    assert [(r.slot, r.chat) for r in closed] == [("2026-03-29T06:00Z", "-1")]
    stale = ledger.get("e", "2026-03-29T06:00Z", "-1")
    assert stale.status == FAILED and stale.detail.startswith("interrupted")
    assert ledger.get("e", "2026-03-29T06:59Z", "-1").status == CLAIMED
    assert not ledger.claim("e", "2026-03-29T06:00Z", "-1", NOW)  # the slot stays taken
    assert ledger.close_stale_claims(NOW) == []  # closing twice is a no-op


def test_state_survives_reopening(tmp_path):
    path = tmp_path / "state.sqlite3"
    state = State(path)
    Ledger(state).claim("e", "2026-03-29T06:00Z", "-1", NOW)
    state.close()
    assert not Ledger(State(path)).claim("e", "2026-03-29T06:00Z", "-1", NOW)


def test_processes_racing_on_one_file_win_each_claim_exactly_once(tmp_path):
    """Three real processes claim the same 240 keys at the same moment."""
    state, go = tmp_path / "state.sqlite3", tmp_path / "go"
    chats = "-1001,-1002,@faq_channel"
    procs = [subprocess.Popen([PYTHON, str(ROOT / "tests" / "faq_worker.py"), "claims", str(state), str(go),
                               "race", "80", chats], cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.touch()
    won = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        won.append({tuple(k) for k in json.loads(out)})
    total = set().union(*won)
    assert len(total) == 80 * 3
    assert sum(len(w) for w in won) == len(total)  # no key won twice
    print("claims won per process:", [len(w) for w in won])
    rows = State(state).execute("SELECT COUNT(*) FROM faq_posts").fetchone()[0]
    assert rows == 240
