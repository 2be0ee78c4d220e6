"""Interactive REPL: ask questions, see why an answer was chosen, reload.

Line editing and history come from the standard `readline` module (history in
BOT_HISTORY_FILE, default $BOT_CACHE_DIR/history, i.e.
~/.cache/article-bot/history).  Commands start with '/'; everything else is a
question.  Like a shell: Ctrl-C cancels the line being typed (or the answer
being computed), Ctrl-D leaves.  On a terminal the output is wrapped to its
width between words and coloured (never with NO_COLOR); in a pipe it is
plain text, unwrapped.  Every text comes from config/messages/<lang>.yaml, in
the interface language: the terminal's (LANG) until the first question, then
the reply language.
"""

from __future__ import annotations

import io
import locale
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.answering.answer import Answer
from bot.answering.service import Explanation, QAService
from bot.console import Console
from bot.runtime import Runtime
from bot.why import WhyWriter

log = logging.getLogger(__name__)

# The texts the REPL and its /why show; English must define them all (checked at start
# and on /reload): one deleted from en.yaml was a KeyError traceback at the first use.
REQUIRED_TEXTS = (
    "repl_welcome", "repl_no_articles", "repl_help", "repl_bye", "repl_unknown_command", "repl_cancelled",
    "repl_error", "repl_lang_set", "repl_lang_auto", "repl_lang_current", "repl_lang_auto_choice",
    "repl_lang_unknown", "repl_also_in", "repl_reloaded", "repl_reload_failed", "repl_skipped",
    "repl_nothing_to_explain", "quote", "why_read_as", "why_question", "why_question_none", "why_answered",
    "why_shared", "why_shared_none", "why_link", "why_declined", "why_closest", "why_unsure",
    "how_other",
)


def check_texts(service: QAService) -> None:
    """ConfigError naming config/messages/en.yaml and the key when a REPL text is missing."""
    service.messages.require(REQUIRED_TEXTS)


def history_path() -> Path:
    """BOT_HISTORY_FILE, else `history` in the bot's cache folder (BOT_CACHE_DIR)."""
    from bot.core.cache import cache_root

    return Path(os.environ.get("BOT_HISTORY_FILE") or cache_root() / "history")


