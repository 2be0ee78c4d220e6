"""`python -m bot telegram`: settings, the wiring of every handler, and the run loop.

All wiring lives here (`build_application`), so the handlers stay plain
functions and the whole bot can be built in-process by tests and benchmarks.

Environment:
  TELEGRAM_BOT_TOKEN      the bot's token (required; never logged)
  TELEGRAM_API_URL        Bot API root, default https://api.telegram.org; the
                          bot calls {root}/bot{token}/{method}
  TELEGRAM_POLL_TIMEOUT   long-polling timeout in seconds (default 10)
  BOT_STATE_PATH          SQLite state file (or --state), default state/bot.sqlite3
  BOT_STATE_URL           postgresql://… : all state in PostgreSQL instead (several workers)
  TELEGRAM_WEBHOOK_URL    set: a webhook worker (bot/telegram/workers.py) instead of long polling,
  TELEGRAM_WEBHOOK_LISTEN   listening on host:port (default 0.0.0.0:8443), accepting POSTs only
  TELEGRAM_WEBHOOK_SECRET   with this X-Telegram-Bot-Api-Secret-Token (required)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answering.service import QAService
from bot.core.state import State, default_state_path
from bot.core.urls import public_url, url_credentials
from bot.runtime import Runtime
from bot.telegram import addressing, admin, commands, fairness, handlers, inline, membership, redaction, sources
from bot.telegram.delivery import serve
from bot.telegram.outbox import DurableBot
from bot.telegram.resilience import ResilientRateLimiter, SanitizingRequest, on_error
from bot.telegram.workers import WebhookSettings, serve_webhook

log = logging.getLogger("bot.telegram")

DEFAULT_API_URL = "https://api.telegram.org"


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_url: str = DEFAULT_API_URL
    poll_timeout: float = 10.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "TelegramSettings":
        """Read the environment; ValueError with a one-line reason when unusable."""
        env = dict(os.environ if env is None else env)
        token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
        if not token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and export it")
        if any(c.isspace() for c in token) or "/" in token:
            raise ValueError("TELEGRAM_BOT_TOKEN is malformed (expected something like 123456:ABC-DEF...)")
        api_url = (env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
        if not api_url.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_URL must start with http:// or https:// "
                             f"(got {public_url(api_url)!r})")
        try:
            poll_timeout = float(env.get("TELEGRAM_POLL_TIMEOUT") or 10)
        except ValueError:
            raise ValueError("TELEGRAM_POLL_TIMEOUT must be a number of seconds") from None
        return cls(token=token, api_url=api_url, poll_timeout=max(0.0, poll_timeout))

    @property
    def public_api_url(self) -> str:
        """The API root as it may be printed: credentials (user:pass@) masked."""
        return public_url(self.api_url)

    @property
    def secrets(self) -> list[str]:
        """What must never be printed: the token and any credentials in TELEGRAM_API_URL."""
        return [self.token, *url_credentials(self.api_url)]


def install_extensions(application: Application, runtime: Runtime) -> None:
    """Extra features that live outside this package, attached to the running bot.

    >>> FAQ SCHEDULER HOOK (issue 5) <<<  This is the one place where the FAQ
    scheduler joins the bot: `bot.faq.scheduler.install(application, runtime)`.
    Without bot/faq (or without that function) the bot runs alone.
    """
    try:
        from bot.faq.scheduler import install as install_faq
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("bot.faq"):
            raise
        log.debug("no FAQ scheduler (bot.faq.scheduler not present)")
        return
    except ImportError:
        log.debug("no FAQ scheduler (bot.faq.scheduler.install not defined)")
        return
    try:
        install_faq(application, runtime)
    except Exception:  # noqa: BLE001 - a broken faq.yaml must not stop the bot (README: logged, the rest runs)
        log.exception("FAQ posts disabled: the FAQ scheduler could not start")


def warm_up(service: QAService) -> None:
    """Ask one article title per language once, discarding the answers."""
    seen: set[str] = set()
    started = time.monotonic()
    for article in service.kb.articles:
        if article.lang not in seen:
            seen.add(article.lang)
            try:
                service.ask(article.title)
            except Exception:  # warming up is optional; real questions will report problems
                log.debug("warm-up question failed", exc_info=True)
    log.debug("warm-up done in %.2fs", time.monotonic() - started)


def build_application(runtime: Runtime, settings: TelegramSettings,
                      rate_limiter: BaseRateLimiter | None = None) -> Application:
    """The complete bot: every handler, the error handler, start-up hooks."""
    root = settings.api_url.rstrip("/")

    async def post_init(app: Application) -> None:
        service = runtime.service
        log.info("connected as @%s; %d articles", app.bot.username, len(service.kb.articles))
        if isinstance(app.update_processor, fairness.FairUpdateProcessor):
            handled = {c for group in app.handlers.values() for h in group
                       if isinstance(h, CommandHandler) for c in h.commands}
            app.update_processor.set_bot(app.bot.username, app.bot.id, handled)
        await commands.register_commands(app, service.messages)
        # Load the lazy parts of the core (language model, Thai segmenter) before
        # polling starts, so that the first person to ask does not wait for them
        # (done concurrently with the first questions, it slowed them down more).
        await asyncio.to_thread(warm_up, service)

    # Our own ExtBot (replies through the durable outbox) and no PTB Updater: updates come
    # from the inbox (bot/telegram/inbox.py), confirmed to Telegram only once recorded.
    bot = DurableBot(
        settings.token,
        base_url=f"{root}/bot",
        base_file_url=f"{root}/file/bot",
        request=redaction.RedactingRequest(settings.secrets, connection_pool_size=256),
        get_updates_request=SanitizingRequest(settings.secrets, connection_pool_size=1,
                                              read_timeout=settings.poll_timeout + 10),
        defaults=Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True,
                          link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=rate_limiter or ResilientRateLimiter(),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .updater(None)
        .concurrent_updates(fairness.FairUpdateProcessor(runtime.settings.chat))
        .post_init(post_init)
        .build()
    )
    application.bot_data["runtime"] = runtime

    new = filters.UpdateType.MESSAGE  # edits of old messages are not new questions
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    # Group -1 runs first: the one slow-down reply to a flooding user stops there.
    application.add_handler(TypeHandler(Update, fairness.slow_down), group=-1)
    application.add_handlers([
        CommandHandler("reload", admin.reload_command, filters=new),
        CommandHandler("stats", admin.stats_command, filters=new),
        CommandHandler("unanswered", admin.unanswered_command, filters=new),
        CommandHandler("start", handlers.start, filters=new),
        CommandHandler("help", handlers.help_command, filters=new),
        CommandHandler("ask", handlers.ask_command, filters=new),
        CommandHandler("lang", commands.lang_command, filters=new),
        CommandHandler("sources", sources.sources_command, filters=new),
        CallbackQueryHandler(commands.lang_chosen, pattern=f"^{commands.CALLBACK_PREFIX}"),
        CallbackQueryHandler(sources.page_chosen, pattern=f"^{sources.CALLBACK_PREFIX}"),
        ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated),
        InlineQueryHandler(inline.inline_query),
        MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, handlers.private_text),
        MessageHandler(new & groups & filters.TEXT & ~filters.COMMAND & addressing.ADDRESSED, handlers.group_text),
        MessageHandler(new & private & filters.COMMAND, handlers.unknown_command),
        MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.not_text),
    ])
    application.add_error_handler(on_error)
    install_extensions(application, runtime)
    return application


class _ReportedByUs(logging.Filter):
    """Drops PTB's tracebacks for start-up failures: main() prints one clear line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):
            return False
        return not (isinstance(error, TelegramError) and "Bootstrap" in record.getMessage())


