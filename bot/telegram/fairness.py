"""Per-user fairness: one person flooding the bot cannot slow down everyone else.

Two mechanisms, both in `FairUpdateProcessor` (PTB's hook for concurrent
updates, see https://docs.python-telegram-bot.org/ Concurrency):

1. **Per-chat queues, concurrent chats.**  Updates of one chat (inline
   queries: of one user) are processed strictly in order, one at a time, so
   a chat's /lang and its next question never race.  Different chats run
   concurrently, up to `chat.workers` at once.  A flooder therefore holds at most
   one of the `chat.workers` slots: other users are never queued behind its
   backlog.
2. **Per-user token bucket, counted on arrival.**  Each user may send
   `chat.burst` questions at once and then one every `chat.refill_seconds`.  The first
   message over the limit gets one polite slow-down text (`tg_slow_down`,
   at most once per `chat.warn_interval_seconds`); the others are dropped unprocessed, so
   50 messages in a few seconds cost about 10 answers and one warning, not 50 core
   calls.

The bound (README "Reliability and security"): another user's answer waits
for at most one in-flight question of the flooder (plus the other users'
in-flight questions, as without any flood), never for the flooder's queue.

Only updates that would get an answer count (see `counts_as_question`): a
private message, or a group message addressed to the bot (one of its commands, a
mention, a reply to it).
Group chatter, inline queries and button presses are not limited by the
bucket; inline queries are still serialised per user, so a user flooding
inline queries also holds at most one worker.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseUpdateProcessor, ContextTypes

from bot.core.config import ChatSettings
from bot.telegram.addressing import addressed_to_bot
from bot.telegram.chat import deps, need, text, ui_language
from bot.telegram.formatting import format_text
from bot.telegram.inbox import chat_key

log = logging.getLogger(__name__)

ALLOW, WARN, DROP = "allow", "warn", "drop"


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned_at: float = float("-inf")


class TokenBuckets:
    """One token bucket per user id; `verdict()` says allow, warn (first refusal) or drop."""

    def __init__(self, burst: int, refill_seconds: float, warn_interval: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
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


def counts_as_question(update: object, bot_username: str | None, bot_id: int | None,
                       commands: Collection[str] | None = None) -> bool:
    """A message that will get an answer: private, or addressed to the bot in a group
    (`commands`: those the bot has handlers for, see addressing.addressed_to_bot)."""
    if not isinstance(update, Update) or update.message is None or update.effective_user is None:
        return False
    return addressed_to_bot(update.message, bot_username, bot_id, commands)


def sender_id(update: Update) -> int:
    """Whose bucket a question counts against: the user, or the chat a message was sent as.
    Anonymous group admins all come `from` Telegram's GroupAnonymousBot and people posting as
    their channel from Channel_Bot: keyed by that one user id, they shared one bucket across
    every group, so a few of them anywhere slowed down all the others (chat ids are negative,
    user ids positive: the two never collide)."""
    message = update.message
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id
    return need(update.effective_user, "user").id


class FairUpdateProcessor(BaseUpdateProcessor):
    """Per-chat order, concurrent chats, per-user rate limit on arrival."""

    def __init__(self, settings: ChatSettings) -> None:
        # The base class semaphore bounds the *pending* updates; `workers`
        # bounds those being handled.  A chat waiting for its turn holds no worker.
        super().__init__(settings.max_pending)
        self.workers = settings.workers
        self.buckets = TokenBuckets(settings.burst, settings.refill_seconds, settings.warn_interval_seconds)
        self.bot_username: str | None = None
        self.bot_id: int | None = None
        self.commands: frozenset[str] | None = None
        self._work: asyncio.Semaphore | None = None
        self._locks: dict[Any, tuple[asyncio.Lock, int]] = {}
        self._warn: set[int] = set()  # update ids that must get the slow-down message
        self.dropped = 0
        self.warned = 0

    def set_bot(self, username: str | None, bot_id: int | None, commands: Collection[str] | None = None) -> None:
        """Who the bot is, and the commands it answers (None: count every command)."""
        self.bot_username, self.bot_id = username, bot_id
        self.commands = frozenset(c.lower() for c in commands) if commands is not None else None

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
        if isinstance(update, Update) and counts_as_question(update, self.bot_username, self.bot_id, self.commands):
            user_id = sender_id(update)
            verdict = self.buckets.verdict(user_id)
            if verdict == DROP:
                self.dropped += 1
                coroutine.close()  # type: ignore[attr-defined]
                log.debug("dropped update %s of flooding user %s", update.update_id, user_id)
                return
            if verdict == WARN:
                self.warned += 1
                self._warn.add(update.update_id)
        # updates with the same key are processed one at a time, in order (the outbox's key)
        key = chat_key(update) if isinstance(update, Update) else "other"
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
    lang = await ui_language(d, chat, update.effective_user)
    await need(update.effective_message, "message").reply_text(
        format_text(text(d, lang, "tg_slow_down")), do_quote=chat is not None and chat.type != "private")
    raise ApplicationHandlerStop
