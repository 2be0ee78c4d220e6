"""The durable outbox: every reply sent at most once, in order per chat, across restarts.

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

Whose keys: the inbox (bot/telegram/inbox.py) answers a recorded update with
`CURRENT_UPDATE` set to its `UpdateContext`; a FAQ post sets its own with
`outbox_key`.  The counters (`DeliveryStats`) and the retried state call
(`run_retried`) that the inbox shares live here, so the inbox imports the outbox
and never the other way round.  The run loop that starts and stops the outbox
is bot/telegram/delivery.py.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram.error import ChatMigrated, TelegramError
from telegram.ext import ExtBot
from telegram.request._requestparameter import RequestParameter

from bot.core.outbox_store import OutboxStatus
from bot.core.state import State, StateError
from bot.telegram.failures import DeliveryUncertain, Verdict, classify
from bot.telegram.resilience import SENDING

if TYPE_CHECKING:  # pragma: no cover
    from bot.core.config import ChatSettings
    from bot.telegram.leases import ChatLeases

# The name log lines have always carried (inbox, outbox and run loop alike): they say
# "inbox:" or "outbox:" themselves, and what operators filter on stays the same.
log = logging.getLogger("bot.telegram.delivery")

QUEUED_METHODS = frozenset({"sendMessage"})  # what goes through the outbox (replies people read)
BACKOFF_START = 0.5

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
class UpdateContext:
    """The outbox keys of one recorded update's replies (`update:<id>:<n>`): answered again
    after a crash, it makes the same keys, so a reply already sent is not sent twice."""

    update_id: int
    replies: int = 0

    def next_key(self) -> str:
        key = f"update:{self.update_id}:{self.replies}"
        self.replies += 1
        return key


CURRENT_UPDATE: ContextVar[UpdateContext | _FixedKey | None] = ContextVar("current_update", default=None)


@dataclass
class _FixedKey:
    """The outbox key of one FAQ post (entry, slot, chat): posted at most once across restarts."""

    key: str
    replies: int = 0

    def next_key(self) -> str:
        self.replies += 1
        return self.key if self.replies == 1 else f"{self.key}:{self.replies}"


@contextlib.contextmanager
def outbox_key(key: str) -> Iterator[None]:
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
