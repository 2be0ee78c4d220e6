"""Telegram adapter benchmark: start-up time and replies per second, via the fake Bot API.

    .venv/bin/python bench/telegram_throughput.py [--messages 300] [--users 50] [--startups 3]

Prints:
- start-up: seconds from spawning `python -m bot telegram` to its first
  getMe request and to its first long-poll request (ready to answer), and
  the latency of the first reply after that, median of N runs;
- replies/s of the real bot process (production flood control: PTB's
  AIORateLimiter at Telegram's 30 requests/s, and every reply is two
  requests: the typing action and the message);
- replies/s of the same Application in-process without throttling (what the
  bot itself can do: getUpdates -> core -> sendMessage over HTTP).

Everything runs on 127.0.0.1; nothing here is a test (no assertions on time).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from fake_bot_api import FakeBotAPI  # noqa: E402

QUESTIONS = [
    "Comment ont réagi les clients clés présents au déjeuner ?",
    "Je, ukadiriaji wa nyota 5 husaidia mauzo?",
    "ตามบทความ ความไว้วางใจของลูกค้ามาจากอะไร",
    "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?",
    "Why can a perfect rating hurt sales?",
    "Quelle est la capitale de l'Australie ?",
]
TOKEN = "424242:BENCH-token-abcdefghijklmnopqrstuvwxyz"


def bot_env(api: FakeBotAPI) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_URL=api.root, TELEGRAM_POLL_TIMEOUT="1",
               PYTHONPATH=str(ROOT))
    return env


def spawn(api: FakeBotAPI, state: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", "telegram", "--state", str(state)], cwd=ROOT,
                            env=bot_env(api), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def push_questions(api: FakeBotAPI, count: int, users: int) -> None:
    langs = itertools.cycle(["fr", "sw", "th", "en"])
    for i, question in zip(range(count), itertools.cycle(QUESTIONS)):
        api.private_message(question, user_id=10_000 + i % users, language_code=next(langs))


def measure_startup(runs: int, workdir: Path) -> dict:
    to_getme, to_ready, first_reply = [], [], []
    for run in range(runs):
        with FakeBotAPI(TOKEN) as api:
            wall = time.time()
            proc = spawn(api, workdir / f"startup-{run}.sqlite3")
            try:
                getme = api.wait_for("getMe", timeout=120)
                ready = api.wait_for("getUpdates", timeout=120, ok_only=False)
                to_getme.append(getme.received - wall)
                to_ready.append(ready.received - wall)
                asked = time.monotonic()
                api.private_message(QUESTIONS[0], user_id=1, language_code="fr")
                api.wait_for("sendMessage", timeout=60)
                first_reply.append(time.monotonic() - asked)
            finally:
                stop(proc)
    return {"runs": runs, "to_first_getMe_s": round(statistics.median(to_getme), 3),
            "to_polling_s": round(statistics.median(to_ready), 3),
            "first_reply_latency_s": round(statistics.median(first_reply), 3)}


def measure_process(messages: int, users: int, workdir: Path) -> dict:
    with FakeBotAPI(TOKEN) as api:
        proc = spawn(api, workdir / "process.sqlite3")
        try:
            api.wait_for("getUpdates", timeout=120, ok_only=False)
            mark = api.mark()
            started = time.monotonic()
            push_questions(api, messages, users)
            api.wait_for("sendMessage", since=mark, count=messages, timeout=600)
            elapsed = time.monotonic() - started
        finally:
            stop(proc)
    return {"replies": messages, "seconds": round(elapsed, 2), "replies_per_s": round(messages / elapsed, 1)}


async def _in_process(messages: int, users: int, workdir: Path) -> dict:
    from bot.answering.service import QAService
    from bot.core.state import State
    from bot.runtime import Runtime
    from bot.telegram.app import TelegramSettings, build_application
    from bot.telegram.delivery import Delivery
    from bot.telegram.resilience import unlimited

    service = QAService.open(ROOT / "knowledge", ROOT / "config")
    state = State(workdir / "inprocess.sqlite3")
    with FakeBotAPI(TOKEN) as api:
        settings = TelegramSettings(token=api.token, api_url=api.root, poll_timeout=1)
        application = build_application(Runtime(service, state), settings, rate_limiter=unlimited())
        delivery = Delivery(application, state, service.settings.chat, poll_timeout=1)
        await delivery.start()
        try:
            mark = api.mark()
            started = time.monotonic()
            push_questions(api, messages, users)
            await asyncio.to_thread(api.wait_for, "sendMessage", None, 600, mark, True, messages)
            elapsed = time.monotonic() - started
        finally:
            await delivery.stop()
    state.close()
    return {"replies": messages, "seconds": round(elapsed, 2), "replies_per_s": round(messages / elapsed, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--startups", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        startup = measure_startup(args.startups, work)
        print(f"start-up: first getMe after {startup['to_first_getMe_s']}s, polling after "
              f"{startup['to_polling_s']}s, first reply {startup['first_reply_latency_s']}s later "
              f"(median of {startup['runs']})", flush=True)
        process = measure_process(args.messages, args.users, work)
        print(f"bot process (production flood limits): {process['replies']} replies in {process['seconds']}s "
              f"= {process['replies_per_s']} replies/s", flush=True)
        inproc = asyncio.run(_in_process(args.messages, args.users, work))
        print(f"in-process, no throttling: {inproc['replies']} replies in {inproc['seconds']}s "
              f"= {inproc['replies_per_s']} replies/s", flush=True)
        print(json.dumps({"startup": startup, "process": process, "unthrottled": inproc}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