def check_texts(service: QAService) -> None:
    """Every text the adapter shows must exist in English (the fallback)."""
    service.messages.require(commands.REQUIRED_TEXTS + admin.REQUIRED_TEXTS)


def open_state(path: Path, timeout: float) -> State:
    """The state store, checked (integrity, a test write); what is wrong is logged in plain
    words and the bot runs anyway: questions need no state, /lang says it cannot save."""
    started = time.monotonic()
    state = State(path, timeout=timeout)
    problems = state.check()
    for problem in problems:
        log.error("STATE PROBLEM: %s. The bot runs without it: questions are answered, chat language "
                  "choices and FAQ posts are unavailable until it is fixed", problem)
    if not problems:
        log.info("state %s: integrity check and test write ok (%.0f ms)", path,
                 (time.monotonic() - started) * 1000)
    return state


def open_state_store(args: argparse.Namespace, timeout: float) -> tuple[State, str]:
    """PostgreSQL when BOT_STATE_URL=postgresql://… is set, else the SQLite file; (state, name)."""
    url = (os.environ.get("BOT_STATE_URL") or "").strip()
    if url:
        from bot.core.pgstate import PgState

        if not url.startswith(("postgresql://", "postgres://")):
            raise ValueError("BOT_STATE_URL must be a postgresql:// URL")
        started = time.monotonic()
        state = PgState(url, timeout=timeout)
        problems = ([state.open_error] if state.open_error else []) or state.check()
        for problem in problems:
            log.error("STATE PROBLEM: %s. The bot runs without it until it can be reached", problem)
        if not problems:
            log.info("state %s: test write ok (%.0f ms)", public_url(url), (time.monotonic() - started) * 1000)
        return state, public_url(url)
    state_path = Path(getattr(args, "state", None) or default_state_path())
    return open_state(state_path, timeout), str(state_path)


def main(args: argparse.Namespace) -> int:
    """Run until SIGINT/SIGTERM; 0 on a clean stop, non-zero with one line on a problem."""
    started = time.monotonic()
    try:
        settings = TelegramSettings.from_env()
        webhook = WebhookSettings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    extra = [webhook.secret] if webhook is not None and len(webhook.secret) >= 3 else []
    extra += url_credentials(os.environ.get("BOT_STATE_URL") or "")
    redact = redaction.install(settings.secrets + extra)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_ReportedByUs())
    verbose = bool(getattr(args, "verbose", False))
    logging.getLogger("bot").setLevel(logging.DEBUG if verbose else logging.INFO)
    if not verbose:  # httpx logs every request URL (with the token) at INFO
        for noisy in ("httpx", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.WARNING)

    service = QAService.open(getattr(args, "knowledge", None), getattr(args, "config", None))
    check_texts(service)
    try:
        state, state_name = open_state_store(args, service.settings.chat.state_timeout_seconds)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        runtime = Runtime(service, state)
        runtime.checks.append(check_texts)  # /reload refuses texts the adapter cannot show
        application = build_application(runtime, settings)
        log.info("starting (API %s, state %s, %.2fs to load)", settings.public_api_url, state_name,
                 time.monotonic() - started)
        if webhook is not None:
            asyncio.run(serve_webhook(application, state, runtime.settings.chat, webhook, started))
        else:
            asyncio.run(serve(application, state, runtime.settings.chat, settings.poll_timeout, started))
    except InvalidToken:
        print("error: Telegram refused TELEGRAM_BOT_TOKEN (unauthorized); check the token", file=sys.stderr)
        return 2
    except TelegramError as exc:
        print(redact(f"error: cannot reach the Telegram Bot API at {settings.public_api_url}: {exc}"),
              file=sys.stderr)
        return 1
    finally:
        state.close()
    log.info("stopped")
    return 0
