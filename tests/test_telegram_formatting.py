"""HTML rendering and token redaction of the Telegram adapter, without a network."""

from __future__ import annotations

import io
import logging

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering.answer import Answer, Part, Passage
from bot.telegram.commands import REQUIRED_TEXTS
from bot.telegram.formatting import MAX_CHARS, Piece, format_answer, format_passage, format_text, pack, tg_len
from bot.telegram.redaction import MASK, install

from conftest import CONFIG
from fake_bot_api import parse_telegram_html

TRICKY = st.lists(st.sampled_from(list("ab <>&;\"'/\n“”é") + ["😀", "ก", "&amp;", "<b>", "</i>", "word "]),
                  max_size=120).map("".join)


def answer_with(passages: list[str], title: str = "T <&> title", lang: str = "fr") -> Answer:
    ps = [Passage(text=t, article="a1", title=title, lang=lang, score=10.0 - i) for i, t in enumerate(passages)]
    parts = [Part("Voici :\n\n")]
    for p in passages:
        parts += [Part(p, "quote"), Part("\n")]
    parts += [Part("— extrait de l’article « "), Part(title, "title"), Part(" »")]
    return Answer(lang=lang, answered=True, parts=parts, passages=ps)


def test_answer_is_escaped_with_quotes_and_bold_title():
    html = format_answer(answer_with(["5 < 6 & 7 > 2 <script>"]))
    assert "<blockquote>5 &lt; 6 &amp; 7 &gt; 2 &lt;script&gt;</blockquote>" in html
    assert "<b>T &lt;&amp;&gt; title</b>" in html
    assert parse_telegram_html(html).startswith("Voici :")


def test_a_passage_equal_to_the_title_does_not_quote_the_from_line():
    """English frames the title in the same “ ” as quotes: a passage that is not shown
    but equals the title must not turn the "from the article" line into a blockquote."""
    title = "Trust"
    ps = [Passage(text="Trust comes from honest experience.", article="a1", title=title, lang="en", score=9.0),
          Passage(text=title, article="a1", title=title, lang="en", score=5.0)]
    parts = [Part("Here is what the articles say:\n\n"), Part("Trust comes from honest experience.", "quote"),
             Part("\n— from the article “"), Part(title, "title"), Part("”")]
    html = format_answer(Answer(lang="en", answered=True, parts=parts, passages=ps))
    assert html.count("<blockquote>") == 1
    assert "<b>Trust</b>" in html


def test_heading_for_faq_posts_is_bold_and_escaped():
    html = format_answer(answer_with(["x"]), heading="Pourquoi <5> étoiles ?")
    assert html.startswith("<b>Pourquoi &lt;5&gt; étoiles ?</b>\n\n")


def test_decline_is_plain_escaped_text():
    answer = Answer(lang="en", answered=False, parts=[Part("Nothing <here> & there")], passages=[])
    assert format_answer(answer) == "Nothing &lt;here&gt; &amp; there"


def test_huge_answer_is_shortened_within_the_limit_and_stays_valid():
    long_quote = ("Une phrase très longue avec des <chevrons> & des esperluettes 😀. " * 200)
    html = format_answer(answer_with([long_quote, "courte"]), heading="Q" * 300)
    assert tg_len(html) <= MAX_CHARS
    shown = parse_telegram_html(html)
    assert "courte" in shown and "…" in shown and "T <&> title" in shown


@settings(max_examples=150, deadline=None)
@given(quotes=st.lists(TRICKY, min_size=1, max_size=3), title=TRICKY, heading=st.none() | TRICKY,
       limit=st.integers(min_value=40, max_value=MAX_CHARS))
def test_any_text_renders_to_valid_html_within_any_limit(quotes, title, heading, limit):
    quotes = [q for q in quotes if q] or ["q"]
    html = format_answer(answer_with(quotes, title=title or "t"), heading=heading, limit=limit)
    assert tg_len(html) <= limit
    parse_telegram_html(html)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(TRICKY, max_size=40), limit=st.integers(min_value=30, max_value=500))
def test_pack_splits_into_valid_messages(lines, limit):
    out = pack([[Piece("• "), Piece(line, "b")] for line in lines], limit=limit)
    for message in out:
        assert 0 < tg_len(message) <= limit
        parse_telegram_html(message)


def test_passage_for_inline_results(service):
    passage = Passage(text="A & B", article="x", title="Title <1>", lang="en", score=1.0)
    html = format_passage(passage, service.messages, "en")
    assert html == "<blockquote>A &amp; B</blockquote>— from the article “<b>Title &lt;1&gt;</b>”"
    assert format_text("x" * 5000).endswith("…") and tg_len(format_text("x" * 5000)) <= MAX_CHARS


@pytest.mark.parametrize("lang", ["en", "fr", "sw", "th"])
def test_every_language_file_has_every_telegram_text(lang):
    texts = yaml.safe_load((CONFIG / "messages" / f"{lang}.yaml").read_text(encoding="utf-8"))
    missing = [k for k in REQUIRED_TEXTS if k not in texts]
    assert missing == []
    if lang != "en":  # real translations, not copies of English
        english = yaml.safe_load((CONFIG / "messages" / "en.yaml").read_text(encoding="utf-8"))
        assert all(texts[k] != english[k] for k in REQUIRED_TEXTS)


def test_redaction_covers_messages_arguments_and_tracebacks():
    token = "555:very-secret-token-value"
    logger = logging.getLogger("test.redaction")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        install([token], logger)
        logger.warning("GET https://api.telegram.org/bot%s/getMe", token)
        logger.warning(f"secret half {token.split(':')[1]}")
        try:
            raise RuntimeError(f"boom {token}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "very-secret-token-value" not in text
    assert text.count(MASK) == 3  # URL, secret half, the exception message
