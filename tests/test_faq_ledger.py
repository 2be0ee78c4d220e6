"""The FAQ ledger on a real SQLite file: claims are exclusive, even across processes."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.state import State
from bot.faq.ledger import CLAIMED, FAILED, POSTED, SKIPPED, Ledger, outbox_key

from conftest import PYTHON, ROOT, subprocess_env

NOW = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
STALE = timedelta(minutes=15)


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
    closed = ledger.close_stale_claims(NOW, STALE)
    assert [(r.slot, r.chat) for r in closed] == [("2026-03-29T06:00Z", "-1")]
    stale = ledger.get("e", "2026-03-29T06:00Z", "-1")
    assert stale.status == FAILED and stale.detail.startswith("interrupted")
    assert ledger.get("e", "2026-03-29T06:59Z", "-1").status == CLAIMED
    assert not ledger.claim("e", "2026-03-29T06:00Z", "-1", NOW)  # the slot stays taken
    assert ledger.close_stale_claims(NOW, STALE) == []  # closing twice is a no-op


def test_a_claim_left_by_a_stopped_process_is_settled_by_what_the_outbox_knows(tmp_path):
    """The process died between claiming a post ('claimed', the post being sent) and
    recording its outcome.  Restarted, on the same SQLite file: nothing is re-posted; each
    claim is settled once stale from its outbox row, or left for the outbox to send."""
    path = tmp_path / "state.sqlite3"
    state = State(path)
    ledger = Ledger(state)
    then = NOW - timedelta(minutes=20)
    slot = "2026-03-29T06:40Z"
    outbox = {  # chat -> how far the dead process got with the outbox row
        "-1": ("sent", json.dumps({"message_id": 4242}), None),
        "-2": ("failed", None, "Forbidden: bot was kicked from the channel chat"),
        "-3": ("uncertain", None, "the connection was lost after the request was sent"),
        "-4": ("sending", None, None),  # killed with the request in flight
        "-5": None,  # killed before the post reached the outbox
        "-6": ("pending", None, None),  # queued in an outage: the outbox sends it at the next start
    }
    for chat, row in outbox.items():
        assert ledger.claim("e", slot, chat, then)
        if row is None:
            continue
        row_id, *_ = state.outbox_add(outbox_key("e", slot, chat), chat, "sendMessage", "{}", 0.0)
        if row[0] == "sending":
            state.outbox_sending(row_id)
        elif row[0] != "pending":
            state.outbox_finish(row_id, row[0], row[1], row[2], 1, 1.0)
    state.close()

    restarted = Ledger(State(path))
    assert restarted.close_stale_claims(then + timedelta(minutes=5), STALE) == []  # not stale yet
    closed = {r.chat: (r.status, r.detail) for r in restarted.close_stale_claims(NOW, STALE)}
    assert set(closed) == {"-1", "-2", "-3", "-4", "-5"}
    assert closed["-1"] == (POSTED, "message 4242 (sent by the outbox after a restart)")
    assert closed["-2"] == (FAILED, "refused by Telegram: Forbidden: bot was kicked from the channel chat")
    for chat in ("-3", "-4", "-5"):
        assert closed[chat][0] == FAILED and "may have been delivered" in closed[chat][1], chat
    assert {r.chat: r.status for r in restarted.records()} == {**{c: s for c, (s, _) in closed.items()},
                                                               "-6": CLAIMED}
    assert not any(restarted.claim("e", slot, chat, NOW) for chat in outbox)  # never posted again
    assert restarted.close_stale_claims(NOW, STALE) == []
    # Once the outbox has sent the queued one, the next sweep records it.
    state = restarted.state
    row_id, *_ = state.outbox_add(outbox_key("e", slot, "-6"), "-6", "sendMessage", "{}", 0.0)
    state.outbox_finish(row_id, "sent", json.dumps({"message_id": 77}), None, 1, 2.0)
    [record] = restarted.close_stale_claims(NOW, STALE)
    assert (record.chat, record.status, record.detail) == ("-6", POSTED, "message 77 (sent by the outbox after a "
                                                                         "restart)")


def test_claims_the_caller_is_still_posting_are_left_alone(tmp_path):
    ledger = Ledger(State(tmp_path / "state.sqlite3"))
    ledger.claim("e", "2026-03-29T06:00Z", "-1", NOW - timedelta(hours=2))  # an outage, still retrying
    assert ledger.close_stale_claims(NOW, STALE, exclude={("e", "2026-03-29T06:00Z", "-1")}) == []
    assert ledger.get("e", "2026-03-29T06:00Z", "-1").status == CLAIMED


def test_a_claim_renewed_by_its_poster_is_not_stale(tmp_path):
    """Another process (the same file, another connection) is still posting the claim: it
    renewed it within the limit, so it is left alone however old the claim; once the renewals
    stop for longer than the limit it is settled like any abandoned claim."""
    path = tmp_path / "state.sqlite3"
    poster, other = Ledger(State(path)), Ledger(State(path))
    poster.claim("e", "2026-03-29T06:00Z", "-1", NOW - timedelta(hours=1))  # a 429 asking for an hour
    poster.alive("e", "2026-03-29T06:00Z", "-1", NOW - timedelta(minutes=1))
    assert other.close_stale_claims(NOW, STALE) == []
    assert other.get("e", "2026-03-29T06:00Z", "-1").status == CLAIMED
    [closed] = other.close_stale_claims(NOW + timedelta(minutes=15), STALE)  # renewed 16 minutes ago
    assert closed.status == FAILED and closed.detail.startswith("interrupted")


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


def test_the_ledger_reads_the_outbox_statuses_from_their_one_definition():
    """The ledger settles stale claims by the outbox's row statuses: compared through
    bot.core.outbox_store.OutboxStatus (one definition, which the outbox uses too), never
    spelt again as literals that a renamed status would silently stop matching; and
    reading them does not load the Telegram library (`bot faq list` stays light)."""
    import ast
    import subprocess
    import sys

    from bot.core.outbox_store import OutboxStatus
    from bot.faq import ledger
    from bot.telegram import outbox

    assert (outbox.PENDING, outbox.SENT, outbox.UNCERTAIN, outbox.FAILED) == (
        OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNCERTAIN, OutboxStatus.FAILED)
    statuses = {OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT, OutboxStatus.UNCERTAIN,
                OutboxStatus.FAILED}
    tree = ast.parse(Path(ledger.__file__).read_text(encoding="utf-8"))
    literal = [(node.lineno, ast.unparse(node)) for node in ast.walk(tree) if isinstance(node, ast.Compare)
               and any(isinstance(side, ast.Constant) and side.value in statuses
                       for side in [node.left, *node.comparators])]
    assert literal == []
    loaded = subprocess.run([sys.executable, "-c", "import sys, bot.faq.ledger; print('telegram' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"
