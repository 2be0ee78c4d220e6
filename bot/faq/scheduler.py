"""Run the FAQ schedule inside the Telegram bot, on python-telegram-bot's JobQueue.

Why the JobQueue and not APScheduler directly: PTB's JobQueue *is* an
APScheduler AsyncIOScheduler bound to the application's event loop and
lifecycle (started and stopped with `python -m bot telegram`, jobs get the
application's `Bot`).  We only need "wake me at instant T", which
`run_once(when=datetime)` gives; cron semantics and DST stay in
`bot.faq.schedule`, where they are pure and tested.

Timing is not trusted for correctness.  Every wake-up calls `run_due()`,
which reads the injectable clock and the ledger and works out what is due:

* one job per entry wakes at its next slot, posts, and schedules the next;
* a catch-up run at start-up and a sweep every minute post any slot that a
  late timer, a suspended machine or a restart left behind;
* a slot is due for at most `grace` after its time (faq.yaml `grace:`,
  default 1h).  Older missed slots are recorded as skipped and logged.

A state file restored from an older copy lacks the rows of the posts made
since, so what the ledger says is posted is a lower bound.  Two guards keep
that from posting a slot again: only slots at most `grace` old are ever
posted (so a restore can repeat at most the newest slot of each entry, and
only within `grace` of it), and a slot this process has already claimed for
every chat is never posted again by it (it is recorded as skipped, logged),
which covers a file replaced or deleted while the bot runs.  A restore
followed by a restart inside `grace` of a posted slot can post it once more:
nothing outside the restored file remembers it, and the Bot API cannot list
a chat's messages.

Because each (entry, slot, chat) is claimed in SQLite before posting, any
number of wake-ups, in one process or several, post each slot once per chat.
Several webhook workers each run this scheduler on one shared state: the claim
picks the worker that posts, and its post then takes the chat's lease
(bot/telegram/leases.py), so no other worker sends it as one of the chat's
queued replies, and one left queued by a killed worker is sent by another.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.core.state import StateError
from bot.faq import poster
from bot.faq.config import MAX_GRACE, NO_CHATS, Chat, FaqConfig, FaqEntry, Problem, answer_warnings, load_faq
from bot.faq.ledger import FAILED, POSTED, SKIPPED, Ledger, outbox_key
from bot.faq.schedule import runs_between, slot_instant, slot_key
from bot.runtime import Runtime

if TYPE_CHECKING:  # pragma: no cover
    from telegram import Bot
    from telegram.ext import Application, CallbackContext

    from bot.answering.service import QAService
    from bot.core.state import State

log = logging.getLogger("bot.faq")

Clock = Callable[[], datetime]
SWEEP_SECONDS = 60.0
# How far back a restart looks for missed slots to log as skipped (also faq.yaml's longest grace).
MAX_LOOKBACK = MAX_GRACE
# A post this long after its slot is logged as late (a normal wake-up takes milliseconds).
# It is also the least grace a slot gets: the job wakes a moment after the slot, and the
# sweep that stands in for a late timer runs once a minute, so a shorter `grace:` (0 for
# "never post late") would otherwise record every slot as missed and post nothing.
LATE = timedelta(minutes=1)
FORGOTTEN = ("already claimed for every chat while this process runs, but the ledger no longer knows it "
             "(the state file replaced by an older copy?); not posted again")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outcome:
    """One (entry, slot, chat) handled by a run: posted, failed or skipped."""

    entry_id: str
    slot: str
    chat: str
    status: str
    detail: str


@dataclass(frozen=True)
class Window:
    """An entry's slots at one instant: the one to post, and those to record as skipped."""

    due: list[datetime]
    superseded: list[datetime]
    missed: list[datetime]


