"""`config/faq.yaml`: load and validate the scheduled FAQ entries.

Unlike `settings.yaml`, a faulty FAQ entry must not stop the bot: each
problem is collected as a `Problem` naming the entry id and the key, the
faulty entry is left out, and every valid entry still runs.  Only a file that
is not YAML at all (or whose top level is not a mapping) is refused as a
whole, with a `ConfigError`.

An entry with an unknown key is left out rather than run with the key
ignored: a typo such as ``time_zone:`` would otherwise post at the wrong
hour without anyone noticing.  Of two entries sharing an id the first is
kept and the later one is reported, because the id keys the post ledger.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.core.config import read_yaml
from bot.core.errors import ConfigError
from bot.faq.schedule import Cron, CronError, next_runs, zone

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.answering.service import QAService

FAQ_FILE = "faq.yaml"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_GRACE = timedelta(hours=1)
# The longest grace: the scheduler's look-back for missed slots (bot.faq.scheduler.MAX_LOOKBACK).
MAX_GRACE = timedelta(days=7)
TOP_KEYS = ("timezone", "grace", "entries")
ENTRY_KEYS = ("id", "question", "lang", "schedule", "timezone", "chats")
REQUIRED_KEYS = ("id", "question", "schedule", "chats")
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
# Public chat / channel usernames: 5-32 characters, letters, digits, underscores.
USERNAME_RE = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{3,31}$")
GRACE_RE = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$")

Chat = int | str


NO_CHATS = "no_chats"  # Problem.kind of a valid entry with no chats (how the shipped file comes)


@dataclass(frozen=True)
class Problem:
    """One finding about faq.yaml, worded for the person editing it."""

    severity: str  # "error" (entry left out / default used) or "warning"
    path: Path
    message: str
    entry: str | None = None  # the entry id, or "entries[N]" when it has no usable id
    key: str | None = None
    # What the finding is, for code that treats it differently (NO_CHATS); None for the
    # findings that are only ever shown.  The message is for people only.
    kind: str | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.entry is not None:
            where += f": entry '{self.entry}'"
        if self.key is not None:
            where += f": key '{self.key}'"
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True)
class FaqEntry:
    """One valid scheduled question."""

    id: str
    question: str
    lang: str | None
    cron: Cron
    timezone: str
    chats: tuple[Chat, ...]

    @property
    def tz(self) -> "ZoneInfo":
        return zone(self.timezone)

    def next_run(self, after: "datetime") -> "datetime | None":
        runs = next_runs(self.cron, self.tz, after, 1)
        return runs[0] if runs else None

    def post_language(self, detect: Callable[[str], str]) -> str:
        """The language the entry is posted in: its `lang`, else its question's as
        `detect` says (QAService.detect when posting); one rule for the poster,
        `faq check` and `faq list`, so the list shows what is posted."""
        return self.lang or detect(self.question)


@dataclass
class FaqConfig:
    """The valid entries of faq.yaml and everything found wrong with it."""

    path: Path
    timezone: str = DEFAULT_TIMEZONE
    grace: timedelta = DEFAULT_GRACE
    entries: list[FaqEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    exists: bool = True

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def entry(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def rejected_ids(self) -> set[str]:
        """Ids of entries left out because of an error."""
        valid = {e.id for e in self.entries}
        return {p.entry for p in self.errors if p.entry and p.entry not in valid}


def parse_grace(value: Any) -> timedelta:
    """`1h`, `30m`, `1h30m`, `90s`, or a number of minutes; at most MAX_GRACE.

    Why the upper bound: the scheduler looks back at most 7 days for missed slots, so a
    longer grace could never be honoured, and an absurd one (`.inf`, 10**12) overflowed
    timedelta with an exception no caller expects instead of naming the key."""
    expected = f"expected a duration such as 1h, 30m or 1h30m (a bare number means minutes), got {value!r}"
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 1h, 30m or 1h30m")
    seconds: float
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError(expected)
        if value < 0:
            raise ValueError("must not be negative")
        seconds = value * 60
    elif isinstance(value, str):
        match = GRACE_RE.match(value.strip().lower())
        if match and any(match.groups()):
            h, m, s = (int(x) if x else 0 for x in match.groups())
            seconds = h * 3600 + m * 60 + s
        elif value.strip().isdecimal():  # not isdigit(): "²" is a digit that int() refuses
            seconds = int(value.strip()) * 60
        else:
            raise ValueError(expected)
    else:
        raise ValueError(expected)
    if seconds > MAX_GRACE.total_seconds():
        raise ValueError(f"{value!r} is longer than the scheduler looks back for missed slots "
                         f"(at most {int(MAX_GRACE.total_seconds() // 3600)}h)")
    return timedelta(seconds=seconds)


def parse_chat(value: Any) -> Chat:
    """A chat id (integer, or digits in quotes) or an @username."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a chat id or @username")
    if isinstance(value, int):
        if value == 0:
            raise ValueError("0 is not a chat id")
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text) and int(text) != 0:
            return int(text)
        if USERNAME_RE.match(text):
            return text
        raise ValueError(f"{value!r} is neither a numeric chat id nor an @username (5-32 letters, digits, _)")
    raise ValueError(f"{value!r} is not a chat id or @username")


