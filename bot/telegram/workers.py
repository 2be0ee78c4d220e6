"""Webhook workers: several `python -m bot telegram` processes behind one URL, one state.

With `TELEGRAM_WEBHOOK_URL` set the bot does not poll.  It listens on
`TELEGRAM_WEBHOOK_LISTEN` (`host:port`) for Telegram's POSTs and:

* refuses a POST without the header `X-Telegram-Bot-Api-Secret-Token` (401)
  or with another value (403) than `TELEGRAM_WEBHOOK_SECRET`;
* answers 200 only once the update is in the inbox (committed); when the
  state cannot record it, 503, and Telegram sends it again later;
* records an update id already recorded (Telegram's retry, possibly to
  another worker) once: the inbox's primary key;
* a body that is JSON with an `update_id` but not a valid Update is recorded
  as a bare id (answered by nobody), logged once, and acknowledged.

Who answers what (`LeaseDispatcher`): any worker may answer any chat, but only
one at a time.  A worker takes a chat by writing a lease (`chat_leases`: owner,
lease_until) that it renews every `chat.lease_seconds`/3 while it holds it; it
answers that chat's updates oldest first, one at a time, each reply waiting for
the outbox to hand it to Telegram, so the replies of a chat keep the order of
its messages across workers.  A worker killed mid-chat stops renewing: after at
most `chat.lease_seconds` another worker takes the chat over, closes the
requests the dead one left in flight as uncertain (they may have arrived: not
resent) and sends its queued ones.  The same leases work on SQLite (one worker)
and PostgreSQL (`BOT_STATE_URL`, several).

FAQ posts follow the same rule (bot/telegram/leases.py): only the worker holding
a chat's lease sends that chat's outbox rows.  Every worker runs the FAQ
scheduler; the ledger gives each (entry, slot, chat) to one of them, whose post
then takes the chat's lease like a reply (waiting while another worker answers
the chat, which may send it meanwhile).  The sweep that finds work looks for
chats with unanswered updates *or* unsent requests that no live worker holds,
so a post queued for a channel (which never sends an update) is sent by another
worker once its own was killed.  Chosen over "one worker posts all FAQs": that
worker would be a single point of failure needing its own election, and its
posts would still share the chats' outboxes with the replies of the others.

What is shared with long polling (bot/telegram/inbox.py): an update is recorded as
`inbox_row` makes it, checked by `resilience.read_update`, and answered by
`answer_recorded` (age limit, per-chat order and fairness, replies through the outbox);
only who takes which update (leases here, the inbox cursor there) differs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import TelegramError

from bot.core.state import State, StateError
from bot.telegram.delivery import attach_outbox, initialized, prune, stop_signals
from bot.telegram.inbox import answer_recorded, finish_within, inbox_row
from bot.telegram.leases import ChatLeases
from bot.telegram.outbox import DeliveryStats, Outbox, run_retried
from bot.telegram.resilience import read_update

if TYPE_CHECKING:  # pragma: no cover
    from telegram.ext import Application

    from bot.core.config import ChatSettings

log = logging.getLogger("bot.telegram.workers")

SECRET_HEADER = "x-telegram-bot-api-secret-token"
MAX_BODY = 1 << 20  # Telegram's updates are far smaller
POLL_SECONDS = 0.2  # how often an idle worker looks for chats another worker's POSTs recorded


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    host: str
    port: int
    secret: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "WebhookSettings | None":
        """None without TELEGRAM_WEBHOOK_URL (long polling); ValueError when unusable."""
        env = dict(os.environ if env is None else env)
        url = (env.get("TELEGRAM_WEBHOOK_URL") or "").strip()
        if not url:
            return None
        if not url.startswith(("https://", "http://")):
            raise ValueError("TELEGRAM_WEBHOOK_URL must be an http(s) URL")
        secret = env.get("TELEGRAM_WEBHOOK_SECRET") or ""
        if not secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL "
                             "(1-256 characters A-Z, a-z, 0-9, _ and -)")
        listen = (env.get("TELEGRAM_WEBHOOK_LISTEN") or "0.0.0.0:8443").strip()
        host, _, port = listen.rpartition(":")
        try:
            port_number = int(port)
        except ValueError:
            raise ValueError(f"TELEGRAM_WEBHOOK_LISTEN must be host:port (got {listen!r})") from None
        return cls(url=url, host=host.strip("[]") or "0.0.0.0", port=port_number, secret=secret)


class LeaseDispatcher:
    """Answers the chats this worker holds a lease on, one update at a time per chat, and
    takes over the chats whose queued requests a stopped worker left (see bot/telegram/leases.py)."""

    def __init__(self, application: "Application", state: State, settings: "ChatSettings",
                 stats: DeliveryStats, outbox: Outbox | None, leases: ChatLeases) -> None:
        self.application = application
        self.state = state
        self.settings = settings
        self.stats = stats
        self.outbox = outbox
        self.leases = leases
        self._wake = asyncio.Event()
        self._chats: dict[str, asyncio.Task] = {}
        self.stopping = False

    @property
    def owner(self) -> str:
        return self.leases.owner

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while not self.stopping:
            room = self.settings.workers * 4 - len(self._chats)
            if room > 0:
                try:
                    await self._take(room)
                except StateError as exc:
                    log.error("workers: cannot look for work (%s); retrying", exc)
            with contextlib.suppress(TimeoutError):  # asyncio.timeout: a cancel is never swallowed (State.run)
                async with asyncio.timeout(POLL_SECONDS):
                    await self._wake.wait()
            self._wake.clear()

    async def _take(self, room: int) -> None:
        """Take chats with work that no live worker holds: unanswered updates, or unsent
        requests (a stopped worker's, a FAQ post to a channel); taking one adopts its queued
        requests (Outbox.adopt)."""
        now = time.time()
        for key in await self.state.run(self.state.lease_candidates, now, room + len(self._chats), self.owner):
            if key in self._chats or self.stopping:
                continue
            if await self.leases.take(key):
                self._chats[key] = asyncio.create_task(self._drain(key), name=f"chat:{key}")
                room -= 1
                if room <= 0:
                    return

    async def _drain(self, key: str) -> None:
        """Answer the chat's updates oldest first.  Between two, requests another worker
        queued for the chat meanwhile (a FAQ post waiting for the lease) join this worker's
        sender, so a busy chat does not keep them waiting; the query for the next update
        says whether there are any, so they cost a read only when there are.  The chat stays
        held after the last answer while its sender still has rows (leases.ChatLeases)."""
        try:
            while not self.stopping:
                row, queued = await self.state.run(self.state.inbox_next, key)
                if queued and self.outbox is not None:
                    await self.outbox.load(key)
                if row is None:
                    break
                update_id, payload, received_at = row
                await self._answer(update_id, payload, received_at)
        except StateError as exc:
            log.error("workers: chat %s paused, the state store is unavailable (%s)", key, exc)
        finally:
            self._chats.pop(key, None)
            await self.leases.release(key)
            self._wake.set()

    async def _answer(self, update_id: int, payload: str, received_at: float) -> None:
        """Answer one update, then mark it done, retried like polling's (Dispatcher._done):
        a passing StateError must not pause the chat until the next look for work."""
        await answer_recorded(self.application, self.settings, self.stats, update_id, payload, received_at)
        await run_retried(self.state, self.state.inbox_done, update_id, give_up=lambda: self.stopping)

    async def stop(self, grace: float) -> None:
        self.stopping = True
        self._wake.set()
        interrupted = await finish_within(list(self._chats.values()), grace)
        if interrupted:
            log.info("stopping: %d chat(s) interrupted; their updates wait in the inbox", interrupted)


class WebhookServer:
    """A minimal HTTP/1.1 server for Telegram's POSTs (no framework needed for one route)."""

    def __init__(self, settings: WebhookSettings, state: State, dispatcher: LeaseDispatcher,
                 stats: DeliveryStats) -> None:
        self.settings = settings
        self.state = state
        self.dispatcher = dispatcher
        self.stats = stats
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._client, self.settings.host, self.settings.port,
                                                 reuse_address=True)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1.0):
                    await self.server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                keep = await self._one(reader, writer)
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _respond(self, writer: asyncio.StreamWriter, status: int, reason: str, body: bytes = b"") -> None:
        writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
                     "Content-Type: text/plain\r\n\r\n".encode() + body)
        await writer.drain()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        line = await reader.readline()
        if not line:
            return False
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            await self._respond(writer, 400, "Bad Request")
            return False
        method = parts[0]
        headers: dict[str, str] = {}
        while True:
            header = await reader.readline()
            if header in (b"\r\n", b"\n", b""):
                break
            name, _, value = header.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
            if len(headers) > 100:
                await self._respond(writer, 431, "Request Header Fields Too Large")
                return False
        length = int(headers.get("content-length") or 0)
        if length > MAX_BODY:
            await self._respond(writer, 413, "Payload Too Large")
            return False
        body = await reader.readexactly(length) if length else b""
        keep = headers.get("connection", "").lower() != "close"
        if method != "POST":
            await self._respond(writer, 405, "Method Not Allowed")
            return keep
        given = headers.get(SECRET_HEADER)
        if given is None:
            await self._respond(writer, 401, "Unauthorized")
            return keep
        if not hmac.compare_digest(given.encode(), self.settings.secret.encode()):
            await self._respond(writer, 403, "Forbidden")
            return keep
        status, reason = await self._record(body)
        await self._respond(writer, status, reason)
        return keep

    async def _record(self, body: bytes) -> tuple[int, str]:
        """(status, reason): 200 once the update is committed to the inbox.  The body is
        parsed once; what PTB cannot read as an Update is recorded as its bare update_id."""
        try:
            item = json.loads(body)
        except ValueError:
            item = None
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("webhook: a POST that is not an update (%d bytes); refused", len(body))
            return 400, "Bad Request"
        update, reason = read_update(item)
        if update is None:
            log.warning("skipped malformed update %s (%s); acknowledged, it will not be sent again",
                        update_id, reason)
            update = Update(update_id)  # answered by nobody
        # The state's own timeout, not polling's shorter durable_write_timeout_seconds:
        # polling answers an unrecorded update from memory, a webhook answers 503 and
        # Telegram sends the update again later, so waiting longer here loses less time.
        try:
            added = await self.state.run(self.state.inbox_add, [inbox_row(update)], time.time())
        except StateError as exc:
            log.error("webhook: cannot record update %s (%s); answered 503, Telegram will send it again",
                      update_id, exc)
            return 503, "Service Unavailable"
        if not added:
            self.stats.redelivered += 1
        self.dispatcher.wake()
        return 200, "OK"


