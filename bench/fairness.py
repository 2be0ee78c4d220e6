"""Fairness under a flood: other users' reply latency with and without a flooder.

    .venv/bin/python bench/fairness.py [--flood 50] [--others 20]

Runs the real bot process against the fake Bot API (production flood
control).  Measures, from push to the delivered sendMessage:
- baseline: `--others` users asking one question each, 0.1 s apart;
- under flood: one user sends `--flood` messages at once, and the same
  number of other users ask while it is being handled.
Prints the latencies and what the flooder got (answers, slow-down messages).
Nothing here is a test (no assertions on time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from bot_process import BotProcess  # noqa: E402
from fake_bot_api import FakeBotAPI, parse_telegram_html  # noqa: E402

TOKEN = "135792468:AAF-fairnessBenchToken_abcdefghijklm"
QUESTIONS = ["Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?",
             "Je, ukadiriaji wa nyota 5 husaidia mauzo?", "ตามบทความ ความไว้วางใจของลูกค้ามาจากอะไร"]


def ask_others(api: FakeBotAPI, first_user: int, count: int) -> list[float]:
    pushed = {}
    for i in range(count):
        user = first_user + i
        pushed[user] = time.time()
        api.private_message(QUESTIONS[i % len(QUESTIONS)], user_id=user, language_code="fr")
        time.sleep(0.1)
    latencies = []
    for user, at in pushed.items():
        call = api.wait_for("sendMessage", lambda c, u=user: c.params["chat_id"] == u, timeout=120)
        latencies.append(call.time - at)
    return latencies


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms "
            f"(n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=50)
    parser.add_argument("--others", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI(TOKEN) as api:
        bot = BotProcess(api, Path(tmp) / "state.sqlite3", Path(tmp) / "logs", verbose=False).start()
        try:
            ask_others(api, 5_000_000, 5)  # warm-up
            baseline = ask_others(api, 6_000_000, args.others)
            flooder = 99_999
            mark = api.mark()
            for i in range(args.flood):
                api.private_message(f"{QUESTIONS[0]} {i}", user_id=flooder, language_code="fr")
            flooded = ask_others(api, 7_000_000, args.others)
            time.sleep(2)
            to_flooder = [parse_telegram_html(c.params["text"]) for c in api.calls_to("sendMessage", since=mark)
                          if c.params["chat_id"] == flooder and c.ok]
        finally:
            bot.stop()
    from bot.core.messages import Messages

    slow = Messages.load(ROOT / "config").get("fr", "tg_slow_down")
    print(f"other users, no flood:    {summary(baseline)}")
    print(f"other users, during flood: {summary(flooded)}")
    print(f"flooder: {args.flood} messages -> {sum(t != slow for t in to_flooder)} answers, "
          f"{to_flooder.count(slow)} slow-down message(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
