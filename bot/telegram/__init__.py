"""Telegram adapter (python-telegram-bot v22, long polling or webhook workers).

One module per concern, wired together in `app.py` only:

- `app.py`        settings from the environment, `build_application()`, `main()`
- `inbox.py`      the durable inbox: updates recorded before Telegram is told, our long polling
- `outbox.py`     the durable outbox: replies sent at most once, in order per chat, retried
- `delivery.py`   the run loop around both, the bounded SIGTERM stop
- `workers.py`    webhook workers: secret-checked POSTs, chats leased one worker at a time
- `leases.py`     the chats a worker holds: only their holder sends their replies and FAQ posts
- `handlers.py`   private chats, groups (/ask, mentions, replies), /start /help /sources
- `commands.py`   the command list per language (setMyCommands), /lang and its keyboard
- `inline.py`     inline queries: one article result per passage
- `formatting.py` HTML rendering of answers, escaping, the 4096-character limit
- `chat.py`       the Runtime from bot_data and the reply language rules
- `addressing.py` the group rules: which messages are addressed to the bot
- `resilience.py` flood control (429) and retries of network errors, the error handler
- `failures.py`   what a failed send means (retry, uncertain, failed): one rule for replies and FAQ posts
- `fairness.py`   per-chat ordering, concurrent chats, per-user token bucket and slow-down reply
- `admin.py`      /reload and /stats for the user ids in settings.yaml `admins:`
- `redaction.py`  keeps the bot token out of every log line

The core (`bot.answering.service`) never imports this package; this package only calls
`QAService.ask`, `.detect`, `.messages` and `.kb.articles`.
"""
