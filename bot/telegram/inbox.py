"""The durable inbox: an update is confirmed to Telegram only once it is recorded.

Why not PTB's `Updater`: it confirms updates to Telegram (the next getUpdates
offset) as soon as they are fetched, so a kill -9 loses every update fetched
but not yet answered.  Here (PTB's `Application` without an Updater, fed
through `Application.process_update`):

* **Inbox.**  `Poller` fetches updates with getUpdates and writes each one to
  the state store's `inbox` table in one transaction *before* the next
  getUpdates call carries the offset that confirms them.  `Dispatcher` feeds
  recorded updates to the application (through the `FairUpdateProcessor`, so
  per-chat order and per-user fairness hold) and marks each one done once its
  handlers have finished.  After a kill -9, the next start answers what was
  recorded but not done; an update recorded more than
  `chat.inbox_max_age_seconds` ago is dropped with a log line.  A redelivered
  update id (the process died between recording and confirming) is ignored.

The replies of a recorded update go through the outbox (bot/telegram/outbox.py)
under keys made of its update id.  Webhook workers (bot/telegram/workers.py)
record and answer updates with the same `inbox_row` and `answer_recorded`; the
run loop of long polling is bot/telegram/delivery.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.core.state import State, StateError
from bot.telegram.failures import retry_seconds
from bot.telegram.outbox import BACKOFF_START, CURRENT_UPDATE, DeliveryStats, UpdateContext, run_retried

if TYPE_CHECKING:  # pragma: no cover
    from telegram.ext import Application

    from bot.core.config import ChatSettings

log = logging.getLogger("bot.telegram.delivery")  # the name its lines have always carried (outbox.py)

POLL_BACKOFF_MAX = 5.0


def chat_key(update: Update) -> str:
    """The key whose updates are answered one at a time, in order: the chat (inline queries:
    the user).  Outbox rows use the same string for a chat, so a worker taking a chat over
    also takes over its unsent replies."""
    if update.effective_chat is not None:
        return str(update.effective_chat.id)
    if update.effective_user is not None:
        return f"user:{update.effective_user.id}"
    return "other"


def inbox_row(update: Update) -> tuple[int, str, str]:
    """How an update is recorded in the inbox, polled or posted to a webhook:
    (update_id, chat key, JSON)."""
    return update.update_id, chat_key(update), update.to_json()


async def process(application: "Application", update: Update, update_id: int | None) -> None:
    """Hand an update to the handlers through the application's update processor (per-chat
    order, fairness).  With `update_id` (recorded in the inbox) its replies go through the
    outbox under keys made of it, so answering it again after a crash sends nothing twice."""
    token = CURRENT_UPDATE.set(UpdateContext(update_id)) if update_id is not None else None
    try:
        await application.update_processor.process_update(update, application.process_update(update))
    finally:
        if token is not None:
            CURRENT_UPDATE.reset(token)


async def answer_recorded(application: "Application", settings: "ChatSettings", stats: "DeliveryStats",
                          update_id: int, payload: str, received_at: float) -> None:
    """Answer one update read from the inbox: the one path of long polling (`Dispatcher`)
    and of webhook workers (workers.LeaseDispatcher).  One recorded longer ago than
    `chat.inbox_max_age_seconds`, or unreadable, is dropped with a log line; the caller
    marks it done either way."""
    age = time.time() - received_at
    if age > settings.inbox_max_age_seconds:
        stats.dropped_old += 1
        log.warning("inbox: update %s recorded %.0fs ago, older than inbox_max_age_seconds (%g): "
                    "dropped unanswered", update_id, age, settings.inbox_max_age_seconds)
        return
    try:
        update = Update.de_json(json.loads(payload), application.bot)
    except Exception as exc:  # noqa: BLE001 - recorded but unreadable (cannot happen for ours)
        log.warning("inbox: update %s cannot be read (%s); dropped", update_id, exc)
        return
    await process(application, update, update_id)


async def finish_within(tasks: Sequence[asyncio.Task], grace: float) -> int:
    """Give `tasks` `grace` seconds, then cancel the rest; how many had to be cancelled."""
    if not tasks:
        return 0
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=2.0)
    return len(pending)


class Dispatcher:
    """Feeds recorded updates to the application in update-id order; marks them done."""

    def __init__(self, application: "Application", state: State, settings: "ChatSettings",
                 stats: DeliveryStats) -> None:
        self.application = application
        self.state = state
        self.settings = settings
        self.stats = stats
        self._wake = asyncio.Event()
        self._cursor = 0
        self._inflight: dict[int, asyncio.Task] = {}
        self._room = asyncio.Event()
        self._unrecorded: set[asyncio.Task] = set()
        # Updates answered from memory because recording them timed out: that write may
        # still land (it waited for a lock when the poller gave up), and then the inbox
        # holds them as unanswered.  Kept until their row is known to be closed.
        self._from_memory: set[int] = set()
        self.stopping = False
        self.first_pass = True

    def wake(self, lowest: int | None = None) -> None:
        """New updates were recorded; `lowest`: the smallest id among them.  Telegram's ids
        grow, except after a week without updates (the next one is random): a lower id
        moves the cursor back so it is not skipped."""
        if lowest is not None and lowest <= self._cursor:
            self._cursor = lowest - 1
        self._wake.set()

    async def run(self) -> None:
        self._wake.set()
        while not self.stopping:
            await self._wake.wait()
            self._wake.clear()
            while not self.stopping:
                if len(self._inflight) >= self.settings.max_pending:
                    self._room.clear()
                    await self._room.wait()
                    continue
                try:
                    rows = await self.state.run(self.state.inbox_pending, self._cursor,
                                                min(500, self.settings.max_pending - len(self._inflight)))
                except StateError as exc:
                    log.error("inbox: cannot read recorded updates (%s); retrying", exc)
                    await asyncio.sleep(1.0)
                    continue
                if not rows:
                    break
                if self.first_pass:
                    log.info("inbox: %d recorded update(s) not answered before the last stop; answering them",
                             len(rows))
                    self.stats.recovered += len(rows)
                self._start(rows)
            self.first_pass = False

    def _start(self, rows: list[tuple[int, str, float]]) -> None:
        for update_id, payload, received_at in rows:
            self._cursor = max(self._cursor, update_id)
            if update_id in self._inflight or update_id in self._from_memory:
                continue
            self._inflight[update_id] = asyncio.create_task(self._process(update_id, payload, received_at),
                                                            name=f"update:{update_id}")

    def dispatch_now(self, updates: Sequence[Update]) -> None:
        """Process updates the inbox could not record (no crash guarantee, replies direct)."""
        for update in updates:
            self._from_memory.add(update.update_id)
            task = asyncio.create_task(self._process_unrecorded(update), name=f"update:{update.update_id}:mem")
            self._unrecorded.add(task)
            task.add_done_callback(self._unrecorded.discard)

    async def _process_unrecorded(self, update: Update) -> None:
        """Answer from memory, then mark the update done in case its timed-out write landed
        after all.  That call runs on the state's one writing thread after the write, so
        once it returns the row is done or absent, and the dispatcher may forget the id;
        if the state cannot take it, the id stays and the dispatcher still skips the row.
        (Interrupted by a stop, it is not marked: if the row landed, the next start answers it.)"""
        await process(self.application, update, None)
        try:
            await run_retried(self.state, self.state.inbox_done, update.update_id)
        except StateError:
            return
        self._from_memory.discard(update.update_id)

    async def _process(self, update_id: int, payload: str, received_at: float) -> None:
        await answer_recorded(self.application, self.settings, self.stats, update_id, payload, received_at)
        await self._done(update_id)

    async def _done(self, update_id: int) -> None:
        try:
            await run_retried(self.state, self.state.inbox_done, update_id)
        except StateError as exc:
            log.error("inbox: could not mark update %s answered (%s); after a restart its replies "
                      "are recognised and not sent twice", update_id, exc)
        finally:
            self._inflight.pop(update_id, None)
            self._room.set()

    async def stop(self, grace: float) -> None:
        """Stop starting updates; give those in flight `grace` seconds, then cancel them."""
        self.stopping = True
        self._wake.set()
        self._room.set()
        interrupted = await finish_within([*self._inflight.values(), *self._unrecorded], grace)
        if interrupted:
            log.info("stopping: %d update(s) interrupted; they wait in the inbox for the next start", interrupted)


class Poller:
    """Long polling that confirms an update to Telegram only once it is in the inbox."""

    def __init__(self, bot: ExtBot, state: State, dispatcher: Dispatcher, stats: DeliveryStats,
                 timeout: float) -> None:
        self.bot = bot
        self.state = state
        self.dispatcher = dispatcher
        self.stats = stats
        self.timeout = timeout
        self.offset: int | None = None
        self._last_alarm = float("-inf")

    async def run(self) -> None:
        delay = BACKOFF_START
        while True:
            try:
                updates = await self.bot.get_updates(offset=self.offset, timeout=int(self.timeout),
                                                     allowed_updates=Update.ALL_TYPES)
                delay = BACKOFF_START
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc) + 0.1)
                continue
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, POLL_BACKOFF_MAX)
                continue
            if not updates:
                continue
            await self.record(updates)
            self.offset = max(u.update_id for u in updates) + 1  # confirmed by the next getUpdates

    async def record(self, updates: Sequence[Update]) -> None:
        """Write the updates to the inbox; when the state cannot take them within
        `chat.durable_write_timeout_seconds`, answer them from memory instead (a broken or
        locked state file must not silence the bot; those updates lose the crash guarantee)."""
        pairs = [inbox_row(u) for u in updates]
        try:
            added = await self.state.run(self.state.inbox_add, pairs, time.time(),
                                         timeout=self.dispatcher.settings.durable_write_timeout_seconds)
        except StateError as exc:
            self.stats.unrecorded += len(pairs)
            now = time.monotonic()
            if now - self._last_alarm > 60:
                self._last_alarm = now
                log.error("inbox: cannot record updates (%s); answering them without the inbox until the "
                          "state works again (%d so far)", exc, self.stats.unrecorded)
            self.dispatcher.dispatch_now(updates)
            return
        if added < len(pairs):
            self.stats.redelivered += len(pairs) - added
            log.info("inbox: %d update(s) fetched again were already recorded", len(pairs) - added)
        self.dispatcher.wake(min(p[0] for p in pairs))
