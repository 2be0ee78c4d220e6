"""A separate bot process for the FAQ race tests (started by tests/test_faq_*.py).

    python tests/faq_worker.py claims STATE GO_FILE ENTRY SLOT_COUNT CHATS
        try to claim every (ENTRY, slot i, chat) key; print the keys this process won (JSON)
    python tests/faq_worker.py run-due STATE GO_FILE CONFIG_DIR KNOWLEDGE_DIR API_ROOT TOKEN NOW_ISO
        one scheduler pass at the instant NOW_ISO, posting through PTB's Bot to API_ROOT;
        print the outcomes (JSON)

Both wait for GO_FILE to appear before the critical part, so that the racing
processes start it at the same moment.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from pathlib import Path


def wait_for(go_file: str) -> None:
    deadline = time.monotonic() + 60
    while not Path(go_file).exists():
        if time.monotonic() > deadline:
            raise SystemExit("go file never appeared")
        time.sleep(0.002)


def claims(state_path: str, go_file: str, entry: str, slots: str, chats: str) -> None:
    from bot.core.state import State
    from bot.faq.ledger import Ledger

    ledger = Ledger(State(state_path))
    now = datetime.fromisoformat("2026-03-29T01:00:00+00:00")
    keys = [(entry, f"2026-03-{1 + i // 60:02d}T{(i // 60) % 24:02d}:{i % 60:02d}Z", chat)
            for i in range(int(slots)) for chat in chats.split(",")]
    print("ready", flush=True)
    wait_for(go_file)
    won = [list(k) for k in keys if ledger.claim(*k, now)]
    print(json.dumps(won), flush=True)


def run_due(state_path: str, go_file: str, config_dir: str, knowledge_dir: str, api_root: str, token: str,
            now_iso: str) -> None:
    from telegram import Bot

    from bot.answering.service import QAService
    from bot.core.state import State
    from bot.faq.config import load_faq
    from bot.faq.ledger import Ledger
    from bot.faq.scheduler import FaqScheduler

    service = QAService.open(Path(knowledge_dir), Path(config_dir))
    config = load_faq(Path(config_dir), service.settings.languages)
    now = datetime.fromisoformat(now_iso)

    async def main() -> list:
        async with Bot(token, base_url=f"{api_root}/bot") as bot:
            scheduler = FaqScheduler(config, service, Ledger(State(state_path)), bot, clock=lambda: now)
            print("ready", flush=True)
            wait_for(go_file)
            return await scheduler.run_due()

    outcomes = asyncio.run(main())
    print(json.dumps([o.__dict__ for o in outcomes]), flush=True)


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"claims": claims, "run-due": run_due}[command](*rest)