class FaqScheduler:
    """Decides what is due at `clock()` and posts it, exactly once per chat."""

    def __init__(self, config: FaqConfig, runtime: "Runtime | QAService", ledger: Ledger,
                 bot: "Bot", clock: Clock = utc_now, sleep: poster.Sleep | None = None,
                 max_lookback: timedelta = MAX_LOOKBACK, alive_seconds: float | None = None) -> None:
        self.config = config
        self.runtime = Runtime.of(runtime)
        self.ledger = ledger
        self.bot = bot
        self.clock = clock
        self.sleep = sleep
        self.max_lookback = max_lookback
        self.entries = [e for e in config.entries if e.chats]
        # (entry, slot, chat) claimed by this process and not yet recorded: a claim an outage
        # keeps open is still being posted, not abandoned (Ledger.close_stale_claims).
        self.posting: set[tuple[str, str, str]] = set()
        # How often a post under way renews its claim for the other processes sharing the state
        # (Ledger.alive); None: a third of chat.faq_stale_claim_seconds, as leases renew.
        self.alive_seconds = alive_seconds
        # Entry id -> its newest slot claimed for every chat while this process runs: never
        # posted again, even when the ledger loses it (its file replaced by an older copy).
        self.handled: dict[str, str] = {}

    @property
    def grace(self) -> timedelta:
        """How late a slot may still be posted: faq.yaml's `grace`, but never under LATE, the
        delay of an on-time wake-up (`grace: 0` means "never post late", not "never post")."""
        return max(self.config.grace, LATE)

    @property
    def service(self) -> "QAService":
        """The runtime's current service: after an admin's /reload, the new knowledge."""
        return self.runtime.service

    async def _db(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A ledger call on the state's own thread with its timeout, never on the event loop
        (a locked state file must not freeze the chats; StateError when it cannot answer)."""
        return await self.ledger.state.run(fn, *args)

    def window(self, entry: FaqEntry, now: datetime) -> Window:
        """Which slots of `entry` to post now, and which to record as skipped.

        The window starts at the entry's newest recorded slot (included, so a
        chat left unposted by a crash mid-slot still gets it), at most
        `max_lookback` ago; an entry with no history looks back only `grace`.
        Of the slots at most `grace` old only the newest is posted: after a
        downtime, posting the same question several times in a row helps
        nobody, so the older ones are superseded.  `grace` is at least LATE
        (`self.grace`), so a slot is always posted on time.
        """
        grace = self.grace
        last = self.ledger.last_slot(entry.id)
        if last is not None:
            start = max(slot_instant(last) - timedelta(seconds=1), now - self.max_lookback)
        else:
            start = now - grace - timedelta(seconds=1)
        runs = runs_between(entry.cron, entry.tz, start, now)
        recent = [r for r in runs if now - r <= grace]
        if last is None:  # nothing was missed "while down" for an entry never seen before
            return Window(due=recent[-1:], superseded=[], missed=[])
        return Window(due=recent[-1:], superseded=recent[:-1], missed=[r for r in runs if now - r > grace])

    async def run_due(self, entries: list[FaqEntry] | None = None) -> list[Outcome]:
        """Post every due slot not yet claimed; record missed ones as skipped."""
        now = self.clock()
        outcomes: list[Outcome] = []
        stale_after = timedelta(seconds=self.runtime.settings.chat.faq_stale_claim_seconds)
        try:
            stale = await self._db(self.ledger.close_stale_claims, now, stale_after, frozenset(self.posting))
        except StateError as exc:  # no ledger, no posts: at most once beats at least once
            log.error("faq: posts paused, the state store is unavailable: %s", exc)
            return outcomes
        for record in stale:
            if record.status == POSTED:
                log.info("faq %s: chat %s: slot %s claimed at %s by a process that stopped: %s",
                         record.entry_id, record.chat, record.slot, record.claimed_at, record.detail)
                continue
            log.error("faq %s: chat %s: slot %s was claimed at %s by a process that stopped while posting: "
                      "%s; not re-posted automatically (use `python -m bot faq post %s` if it did not arrive)",
                      record.entry_id, record.chat, record.slot, record.claimed_at, record.detail,
                      record.entry_id)
        for entry in entries if entries is not None else self.entries:
            try:
                outcomes += await self._run_entry(entry, now)
            except StateError as exc:  # claimed posts stay claimed: at most once, never twice
                log.error("faq %s: paused, the state store is unavailable: %s", entry.id, exc)
            except Exception:  # noqa: BLE001 - one broken entry must not stop the others
                log.exception("faq %s: unexpected error while posting; the schedule keeps running", entry.id)
        return outcomes

    async def _run_entry(self, entry: FaqEntry, now: datetime) -> list[Outcome]:
        window = await self._db(self.window, entry, now)
        outcomes = await self._db(self._skip, entry, window.missed, now,
                                  "missed while the bot was down, more than the "
                              f"grace period ({_duration(self.grace)}) ago")
        for run in window.due:
            slot = slot_key(run)
            outcomes += await self._db(self._skip, entry, window.superseded, now,
                                       f"missed while the bot was down; the later slot {slot} is posted instead")
            if slot <= self.handled.get(entry.id, ""):
                # Every chat of this slot was claimed while this process ran; a chat the
                # ledger no longer knows means the state lost it, not that it was not posted.
                outcomes += await self._db(self._skip, entry, [run], now, FORGOTTEN)
                continue
            outcomes += await self.post_slot(entry, slot, run, now)
            self.handled[entry.id] = slot
        return outcomes

    def _skip(self, entry: FaqEntry, runs: list[datetime], now: datetime, detail: str) -> list[Outcome]:
        """Record missed slots as skipped (once per chat) and log them in one line."""
        outcomes = []
        for run in runs:
            slot = slot_key(run)
            outcomes += [Outcome(entry.id, slot, str(c), SKIPPED, detail) for c in entry.chats
                         if self.ledger.claim(entry.id, slot, str(c), now, SKIPPED, detail)]
        if outcomes:
            slots = sorted({o.slot for o in outcomes})
            span = slots[0] if len(slots) == 1 else f"{slots[0]} .. {slots[-1]}"
            log.warning("faq %s: %d slot(s) skipped (%s, %d post(s)): %s", entry.id, len(slots), span,
                        len(outcomes), detail)
        return outcomes

    async def post_slot(self, entry: FaqEntry, slot: str, run: datetime | None, now: datetime) -> list[Outcome]:
        """Claim and post one slot to each of the entry's chats not yet claimed."""
        outcomes: list[Outcome] = []
        composed: poster.Composed | None = None
        for chat in entry.chats:
            # Claimed at the real instant, not the run's `now`: posts to the chats before may
            # have taken long, and another process judges the claim's age by this.
            if not await self._db(self.ledger.claim, entry.id, slot, str(chat), self.clock()):
                continue
            key = (entry.id, slot, str(chat))
            self.posting.add(key)
            alive = asyncio.create_task(self._keep_alive(key), name=f"faq-alive:{entry.id}:{chat}")
            try:
                if composed is None:
                    try:
                        # the core's answer off the event loop, as chat replies are
                        composed = await asyncio.to_thread(poster.compose, self.service, entry)
                    except Exception as exc:  # noqa: BLE001 - release the claim as failed, keep running
                        log.exception("faq %s: could not compose the answer", entry.id)
                        detail = f"could not compose the answer: {type(exc).__name__}: {exc}"
                        await self._db(self.ledger.finish, entry.id, slot, str(chat), FAILED, self.clock(), detail)
                        outcomes.append(Outcome(entry.id, slot, str(chat), FAILED, detail))
                        continue
                    if run is not None and now - run > LATE:
                        log.warning("faq %s: posting slot %s late (%s after its time), within the grace period",
                                    entry.id, slot, _duration(now - run))
                outcomes.append(await self._post_claimed(entry, slot, chat, composed))
            finally:
                alive.cancel()
                await asyncio.gather(alive, return_exceptions=True)
                self.posting.discard(key)
        return outcomes

    async def _keep_alive(self, key: tuple[str, str, str]) -> None:
        """Renew a claim while its post is under way (a 429 asking for an hour, an outage), so
        that another process sharing the state (a webhook worker, `bot faq post` next to the
        bot) does not settle it as abandoned, logged as interrupted, while it is still being
        sent (Ledger.close_stale_claims).  A renewal the state cannot take is tried again at
        the next one; this process never settles its own claims (`posting`)."""
        warned = False
        while True:
            every = self.alive_seconds or self.runtime.settings.chat.faq_stale_claim_seconds / 3
            await asyncio.sleep(every)
            try:
                await self._db(self.ledger.alive, *key, self.clock())
            except StateError as exc:
                if not warned:
                    warned = True
                    log.warning("faq %s: chat %s: cannot renew the claim of slot %s (%s); retrying in %gs",
                                key[0], key[2], key[1], exc, every)

    async def _post_claimed(self, entry: FaqEntry, slot: str, chat: Chat, composed: poster.Composed) -> Outcome:
        """Post a claimed (entry, slot, chat) and record the outcome in the ledger."""
        if composed.html is None:
            detail = f"the knowledge has no answer to the question in {composed.lang!r}"
            log.error("faq %s: chat %s: slot %s not posted: %s", entry.id, chat, slot, detail)
            await self._db(self.ledger.finish, entry.id, slot, str(chat), SKIPPED, self.clock(), detail)
            return Outcome(entry.id, slot, str(chat), SKIPPED, detail)
        kwargs: dict[str, Any] = {"sleep": self.sleep} if self.sleep else {}
        delivery = await poster.send(self.bot, chat, composed.html, entry_id=entry.id,
                                     key=outbox_key(entry.id, slot, chat), **kwargs)
        status = POSTED if delivery.ok else FAILED
        await self._db(self.ledger.finish, entry.id, slot, str(chat), status, self.clock(), delivery.detail)
        if delivery.ok:
            log.info("faq %s: slot %s posted to chat %s (%s)", entry.id, slot, chat, delivery.detail)
        return Outcome(entry.id, slot, str(chat), status, delivery.detail)

    def next_run(self, entry: FaqEntry) -> datetime | None:
        return entry.next_run(self.clock())

    # -- JobQueue wiring ----------------------------------------------------------
    def schedule_next(self, job_queue: Any, entry: FaqEntry) -> None:
        run = self.next_run(entry)
        if run is None:
            return
        delay = max((run - self.clock()).total_seconds(), 0.0)
        job_queue.run_once(self._entry_job, when=delay, data=entry, name=f"faq:{entry.id}",
                           job_kwargs={"misfire_grace_time": None})

    async def _entry_job(self, context: "CallbackContext") -> None:
        entry: FaqEntry = context.job.data  # type: ignore[union-attr,assignment]
        try:
            await self.run_due([entry])
        finally:
            self.schedule_next(context.job_queue, entry)

    async def _sweep_job(self, context: "CallbackContext") -> None:
        await self.run_due()

    async def _catch_up_job(self, context: "CallbackContext") -> None:
        from bot.telegram.failures import classify

        try:
            await self.bot.initialize()  # opens its HTTP client; posting works without it too
        except Exception as exc:  # noqa: BLE001 - the sweep will try again; nothing is lost
            log.warning("faq: could not reach the Bot API at start-up (%s); will retry at each slot",
                        classify(exc).detail)
        outcomes = await self.run_due()
        log.info("faq: start-up catch-up done (%d entries, %d slot(s) handled)", len(self.entries), len(outcomes))


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 60:
        return f"{minutes // 60}h{minutes % 60:02d}m"
    if minutes >= 1:
        return f"{minutes}m"
    return f"{int(delta.total_seconds())}s"