async def serve_webhook(application: "Application", state: State, settings: "ChatSettings",
                        webhook: WebhookSettings, started: float | None = None) -> None:
    """Run a webhook worker until SIGTERM/SIGINT."""
    stop = stop_signals()
    stats = DeliveryStats()
    leases = ChatLeases(state, settings.lease_seconds)
    outbox = attach_outbox(application, state, settings, stats, leases)
    application.bot_data["delivery"] = _Info(stats)
    dispatcher = LeaseDispatcher(application, state, settings, stats, outbox, leases)
    leases.on_taken = outbox.adopt if outbox is not None else None
    leases.on_released = dispatcher.wake  # a chat let go may have updates waiting
    leases.start()
    server = WebhookServer(webhook, state, dispatcher, stats)
    tasks: list[asyncio.Task] = []
    opened = contextlib.AsyncExitStack()
    try:
        await opened.enter_async_context(initialized(application))
        await application.start()
        await server.start()
        try:
            await application.bot.set_webhook(webhook.url, secret_token=webhook.secret,
                                              allowed_updates=Update.ALL_TYPES)
        except TelegramError as exc:
            log.warning("setWebhook failed (%s); serving anyway (another worker may have set it)", exc)
        tasks = [asyncio.create_task(dispatcher.run(), name="lease-dispatcher"),
                 asyncio.create_task(prune(state), name="prune")]
        log.info("ready: webhook worker %s on %s:%d%s", dispatcher.owner, webhook.host, webhook.port,
                 f" ({time.monotonic() - started:.2f}s after start)" if started is not None else "")
        await stop.wait()
    finally:
        stopping_at = time.monotonic()
        log.info("stopping: no new updates are taken; answers in progress may finish")
        await server.stop()
        grace = settings.shutdown_grace_seconds
        await dispatcher.stop(grace)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if outbox is not None:
            await outbox.stop(max(0.5, grace - (time.monotonic() - stopping_at)))
        await leases.close()  # after the outbox: a chat is let go only once nothing of it is in flight
        await opened.aclose()
        log.info("stopped in %.2fs", time.monotonic() - stopping_at)


@dataclass
class _Info:
    """What /stats reads from `bot_data["delivery"]`."""

    stats: DeliveryStats
