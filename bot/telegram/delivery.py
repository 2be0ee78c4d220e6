"""Replies you can promise: a durable inbox, a durable outbox, and the run loop around them.

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
* **Outbox.**  Inside an update's handlers, `DurableBot` turns every
  `sendMessage` into a row of the `outbox` table keyed by the update id and the
  reply's number within it, then waits for the row's outcome.  One sender task
  per chat sends that chat's rows in order, so one chat's 429 holds up only
  that chat.  A reply computed again after a crash finds its key already
  there: if it was sent, it is not sent again.  A row goes from pending to
  sending in one conditional UPDATE just before its request leaves, so two
  senders holding the same row never both send it.  Webhook workers send a
  chat's rows only while they hold its lease, FAQ posts included
  (bot/telegram/leases.py).
* **Retries.**  429: wait `retry_after`, then again, never giving up.  No
  connection, a connection refused or reset before the request was written,
  5xx: retried for ever, backoff doubling up to
  `chat.outbox_max_backoff_seconds` (outages of any length).  A request that
  may have reached Telegram (the connection dropped or timed out after it was
  written) is **not** resent: the row is closed as `uncertain`, counted in
  /stats and logged, since Telegram has no way to ask whether it arrived and
  a second copy is what the person would see.  Refusals (400, 403) are closed
  as `failed`.  A group upgraded to a supergroup gets the reply at its new id.
* **Stopping.**  SIGTERM/SIGINT: polling stops at once; handlers already
  running get `chat.shutdown_grace_seconds` to finish, then are cancelled;
  what was not answered stays in the inbox (and unsent replies in the
  outbox) for the next start.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import signal
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import ChatMigrated, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.request._requestparameter import RequestParameter

from bot.core.state import OutboxStatus, State, StateError
from bot.telegram.failures import DeliveryUncertain, Verdict, classify, retry_seconds
from bot.telegram.resilience import SENDING

if TYPE_CHECKING:  # pragma: no cover
    from telegram.ext import Application

    from bot.core.config import ChatSettings
    from bot.telegram.leases import ChatLeases

log = logging.getLogger("bot.telegram.delivery")

QUEUED_METHODS = frozenset({"sendMessage"})  # what goes through the outbox (replies people read)
BACKOFF_START = 0.5
POLL_BACKOFF_MAX = 5.0
PRUNE_SECONDS = 3600.0

PENDING, SENT, UNCERTAIN, FAILED = (OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNCERTAIN,
                                   OutboxStatus.FAILED)
FINAL = frozenset({SENT, UNCERTAIN, FAILED})
LEASE_POLL_SECONDS = 0.25  # how often a FAQ post waiting for its chat's lease looks again


class _SentElsewhere(Exception):
    """The row is being sent by the worker that holds its chat now; wait for its outcome."""


def _outcome(status: str, result: str | None, detail: str | None) -> Any:
    """What a finished row gives its caller: the API result, or the error it met."""
    if status == UNCERTAIN:
        raise DeliveryUncertain(detail or "may have been delivered; not resent")
    if status == FAILED:
        raise TelegramError(detail or "refused by Telegram")
    return json.loads(result) if result else True


@dataclass
class _UpdateContext:
    update_id: int
    replies: int = 0

    def next_key(self) -> str:
        key = f"update:{self.update_id}:{self.replies}"
        self.replies += 1
        return key


CURRENT_UPDATE: ContextVar[_UpdateContext | _FixedKey | None] = ContextVar("current_update", default=None)


@dataclass
class _FixedKey:
    """The outbox key of one FAQ post (entry, slot, chat): posted at most once across restarts."""

    key: str
    replies: int = 0

    def next_key(self) -> str:
        self.replies += 1
        return self.key if self.replies == 1 else f"{self.key}:{self.replies}"


@contextlib.contextmanager
def outbox_key(key: str):
    """sendMessage calls inside go through the outbox under `key` (when it is running)."""
    token = CURRENT_UPDATE.set(_FixedKey(key))
    try:
        yield
    finally:
        CURRENT_UPDATE.reset(token)


@dataclass
class DeliveryStats:
    """Counters since start (the outbox table holds the totals)."""

    sent: int = 0
    uncertain: int = 0
    failed: int = 0
    retried_429: int = 0
    retried_network: int = 0
    dropped_old: int = 0
    recovered: int = 0  # updates answered after a restart
    redelivered: int = 0  # update ids fetched again, already recorded
    unrecorded: int = 0  # updates answered without the inbox (the state could not record them)
    unqueued: int = 0  # replies sent without the outbox (the state could not record them)


def chat_key(update: Update) -> str:
    """The key whose updates are answered one at a time, in order: the chat (inline queries:
    the user).  Outbox rows use the same string for a chat, so a worker taking a chat over
    also takes over its unsent replies."""
    if update.effective_chat is not None:
        return str(update.effective_chat.id)
    if update.effective_user is not None:
        return f"user:{update.effective_user.id}"
    return "other"


def wire_params(data: dict[str, Any]) -> dict[str, str]:
    """A Bot method's parameters as the strings sent on the wire (stored in the outbox)."""
    out: dict[str, str] = {}
    for key, value in data.items():
        if key == "rate_limit_args":
            continue
        param = RequestParameter.from_input(key, value)
        if param.json_value is not None:
            out[key] = param.json_value
    return out