def install(application: "Application", runtime: "Runtime", state: "State | None" = None,
            clock: Clock | None = None, config: FaqConfig | None = None,
            sweep_seconds: float = SWEEP_SECONDS) -> FaqScheduler | None:
    """Validate faq.yaml, log its problems, and schedule its valid entries.

    Called by the Telegram application before it starts.  A faq.yaml that
    cannot be read at all is logged and the bot runs without FAQ posts;
    faulty entries are logged and left out, the others run.
    """
    from bot.core.errors import ConfigError

    runtime = Runtime.of(runtime)
    state = state if state is not None else runtime.state
    if state is None:
        raise ValueError("the FAQ scheduler needs a state store (its post ledger)")
    svc = runtime.service
    if config is None:
        try:
            config = load_faq(svc.config_dir, svc.settings.languages)
        except ConfigError as exc:
            log.error("FAQ posts disabled: %s", exc)
            return None
    if not config.exists:
        log.info("no %s: no scheduled FAQ posts", config.path)
    try:
        warnings = answer_warnings(config, svc)
    except Exception:  # noqa: BLE001 - only a check: the entries still run
        log.exception("faq: could not check the entries' questions against the knowledge")
        warnings = []
    log_problems(config, config.problems + warnings)
    job_queue = application.job_queue
    if job_queue is None:
        log.error("FAQ posts disabled: python-telegram-bot was installed without its job-queue extra")
        return None
    scheduler = FaqScheduler(config, runtime, Ledger(state), _post_bot(application), clock or utc_now)
    if not scheduler.entries:
        return scheduler
    # misfire_grace_time=None: run even when the application starts more than
    # APScheduler's default one second after the job was queued.
    job_queue.run_once(scheduler._catch_up_job, when=0, name="faq:catch-up",
                       job_kwargs={"misfire_grace_time": None})
    job_queue.run_repeating(scheduler._sweep_job, interval=sweep_seconds, first=sweep_seconds, name="faq:sweep",
                            job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1})
    for entry in scheduler.entries:
        scheduler.schedule_next(job_queue, entry)
        log.info("faq %s: next post %s", entry.id, scheduler.next_run(entry))
    application.bot_data["faq_scheduler"] = scheduler
    return scheduler