def _setup_readline() -> Callable[[], None]:
    """Enable line editing and persistent history; return the save hook."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return lambda: None
    path = history_path()
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
    """The loop's state and commands, separate from the input loop so tests can drive it."""

    def __init__(self, service: "QAService | Runtime", lang: str | None = None, out: TextIO = sys.stdout,
                 colour: bool | None = None) -> None:
        self.runtime = Runtime.of(service)
        check_texts(self.runtime.service)
        if check_texts not in self.runtime.checks:  # /reload refuses texts the REPL cannot show
            self.runtime.checks.append(check_texts)
        self.forced_lang = lang
        self.ui_lang = lang or _user_language(self.runtime.service)
        self.console = Console(out, colour)
        self.last: Explanation | None = None
        # the service that gave `last`: its hits are sentence numbers of that service's index,
        # which a /reload replaces (/why read them in the new one: another passage, or IndexError)
        self.last_service: QAService | None = None

    # -- output ------------------------------------------------------------
    @property
    def service(self) -> QAService:
        return self.runtime.service

    def msg(self, key: str, **params: object) -> str:
        return self.service.messages.get(self.ui_lang, key, **params)

    def say(self, text: str, style: str | None = None) -> None:
        self.console.write(text, style)

    def prompt(self) -> str:
        return self.console.prompt("? ")

    def welcome(self) -> None:
        self.say(self.msg("repl_welcome", count=len(self.service.kb.articles)))
        if not self.service.kb.articles:
            self.say(self.msg("repl_no_articles", path=self.service.knowledge_dir), "decline")

    # -- input ---------------------------------------------------------------
    def handle(self, line: str) -> bool:
        """Process one input line; False means quit."""
        line = line.strip()
        if not line:
            return True
        if not line.startswith("/"):
            self.ask(line)
            return True
        command, _, rest = line[1:].partition(" ")
        rest = rest.strip()
        if command in ("quit", "exit", "q"):
            self.say(self.msg("repl_bye"))
            return False
        handler = {
            "help": lambda: self.say(self.msg("repl_help", codes=", ".join(self.languages))),
            "lang": lambda: self.set_language(rest),
            "why": self.why,
            "debug": self.debug,
            "articles": self.articles,
            "reload": self.reload,
        }.get(command.lower())
        if handler is None:
            self.say(self.msg("repl_unknown_command"))
        else:
            handler()
        return True

    def ask(self, question: str) -> None:
        """Answer one question; Ctrl-C while it is computed cancels it, an error is one line."""
        service = self.service
        try:
            explanation = service.explain(question, lang=self.forced_lang)
        except KeyboardInterrupt:
            self.say(self.msg("repl_cancelled"), "muted")
            return
        except Exception:  # noqa: BLE001 - one failing question must not end the session
            log.exception("failed to answer %r", question[:200])
            self.last, self.last_service = self._failed(question), service
            self.say(self.msg("repl_error"), "error")
            return
        self.last, self.last_service = explanation, service
        self.ui_lang = explanation.lang
        self.show_answer(explanation.answer)

    def _failed(self, question: str) -> Explanation:
        """An explanation for a question whose answering raised: the polite decline, reason `error`."""
        from bot.answering.decision import ERROR
        from bot.answering.query import QueryAnalysis

        lang = self.forced_lang or self.ui_lang
        return Explanation(lang, QueryAnalysis(lang), [], self.service.composer.decline(lang, ERROR))

    # -- answers ---------------------------------------------------------------
    def show_answer(self, answer: Answer) -> None:
        for text, style in answer_blocks(answer, self.service.messages):
            self.say(text, style)

    # -- commands ----------------------------------------------------------
    @property
    def languages(self) -> list[str]:
        """The configured languages (settings.yaml `languages`)."""
        return list(self.service.settings.languages)

    def language_code(self, text: str) -> str | None:
        """A configured language from its code or its name in any interface language."""
        wanted = text.strip().casefold()
        messages = self.service.messages
        for code in self.languages:
            names = {code, messages.language_name(code).casefold()}
            names |= {t[f"lang_{code}"].casefold() for t in messages.texts.values() if f"lang_{code}" in t}
            if wanted in names:
                return code
        return None

    def set_language(self, text: str) -> None:
        """`/lang` shows the choice; `/lang auto` detects again; `/lang xx` checks xx first."""
        if not text:
            choice = (self.service.messages.language_name(self.forced_lang) if self.forced_lang
                      else self.msg("repl_lang_auto_choice"))
            self.say(self.msg("repl_lang_current", choice=choice, codes=", ".join(self.languages)))
            return
        if text.casefold() == "auto":
            self.forced_lang = None
            self.say(self.msg("repl_lang_auto"))
            return
        code = self.language_code(text)
        if code is None:
            self.say(self.msg("repl_lang_unknown", code=text, codes=", ".join(self.languages)), "error")
            return
        self.forced_lang = self.ui_lang = code
        self.say(self.msg("repl_lang_set", language=self.service.messages.language_name(code)))

    def articles(self) -> None:
        kb = self.service.kb
        messages = self.service.messages
        if not kb.articles:  # an empty list printed nothing at all, as if the command had failed
            self.say(self.msg("repl_no_articles", path=self.service.knowledge_dir), "decline")
            return
        for article in kb.articles:
            others = [v.lang for v in kb.versions(article.id) if v.id != article.id]
            line = f"[{article.lang}] {article.id}  {article.title}"
            if others:
                line += "  (" + self.msg("repl_also_in", languages=messages.language_names(others)) + ")"
            self.say(line)

    def reload(self) -> None:
        try:
            self.runtime.reload()
        except Exception as exc:  # noqa: BLE001 - keep answering from what was loaded
            self.say(self.msg("repl_reload_failed", reason=str(exc)), "error")
            return
        self.say(self.msg("repl_reloaded", count=len(self.service.kb.articles)))
        for problem in self.service.kb.problems:
            self.say(self.msg("repl_skipped", path=problem.path, reason=problem.reason), "error")

    def why(self) -> None:
        """For a person, in the interface language: the words, the passage, how they met."""
        if self.last is None:
            self.say(self.msg("repl_nothing_to_explain"))
            return
        for text, style in WhyWriter(self.last_service or self.service, self.ui_lang).lines(self.last):
            self.say(text, style)

    def debug(self) -> None:
        """The index's view, for whoever tunes the knowledge or the settings: terms (stems),
        BM25 contributions and the bridges' own labels.  Not translated: these are the
        names used in config/settings.yaml and in the code."""
        if self.last is None:
            self.say(self.msg("repl_nothing_to_explain"))
            return
        e, kb = self.last, (self.last_service or self.service).kb
        self.say(f"lang {e.lang}; answered {e.answer.answered}; reason {e.answer.reason or '-'}", "muted")
        for lang, pairs in e.query.surfaces().items():
            self.say(f"  terms {lang}: " + (", ".join(f"{s}->{t}" for s, t in pairs) or "-"), "muted")
        if e.focus:
            self.say(f"  focus (semantic.focus_weight): {e.focus}", "muted")
        for rank, hit in enumerate(e.hits[:5], 1):
            s = kb.sentences[hit.sentence]
            parts = ", ".join(f"{t} {v:.2f}" + (f" ({hit.via[t]})" if hit.via.get(t) else "")
                              for t, v in sorted(hit.matched.items(), key=lambda x: -x[1]))
            self.say(f"  #{rank} score {hit.score:.2f} sentence {hit.sentence_score:.2f} chunk "
                     f"{hit.chunk_score:.2f} coverage {hit.coverage:.0%} [{s.article_id}] {parts or '-'}", "muted")


