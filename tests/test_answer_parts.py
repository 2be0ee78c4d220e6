"""The adapters style an answer's quotes from its parts, not by searching its text.

A quote's words may also occur earlier in the rendered text: inside another
quote, or as a passage that is not shown.  A text search finds them there,
so a quote lost its styling (REPL) or the message was cut at the wrong place
(Telegram); the composer now hands the adapters the quotes themselves.
"""

from __future__ import annotations

from bot.answering.composer import Composer
from bot.answering.retrieval import Hit
from bot.core.messages import Messages
from bot.repl import answer_blocks
from bot.telegram.formatting import format_answer

from conftest import CONFIG, load_articles, shipped_settings
from fake_bot_api import parse_telegram_html

RULE = "Gardez toujours chaque ticket de caisse"
FIRST = "Le magasin ouvre ses portes à huit heures chaque matin de la semaine, sauf le dimanche."
SECOND = f"Le gérant répète “{RULE}” à chaque nouvel employé qui arrive au magasin."


def _hit(sentence: int, score: float) -> Hit:
    return Hit(sentence=sentence, score=score, sentence_score=score, chunk_score=score / 2, coverage=1.0,
               query_lang="fr", sentence_coverage=1.0)


def _answer(tmp_path):
    (tmp_path / "magasin.md").write_text(f"---\ntitle: Le magasin\nlang: fr\n---\n{FIRST}\n\n{SECOND}\n",
                                         encoding="utf-8")
    (tmp_path / "regle.md").write_text(f"---\ntitle: La règle\nlang: fr\n---\n{RULE}\n", encoding="utf-8")
    kb = load_articles(tmp_path)
    messages = Messages.load(CONFIG)
    index = {s.text: n for n, s in enumerate(kb.sentences)}
    # the best quote, then the rule from another article (not shown: another
    # article), then the quote that holds the rule between “ ” (shown)
    hits = [_hit(index[FIRST], 10.0), _hit(index[RULE], 9.6), _hit(index[SECOND], 9.0)]
    answer = Composer(kb, messages, shipped_settings()).compose("fr", hits)
    return answer, messages


def test_the_answer_shows_the_quote_that_repeats_an_earlier_quote(tmp_path):
    answer, _messages = _answer(tmp_path)
    assert [p.text for p in answer.passages] == [FIRST, RULE, SECOND]
    assert [p.text for p in answer.parts if p.kind == "quote"] == [FIRST, SECOND]
    assert f"“{FIRST}”\n“{SECOND}”\n" in answer.text


def test_repl_sets_every_shown_quote_in_the_reply_languages_marks(tmp_path):
    answer, messages = _answer(tmp_path)
    blocks = answer_blocks(answer, messages)
    assert [text for text, style in blocks if style == "quote"] == [f"«\u00a0{FIRST}\u00a0»", f"«\u00a0{SECOND}\u00a0»"]
    assert [style for _text, style in blocks] == [None, "quote", "quote", "source"]


def test_telegram_blockquotes_every_shown_quote_whole(tmp_path):
    answer, _messages = _answer(tmp_path)
    html = format_answer(answer)
    assert html.count("<blockquote>") == 2
    assert "<blockquote>Le gérant répète “Gardez toujours chaque ticket de caisse” à chaque" in html
    assert "<b>Le magasin</b>" in html
    assert parse_telegram_html(html).startswith("Voici ce que disent les articles")
