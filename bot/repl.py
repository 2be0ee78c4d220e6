"""Interactive REPL: ask questions, see why an answer was chosen, reload.

Line editing and history come from the standard `readline` module (history in
BOT_HISTORY_FILE, default ~/.cache/article-bot/history).  Commands start with
'/'; everything else is a question.
"""

from __future__ import annotations

import locale
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.answering.service import Explanation, QAService
from bot.runtime import Runtime


def _history_path() -> Path:
    return Path(os.environ.get("BOT_HISTORY_FILE") or Path.home() / ".cache" / "article-bot" / "history")


def _setup_readline() -> Callable[[], None]:
    """Enable line editing and persistent history; return the save hook."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return lambda: None
    path = _history_path()
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
        except OSError:
            pass

    return save


def _user_language(service: QAService) -> str:
    """The terminal's language (LANG / locale), if we have texts for it."""
    code = (os.environ.get("LC_ALL") or os.environ.get("LANG") or locale.getlocale()[0] or "")[:2].lower()
    return code if code in service.messages.languages else "en"


class Repl:
    """The loop's state and commands, separate from I/O so tests can drive it."""

    def __init__(self, service: "QAService | Runtime", lang: str | None = None, out: TextIO = sys.stdout) -> None:
        self.runtime = Runtime.of(service)
        service = self.runtime.service
        self.forced_lang = lang
        self.ui_lang = lang or _user_language(service)
        self.out = out
        self.last: Explanation | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    @property
    def service(self) -> QAService:
        return self.runtime.service

    def msg(self, key: str, **params: object) -> str:
        return self.service.messages.get(self.ui_lang, key, **params)

    def welcome(self) -> None:
        self.say(self.msg("repl_welcome", count=len(self.service.kb.articles)))

    def handle(self, line: str) -> bool:
        """Process one input line; False means quit."""
        line = line.strip()
        if not line:
            return True
        if not line.startswith("/"):
            self.last = self.service.explain(line, lang=self.forced_lang)
            self.ui_lang = self.last.lang
            self.say(self.last.answer.text)
            return True
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command in ("quit", "exit", "q"):
            self.say(self.msg("repl_bye"))
            return False
        if command == "help":
            self.say(self.msg("repl_help"))
        elif command == "lang":
            self.set_language(rest)
        elif command == "why":
            self.why()
        elif command == "articles":
            self.articles()
        elif command == "reload":
            self.runtime.reload()
            self.say(self.msg("repl_reloaded", count=len(self.service.kb.articles)))
            for problem in self.service.kb.problems:
                self.say(f"  ! {problem.path}: {problem.reason}")
        else:
            self.say(self.msg("repl_unknown_command"))
        return True

    def set_language(self, code: str) -> None:
        code = code.lower()
        if code in ("", "auto"):
            self.forced_lang = None
            self.say(self.msg("repl_lang_auto"))
            return
        self.forced_lang = self.ui_lang = code
        self.say(self.msg("repl_lang_set", language=self.service.messages.language_name(code)))

    def articles(self) -> None:
        kb = self.service.kb
        for article in kb.articles:
            others = [v.lang for v in kb.versions(article.id) if v.id != article.id]
            extra = f"  (+ {', '.join(others)})" if others else ""
            self.say(f"[{article.lang}] {article.id}  {article.title}{extra}")

    def why(self) -> None:
        if self.last is None:
            self.say(self.msg("repl_nothing_to_explain"))
            return
        e = self.last
        kb = self.service.kb
        self.say(f"language: {e.lang}; answered: {e.answer.answered}")
        if not e.answer.answered and e.answer.reason:
            self.say("  " + self.msg(f"why_{e.answer.reason}"))
        for lang, pairs in e.query.surfaces.items():
            terms = ", ".join(f"{surface}->{term}" for surface, term in pairs)
            self.say(f"  question as {lang}: {terms or '(no terms)'}")
        for rank, hit in enumerate(e.hits[:5], 1):
            s = kb.sentences[hit.sentence]
            parts = ", ".join(
                f"{t} {v:.2f}" + (f" (via {hit.via[t]})" if hit.via.get(t) else "")
                for t, v in sorted(hit.matched.items(), key=lambda x: -x[1]))
            semantic = f", cosine {hit.cosine:.3f}, BM25 {hit.bm25:.2f}" if hit.cosine else ""
            self.say(f"  #{rank} score {hit.score:.2f} (sentence {hit.sentence_score:.2f}, chunk "
                     f"{hit.chunk_score:.2f}, coverage {hit.coverage:.0%}{semantic}) [{s.article_id}, {s.lang}]")
            self.say(f"     matched: {parts or '(chunk context only)'}")
            self.say(f"     {s.text[:160]}")


def run_repl(service: QAService, lang: str | None = None) -> int:
    repl = Repl(service, lang)
    save_history = _setup_readline() if sys.stdin.isatty() else (lambda: None)
    repl.welcome()
    try:
        while True:
            try:
                line = input("? " if sys.stdin.isatty() else "")
            except EOFError:
                break
            if not repl.handle(line):
                break
    except KeyboardInterrupt:
        print()
    finally:
        save_history()
    return 0
