"""Replies per second of one and two webhook workers on PostgreSQL, start-up and shutdown times.

    .venv/bin/python bench/webhook_workers.py [--updates 300] [--chats 30]

Starts a real PostgreSQL server (tests/pg_server.py), the fake Bot API and real
`python -m bot telegram` webhook workers; posts the updates round-robin over
the workers and waits for every reply.  Also the polling worker on SQLite
for comparison.  Production flood limits apply (30 messages/s per bot).
"""

from __future__ import annotations

import argparse
import itertools
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bot_process import BotProcess  # noqa: E402
from fake_bot_api import FakeBotAPI  # noqa: E402
from pg_server import PgServer  # noqa: E402
from test_delivery import QUESTIONS  # noqa: E402
from test_webhook_workers import free_port, post, question_update, replies, worker  # noqa: E402

TOKEN = "747474747:AAF-benchWorkers_0123456789abcdefghij"


def run(workers: int, updates: int, chats_n: int, pg: PgServer, work: Path, name: str) -> dict:
    with FakeBotAPI(TOKEN) as api:
        url = pg.fresh_database(name)
        ports = [free_port() for _ in range(workers)]
        procs = [worker(api, work / name, f"w{i}", url, ports[i]) for i in range(workers)]
        startups = []
        for p in procs:
            p.start()
            startups.append(p.startup_seconds)
        chats = list(range(900_000, 900_000 + chats_n))
        batch = []
        for i in range(updates // chats_n):
            for chat in chats:
                batch.append(question_update(api, chat, QUESTIONS[i % len(QUESTIONS)][0]))
        started = time.monotonic()
        for n, update in enumerate(batch):
            assert post(ports[n % workers], update) == 200
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if sum(len(v) for v in replies(api, set(chats)).values()) >= len(batch):
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
        stops = []
        for p in procs:
            t = time.monotonic()
            p.proc.send_signal(signal.SIGTERM)
            p.proc.wait(30)
            stops.append(time.monotonic() - t)
            p.stop()
        return {"workers": workers, "replies": len(batch), "seconds": round(elapsed, 2),
                "replies_per_s": round(len(batch) / elapsed, 1), "startup_s": [round(s, 2) for s in startups],
                "shutdown_s": [round(s, 2) for s in stops]}


def polling(updates: int, chats_n: int, work: Path) -> dict:
    with FakeBotAPI(TOKEN) as api:
        bot = BotProcess(api, work / "poll.sqlite3", work / "poll", verbose=False).start()
        chats = list(range(910_000, 910_000 + chats_n))
        started = time.monotonic()
        for i in range(updates // chats_n):
            for chat in chats:
                api.private_message(QUESTIONS[i % len(QUESTIONS)][0], user_id=chat, language_code="en")
        api.wait_for("sendMessage", count=(updates // chats_n) * chats_n, timeout=600)
        elapsed = time.monotonic() - started
        t = time.monotonic()
        bot.proc.send_signal(signal.SIGTERM)
        bot.proc.wait(30)
        stop = time.monotonic() - t
        bot.stop()
        return {"workers": "1 (polling, SQLite)", "replies": updates, "seconds": round(elapsed, 2),
                "replies_per_s": round(updates / elapsed, 1), "startup_s": [round(bot.startup_seconds, 2)],
                "shutdown_s": [round(stop, 2)]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--chats", type=int, default=60)  # 5 each: under the per-user burst of 8
    args = parser.parse_args()
    counter = itertools.count()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(polling(args.updates, args.chats, work), flush=True)
        pg = PgServer.start()
        try:
            for workers in (1, 2):
                print(run(workers, args.updates, args.chats, pg, work, f"bench{next(counter)}"), flush=True)
        finally:
            pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
