"""Terminal rendering: wrapping that never splits a word, colour only where it belongs."""

from __future__ import annotations

import io

import pytest

from bot.console import Console, display_width, wants_colour, wrap, wrap_line

FRENCH = ("Voici ce que disent les articles\u00a0: «\u00a0Une note de 5 étoiles peut en fait nuire "
          "à vos ventes plutôt que les aider.\u00a0» Aussi disponible en\u00a0: Kiswahili")
THAI = "“ส่วนใหญ่จะไปด้วย ความไว้วางใจมาจากประสบการณ์ที่ซื่อสัตย์และได้รับการพิสูจน์แล้ว”"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("width", [20, 33, 60])
def test_wrap_never_splits_a_word_nor_a_no_break_space(width):
    lines = wrap_line(FRENCH, width)
    assert all(display_width(line) <= width for line in lines), lines
    assert " ".join(lines) == FRENCH  # rejoining at the breaks gives back the text: no word was cut
    assert not any(line.startswith(("»", ":")) for line in lines)  # « x », « : » stay with their word


def test_thai_wraps_between_words_and_measures_marks_as_zero_width():
    assert display_width("ที่") == 1 and display_width("ความ") == 4  # vowel/tone marks take no column
    lines = wrap_line(THAI, 24)
    assert len(lines) > 2 and all(display_width(line) <= 24 for line in lines), lines
    rejoined = "".join(lines)
    assert rejoined.replace(" ", "") == THAI.replace(" ", "")  # nothing lost, nothing added
    from pythainlp.tokenize import word_tokenize

    words = set(word_tokenize(THAI.strip("“”"), engine="newmm"))
    for line in lines:  # each break falls between two dictionary words
        first = line.lstrip("“").split(" ")[0]
        assert any(first.startswith(w) for w in words), first


def test_lines_that_fit_keep_their_spacing_and_long_words_stay_whole():
    help_text = "/lang xx     reply in language xx\n\n/why         why"
    assert wrap(help_text, 60) == ["/lang xx     reply in language xx", "", "/why         why"]
    assert wrap_line("a " + "x" * 30 + " b", 10) == ["a", "x" * 30, "b"]
    assert wrap("no width: not a terminal " * 5, None) == ["no width: not a terminal " * 5]


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    assert wants_colour(Tty(), {"TERM": "xterm"}) is True
    assert wants_colour(io.StringIO(), {"TERM": "xterm"}) is False
    assert wants_colour(Tty(), {"TERM": "xterm", "NO_COLOR": "1"}) is False
    assert wants_colour(Tty(), {"TERM": "xterm", "NO_COLOR": ""}) is True  # no-color.org: set and non-empty
    assert wants_colour(Tty(), {"TERM": "dumb"}) is False
    monkeypatch.setenv("COLUMNS", "40")
    out = Tty()
    Console(out, colour=True).write("word " * 20, "quote")
    lines = out.getvalue().splitlines()
    assert all(line.startswith("\x1b[36m") and line.endswith("\x1b[0m") for line in lines)  # per line
    assert all(display_width(line.replace("\x1b[36m", "").replace("\x1b[0m", "")) <= 40 for line in lines)
    piped = io.StringIO()
    Console(piped).write("word " * 20, "quote")
    assert "\x1b" not in piped.getvalue() and len(piped.getvalue().splitlines()) == 1


def test_an_opening_quote_stays_with_the_thai_word_it_opens():
    """/why in Thai on a 40-column terminal ended a line with a lone “ and began the next
    with the word it opens: the mark was a break point of its own."""
    line = "คำถามของคุณ (ภาษาไทย): คำที่ค้นหาคือ “บทความ”, “ความไว้วางใจ”, “ลูกค้า”, “มาจาก”"
    for width in range(20, 60):
        lines = wrap_line(line, width)
        assert not any(text.rstrip().endswith("“") for text in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == line.replace(" ", "")  # nothing lost, nothing added
