"""Time a newcomer's first answer: `make run` in a checkout, prompt, then one question per language.

    git clone /path/to/repo /tmp/fresh && cd /tmp/fresh
    export BOT_CACHE_DIR=$(mktemp -d) && time make install
    .venv/bin/python bench/first_answer.py /tmp/fresh "$BOT_CACHE_DIR"

Drives the real REPL in a pseudo-terminal (pexpect, from the dev extras) and
prints the seconds from `make run` to the prompt, then from Enter to the next
prompt for each question (the answer is printed in between).
"""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect

QUESTIONS = [
    "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?",
    "Je, ukadiriaji wa nyota 5 husaidia mauzo?",
    "ความไว้วางใจของลูกค้ามาจากอะไร",
    "Who won the 2018 FIFA World Cup?",
]
PROMPT = re.compile(r"(?:^|\n)(?:\x1b\[[0-9;?]*[A-Za-z])*\? ")  # the prompt at a line start


def main(root: str, cache: str) -> None:
    env = dict(os.environ, BOT_CACHE_DIR=cache, BOT_HISTORY_FILE=os.path.join(cache, "history"), TERM="xterm",
               LANG="en_US.UTF-8")
    env.pop("TELEGRAM_BOT_TOKEN", None)  # the REPL, not Telegram
    started = time.monotonic()
    child = pexpect.spawn("make", ["run"], cwd=root, env=env, dimensions=(40, 80), encoding="utf-8", timeout=600)
    child.expect_exact("/help")
    child.expect(PROMPT)
    print(f"make run -> prompt: {time.monotonic() - started:.2f} s")
    for question in QUESTIONS:
        sent = time.monotonic()
        child.sendline(question)
        child.expect_exact(question[-8:])
        child.expect(PROMPT)
        print(f"Enter -> answer: {time.monotonic() - sent:.2f} s  {question}")
    child.sendeof()
    child.expect(pexpect.EOF)


if __name__ == "__main__":
    main(*sys.argv[1:3])