def inbox_row(update: Update) -> tuple[int, str, str]:
    """How an update is recorded in the inbox, polled or posted to a webhook:
    (update_id, chat key, JSON)."""
    return update.update_id, chat_key(update), update.to_json()


async def process(application: "Application", update: Update, update_id: int | None) -> None:
    """Hand an update to the handlers through the application's update processor (per-chat
    order, fairness).  With `update_id` (recorded in the inbox) its replies go through the
    outbox under keys made of it, so answering it again after a crash sends nothing twice."""
    token = CURRENT_UPDATE.set(_UpdateContext(update_id)) if update_id is not None else None
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


async def run_retried(state: State, fn: Callable[..., Any], *args: Any,
                      give_up: Callable[[], bool] = lambda: False) -> Any:
    """`fn(*args)` on the state's thread, tried three times `BACKOFF_START` apart (fewer when
    `give_up()` turns true); the last StateError when none went through."""
    for attempt in range(3):
        try:
            return await state.run(fn, *args)
        except StateError:
            if attempt == 2 or give_up():
                raise
            await asyncio.sleep(BACKOFF_START)


class DurableBot(ExtBot):
    """PTB's ExtBot whose sendMessage calls inside an update go through the outbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outbox: Outbox | None = None

    def attach(self, outbox: "Outbox | None") -> None:
        self._outbox = outbox

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        context = CURRENT_UPDATE.get()
        if self._outbox is None or context is None or endpoint not in QUEUED_METHODS or SENDING.get():
            return await super()._do_post(endpoint, data, **kwargs)
        params = wire_params(data)
        return await self._outbox.deliver(context.next_key(), params.get("chat_id", ""), endpoint, params)

    async def send_direct(self, method: str, params: dict[str, str]) -> Any:
        """Without the outbox (the state cannot record it): the limiter's own retries."""
        return await ExtBot._do_post(self, method, dict(params))

    async def send_now(self, method: str, params: dict[str, str]) -> Any:
        """One attempt, through the flood-limit throttle, without the limiter's retries."""
        token = SENDING.set(True)
        try:
            return await super()._do_post(method, dict(params))
        finally:
            SENDING.reset(token)


