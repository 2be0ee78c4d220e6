"""`python -m bot faq list [--json] | preview ID | post ID | check`.

Exit codes: 0 success; 1 a post was refused or the knowledge has no answer
(`post`, `preview`), or the configuration has errors (`check`); 2 a usage
problem the person must fix first (unknown id, missing token, entry without
chats, a state file `post` cannot use).

`preview` shows the post as its chats would see it, without a token and
without posting: the way to try an entry before putting a chat id in it.

`BOT_FAQ_NOW` (ISO 8601 with offset) replaces the clock for `list`, to
preview the next runs as of another instant.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.faq.config import FaqConfig, FaqEntry, answer_warnings, load_faq

if TYPE_CHECKING:  # pragma: no cover
    from bot.core.config import Settings

log = logging.getLogger("bot.faq")


def _config_dir(args: argparse.Namespace) -> Path:
    from bot.core.config import default_config_dir

    return Path(getattr(args, "config", None) or default_config_dir())


def _load(args: argparse.Namespace) -> FaqConfig:
    from bot.core.config import load_settings

    config_dir = _config_dir(args)
    return load_faq(config_dir, load_settings(config_dir).languages)


NOW_EXAMPLE = "e.g. 2026-03-29T00:00:00+00:00"
NOW_RANGE = (1900, 8999)


class NowError(ValueError):
    """BOT_FAQ_NOW is set but is not an instant: the person must fix it (exit 2, one line)."""


def _now() -> datetime:
    """BOT_FAQ_NOW when set, else the clock; NowError names the variable and its value
    (a mistyped value was a ValueError traceback; a naive one exited 1 without "error:")."""
    text = os.environ.get("BOT_FAQ_NOW")
    if text:
        try:
            value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise NowError(f"BOT_FAQ_NOW={text!r} is not an ISO 8601 instant ({NOW_EXAMPLE})") from None
        if value.tzinfo is None:
            raise NowError(f"BOT_FAQ_NOW={text!r} must include a UTC offset ({NOW_EXAMPLE})")
        # The next run is searched for years after the instant, in the entry's zone: near
        # year 1 or 9999 that overflowed datetime (a traceback).
        if not NOW_RANGE[0] <= value.year <= NOW_RANGE[1]:
            raise NowError(f"BOT_FAQ_NOW={text!r} is out of range (years {NOW_RANGE[0]} to {NOW_RANGE[1]})")
        return value
    return datetime.now(UTC)


def _problems(config: FaqConfig) -> None:
    for problem in config.problems:
        print(problem, file=sys.stderr)


UNCHECKED_NOTE = ("? language guessed without the knowledge's vote: no up-to-date index of {knowledge} "
                  "(`bot index` builds it); the post may be in another language")


def _post_language(args: argparse.Namespace, config: FaqConfig,
                   settings: "Settings") -> tuple[Callable[[str], str], bool]:
    """How `list` tells a question's language, and whether the knowledge was asked.

    The poster decides with the knowledge's vote on an unsure guess
    (QAService.detect: `language_by_settings` with `language_of_words`), so `list`
    asks the same over the knowledge's index when it is already built and fresh
    (True).  Otherwise it shows the guess alone (False, marked): listing must
    stay fast and never index a folder.  Nothing is opened when every entry
    names its `lang`."""
    from bot.knowledge.language import language_by_settings

    retriever = None
    if not all(entry.lang for entry in config.entries):
        from bot.answering.service import built_retriever

        retriever = built_retriever(getattr(args, "knowledge", None), settings)
    vote = retriever.vote.language_of_words if retriever is not None else None
    origin = retriever.vote.original_language if retriever is not None else None
    checked = retriever is not None or all(entry.lang for entry in config.entries)
    return (lambda question: language_by_settings(question, settings, None, vote, origin)), checked


def cmd_list(args: argparse.Namespace) -> int:
    from bot.core.config import load_settings

    config = _load(args)
    settings = load_settings(_config_dir(args))
    now = _now()
    detect, checked = _post_language(args, config, settings)
    rows: list[dict[str, Any]] = []
    for entry in config.entries:
        run = entry.next_run(now)
        rows.append({
            "id": entry.id,
            "question": entry.question,
            "lang": entry.post_language(detect),
            "schedule": entry.cron.expression,
            "timezone": entry.timezone,
            "chats": list(entry.chats),
            "next_run": run.isoformat() if run else None,
            # False: guessed without the knowledge's vote (no built index), the post may differ
            "lang_checked": bool(entry.lang) or checked,
        })
    if getattr(args, "json", False):
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print(f"no FAQ entries in {config.path}" + ("" if config.exists else " (file absent)"))
    else:
        for row in rows:
            chats = ", ".join(str(c) for c in row["chats"]) or "no chats"
            lang = row["lang"] + ("" if row["lang_checked"] else "?")
            print(f"{row['id']}: next {row['next_run'] or 'never'} ({row['schedule']} {row['timezone']}) "
                  f"-> {chats}\n    [{lang}] {row['question']}")
        if not all(row["lang_checked"] for row in rows):
            from bot.answering.service import default_knowledge_dir

            print(UNCHECKED_NOTE.format(knowledge=getattr(args, "knowledge", None) or default_knowledge_dir()))
    _problems(config)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.answering.service import QAService

    config = _load(args)
    if not config.exists:
        print(f"{config.path}: absent, no scheduled FAQ posts")
        return 0
    problems = list(config.problems)
    if config.entries:
        service = QAService.open(args.knowledge, args.config)
        problems += answer_warnings(config, service)
    for problem in problems:
        print(problem)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    rejected = config.rejected_ids()
    print(f"{config.path}: {len(config.entries)} valid entr{'y' if len(config.entries) == 1 else 'ies'}"
          + (f", {len(rejected)} left out" if rejected else "")
          + f"; {errors} error(s), {warnings} warning(s); grace {int(config.grace.total_seconds() // 60)} min")
    return 1 if errors else 0


class _PlainText(HTMLParser):
    """Telegram HTML as a terminal shows it: bold as plain text, a blockquote
    as lines behind a bar (how Telegram draws it), entities decoded."""

    BAR = "│ "

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quoting = 0
        self.after_quote = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "blockquote":
            self.quoting += 1
            if self.parts and not "".join(self.parts).endswith("\n"):
                self.parts.append("\n")
            self.parts.append(self.BAR)

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self.quoting -= 1
            self.after_quote = True

    def handle_data(self, data: str) -> None:
        if self.after_quote and not data.startswith("\n"):  # a block: what follows starts a new line
            self.parts.append("\n")
        self.after_quote = False
        if self.quoting:
            data = data.replace("\n", "\n" + self.BAR)
        self.parts.append(data)

    @classmethod
    def convert(cls, markup: str) -> str:
        parser = cls()
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
        # convert_charrefs already turned "&amp;lt;" into "&lt;": unescaping again
        # would show an article's literal "&lt;" as "<".
        return text.replace("\n\n\n", "\n\n").strip("\n")


def post_as_text(markup: str) -> str:
    """The text of a Telegram HTML post, as the chat would show it."""
    return _PlainText.convert(markup)


def _find_entry(config: FaqConfig, entry_id: str) -> FaqEntry | None:
    """The entry, or None after saying why on stderr (invalid, or unknown with the known ids)."""
    entry = config.entry(entry_id)
    if entry is not None:
        return entry
    if entry_id in config.rejected_ids():
        print(f"error: FAQ entry '{entry_id}' is invalid and cannot be posted:", file=sys.stderr)
        for problem in config.errors:
            if problem.entry == entry_id:
                print(f"  {problem}", file=sys.stderr)
    else:
        known = ", ".join(e.id for e in config.entries) or "none"
        print(f"error: unknown FAQ entry '{entry_id}' in {config.path} (known: {known})", file=sys.stderr)
    return None


def cmd_preview(args: argparse.Namespace) -> int:
    """Print the post of one entry as its chats would see it; post nothing."""
    from bot.answering.service import QAService
    from bot.faq.poster import compose

    config = _load(args)
    entry = _find_entry(config, args.id)
    if entry is None:
        return 2
    service = QAService.open(args.knowledge, args.config)
    composed = compose(service, entry)
    chats = ", ".join(str(c) for c in entry.chats) or f"none yet (add chat ids to 'chats' in {config.path})"
    run = entry.next_run(_now())
    print(f"# {entry.id} [{composed.lang}] {entry.cron.expression} {entry.timezone}; "
          f"next {run.isoformat() if run else 'never'}; chats: {chats}")
    if composed.html is None:
        reason = composed.answer.reason or "no answer"
        print(f"the knowledge has no answer to this question ({reason}): its slots would be skipped, "
              "nothing posted", file=sys.stderr)
        return 1
    print(post_as_text(composed.html))
    return 0


def cmd_post(args: argparse.Namespace) -> int:
    config = _load(args)
    entry = _find_entry(config, args.id)
    if entry is None:
        return 2
    if not entry.chats:
        print(f"error: FAQ entry '{entry.id}' has no chats in {config.path} (key 'chats'): nothing to post",
              file=sys.stderr)
        return 2
    from bot.telegram.app import TelegramSettings
    from bot.telegram.redaction import install as install_redaction

    try:
        settings = TelegramSettings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    install_redaction(settings.secrets)
    if not getattr(args, "verbose", False):  # httpx logs every request URL at INFO
        logging.getLogger("httpx").setLevel(logging.WARNING)
    return asyncio.run(_post(args, entry, settings))


async def _post(args: argparse.Namespace, entry: FaqEntry, settings) -> int:
    from telegram import Bot
    from telegram.error import TelegramError

    from bot.answering.service import QAService
    from bot.core.state import State, StateError, default_state_path
    from bot.faq.ledger import MANUAL_PREFIX, Ledger
    from bot.faq.scheduler import FaqScheduler, utc_now

    service = QAService.open(args.knowledge, args.config)
    state = State(args.state or default_state_path())
    if state.open_error is not None:  # damaged, unreadable: say so before contacting Telegram
        state.close()
        print(f"error: {state.open_error}", file=sys.stderr)
        return 2
    from bot.telegram.redaction import RedactingRequest

    bot = Bot(settings.token, base_url=f"{settings.api_url}/bot", request=RedactingRequest(settings.secrets))
    try:
        try:
            await bot.initialize()
        except TelegramError as exc:
            from bot.telegram.failures import classify

            print(f"error: cannot use the Bot API at {settings.public_api_url}: {classify(exc).detail}",
                  file=sys.stderr)
            return 1
        config = FaqConfig(path=Path(), entries=[entry])
        scheduler = FaqScheduler(config, service, Ledger(state), bot)
        now = utc_now()
        slot = MANUAL_PREFIX + now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        try:
            outcomes = await scheduler.post_slot(entry, slot, None, now)
        except StateError as exc:  # the ledger cannot claim (locked, full disk): not posted there
            print(f"error: {exc}", file=sys.stderr)
            return 2
    finally:
        state.close()
        try:
            await bot.shutdown()
        except Exception:  # noqa: BLE001 - closing the client must not hide the result
            pass
    failed = 0
    for outcome in outcomes:
        ok = outcome.status == "posted"
        failed += not ok
        print(f"{entry.id} -> {outcome.chat}: {outcome.status} ({outcome.detail})",
              file=sys.stdout if ok else sys.stderr)
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    """Entry point wired in bot/cli.py (`python -m bot faq ...`)."""
    command = args.faq_command
    commands = {"list": cmd_list, "check": cmd_check, "post": cmd_post, "preview": cmd_preview}
    if command not in commands:
        print(f"error: unknown faq command {command!r}", file=sys.stderr)
        return 2
    try:
        return commands[command](args)
    except NowError as exc:  # `list` and `preview` read the clock
        print(f"error: {exc}", file=sys.stderr)
        return 2
