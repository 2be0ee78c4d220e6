"""The chats this webhook worker holds: who may send a chat's queued requests.

Several webhook workers share one state database (bot/telegram/workers.py).  One rule keeps
every chat's replies and FAQ posts in order and each sent at most once: **only the worker
holding a chat's lease sends that chat's outbox rows, or closes them.**  A worker holds a
chat (`chat_leases`: owner, lease_until, renewed every `chat.lease_seconds`/3) for as long
as any of these lasts, counted here per chat:

* it answers the chat's updates (`LeaseDispatcher`);
* a request it queued for the chat outside an update waits for its outcome: a FAQ post,
  which took the chat's lease like a reply does (`Outbox.deliver`);
* the chat's sender in its outbox still has rows to send.

Why counted: one worker may answer a chat and post a FAQ entry to it at once, and the
lease must outlast both.  Before FAQ posts held it, a post waiting out a 429 belonged to
no lease, so a worker taking the chat for an update loaded it with the chat's unsent
replies and sent it as well, and closed it as uncertain when it was in flight.

Taking a chat that was free, or whose lease expired because its worker stopped, first
*adopts* it (`on_taken`, the outbox's `adopt`: requests the stopped worker left in flight
are closed as uncertain, its unsent ones queued here), so what a dead worker queued is
neither lost nor sent twice.  Which chats to take is the dispatcher's sweep: chats with
unanswered updates *or* unsent requests that no live worker holds, so a post queued for a
channel, which never sends an update, is still sent after its worker was killed.

A worker stalled past its lease (a paused VM) can lose a chat to another; the heartbeat
logs it, and the outbox's pending -> sending step (`State.outbox_sending`) still lets only
one of them send each request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable

from bot.core.state import State, StateError

log = logging.getLogger("bot.telegram.workers")


class ChatLeases:
    """This worker's holds on chats, counted; the lease row lives while the count is above 0."""

    def __init__(self, state: State, lease_seconds: float, owner: str | None = None) -> None:
        self.state = state
        self.lease = lease_seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        # Called when a chat is newly taken (before anyone uses it) and when one is let go.
        self.on_taken: Callable[[str], Awaitable[None]] | None = None
        self.on_released: Callable[[], None] | None = None
        self._holds: dict[str, int] = {}
        self._taking: dict[str, asyncio.Future] = {}
        self._heartbeat: asyncio.Task | None = None
        self._lost_logged: set[str] = set()

    def holds(self, key: str) -> bool:
        return key in self._holds

    @property
    def held(self) -> list[str]:
        return list(self._holds)

    async def take(self, key: str) -> bool:
        """Hold `key` once more: at once when this worker already holds it, else by taking
        its lease (free or expired) and adopting it.  False when another worker holds it;
        StateError when the state cannot say.  Every True must be matched by `release`."""
        while key not in self._holds:
            taking = self._taking.get(key)
            if taking is None:
                return await self._acquire(key)
            await asyncio.wait({taking})  # another task of ours is taking it: share its result
        self._holds[key] += 1
        return True

    async def _acquire(self, key: str) -> bool:
        future = asyncio.get_running_loop().create_future()
        self._taking[key] = future
        try:
            now = time.time()
            if not await self.state.run(self.state.lease_acquire, key, self.owner, now, now + self.lease):
                return False
            self._holds[key] = 1
            self._lost_logged.discard(key)
            try:
                if self.on_taken is not None:
                    await self.on_taken(key)
            except BaseException:
                await self.release(key)  # not adopted, not held
                raise
            return True
        finally:
            del self._taking[key]
            future.set_result(None)

    def retain(self, key: str) -> None:
        """One more hold on a chat this worker holds already (its outbox sender starting)."""
        self._holds[key] = self._holds.get(key, 0) + 1

    async def release(self, key: str) -> None:
        """One hold fewer; the last one deletes the lease (when the state cannot, it expires)."""
        left = self._holds.get(key, 0) - 1
        if left > 0:
            self._holds[key] = left
            return
        self._holds.pop(key, None)
        with contextlib.suppress(StateError):
            await self.state.run(self.state.lease_release, key, self.owner)
        if self.on_released is not None:
            self.on_released()

    def start(self) -> None:
        if self._heartbeat is None:
            self._heartbeat = asyncio.create_task(self._renew(), name="chat-leases")

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            held = [*self._holds]
            if not held:
                continue
            try:
                kept = set(await self.state.run(self.state.lease_renew, self.owner, held, time.time() + self.lease))
            except StateError as exc:
                log.error("workers: cannot renew the leases of %d chat(s) (%s); another worker takes them over "
                          "if this lasts %gs", len(held), exc, self.lease)
                continue
            for key in held:
                if key not in kept and key in self._holds and key not in self._lost_logged:
                    self._lost_logged.add(key)
                    log.error("workers: chat %s was taken over by another worker (this one was stalled past its "
                              "lease); each of its requests is still sent at most once", key)

    async def close(self) -> None:
        """Stop renewing and let go of every chat still held (after the outbox stopped)."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            await asyncio.gather(self._heartbeat, return_exceptions=True)
            self._heartbeat = None
        self._holds.clear()
        with contextlib.suppress(StateError):
            await self.state.run(self.state.lease_release_all, self.owner)
