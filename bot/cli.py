"""Command line: `python -m bot [--knowledge DIR] [--config DIR] COMMAND …`.

Commands: ask, repl, eval, index, telegram, faq, unanswered.  Adapters that need heavy
libraries (Telegram) are imported only by the command that uses them, so
`bot ask` starts fast.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot.core.errors import ConfigError

log = logging.getLogger("bot")


def _service(args: argparse.Namespace, force: bool = False):
    from bot.answering.service import QAService

    return QAService.open(args.knowledge, args.config, force_rebuild=force)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answering.decision import ERROR

    service = _service(args)

    def reply(question: str) -> str:
        try:
            answer = service.ask(question, lang=args.lang)
        except Exception:  # one bad question must not end a batch
            log.exception("failed to answer %r", question[:200])
            answer = service.composer.decline(args.lang or service.settings.default_language, ERROR)
        if args.json:
            return json.dumps(answer.to_json(), ensure_ascii=False)
        return answer.text

    if args.question == ["-"]:
        for line in sys.stdin:
            sys.stdout.write(reply(line.rstrip("\r\n")) + "\n")
            sys.stdout.flush()
        return 0
    print(reply(" ".join(args.question)))
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    service = _service(args, force=args.rebuild)
    kb = service.kb
    duplicates = (int(kb.arrays.sentence_spans[:, 3].sum()) if kb.arrays is not None
                  else sum(s.duplicate for s in kb.sentences))
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
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"{report['articles']} articles, {report['chunks']} chunks, {report['sentences']} sentences "
              f"({report['duplicate_sentences']} duplicates skipped); languages: "
              + ", ".join(f"{k} {v}" for k, v in sorted(langs.items()))
              + (" (rebuilt)" if service.rebuilt else " (index up to date)"))
        for p in kb.problems:
            print(f"skipped {p.path}: {p.reason}")
    return 3 if kb.problems else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, load_items

    service = _service(args)
    try:
        items = load_items(Path(args.file))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = evaluate(service, items)
    print(report.table())
    if args.show_misses:
        for miss in report.misses:
            print("MISS", miss)
    return 0


def cmd_repl(args: argparse.Namespace) -> int:
    from bot.repl import run_repl

    return run_repl(_service(args), lang=args.lang)


def cmd_telegram(args: argparse.Namespace) -> int:
    from bot.telegram.app import main as run_telegram

    return run_telegram(args)


def cmd_faq(args: argparse.Namespace) -> int:
    from bot.faq.cli import run as run_faq

    return run_faq(args)


def cmd_unanswered(args: argparse.Namespace) -> int:
    """The most asked questions the bot declined (recorded by the Telegram bot in its state file)."""
    from bot.core.state import State, StateError, default_state_path

    path = Path(args.state or default_state_path())
    questions = []
    if path.exists():
        state = State(path)
        try:
            questions = state.unanswered(limit=args.limit, lang=args.lang)
        except StateError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            state.close()
    if args.json:
        print(json.dumps({"state": str(path), "questions": [q.to_json() for q in questions]},
                         ensure_ascii=False, indent=2))
    elif not questions:
        print(f"no unanswered questions recorded in {path}")
    else:
        for q in questions:
            print(f"{q.count:5d}  {q.lang:3s} {q.last_seen[:16].replace('T', ' ')}  {q.question}")
    return 0


def add_unanswered_parser(sub) -> None:
    un = sub.add_parser("unanswered", help="the most asked questions the bot could not answer")
    un.add_argument("--json", action="store_true", help="print one JSON object")
    un.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    un.add_argument("--lang", default=None, help="only questions in this language")
    un.add_argument("--state", type=Path, default=None,
                    help="SQLite state file (env BOT_STATE_PATH, default state/bot.sqlite3)")
    un.set_defaults(func=cmd_unanswered)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description="Answers questions by quoting articles verbatim.")
    parser.add_argument("--knowledge", type=Path, default=None,
                        help="knowledge folder (env BOT_KNOWLEDGE_DIR, default knowledge/)")
    parser.add_argument("--config", type=Path, default=None,
                        help="config folder (env BOT_CONFIG_DIR, default config/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging details")
    sub = parser.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer a question ('-' reads one question per line from stdin)")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.add_argument("--lang", default=None, help="force the reply language (e.g. fr, sw, th, en)")
    ask.set_defaults(func=cmd_ask)

    repl = sub.add_parser("repl", help="interactive question loop")
    repl.add_argument("--lang", default=None)
    repl.set_defaults(func=cmd_repl)

    ev = sub.add_parser("eval", help="score a QA set (JSON Lines)")
    ev.add_argument("file")
    ev.add_argument("--show-misses", action="store_true")
    ev.set_defaults(func=cmd_evaluate)

    idx = sub.add_parser("index", help="build the index if needed and report on the knowledge")
    idx.add_argument("--rebuild", action="store_true", help="rebuild even if the index is fresh")
    idx.add_argument("--json", action="store_true")
    idx.set_defaults(func=cmd_index)

    tg = sub.add_parser("telegram", help="run the Telegram bot (long polling) with the FAQ scheduler")
    tg.add_argument("--state", type=Path, default=None,
                    help="SQLite state file (env BOT_STATE_PATH, default state/bot.sqlite3)")
    tg.set_defaults(func=cmd_telegram)

    faq = sub.add_parser("faq", help="scheduled FAQ posts: list, post, check")
    faq.add_argument("--state", type=Path, default=None,
                     help="SQLite state file (env BOT_STATE_PATH, default state/bot.sqlite3)")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    faq_list = faq_sub.add_parser("list", help="each entry with its next run time")
    faq_list.add_argument("--json", action="store_true")
    faq_post = faq_sub.add_parser("post", help="post one entry now to its chats and exit")
    faq_post.add_argument("id")
    faq_sub.add_parser("check", help="validate config/faq.yaml")
    faq.set_defaults(func=cmd_faq)
    add_unanswered_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `bot … | head`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
