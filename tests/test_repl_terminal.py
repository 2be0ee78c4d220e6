"""The real `python -m bot repl` in a pseudo-terminal of 60 columns, driven like a person would.

What only a terminal shows: Ctrl-C cancels the line being typed (it is never
asked) instead of quitting, Ctrl-D leaves on a fresh line, answers are
wrapped to the width without splitting a word, colour is on for a terminal
and off with NO_COLOR, `/lang xx` is refused and `/why` explains a decline.
"""

from __future__ import annotations

import re
import sys
import time

import pytest

from bot.console import display_width

from conftest import CONFIG, KNOWLEDGE, PYTHON, ROOT, as_a_terminal_would, subprocess_env

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

WIDTH = 60
# The prompt at the start of a line, after any escape codes (a "? " inside an answer is not it).
PROMPT = re.compile(r"(?:^|\n)(?:\x1b\[[0-9;?]*[A-Za-z])*\? ")
SGR = re.compile(r"\x1b\[[0-9;]*m")          # colour codes
CONTROL = re.compile(r"\x1b\[[?0-9;]*[A-Za-z]|\x1b[=>]|[\x01\x02]")  # any escape readline may add
QUESTION = "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"
QUOTE = "Une note de 5 étoiles peut en fait nuire à vos ventes plutôt que les aider."


def spawn(**env: str):
    env = subprocess_env(LANG="en_US.UTF-8", TERM="xterm", **env)
    env.pop("COLUMNS", None)  # the width must come from the terminal itself
    if not env.get("NO_COLOR"):
        env.pop("NO_COLOR", None)  # an empty NO_COLOR means colour, like its absence
    child = pexpect.spawn(PYTHON, ["-m", "bot", "repl", "--knowledge", str(KNOWLEDGE), "--config", str(CONFIG)],
                          cwd=str(ROOT), env=env, dimensions=(24, WIDTH), encoding="utf-8", timeout=60,
                          preexec_fn=as_a_terminal_would)
    child.expect_exact("/help")  # the welcome line
    child.expect(PROMPT)
    return child


def plain(text: str) -> str:
    return CONTROL.sub("", text).replace("\r", "")


def until_prompt(child) -> str:
    """Everything printed up to the next prompt, as raw text (escape codes kept)."""
    child.expect(PROMPT)
    return child.before


def waiting_for_a_key(child, timeout: float = 30.0) -> None:
    """Return once the REPL is blocked waiting for a key.

    CPython's readline notices Ctrl-C only when the SIGINT interrupts its wait
    for a key (a select on the terminal); one that arrives while it is still
    drawing the prompt or handling the key before is noticed only when the line
    is submitted.  On a loaded machine that window is long enough for a test's
    Ctrl-C, sent right after the echo, to fall into it (a script sending "x"
    and Ctrl-C back to back lost the first Ctrl-C on a busy machine, the
    process then sleeping in pselect6 with no signal pending).  A person's Ctrl-C comes long after the
    echo; so does the test's: once the process sleeps in select or poll.
    Where /proc does not tell, a pause stands in for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child.pid}/wchan", encoding="ascii") as f:
                where = f.read()
        except OSError:
            where = ""
        if not where or where == "0":  # no /proc, or the kernel does not say
            time.sleep(0.5)
            return
        if "poll" in where or "select" in where:  # poll_schedule_timeout, do_select
            return
        time.sleep(0.02)
    raise AssertionError("the REPL never waited for a key")


def ask(child, line: str) -> str:
    child.sendline(line)
    child.expect_exact(line[-10:])  # the terminal's echo of the typed line
    return until_prompt(child)


def test_terminal_session_cancel_wrap_lang_why_and_exit(tmp_path):
    child = spawn(NO_COLOR="", BOT_HISTORY_FILE=str(tmp_path / "history"))
    try:
        # Ctrl-C cancels the line being typed: it is never asked, the session goes on.
        child.send("Who won the 2018 FIFA World Cup")
        child.expect_exact("Cup")  # typed (echoed) before Ctrl-C, as a person would
        waiting_for_a_key(child)
        child.sendcontrol("c")
        until_prompt(child)
        assert "Ask a question first" in plain(ask(child, "/why"))

        # An answer wrapped at 60 columns, between words only, in colour on a terminal.
        raw = ask(child, QUESTION)
        assert SGR.search(raw), "colour codes expected on a terminal"
        lines = [line for line in plain(raw).split("\n") if line.strip()]
        assert lines and all(display_width(line) <= WIDTH for line in lines), lines
        quote_lines = [line for line in lines if "étoiles" in line or "ventes" in line or "plutôt" in line]
        joined = " ".join(line.strip() for line in quote_lines)
        assert QUOTE in joined.replace("\xa0", " "), joined  # every word whole: joining the lines restores it
        assert "«\xa0" in joined and "\xa0»" in joined  # French quotes, no-break spaces inside

        # /lang: unknown codes refused with the choices, /lang alone shows the current choice.
        out = plain(ask(child, "/lang xx"))
        assert "do not know the language" in out.replace("\n", " ") or "ne connais pas" in out.replace("\n", " ")
        assert "fr, en, sw, th" in out.replace("\n", " ")
        out = plain(ask(child, "/lang"))
        assert "automati" in out

        # A decline explained by /why, in one sentence, with the closest passage.
        out = plain(ask(child, "Who won the 2018 FIFA World Cup?"))
        assert "Sorry" in out
        why = plain(ask(child, "/why")).replace("\n", " ")
        assert "I did not answer:" in why  # why: nothing shares a word, or nothing close enough
        assert "not close enough to your question" in why or "no sentence of the articles" in why
        assert "“FIFA”" in why and "etoil" not in why

        # Ctrl-D leaves cleanly, on a fresh line.
        child.sendeof()
        child.expect(pexpect.EOF)
        tail = plain(child.before)
        assert tail.startswith("\n") and "Goodbye!" in tail
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    history = (tmp_path / "history").read_text(encoding="utf-8")
    assert history.count("FIFA World Cup") == 1  # the line cancelled by Ctrl-C is not in the history


def test_no_color_turns_colour_off(tmp_path):
    child = spawn(NO_COLOR="1", BOT_HISTORY_FILE=str(tmp_path / "history"))
    try:
        raw = ask(child, "/lang xx")
        assert "fr, en, sw, th" in plain(raw).replace("\n", " ")
        assert not SGR.search(raw)
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