def _post_bot(application: "Application") -> "Bot":
    """The bot's own `DurableBot` when it has one: posts then leave through the durable
    outbox (429 and outages retried without limit, at most once, kept across restarts);
    otherwise a plain Bot of their own."""
    from bot.telegram.outbox import DurableBot

    if isinstance(application.bot, DurableBot):
        return application.bot
    return _own_bot(application)


def log_problems(config: FaqConfig, problems: list[Problem]) -> None:
    """Errors and warnings one per line, but entries without chats as one info line.

    An entry with no chats is how the shipped faq.yaml comes (it must never
    post to a real chat from a fresh checkout), so it is news, not a fault:
    three warnings at every start taught people to ignore the FAQ log.
    Recognised by its `kind`, never by its wording.
    """
    idle = [p.entry for p in problems if p.kind == NO_CHATS]
    for problem in problems:
        if problem.kind != NO_CHATS:
            (log.error if problem.severity == "error" else log.warning)("%s", problem)
    if idle:
        log.info("FAQ posts: %d entr%s without chats, nothing scheduled for %s; add chat ids to their "
                 "`chats` in %s (README: FAQ posts)", len(idle), "y" if len(idle) == 1 else "ies",
                 ", ".join(str(e) for e in idle), config.path)


def _own_bot(application: "Application") -> "Bot":
    """A plain `Bot` for FAQ posts when the application's bot has no outbox (not a
    `DurableBot`), closed when the application shuts down.

    Why not `application.bot` then: its rate limiter would add its own retries on top of
    poster.send's.  FAQ posts are a handful a day, so they do without the shared
    throttle and follow poster.send's retry rules alone (the verdicts of
    bot/telegram/failures.py, as everywhere).
    """
    from telegram import Bot

    app_bot = application.bot
    token = app_bot.token
    base_url = app_bot.base_url
    if base_url.endswith(token):
        base_url = base_url[: -len(token)]
    request = app_bot.request  # the application's request redacts secrets from what is sent
    from bot.telegram.redaction import RedactingRequest

    bot = Bot(token, base_url=base_url,
              request=RedactingRequest(request.secrets) if isinstance(request, RedactingRequest) else None)
    previous = application.post_shutdown

    async def post_shutdown(app: "Application") -> None:
        try:
            await bot.shutdown()
        finally:
            if previous is not None:
                await previous(app)

    application.post_shutdown = post_shutdown
    return bot
