"""Command line: `python -m bot COMMAND [--knowledge DIR] [--config DIR] …`.

Commands: ask, repl, eval, index, telegram, faq, unanswered.  Adapters that need heavy
libraries (Telegram) are imported only by the command that uses them, so
`bot ask` starts fast.  The global options are accepted before or after the
command (`bot --knowledge K ask q` and `bot ask --knowledge K q` alike),
because people type them where they think of them.

Problems the person must fix first (a knowledge folder that does not exist,
a language the bot is not configured for, a broken eval file) exit with
status 2 and one line naming the culprit; a reply, answered or declined,
exits 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import ConfigError

if TYPE_CHECKING:  # imported by the commands that read it (startup time)
    from bot.core.config import Settings

log = logging.getLogger("bot")

USAGE_ERROR = 2

# Environment variables, listed in the --help of the commands that read them.
ENV_COMMON = """\
environment:
  BOT_KNOWLEDGE_DIR   knowledge folder (default knowledge/; --knowledge wins)
  BOT_CONFIG_DIR      config folder (default config/; --config wins)
  BOT_CACHE_DIR       caches: index, language model, bridge tables (default ~/.cache/article-bot)"""
ENV_REPL = ENV_COMMON + """
  BOT_HISTORY_FILE    REPL history (default $BOT_CACHE_DIR/history)
  NO_COLOR            set (to anything) to turn colour off; colour is only used on a terminal
  LC_ALL, LANG        the interface language before the first question (fr_FR.UTF-8 -> fr)"""
ENV_TELEGRAM = ENV_COMMON + """
  TELEGRAM_BOT_TOKEN  the bot's token from @BotFather (required; never logged)
  TELEGRAM_API_URL    Bot API root (default https://api.telegram.org; a self-hosted server or a test fake)
  TELEGRAM_POLL_TIMEOUT  long-polling timeout in seconds (default 10)
  BOT_STATE_PATH      SQLite state: chat languages, FAQ ledger (default state/bot.sqlite3; --state wins)"""
FAQ_NOW = """
  BOT_FAQ_NOW         `faq list`, `faq preview`: compute the next runs as of this instant (ISO 8601 with offset)"""
ENV_FAQ = ENV_TELEGRAM + FAQ_NOW


class ProblemExit(Exception):
    """A problem the person must fix before the command can run: exit 2 with this line."""


class UsageFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's and epilog's line breaks (examples, environment)."""


def folder_path(text: str) -> Path:
    """An argparse type for --knowledge/--config: an empty value (`--knowledge "$DIR"` with
    DIR unset) was Path("."), so the current folder was indexed, README.md as an article."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: give a folder")
    return Path(text)


def _add_global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """--knowledge/--config/-v; on subcommands with SUPPRESS defaults, so a value
    given before the subcommand is not overwritten by the subcommand's default."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--knowledge", type=folder_path, default=default, metavar="DIR",
                        help="knowledge folder (env BOT_KNOWLEDGE_DIR, default knowledge/)")
    parser.add_argument("--config", type=folder_path, default=default, metavar="DIR",
                        help="config folder (env BOT_CONFIG_DIR, default config/)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=argparse.SUPPRESS if suppress else False, help="log debugging details")


def _knowledge_dir(args: argparse.Namespace) -> Path:
    from bot.answering.service import default_knowledge_dir

    return Path(args.knowledge or default_knowledge_dir())


def check_knowledge_dir(path: Path) -> None:
    """A knowledge folder that is missing or unreadable is the person's to fix: say which."""
    from bot.answering.service import knowledge_folder_problem

    problem = knowledge_folder_problem(path)
    if problem == "does not exist":
        raise ProblemExit(f"knowledge folder {path} does not exist "
                          "(give another with --knowledge DIR or BOT_KNOWLEDGE_DIR)")
    if problem is not None:
        raise ProblemExit(f"knowledge folder {path} {problem}")


def _settings(args: argparse.Namespace) -> Settings:
    """config/settings.yaml of the chosen config folder, read once per command: the
    --lang check and the service both use this one reading."""
    from bot.core.config import default_config_dir, load_settings

    return load_settings(Path(args.config or default_config_dir()))


def check_language(lang: str | None, languages: tuple[str, ...]) -> str | None:
    """An unknown --lang would silently answer in English: refuse it, listing the choices."""
    if lang is None:
        return None
    code = lang.strip().lower()
    if code not in languages:
        raise ProblemExit(f"unknown language {lang!r} for --lang: configured languages are "
                          + ", ".join(languages))
    return code


def _service(args: argparse.Namespace, force: bool = False, settings: Settings | None = None):
    """The service over the chosen folders, after checking the knowledge folder exists
    (`settings`: config/settings.yaml when the command has read it already)."""
    from bot.answering.service import QAService

    knowledge = _knowledge_dir(args)
    check_knowledge_dir(knowledge)
    service = QAService.open(knowledge, args.config, force_rebuild=force, settings=settings)
    if not service.kb.articles:
        print(f"warning: no articles in {knowledge}: every question will be declined "
              "(add .md or .txt files, see README \"Knowledge\")", file=sys.stderr)
    return service


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answering.decision import ERROR

    settings = _settings(args)  # before the index is opened: a wrong --lang fails at once
    lang = check_language(args.lang, settings.languages)
    service = _service(args, settings=settings)

    def reply(question: str) -> str:
        try:
            answer = service.ask(question, lang=lang)
        except Exception:  # one bad question must not end a batch
            log.exception("failed to answer %r", question[:200])
            answer = service.composer.decline(lang or service.settings.default_language, ERROR)
        if args.json:
            return json.dumps(answer.to_json(), ensure_ascii=False)
        return answer.text

    if args.question == ["-"]:
        # JSON: one object per line.  Plain text: answers span several lines,
        # so a blank line separates one answer from the next.
        for number, line in enumerate(stdin_lines()):
            if number and not args.json:
                sys.stdout.write("\n")
            sys.stdout.write(reply(line.rstrip("\r\n")) + "\n")
            sys.stdout.flush()
        return 0
    print(reply(" ".join(args.question)))
    return 0


def stdin_lines() -> Iterator[str]:
    """Standard input's lines as text, each byte that is not UTF-8 read as U+FFFD.

    Decoded line by line from the bytes: under a strict UTF-8 locale one such
    byte (a line pasted from a Latin-1 file) raised UnicodeDecodeError out of
    the loop, a traceback that lost every answer of the batch, even those of
    the lines before it (decoded in the same block)."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream put in place of stdin (tests, embedding callers)
        yield from sys.stdin
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace")


def cmd_index(args: argparse.Namespace) -> int:
    service = _service(args, force=args.rebuild)
    kb = service.kb
    duplicates = int(kb.arrays.sentence_spans[:, 3].sum())
    if args.warm:
        from bot.warmup import warm_up

        warm_up(service)
    langs: dict[str, int] = {}
    for article in kb.articles:
        langs[article.lang] = langs.get(article.lang, 0) + 1
    report = {
        "knowledge": str(service.knowledge_dir),
        "rebuilt": service.rebuilt,
        "articles": len(kb.articles),
        "sentences": len(kb.sentences) - duplicates,
        "duplicate_sentences": duplicates,
        "chunks": len(kb.chunks),
        "languages": langs,
        "problems": [{"path": p.path, "reason": p.reason} for p in kb.problems],
        # sentence vectors (issue 13): the model, or null when answering lexically
        "embedder": service.vectors.model_id if service.vectors is not None else None,
        "embedded_now": service.vectors.embedded if service.vectors is not None else 0,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        languages = ", ".join(f"{k} {v}" for k, v in sorted(langs.items())) or "none"
        print(f"{service.knowledge_dir}: {report['articles']} articles, {report['chunks']} chunks, "
              f"{report['sentences']} sentences ({report['duplicate_sentences']} duplicates skipped); "
              f"languages: {languages}" + (" (rebuilt)" if service.rebuilt else " (index up to date)"))
        if service.vectors is None:
            print("sentence vectors: off (answering with BM25 and the bridges only)")
        else:
            print(f"sentence vectors: {service.vectors.model_id}, {service.vectors.embedded} sentences embedded now")
        for p in kb.problems:
            print(f"skipped {p.path}: {p.reason}")
    return 3 if kb.problems else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot.evaluation import EvalFileError, evaluate, load_items

    try:
        items = load_items(Path(args.file))
    except EvalFileError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return USAGE_ERROR
    service = _service(args)
    report = evaluate(service, items)
    print(report.table())
    if args.show_misses:
        for miss in report.misses:
            print("MISS", miss)
    return 0


def cmd_repl(args: argparse.Namespace) -> int:
    from bot.repl import run_repl

    settings = _settings(args)  # before the index is opened: a wrong --lang fails at once
    lang = check_language(args.lang, settings.languages)
    return run_repl(_service(args, settings=settings), lang=lang)


def cmd_telegram(args: argparse.Namespace) -> int:
    from bot.telegram.app import main as run_telegram

    check_knowledge_dir(_knowledge_dir(args))
    return run_telegram(args)


def cmd_faq(args: argparse.Namespace) -> int:
    from bot.faq.cli import run as run_faq

    if args.faq_command in ("check", "post", "preview"):  # these answer questions
        check_knowledge_dir(_knowledge_dir(args))
    return run_faq(args)


def cmd_unanswered(args: argparse.Namespace) -> int:
    """The most asked questions the bot declined (recorded by the Telegram bot in its state file)."""
    from bot.core.state import State, default_state_path

    # "--lang EN" or a typo listed nothing and said none were recorded: checked like ask's
    lang = check_language(args.lang, _settings(args).languages) if args.lang is not None else None
    url = (os.environ.get("BOT_STATE_URL") or "").strip()
    if url and args.state is None:
        # the bot records them in PostgreSQL then; the SQLite file said "none recorded"
        return _unanswered_in_postgresql(args, url, lang)
    path = Path(args.state or default_state_path())
    if not path.exists():
        return _print_unanswered(args, str(path), [])
    return _unanswered_from(State(path), str(path), args, lang)


def _unanswered_in_postgresql(args: argparse.Namespace, url: str, lang: str | None) -> int:
    """`bot unanswered` with BOT_STATE_URL: the questions the workers recorded in PostgreSQL."""
    from bot.core.pgstate import PgState

    if not url.startswith(("postgresql://", "postgres://")):
        raise ProblemExit("BOT_STATE_URL must be a postgresql:// URL")
    state = PgState(url)
    return _unanswered_from(state, str(state.path), args, lang)


def _unanswered_from(state, where: str, args: argparse.Namespace, lang: str | None) -> int:
    """Read the declined questions from an open state (SQLite or PostgreSQL), close it, print them."""
    from bot.core.state import StateError

    try:
        if getattr(state, "open_error", None) is not None:
            raise state.open_error
        questions = state.unanswered(limit=args.limit, lang=lang)
    except StateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        state.close()
    return _print_unanswered(args, where, questions)


def _print_unanswered(args: argparse.Namespace, where: str, questions: list) -> int:
    if args.json:
        print(json.dumps({"state": where, "questions": [q.to_json() for q in questions]},
                         ensure_ascii=False, indent=2))
    elif not questions:
        print(f"no unanswered questions recorded in {where}")
    else:
        for q in questions:
            print(f"{q.count:5d}  {q.lang:3s} {q.last_seen[:16].replace('T', ' ')}  {q.question}")
    return 0


def positive_int(text: str) -> int:
    """An argparse type for counts: "--limit -1" listed everything (SQLite's LIMIT -1) and
    "--limit 0" said no question was recorded."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_unanswered_parser(sub) -> None:
    un = _command(sub, "unanswered", "the most asked questions the bot could not answer",
                  "List the questions the Telegram bot declined, most asked first (text, language,\n"
                  "count, last seen; no user ids).",
                  "environment:\n  BOT_STATE_PATH   the SQLite state file (default state/bot.sqlite3)\n"
                  "  BOT_STATE_URL    postgresql://…: read them from PostgreSQL instead (unless --state is given)")
    un.add_argument("--json", action="store_true", help="print one JSON object")
    un.add_argument("--limit", type=positive_int, default=20, help="how many (default 20)")
    un.add_argument("--lang", default=None, metavar="XX",
                    help="only questions in this language (one of the configured languages)")
    _add_state_option(un)
    un.set_defaults(func=cmd_unanswered)


def _command(sub, name: str, summary: str, description: str, env: str) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does, an example or two, and its environment."""
    parser = sub.add_parser(name, help=summary, description=description, epilog=env,
                            formatter_class=UsageFormatter)
    _add_global_options(parser, suppress=True)
    return parser


def _add_state_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", type=Path, default=argparse.SUPPRESS, metavar="PATH",
                        help="SQLite state file (env BOT_STATE_PATH, default state/bot.sqlite3)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot", formatter_class=UsageFormatter,
        description="Answers questions about a folder of articles by quoting them verbatim.\n"
                    "Run `bot COMMAND --help` for each command's options and environment.",
        epilog=ENV_COMMON)
    _add_global_options(parser, suppress=False)
    parser.set_defaults(state=None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ask = _command(sub, "ask", "answer a question ('-' reads one question per line from stdin)",
                   "Answer one question, or with '-' one question per line of standard input\n"
                   "(the index is loaded once). Plain answers are separated by a blank line;\n"
                   "--json prints one JSON object per question (answered, text, passages, reason).\n\n"
                   "examples:\n"
                   "  bot ask \"Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?\"\n"
                   "  printf 'q1\\nq2\\n' | bot ask --json -", ENV_COMMON)
    ask.add_argument("question", nargs="+", help="the question (several words are joined), or '-'")
    ask.add_argument("--json", action="store_true", help="print each answer as one JSON object")
    ask.add_argument("--lang", default=None, metavar="XX",
                     help="reply in this language (one of the configured languages, e.g. fr, sw, th, en)")
    ask.set_defaults(func=cmd_ask)

    repl = _command(sub, "repl", "interactive question loop (/help inside)",
                    "Ask questions one after another in a terminal; /why explains the last answer,\n"
                    "/lang chooses the reply language, /articles lists the articles, /reload re-reads\n"
                    "the knowledge. Ctrl-C cancels the line, Ctrl-D leaves.", ENV_REPL)
    repl.add_argument("--lang", default=None, metavar="XX",
                      help="reply (and interface) language; default: the language of each question")
    repl.set_defaults(func=cmd_repl)

    ev = _command(sub, "eval", "score a QA set (JSON Lines)",
                  "Score a QA set: Hit@1, Hit@3, MRR and decline rate per language and per kind.\n"
                  "Each line is a JSON object with \"question\" (text), \"answerable\" (true/false),\n"
                  "\"expect\" (verbatim snippets, required when answerable) and optional \"id\",\n"
                  "\"lang\", \"kind\". A malformed line stops the run with its line number and key.",
                  ENV_COMMON)
    ev.add_argument("file", help="the QA set, e.g. ../shared/eval/dev.jsonl")
    ev.add_argument("--show-misses", action="store_true", help="list the items not answered at rank 1")
    ev.set_defaults(func=cmd_evaluate)

    idx = _command(sub, "index", "build the index and caches, report on the knowledge",
                   "Build the knowledge's index if it is stale (only changed files are re-read) and\n"
                   "the caches the first question needs, then report articles, chunks, languages and\n"
                   "the files skipped with their reason. Exit status 3 when a file was skipped.",
                   ENV_COMMON)
    idx.add_argument("--rebuild", action="store_true", help="rebuild even if the index is fresh")
    idx.add_argument("--no-warm", dest="warm", action="store_false",
                     help="skip building the question-time caches (bridge tables, language model)")
    idx.add_argument("--json", action="store_true", help="print the report as JSON")
    idx.set_defaults(func=cmd_index)

    tg = _command(sub, "telegram", "run the Telegram bot (long polling) with the FAQ scheduler",
                  "Run the Telegram bot with long polling, and the scheduled FAQ posts of\n"
                  "config/faq.yaml. Needs TELEGRAM_BOT_TOKEN. Stops cleanly on Ctrl-C / SIGTERM.",
                  ENV_TELEGRAM)
    _add_state_option(tg)
    tg.set_defaults(func=cmd_telegram)

    faq = _command(sub, "faq", "scheduled FAQ posts: list, preview, post, check",
                   "Scheduled FAQ posts (config/faq.yaml): list the entries and their next run,\n"
                   "preview a post, post one now, check the file.", ENV_FAQ)
    _add_state_option(faq)
    faq_sub = faq.add_subparsers(dest="faq_command", required=True, metavar="FAQ_COMMAND")
    faq_list = _command(faq_sub, "list", "each entry with its next run time",
                        "Each FAQ entry with its next run time (ISO 8601 with offset), its chats and the\n"
                        "language it is posted in (checked with the knowledge's index when it is built;\n"
                        "never builds one).", ENV_FAQ)
    faq_list.add_argument("--json", action="store_true", help="print the entries as JSON")
    faq_preview = _command(faq_sub, "preview", "print an entry's post as it would appear, without posting",
                           "Print the post of one FAQ entry as it would appear in its chats (text form),\n"
                           "answered from the current knowledge. Needs no token; posts nothing.",
                           ENV_COMMON + FAQ_NOW)
    faq_preview.add_argument("id", help="the entry's id in config/faq.yaml")
    faq_post = _command(faq_sub, "post", "post one entry now to its chats and exit",
                        "Post one FAQ entry now to its chats (needs TELEGRAM_BOT_TOKEN) and exit.", ENV_FAQ)
    faq_post.add_argument("id", help="the entry's id in config/faq.yaml")
    _add_state_option(faq_post)
    _command(faq_sub, "check", "validate config/faq.yaml",
             "Validate config/faq.yaml: every entry's schedule, time zone, language and chats,\n"
             "and whether the knowledge answers its question. Exit status 1 on errors.", ENV_COMMON)
    faq.set_defaults(func=cmd_faq)
    add_unanswered_parser(sub)
    return parser


# Commands whose process ends when they return and that hold nothing a
# finaliser must close (no connection, no state file open): `run` skips the
# exit-time garbage collection after them.
ONE_SHOT_COMMANDS = frozenset({"ask", "index", "eval"})


def run() -> None:
    """The `bot` and `python -m bot` entry point: `main()`, then exit.

    After a one-shot command every object left is frozen first (`gc.freeze`),
    so the interpreter's final collection does not walk them all: it cost ~50 ms
    of a cold `bot ask` at 15,000 articles (16 ms from the answer to the end of
    the process with the freeze, 65 ms without) and finds nothing worth
    freeing, the memory goes back with the process.  Objects are still
    released by reference counting, files flushed and closed, `atexit`
    handlers run.
    """
    args = build_parser().parse_args()
    code = _run(args)
    if args.command in ONE_SHOT_COMMANDS:
        gc.freeze()
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    return _run(build_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    """The parsed command, run; its exit code."""
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if sys.stdin is None:  # started with stdin closed (`<&-`, some service managers): nothing to read
        sys.stdin = open(os.devnull, encoding="utf-8")
    try:
        return args.func(args)
    except ProblemExit as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bot … | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