def answer_blocks(answer: Answer, messages) -> list[tuple[str, str | None]]:
    """The answer's text as (text, style) blocks, each quote typeset for its language.

    The composer sets every quote in “ ”; here a quote is re-set with the
    reply language's `quote` message (« » with no-break spaces in French).
    Only the marks change: the quoted text stays verbatim.  The quotes are
    the answer's quote parts, never searched for in its text.
    """
    if not answer.answered:  # a greeting's reply is no failure: not in the decline colour
        return [(answer.text, None if answer.reason == "greeting" else "decline")]
    blocks: list[tuple[str, str | None]] = []
    plain = ""  # the framing since the last quote
    quoted = False
    for part in answer.parts:
        if part.kind != "quote":
            plain += part.plain
            continue
        if plain.strip("\n"):
            blocks.append((plain.strip("\n"), None))
        blocks.append((messages.get(answer.lang, "quote", text=part.text), "quote"))
        plain, quoted = "", True
    if plain.strip("\n"):
        blocks.append((plain.strip("\n"), "source" if quoted else None))
    return blocks


def run_repl(service: QAService, lang: str | None = None) -> int:
    """The input loop: a prompt on a terminal, plain lines from a pipe."""
    interactive = sys.stdin.isatty()
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A byte that is not UTF-8 (pasted from a Latin-1 file) is read as U+FFFD: under a
        # strict UTF-8 locale input() raised UnicodeDecodeError and ended the session.
        sys.stdin.reconfigure(errors="replace")
    repl = Repl(service, lang)
    if interactive:
        # Load the lazy parts of the core now, so the first answer is as fast as the next ones.
        from bot.warmup import warm_up

        warm_up(repl.service)
    save_history = _setup_readline() if interactive else (lambda: None)
    repl.welcome()
    try:
        while True:
            try:
                line = input(repl.prompt() if interactive else "")
            except KeyboardInterrupt:  # Ctrl-C: drop the line, like a shell
                print(file=sys.stdout, flush=True)
                continue
            except EOFError:  # Ctrl-D: leave on a fresh line, so the shell's prompt is not glued to ours
                if interactive:
                    print(file=sys.stdout)
                    repl.say(repl.msg("repl_bye"))
                break
            try:
                if not repl.handle(line):
                    break
            except KeyboardInterrupt:  # Ctrl-C during a command: cancel it, stay
                repl.say(repl.msg("repl_cancelled"), "muted")
    finally:
        save_history()
    return 0