def _same_chat_key(chat: Chat) -> Chat:
    """What makes two chats one: Telegram usernames ignore case, so "@Faq" and "@faq" are
    one channel, and listing both posted each slot to it twice."""
    return chat.lower() if isinstance(chat, str) else chat


def _keys_written_twice(path: Path) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """Keys written twice in faq.yaml, with the line of the second: at the top level, and
    per position in the `entries` list (the one YAML keeps, the last).

    Why: YAML keeps the last of two equal keys without a word, so a second `schedule:`
    or `timezone:` (a line added instead of edited) would post at an hour nobody
    checked: the mistake an unknown key is refused for.  Called after `read_yaml`
    accepted the file, so composing it again cannot fail on its syntax."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, ValueError, yaml.YAMLError, RecursionError):  # read_yaml has reported it already
        return {}, {}

    def twice(node: Any) -> dict[str, int]:
        seen: set[str] = set()
        found: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key, _value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.setdefault(key.value, key.start_mark.line + 1)
                    seen.add(key.value)
        return found

    per_entry: dict[int, dict[str, int]] = {}
    if isinstance(root, yaml.MappingNode):
        lists = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "entries"]
        if lists and isinstance(lists[-1], yaml.SequenceNode):
            per_entry = {i: found for i, item in enumerate(lists[-1].value) if (found := twice(item))}
    return twice(root), per_entry


def load_faq(config_dir: Path, languages: Iterable[str] | None = None) -> FaqConfig:
    """Read and validate `config_dir/faq.yaml` (absent file: no entries)."""
    path = Path(config_dir) / FAQ_FILE
    config = FaqConfig(path=path)
    if not path.exists():
        config.exists = False
        return config
    raw = read_yaml(path)
    if raw is None:
        return config
    if not isinstance(raw, dict):
        raise ConfigError(path, "top level must be a mapping with 'timezone', 'grace' and 'entries'")
    known_langs = set(languages) if languages else None
    problems = config.problems

    def error(message: str, entry: str | None = None, key: str | None = None) -> None:
        problems.append(Problem("error", path, message, entry, key))

    for key in raw:
        if key not in TOP_KEYS:
            error(f"unknown key, ignored (known: {', '.join(TOP_KEYS)})", key=str(key))
    top_twice, entries_twice = _keys_written_twice(path)
    for key, line in top_twice.items():
        outcome = {"timezone": "entries without their own timezone are left out",
                   "grace": f"using the default of {int(DEFAULT_GRACE.total_seconds() // 60)} minutes"}
        error(f"written twice (again on line {line}); "
              + outcome.get(key, "the last one is used"), key=key)

    default_tz_ok = "timezone" not in top_twice
    if "timezone" in raw and default_tz_ok:
        try:
            zone(raw["timezone"])
            config.timezone = raw["timezone"]
        except ValueError as exc:
            default_tz_ok = False
            error(f"{exc}; entries without their own timezone are left out", key="timezone")
    if "grace" in raw and "grace" not in top_twice:
        try:
            config.grace = parse_grace(raw["grace"])
        except ValueError as exc:
            error(f"{exc}; using the default of {int(DEFAULT_GRACE.total_seconds() // 60)} minutes", key="grace")

    entries = raw.get("entries")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        error("expected a list of entries", key="entries")
        entries = []
    seen: set[str] = set()
    for index, item in enumerate(entries):
        entry = _entry(item, index, config, known_langs, default_tz_ok, seen, error, entries_twice.get(index, {}))
        if entry is not None:
            config.entries.append(entry)
            seen.add(entry.id)
    return config


def _entry(item: Any, index: int, config: FaqConfig, known_langs: set[str] | None, default_tz_ok: bool,
           seen: set[str], error, twice: dict[str, int]) -> FaqEntry | None:
    label = f"entries[{index}]"
    if not isinstance(item, dict):
        error("expected a mapping with id, question, schedule and chats", label)
        return None
    raw_id = item.get("id")
    if isinstance(raw_id, str) and ID_RE.match(raw_id):
        label = raw_id
    before = len(config.problems)
    if not isinstance(raw_id, str) or not ID_RE.match(raw_id):
        error("expected an id of lowercase letters, digits and dashes, e.g. five-stars"
              + ("" if raw_id is None else f", got {raw_id!r}"), label, "id")
    elif raw_id in seen:
        error("duplicate id: an earlier entry already uses it; this one is left out", label, "id")
    for key in item:
        if key not in ENTRY_KEYS:
            error(f"unknown key (known: {', '.join(ENTRY_KEYS)}); entry left out", label, str(key))
    for key, line in twice.items():
        error(f"written twice in this entry (again on line {line}); entry left out", label, key)
    for key in REQUIRED_KEYS:
        if key not in item and key != "id":
            error("missing required key", label, key)

    question = item.get("question")
    if "question" in item and (not isinstance(question, str) or not question.strip()):
        error("expected a non-empty question text", label, "question")
    lang = item.get("lang")
    if lang is not None:
        if not isinstance(lang, str) or (known_langs is not None and lang not in known_langs):
            allowed = f" (one of {', '.join(sorted(known_langs))})" if known_langs else ""
            error(f"unknown language {lang!r}{allowed}", label, "lang")
    cron = None
    if "schedule" in item:
        try:
            cron = Cron.parse(item["schedule"])
        except CronError as exc:
            error(f"bad cron expression {item['schedule']!r}: {exc}", label, "schedule")
    tz_name = item.get("timezone")
    if tz_name is not None:
        try:
            zone(tz_name)
        except ValueError as exc:
            error(str(exc), label, "timezone")
            tz_name = None
    elif not default_tz_ok:
        error("no valid time zone: the top-level timezone is invalid and the entry has none", label, "timezone")
    else:
        tz_name = config.timezone
    chats: list[Chat] = []
    if "chats" in item:
        raw_chats = item["chats"]
        if raw_chats is None:
            raw_chats = []
        if not isinstance(raw_chats, list):
            raw_chats = [raw_chats] if isinstance(raw_chats, (int, str)) and not isinstance(raw_chats, bool) else None
        if raw_chats is None:
            error("expected a list of chat ids or @usernames, e.g. [-1001234567890, \"@my_channel\"]", label, "chats")
        else:
            for position, value in enumerate(raw_chats):
                try:
                    chat = parse_chat(value)
                except ValueError as exc:
                    error(f"item {position}: {exc}", label, "chats")
                    continue
                if _same_chat_key(chat) in {_same_chat_key(c) for c in chats}:
                    error(f"item {position}: {chat!r} is listed twice", label, "chats")
                    continue
                chats.append(chat)
    if len(config.problems) > before:
        return None
    assert cron is not None and isinstance(question, str) and tz_name is not None
    if cron is not None and not next_runs(cron, zone(tz_name), _epoch(), 1):
        error(f"schedule {item['schedule']!r} never fires (no such date)", label, "schedule")
        return None
    if not chats:
        config.problems.append(Problem("warning", config.path, "no chats: nothing will be posted", label, "chats",
                                       NO_CHATS))
    return FaqEntry(id=label, question=question.strip(), lang=lang, cron=cron, timezone=tz_name,
                    chats=tuple(chats))


def _epoch() -> "datetime":
    from datetime import datetime

    return datetime(2000, 1, 1, tzinfo=UTC)


def answer_warnings(config: FaqConfig, service: "QAService") -> list[Problem]:
    """Warn about questions the knowledge cannot answer (they would not be posted)."""
    found = []
    for entry in config.entries:
        lang = entry.post_language(service.detect)
        answer = service.ask(entry.question, lang=lang)
        if not answer.answered:
            found.append(Problem("warning", config.path,
                                 f"the knowledge has no answer to this question in {lang!r}; "
                                 "its slots will be skipped until it does", entry.id, "question"))
    return found
