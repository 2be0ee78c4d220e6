"""Per-user fairness: one person flooding the bot cannot slow down everyone else.

Two mechanisms, both in `FairUpdateProcessor` (PTB's hook for concurrent
updates, see https://docs.python-telegram-bot.org/ Concurrency):

1. **Per-chat queues, concurrent chats.**  Updates of one chat (inline
   queries: of one user) are processed strictly in order, one at a time, so
   a chat's /lang and its next question never race.  Different chats run
   concurrently, up to `WORKERS` at once.  A flooder therefore holds at most
   one of the `WORKERS` slots: other users are never queued behind its
   backlog.
2. **Per-user token bucket, counted on arrival.**  Each user may send
   `BURST` questions at once and then one every `REFILL_SECONDS`.  The first
   message over the limit gets one polite slow-down text (`tg_slow_down`,
   at most once per `WARN_INTERVAL`); the others are dropped unprocessed, so
   50 messages in a few seconds cost about 10 answers and one warning, not 50 core
   calls.

The bound (README "Reliability and security"): another user's answer waits
for at most one in-flight question of the flooder (plus the other users'
in-flight questions, as without any flood), never for the flooder's queue.

Only updates that would get an answer count (see `counts_as_question`): a
private message, a command, or a group message addressed to the bot.
Group chatter, inline queries and button presses are not limited by the
bucket; inline queries are still serialised per user, so a user flooding
inline queries also holds at most one worker.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor, ContextTypes

from bot.telegram.context import deps, text, ui_language
from bot.telegram.formatting import format_text

log = logging.getLogger(__name__)

BURST = 8               # questions a user may send at once
REFILL_SECONDS = 1.5    # then one more every REFILL_SECONDS (40 a minute)
WARN_INTERVAL = 60.0    # at most one slow-down message per user per minute
WORKERS = 8             # chats processed at the same time
MAX_PENDING = 4096      # updates accepted from getUpdates but not yet processed

ALLOW, WARN, DROP = "allow", "warn", "drop"


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned_at: float = float("-inf")


class TokenBuckets:
    """One token bucket per user id; `verdict()` says allow, warn (first refusal) or drop."""

    def __init__(self, burst: int = BURST, refill_seconds: float = REFILL_SECONDS,
                 warn_interval: float = WARN_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.refill_seconds = refill_seconds
        self.warn_interval = warn_interval
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}
        self._since_prune = 0

    def verdict(self, user_id: int) -> str:
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) / self.refill_seconds)
        bucket.stamp = now
        self._maybe_prune(now)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return ALLOW
        if now - bucket.warned_at >= self.warn_interval:
            bucket.warned_at = now
            return WARN
        return DROP

    def _maybe_prune(self, now: float) -> None:
        """Forget users whose bucket is full again (keeps memory flat with many users)."""
        self._since_prune += 1
        if self._since_prune < 1000:
            return
        self._since_prune = 0
        full_after = self.burst * self.refill_seconds
        quiet = max(full_after, self.warn_interval)
        for user_id in [u for u, b in self._buckets.items() if now - b.stamp > quiet]:
            del self._buckets[user_id]

    def __len__(self) -> int:
        return len(self._buckets)


def counts_as_question(update: object, bot_username: str | None, bot_id: int | None) -> bool:
    """A message that will get an answer: private, a command, or addressed to the bot in a group."""
    if not isinstance(update, Update) or update.message is None or update.effective_user is None:
        return False
    message = update.message
    if message.chat.type == "private":
        return True
    body = message.text or ""
    command = re.match(r"/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?", body)
    if command:  # /cmd or /cmd@this_bot; /cmd@other_bot is for someone else
        return command.group(1) is None or command.group(1).casefold() == (bot_username or "").casefold()
    replied = message.reply_to_message
    if replied and replied.from_user and bot_id is not None and replied.from_user.id == bot_id:
        return True
    return bool(bot_username) and f"@{bot_username}".casefold() in body.casefold()


def ordering_key(update: object) -> Any:
    """Updates with the same key are processed one at a time, in order."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("other", None)


class FairUpdateProcessor(BaseUpdateProcessor):
    """Per-chat order, concurrent chats, per-user rate limit on arrival."""

    def __init__(self, workers: int = WORKERS, buckets: TokenBuckets | None = None,
                 max_pending: int = MAX_PENDING) -> None:
        # The base class semaphore bounds the *pending* updates; `workers`
        # bounds those being handled.  A chat waiting for its turn holds no worker.
        super().__init__(max_pending)
        self.workers = workers
        self.buckets = buckets or TokenBuckets()
        self.bot_username: str | None = None
        self.bot_id: int | None = None
        self._work: asyncio.Semaphore | None = None
        self._locks: dict[Any, tuple[asyncio.Lock, int]] = {}
        self._warn: set[int] = set()  # update ids that must get the slow-down message
        self.dropped = 0
        self.warned = 0

    def set_bot(self, username: str | None, bot_id: int | None) -> None:
        self.bot_username, self.bot_id = username, bot_id

    async def initialize(self) -> None:
        self._work = asyncio.Semaphore(self.workers)

    async def shutdown(self) -> None:
        pass

    def should_warn(self, update: object) -> bool:
        """True once for an update the slow-down handler must answer (and stop)."""
        if isinstance(update, Update) and update.update_id in self._warn:
            self._warn.discard(update.update_id)
            return True
        return False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if counts_as_question(update, self.bot_username, self.bot_id):
            verdict = self.buckets.verdict(update.effective_user.id)  # type: ignore[union-attr]
            if verdict == DROP:
                self.dropped += 1
                coroutine.close()  # type: ignore[attr-defined]
                log.debug("dropped update %s of flooding user %s", update.update_id,  # type: ignore[union-attr]
                          update.effective_user.id)  # type: ignore[union-attr]
                return
            if verdict == WARN:
                self.warned += 1
                self._warn.add(update.update_id)  # type: ignore[union-attr]
        key = ordering_key(update)
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                if self._work is None:
                    self._work = asyncio.Semaphore(self.workers)
                async with self._work:
                    await coroutine
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


async def slow_down(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Group -1 handler: the one polite slow-down reply; the update goes no further."""
    processor = context.application.update_processor
    if not isinstance(processor, FairUpdateProcessor) or not processor.should_warn(update):
        return
    d = deps(context)
    chat = update.effective_chat
    lang = ui_language(d, chat, update.effective_user)
    await update.effective_message.reply_text(
        format_text(text(d, lang, "tg_slow_down")), do_quote=chat is not None and chat.type != "private")
    raise ApplicationHandlerStop
