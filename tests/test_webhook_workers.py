"""Webhook workers sharing PostgreSQL (issue 14, part 2): the real `python -m bot telegram`
processes with TELEGRAM_WEBHOOK_URL and BOT_STATE_URL, a real PostgreSQL server started
here (tests/pg_server.py), Telegram's POSTs sent over real HTTP to 127.0.0.1, replies to
the fake Bot API.

* the contract: 401 without the secret header, 403 with a wrong one, 2xx only once the
  update is in the inbox; a redelivered update is answered once;
* two workers, 300 updates from 30 chats posted round-robin with Telegram-style retries
  (a failed POST goes to the other worker; some updates are delivered to both), one worker
  kill -9'd midway: every update answered exactly once, in order per chat.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from bot_process import BotProcess
from conftest import CONFIG
from fake_bot_api import FakeBotAPI, parse_telegram_html
from test_delivery import QUESTIONS, check, replies

TOKEN = "737373737:AAF-webhookWorkers_0123456789abcdefg"
SECRET = "s3cret-Token_for-webhooks"
_ids = itertools.count(5_000_000)
_chats = itertools.count(870_000)


@pytest.fixture
def api():
    with FakeBotAPI(TOKEN) as server:
        yield server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def roomy_config(tmp_path: Path) -> Path:
    """The shipped config with a per-user burst of 16: 10 questions per chat posted at once must
    all be answered, not slowed down (fairness is tested elsewhere)."""
    config = tmp_path / "config"
    if not config.exists():
        shutil.copytree(CONFIG, config)
        settings = config / "settings.yaml"
        text = settings.read_text(encoding="utf-8")
        assert "  burst: 8\n" in text
        settings.write_text(text.replace("  burst: 8\n", "  burst: 16\n"), encoding="utf-8")
    return config


def worker(api: FakeBotAPI, tmp_path: Path, name: str, state_url: str | None, port: int) -> BotProcess:
    env = {"TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/telegram", "TELEGRAM_WEBHOOK_SECRET": SECRET,
           "TELEGRAM_WEBHOOK_LISTEN": f"127.0.0.1:{port}"}
    if state_url:
        env["BOT_STATE_URL"] = state_url
    return BotProcess(api, tmp_path / f"{name}-unused.sqlite3", tmp_path / name, verbose=False, extra_env=env,
                      ready_method="setWebhook", config=roomy_config(tmp_path))


def post(port: int, update: dict | bytes, secret: str | None = SECRET, timeout: float = 5.0) -> int:
    """POST one update as Telegram does; the HTTP status, 0 when the worker cannot be reached."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("POST", "/telegram", body=body, headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return 0


def question_update(api: FakeBotAPI, chat: int, text: str) -> dict:
    user = api.user(chat, "Ana", "en")
    return {"update_id": next(_ids),
            "message": api.message({"id": chat, "type": "private", "first_name": "Ana"}, user, text)}