class Outbox:
    """Durable replies: one sender task per chat, in order, retried until Telegram takes them."""

    def __init__(self, state: State, bot: DurableBot, settings: "ChatSettings", stats: DeliveryStats,
                 sleep: Callable[[float], Any] = asyncio.sleep, leases: "ChatLeases | None" = None) -> None:
        self.state = state
        self.bot = bot
        self.settings = settings
        self.stats = stats
        self.sleep = sleep
        # Webhook workers (bot/telegram/leases.py): a chat's rows are sent only under its lease.
        self.leases = leases
        self._own: set[int] = set()  # rows a caller of this worker waits for (not another's, when adopting)
        self._senders: dict[str, asyncio.Task] = {}
        self._queues: dict[str, collections.deque] = {}
        self._queued: set[int] = set()
        self._waiters: dict[int, asyncio.Future] = {}
        self._in_request: set[asyncio.Task] = set()
        self._recent: dict[int, tuple[Any, BaseException | None]] = {}  # outcomes nobody waited for yet
        self._settling: set[asyncio.Task] = set()  # rows of replies sent without the outbox, being closed
        self.stopping = False

    async def _db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A bookkeeping call (in flight, sent ...), tried three times; None when the state
        cannot take it: the reply goes on regardless (state fails safe), only the crash
        guarantee of that one row is weaker."""
        try:
            return await run_retried(self.state, fn, *args, give_up=lambda: self.stopping)
        except StateError as exc:
            log.error("outbox: state store unavailable (%s); going on without recording it", exc)
            return None

    async def deliver(self, key: str, chat: str, method: str, params: dict[str, str]) -> Any:
        """Queue one request (once per key) and wait for its outcome: the API result, or the error.

        Webhook workers: the row is sent under its chat's lease.  A reply is made while its
        chat is held (the dispatcher answers it); a FAQ post takes the lease of its chat like
        a reply, waiting while another worker holds it, and that worker may send it meanwhile
        (it sends every queued row of the chats it holds): either way it leaves once."""
        try:
            row_id, status, result, detail = await self.state.run(
                self.state.outbox_add, key, str(chat), method, json.dumps(params), time.time(),
                timeout=self.settings.durable_write_timeout_seconds)
        except StateError as exc:
            # The state cannot take it now (locked, damaged, full): the reply leaves at once
            # without the outbox's guarantees rather than not at all (state fails safe).
            self.stats.unqueued += 1
            log.warning("outbox: reply to chat %s sent without the outbox (%s)", chat, exc)
            return await self._send_unqueued(key, method, params)
        if status == SENT:
            log.info("outbox: %s was already sent before a restart; not sent again", key)
        if status in FINAL:
            return _outcome(status, result, detail)
        if self.leases is None:
            return await self._wait(row_id, str(chat), method, params)
        return await self._deliver_leased(key, row_id, str(chat), method, params)

    async def _send_unqueued(self, key: str, method: str, params: dict[str, str]) -> Any:
        """Send at once, without the outbox, then close the row in case the insert that
        timed out lands after all: it was waiting for a lock when this caller gave up, and
        a pending row would be sent again by the next sender to load it (a second copy after
        a restart).  A send that certainly failed leaves such a row pending: sending it later
        is no duplicate.  The closing runs in the background, so the chat's next update does
        not wait for a state that is slow right now."""
        try:
            result = await self.bot.send_direct(method, params)
        except Exception as error:
            failure = classify(error)
            if failure.verdict is not Verdict.RETRY:
                status = UNCERTAIN if failure.verdict is Verdict.UNCERTAIN else FAILED
                self._close_late_row(key, status, f"sent without the outbox: {failure.detail}")
            raise
        self._close_late_row(key, SENT, "sent without the outbox (the state could not queue it in time)")
        return result

    def _close_late_row(self, key: str, status: str, detail: str) -> None:
        task = asyncio.create_task(self._db(self.state.outbox_settle, key, status, detail, time.time()),
                                   name=f"outbox:settle:{key}")
        self._settling.add(task)
        task.add_done_callback(self._settling.discard)

    async def _deliver_leased(self, key: str, row_id: int, chat: str, method: str, params: dict[str, str]) -> Any:
        """Hold the chat's lease while this row is sent here, or wait until the worker
        holding the chat has sent it (see `deliver`)."""
        assert self.leases is not None
        self._own.add(row_id)
        warned = False
        try:
            while True:
                if self.stopping:  # the row stays queued: the next worker to hold the chat sends it
                    raise asyncio.CancelledError("stopping")
                # Held already (a reply: the dispatcher holds its chat): only this worker can have
                # sent the row since, and its outbox knows, so it is not read again (`_wait`).
                held = self.leases.holds(chat)
                try:
                    taken = await self.leases.take(chat)
                except StateError as exc:
                    taken = False
                    if not warned:
                        warned = True
                        log.warning("outbox: cannot take chat %s (%s); its request stays queued, retrying", chat, exc)
                if taken:
                    try:
                        if not held:  # another worker may have sent it before this one got the chat
                            outcome = await self._db(self.state.outbox_status, row_id)
                            if outcome is not None and outcome[0] in FINAL:
                                return _outcome(*outcome)
                        return await self._wait(row_id, chat, method, params)
                    except _SentElsewhere:
                        pass  # this worker lost the chat while stalled: the new holder settles the row
                    finally:
                        await self.leases.release(chat)
                outcome = await self._db(self.state.outbox_status, row_id)
                if outcome is not None and outcome[0] in FINAL:
                    return _outcome(*outcome)
                await asyncio.sleep(LEASE_POLL_SECONDS)
        finally:
            self._own.discard(row_id)

    async def _wait(self, row_id: int, chat: str, method: str, params: dict[str, str]) -> Any:
        """Queue a pending row here and wait for what its sender makes of it."""
        if self.stopping:  # nothing is sent any more: the row stays queued for the next start
            raise asyncio.CancelledError("stopping")
        if row_id in self._recent:  # finished by a sender while we were reading the row
            result, error = self._recent[row_id]
            if error is not None:
                raise error
            return result
        future = self._waiters.get(row_id)
        if future is None:
            future = self._waiters[row_id] = asyncio.get_running_loop().create_future()
        self.enqueue(chat, row_id, method, params)
        try:
            return await asyncio.shield(future)
        finally:
            if future.done():
                self._waiters.pop(row_id, None)

    def enqueue(self, chat: str, row_id: int, method: str, params: dict[str, str]) -> None:
        """Hand a recorded row to its chat's sender (rows of a chat leave in this order).  A row
        this outbox finished lately is not queued again, even if the state missed its outcome."""
        if self.stopping or row_id in self._queued or row_id in self._recent:
            return
        self._queued.add(row_id)
        self._queues.setdefault(chat, collections.deque()).append((row_id, method, params))
        task = self._senders.get(chat)
        if task is None or task.done():
            if self.leases is not None:
                self.leases.retain(chat)  # the chat stays held while its sender has rows (released there)
            self._senders[chat] = asyncio.create_task(self._sender(chat), name=f"outbox:{chat}")

    async def load(self, chat: str | None = None) -> int:
        """Queue the unsent rows found in the state (of one chat, or all); how many."""
        return self._enqueue_rows(await self._db(self.state.outbox_pending, chat, 100_000) or [])

    def _enqueue_rows(self, rows: list[tuple[int, str, str, str]]) -> int:
        """`enqueue` each (row id, chat, method, JSON params) read from the state; how many."""
        for row_id, row_chat, method, params in rows:
            self.enqueue(row_chat, row_id, method, json.loads(params))
        return len(rows)

    async def adopt(self, chat: str) -> None:
        """A chat this webhook worker has just taken (free, or its worker stopped): close the
        requests a stopped worker left in flight as uncertain (they may have arrived: not
        resent), and queue every unsent one here, in order.  StateError when the state
        cannot say: then the chat is not taken (leases.ChatLeases.take)."""
        closed, rows = await self.state.run(self.state.outbox_adopt, chat, time.time())
        for row_id, key in closed:
            self.stats.uncertain += 1
            log.warning("workers: reply %s (row %s) to chat %s was in flight when its worker stopped; it may "
                        "have been delivered, so it is not sent again", key, row_id, chat)
        others = sum(1 for row in rows if row[0] not in self._own)
        if others:
            log.info("workers: chat %s: %d unsent request(s) queued for it by another worker (stopped, or "
                     "waiting for the chat); sending them", chat, others)
        self._enqueue_rows(rows)

    async def resume(self) -> int:
        """After a restart: close requests interrupted mid-flight as uncertain, and queue
        every unsent reply again."""
        for row_id, key, chat in await self._db(self.state.outbox_interrupted, time.time()) or []:
            self.stats.uncertain += 1
            log.warning("outbox: reply %s (row %s) to chat %s was being sent when the process stopped; it may "
                        "have been delivered, so it is not sent again", key, row_id, chat)
        count = await self.load()
        if count:
            log.info("outbox: resuming %d unsent repl(ies)", count)
        return count

    async def _sender(self, chat: str) -> None:
        queue = self._queues[chat]
        try:
            while queue and not self.stopping:
                row_id, method, params = queue[0]
                await self._send_row(row_id, chat, method, params)
                queue.popleft()
                self._queued.discard(row_id)
        finally:
            if self._senders.get(chat) is asyncio.current_task():
                del self._senders[chat]
                if not queue:
                    self._queues.pop(chat, None)
            if self.leases is not None:
                await self.leases.release(chat)

    def _resolve(self, row_id: int, result: Any = None, error: BaseException | None = None,
                 final: bool = True) -> None:
        """Hand the waiter (if any) its outcome; a final one is also remembered (`_recent`)."""
        if final:
            self._recent[row_id] = (result, error)
            if len(self._recent) > 1000:
                del self._recent[next(iter(self._recent))]
        future = self._waiters.pop(row_id, None)
        if future is None or future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    async def _send_row(self, row_id: int, chat: str, method: str, params: dict[str, str]) -> None:
        delay = BACKOFF_START
        attempts = 0
        mine = False  # the row is 'sending' from our last attempt (putting it back could not be recorded)
        while True:
            attempts += 1
            task = asyncio.current_task()
            assert task is not None
            if not mine and await self._db(self.state.outbox_sending, row_id) is False:
                await self._settled_elsewhere(row_id, chat)  # not pending: never in flight twice
                return
            self._in_request.add(task)
            try:
                result = await self.bot.send_now(method, params)
            except asyncio.CancelledError:
                # Stopped in the middle of a request: it may have been written.  Not resent.
                self._in_request.discard(task)
                with contextlib.suppress(Exception):
                    await asyncio.shield(self.state.run(
                        self.state.outbox_finish, row_id, UNCERTAIN, None,
                        "stopped while the request was in flight; not resent", attempts, time.time()))
                self.stats.uncertain += 1
                raise
            except ChatMigrated as exc:
                self._in_request.discard(task)
                new_chat = str(exc.new_chat_id)
                log.warning("outbox: chat %s became supergroup %s; sending there", chat, new_chat)
                params = dict(params, chat_id=new_chat)
                await self._db(self.state.outbox_redirect, row_id, new_chat, json.dumps(params))
                back = await self._retry_later(row_id, chat)
                if back is False:
                    return
                mine = back is None
                continue
            except TelegramError as exc:
                self._in_request.discard(task)
                failure = classify(exc)  # the rule FAQ posts and the rate limiter follow too
                if failure.verdict is Verdict.RETRY:
                    back = await self._retry_later(row_id, chat)
                    if back is False:
                        return
                    mine = back is None
                    if failure.wait is not None:  # 429: wait what Telegram asked, however often
                        wait = failure.wait + 0.1
                        self.stats.retried_429 += 1
                        log.info("outbox: flood limit (429) in chat %s; waiting %.1fs (attempt %d), other chats "
                                 "go on", chat, wait, attempts)
                        await self.sleep(wait)
                        continue
                    self.stats.retried_network += 1
                    if attempts == 1 or attempts % 10 == 0:
                        log.warning("outbox: cannot reach Telegram for chat %s (%s); retrying in %.1fs (attempt %d)",
                                    chat, exc.message, delay, attempts)
                    await self.sleep(delay)
                    delay = min(delay * 2, self.settings.outbox_max_backoff_seconds)
                    continue
                if failure.verdict is Verdict.UNCERTAIN:
                    detail = f"{failure.detail}; it may have been delivered, so it is not sent again"
                    self._resolve(row_id, error=DeliveryUncertain(detail))
                    await self._finish(row_id, UNCERTAIN, None, detail, attempts)
                    self.stats.uncertain += 1
                    log.warning("outbox: reply to chat %s: %s", chat, detail)
                    return
                self._resolve(row_id, error=exc)
                await self._finish(row_id, FAILED, None, f"{type(exc).__name__}: {exc.message}", attempts)
                self.stats.failed += 1
                log.warning("outbox: Telegram refused a reply to chat %s: %s", chat, failure.detail)
                return
            self._in_request.discard(task)
            self._resolve(row_id, result)  # the waiting handler goes on; the record follows
            await self._finish(row_id, SENT, json.dumps(result), None, attempts)
            self.stats.sent += 1
            return

    async def _retry_later(self, row_id: int, chat: str) -> bool | None:
        """Put a row that certainly did not arrive back to pending: True; None when the state
        could not record it (the row stays 'sending', still ours); False when it was no longer
        ours (a worker that took the chat over while this one was stalled closed it)."""
        back = await self._db(self.state.outbox_retry_later, row_id)
        if back is False:
            await self._settled_elsewhere(row_id, chat)
        return back

    async def _settled_elsewhere(self, row_id: int, chat: str) -> None:
        """The row is not pending any more, so not ours to send: give its waiter the outcome
        recorded for it, or (webhook workers) leave it to the worker that has the chat now."""
        outcome = await self._db(self.state.outbox_status, row_id)
        if outcome is not None and outcome[0] in FINAL:
            try:
                result = _outcome(*outcome)
            except Exception as exc:  # noqa: BLE001 - the recorded refusal or uncertainty, as raised
                self._resolve(row_id, error=exc)
            else:
                self._resolve(row_id, result)
            return
        if self.leases is not None:
            log.warning("outbox: row %s to chat %s is sent by the worker that took the chat over while this one "
                        "was stalled; not sent from here", row_id, chat)
            self._resolve(row_id, error=_SentElsewhere(), final=False)  # not finished: may come back to us
            return
        detail = "left in flight by a stopped process; it may have been delivered, so it is not sent again"
        self._resolve(row_id, error=DeliveryUncertain(detail))

    async def _finish(self, row_id: int, status: str, result: str | None, detail: str | None,
                      attempts: int) -> None:
        await self._db(self.state.outbox_finish, row_id, status, result, detail, attempts, time.time())

    async def stop(self, grace: float) -> None:
        """Let requests in flight finish (at most `grace` s); cancel the rest (they stay queued)."""
        self.stopping = True
        deadline = time.monotonic() + grace
        while self._in_request and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        tasks = [t for t in self._senders.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2.0)
        for future in self._waiters.values():
            if not future.done():
                future.cancel()
        if self._settling:
            await asyncio.wait(list(self._settling), timeout=2.0)


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


def stop_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (where the loop can handle signals)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


@contextlib.asynccontextmanager
async def initialized(application: "Application"):
    """PTB's initialize() and shutdown() with the post_init / post_stop / post_shutdown hooks,
    which only PTB's own run_polling/run_webhook call (neither is used here); on the way out
    the application is also stopped if it was started meanwhile."""
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        yield application
    finally:
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def attach_outbox(application: "Application", state: State, settings: "ChatSettings", stats: DeliveryStats,
                  leases: "ChatLeases | None" = None) -> "Outbox | None":
    """The outbox of the application's bot, when it is a `DurableBot` (else None: replies direct)."""
    bot = application.bot
    if not isinstance(bot, DurableBot):
        return None
    outbox = Outbox(state, bot, settings, stats, leases=leases)
    bot.attach(outbox)
    return outbox


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


