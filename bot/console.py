"""Terminal output for people: colour when it helps, wrapping that never splits a word.

Colour is used only when writing to a terminal and never when `NO_COLOR` is
set (https://no-color.org) or `TERM=dumb`: escape codes in a file or a pipe
are noise.  Wrapping measures what a terminal displays (Thai vowel and tone
marks take no column, wide CJK characters two) and breaks only between
words: at spaces, and inside Thai text (written without spaces) between the
words of pythainlp's dictionary segmenter.  A single word wider than the
line is left whole; the terminal folds it, but we never cut it.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import TextIO

from bot.core.scripts import THAI_RUN

# SGR codes by role, so the REPL asks for "quote", not for "cyan".
STYLES = {
    "quote": "36",        # cyan: the verbatim text
    "source": "2",        # dim: "— from the article …"
    "decline": "33",      # yellow: nothing found
    "error": "31",        # red
    "heading": "1",       # bold
    "word": "1;36",       # bold cyan: a word of the question or of the passage
    "prompt": "1;32",     # bold green
    "muted": "2",
}
_ESC = "\x1b["
_BREAKABLE_SPACE = re.compile(r"[ \t]+")  # not \s: a no-break space (French « ») must hold


def wants_colour(stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never with NO_COLOR (any non-empty value) or TERM=dumb."""
    environ: Mapping[str, str] = os.environ if env is None else env
    if environ.get("NO_COLOR", "") != "":
        return False
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width(stream: TextIO, default: int = 80) -> int | None:
    """Columns of the terminal `stream` writes to (COLUMNS wins); None when not a terminal."""
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return None
    return max(20, shutil.get_terminal_size((default, 24)).columns)


def char_width(ch: str) -> int:
    """Columns one character takes on a terminal."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


@lru_cache(maxsize=1)
def _thai_segmenter():
    """The Thai analyzer's newmm segmentation (its dictionary, loaded once for
    retrieval and wrapping alike), or None when pythainlp cannot be loaded."""
    try:
        from bot.knowledge.analysis import get_analyzer

        return get_analyzer("th").words
    except Exception:  # noqa: BLE001 - wrapping Thai at spaces only is still correct
        return None


def _thai_pieces(run: str) -> list[str]:
    """A Thai run cut between words; whole when the segmenter would alter the text."""
    segment = _thai_segmenter()
    if segment is None:
        return [run]
    try:
        pieces = [p for p in segment(run) if p]
    except Exception:  # noqa: BLE001
        return [run]
    return pieces if "".join(pieces) == run else [run]


def _pieces(word: str) -> list[str]:
    """Places a line may break inside a space-free `word`: only between Thai words."""
    if not THAI_RUN.search(word):
        return [word]
    out: list[str] = []
    pos = 0
    for run in THAI_RUN.finditer(word):
        thai = _thai_pieces(run.group())
        if run.start() > pos and thai:  # glued to what precedes it in the word (an opening quote mark)
            out.append(word[pos:run.start()] + thai[0])
            thai = thai[1:]
        elif run.start() > pos:
            out.append(word[pos:run.start()])
        out.extend(thai)
        pos = run.end()
    if pos < len(word):
        tail = word[pos:]
        if out:
            out[-1] += tail  # closing punctuation stays with its word
        else:
            out.append(tail)
    return out


def wrap_line(line: str, width: int, indent: str = "") -> list[str]:
    """One paragraph wrapped to `width` columns, breaking only between words.

    Spaces where the line breaks are dropped; a no-break space never breaks.
    """
    words = [w for w in _BREAKABLE_SPACE.split(line.strip(" \t")) if w]
    lines: list[str] = []
    current, used = indent, display_width(indent)
    first_on_line = True
    for word in words:
        parts = _pieces(word)
        for k, part in enumerate(parts):
            w = display_width(part)
            sep = "" if (first_on_line or k > 0) else " "
            if not first_on_line and used + len(sep) + w > width:
                lines.append(current)
                current, used, sep = indent, display_width(indent), ""
            current += sep + part
            used += len(sep) + w
            first_on_line = False
    lines.append(current)
    return lines


def wrap(text: str, width: int | None, indent: str = "") -> list[str]:
    """`text` line by line (its own line breaks kept), each wrapped when `width` is set."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
        elif width is None or display_width(indent + line) <= width:
            out.append(indent + line)  # fits: kept as written (aligned help columns)
        else:
            lead = line[:len(line) - len(line.lstrip(" "))]
            out.extend(wrap_line(line, width, indent + lead))
    return out


class Console:
    """Writes wrapped, optionally coloured text to one stream."""

    def __init__(self, out: TextIO, colour: bool | None = None) -> None:
        self.out = out
        self.colour = wants_colour(out) if colour is None else colour

    @property
    def width(self) -> int | None:
        """Measured at each write: the terminal may have been resized."""
        return terminal_width(self.out)

    def paint(self, text: str, style: str | None) -> str:
        if not (self.colour and style and text):
            return text
        return f"{_ESC}{STYLES[style]}m{text}{_ESC}0m"

    def write(self, text: str, style: str | None = None, indent: str = "") -> None:
        """`text` wrapped to the terminal; colour per line, so a wrap never carries an escape code."""
        for line in wrap(text, self.width, indent):
            print(self.paint(line, style), file=self.out)
        self.out.flush()

    def prompt(self, text: str) -> str:
        """The input() prompt; escape codes fenced by \\001/\\002 so readline measures it right."""
        if not self.colour:
            return text
        return f"\001{_ESC}{STYLES['prompt']}m\002{text}\001{_ESC}0m\002"