def uncertain(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'uncertain'").fetchone()
    return int(row[0])


def test_webhook_contract(api, tmp_path, pg, service):
    url = pg.fresh_database("contract")
    port = free_port()
    bot = worker(api, tmp_path, "w", url, port).start()
    chat = next(_chats)
    try:
        update = question_update(api, chat, "/help")
        assert post(port, update, secret=None) == 401
        assert post(port, update, secret="wrong") == 403
        assert post(port, b'{"not": "an update"}') == 400
        assert api.calls_to("sendMessage") == []
        assert post(port, update) == 200
        import psycopg

        with psycopg.connect(url) as conn:  # 200 came after the row was committed
            assert conn.execute("SELECT COUNT(*) FROM inbox WHERE update_id = %s",
                                (update["update_id"],)).fetchone()[0] == 1
        assert post(port, update) == 200  # Telegram's retry: recorded once, answered once
        api.wait_for("sendMessage", lambda c: c.params.get("chat_id") == chat, timeout=30)
        # A malformed update is acknowledged (no retry storm) and answered by nobody.
        assert post(port, {"update_id": next(_ids), "message": {"chat": "not-a-chat"}}) == 200
        time.sleep(1.5)
        set_webhook = api.calls_to("setWebhook")[-1]
        assert set_webhook.params["secret_token"] == SECRET
    finally:
        bot.stop()
    got = [c for c in api.calls_to("sendMessage") if c.params.get("chat_id") == chat]
    assert len(got) == 1 and parse_telegram_html(got[0].params["text"]) == service.messages.get("en", "tg_help")
    output = bot.all_output()
    assert SECRET not in output and "skipped malformed update" in output


def test_one_webhook_worker_on_sqlite(api, tmp_path, service):
    """Without BOT_STATE_URL the worker keeps its inbox, outbox and leases in the SQLite file."""
    port = free_port()
    bot = worker(api, tmp_path, "w", None, port).start()
    chats = [next(_chats) for _ in range(3)]
    try:
        for i, chat in enumerate(chats * 2):
            assert post(port, question_update(api, chat, QUESTIONS[i % 2][0])) == 200
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(len(v) for v in replies(api, set(chats)).values()) < 6:
            time.sleep(0.2)
    finally:
        bot.stop()
    got = replies(api, set(chats))
    assert all(len(v) == 2 for v in got.values())
    assert (tmp_path / "w-unused.sqlite3").exists()


def test_two_workers_kill_9_every_update_answered_once_in_order(api, tmp_path, pg, service):
    url = pg.fresh_database("two_workers")
    ports = [free_port(), free_port()]
    workers = [worker(api, tmp_path, f"w{i}", url, ports[i]) for i in range(2)]
    for w in workers:
        w.start()
    chats = [next(_chats) for _ in range(30)]
    sent: dict[int, list[int]] = {c: [] for c in chats}
    updates = []
    for i in range(10):
        for chat in chats:
            index = i % len(QUESTIONS)
            updates.append((chat, question_update(api, chat, QUESTIONS[index][0])))
            sent[chat].append(index)
    started = time.monotonic()
    killed_at = None
    retries = duplicates = 0
    try:
        for n, (_chat, update) in enumerate(updates):
            if n == len(updates) // 2:
                workers[0].kill()  # kill -9, mid-stream, with its chats in progress
                killed_at = time.monotonic() - started
            target = n % 2
            if n % 9 == 0:  # Telegram re-sends when it missed the 2xx: to whichever worker
                duplicates += post(ports[1 - target], update) == 200
            while True:
                if post(ports[target], update) == 200:
                    break
                retries += 1
                target = 1 - target  # Telegram-style retry, landing on the other worker
                time.sleep(0.05)
        # wait while replies keep coming (a loaded machine is slow, not wrong): give up only
        # after 30 s without a new reply, or 5 minutes in all
        last, progress_at, give_up = -1, time.monotonic(), time.monotonic() + 300
        while time.monotonic() < give_up and time.monotonic() - progress_at < 30:
            got = sum(len(v) for v in replies(api, set(chats)).values())
            if got >= 300 - uncertain(url):
                break
            if got > last:
                last, progress_at = got, time.monotonic()
            time.sleep(0.3)
        elapsed = time.monotonic() - started
        time.sleep(1.0)  # late duplicates would show up here
    finally:
        for w in workers:
            w.stop()
    lost, dup, disorder = check(sent, replies(api, set(chats)), service.messages.get("en", "tg_help"))
    maybe = uncertain(url)
    print(f"\ntwo webhook workers, 300 updates from 30 chats, worker 0 killed at {killed_at:.1f}s: all answered "
          f"in {elapsed:.1f}s ({300 / elapsed:.1f} replies/s); {retries} POSTs retried, {duplicates} delivered "
          f"twice; lost {lost} (uncertain {maybe}), duplicated {dup}, out of order {disorder}")
    assert dup == 0
    assert lost <= maybe <= 8  # in flight in the killed worker: counted, not resent (some did arrive)
    assert disorder == 0 or lost > 0  # a lost reply shifts the comparison of its chat


if os.environ.get("BOT_SKIP_PG"):  # pragma: no cover - manual switch for machines without PostgreSQL
    pytestmark = pytest.mark.skip("BOT_SKIP_PG set")
