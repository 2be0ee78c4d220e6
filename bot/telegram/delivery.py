"""Replies you can promise: the run loop of long polling around a durable inbox and outbox.

Three modules, wired together here:

* bot/telegram/inbox.py: the durable inbox.  `Poller` records updates before
  Telegram is told they arrived (why not PTB's `Updater`), `Dispatcher`
  answers them, again after a kill -9.
* bot/telegram/outbox.py: the durable outbox.  `DurableBot` queues every
  reply under a key of its update, one sender per chat; the retries (429,
  outages) and why a request that may have arrived is never resent.
* here: `Delivery` starts and stops both with the application; `serve` runs it
  until a signal.  Webhook workers (bot/telegram/workers.py) run their own loop
  with the same pieces (`initialized`, `attach_outbox`, `prune`, `stop_signals`).

* **Stopping.**  SIGTERM/SIGINT: polling stops at once; handlers already
  running get `chat.shutdown_grace_seconds` to finish, then are cancelled;
  what was not answered stays in the inbox (and unsent replies in the
  outbox) for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.core.state import State, StateError
from bot.telegram.inbox import Dispatcher, Poller
from bot.telegram.outbox import DeliveryStats, DurableBot, Outbox

if TYPE_CHECKING:  # pragma: no cover
    from telegram.ext import Application

    from bot.core.config import ChatSettings
    from bot.telegram.leases import ChatLeases

log = logging.getLogger("bot.telegram.delivery")

PRUNE_SECONDS = 3600.0


def stop_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (where the loop can handle signals)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


@contextlib.asynccontextmanager
async def initialized(application: "Application") -> AsyncIterator["Application"]:
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


async def prune(state: State) -> None:
    """Hourly, forget updates answered and requests finished over a day ago (the state's
    INBOX_KEEP_DONE_SECONDS), so the state stays small; a state failing now is tried next hour."""
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