async def prune(state: State) -> None:
    while True:
        await asyncio.sleep(PRUNE_SECONDS)
        with contextlib.suppress(StateError):
            now = time.time()
            await state.run(state.inbox_prune, now)
            await state.run(state.outbox_prune, now)


class Delivery:
    """The bot running: initialised application, polling into the inbox, dispatcher, outbox.

        delivery = Delivery(application, state, settings, poll_timeout)
        await delivery.start()      # also what tests and benchmarks use in-process
        ...
        await delivery.stop()       # SIGTERM: bounded by chat.shutdown_grace_seconds
    """

    def __init__(self, application: "Application", state: State, settings: "ChatSettings",
                 poll_timeout: float, stats: DeliveryStats | None = None) -> None:
        self.application = application
        self.state = state
        self.settings = settings
        self.poll_timeout = poll_timeout
        self.stats = stats or DeliveryStats()
        self.outbox = attach_outbox(application, state, settings, self.stats)
        application.bot_data["delivery"] = self
        self.dispatcher = Dispatcher(application, state, settings, self.stats)
        self.tasks: list[asyncio.Task] = []
        self._opened = contextlib.AsyncExitStack()  # the application, closed by `stop`

    async def start(self) -> None:
        app = self.application
        await self._opened.enter_async_context(initialized(app))
        try:
            await app.bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as exc:
            log.warning("deleteWebhook failed (%s); polling anyway", exc)
        await app.start()
        if self.outbox is not None:
            await self.outbox.resume()
        poller = Poller(app.bot, self.state, self.dispatcher, self.stats, self.poll_timeout)
        self.tasks = [asyncio.create_task(self.dispatcher.run(), name="dispatcher"),
                      asyncio.create_task(poller.run(), name="poller"),
                      asyncio.create_task(prune(self.state), name="prune")]

    async def stop(self) -> None:
        stopping_at = time.monotonic()
        log.info("stopping: no new updates are taken; answers in progress may finish")
        for task in self.tasks[1:]:
            task.cancel()
        grace = self.settings.shutdown_grace_seconds
        await self.dispatcher.stop(grace)
        for task in self.tasks[:1]:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.outbox is not None:
            await self.outbox.stop(max(0.5, grace - (time.monotonic() - stopping_at)))
        await self._opened.aclose()
        with contextlib.suppress(StateError):
            waiting, _ = await self.state.run(self.state.inbox_counts)
            log.info("stopped in %.2fs; %d update(s) wait in the inbox", time.monotonic() - stopping_at, waiting)


async def serve(application: "Application", state: State, settings: "ChatSettings", poll_timeout: float,
                started: float | None = None) -> None:
    """Run the bot until SIGTERM/SIGINT (or a fatal error such as a refused token)."""
    stop = stop_signals()
    delivery = Delivery(application, state, settings, poll_timeout)
    try:
        await delivery.start()
        if started is not None:
            log.info("ready: polling (%.2fs after start)", time.monotonic() - started)
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([stopper, *delivery.tasks], return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        for task in done:
            if task is not stopper and not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    finally:
        await delivery.stop()
