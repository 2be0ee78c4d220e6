"""Scheduled FAQ posts: configured questions answered into chats on a cron schedule.

- `config.py`    load and validate `config/faq.yaml` (problems name entry id and key)
- `schedule.py`  5-field cron -> run instants in an IANA zone (pure; DST rule documented there)
- `ledger.py`    exactly-once claims of (entry, slot, chat) in the SQLite state file
- `poster.py`    one post to one chat through python-telegram-bot, errors sorted and retried
- `scheduler.py` what is due at the clock's "now"; `install()` wires it into the Telegram app
- `cli.py`       `python -m bot faq list | post ID | check`

The core never imports this package; it reaches the core through the Runtime (bot/runtime.py) and the
Telegram adapter's formatting, like any other adapter.
"""
