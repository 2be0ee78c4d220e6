"""Sentences are exact spans; chunks respect the token budget; repeats dropped."""

from __future__ import annotations

from bot.knowledge.chunking import chunk_sentences, sentences_of, split_sentences
from bot.knowledge.tokens import count_tokens

from conftest import KNOWLEDGE, MIN_THAI, load_articles


def articles():
    return load_articles(KNOWLEDGE, lambda t: "fr").articles


def test_every_sentence_is_an_exact_slice_of_its_article():
    for article in articles():
        for s in sentences_of(article.id, article.lang, article.text, MIN_THAI):
            assert article.text[s.start:s.end] == s.text
            assert s.text == s.text.strip() and s.text


def test_french_sentences_split_at_terminal_punctuation_not_inside_ellipses():
    text = "Je la trouve encore d'actualité... pour les marques. Mais aujourd'hui... beaucoup d'offres. Et voilà !"
    parts = [text[s.start:s.end] for s in split_sentences(text, MIN_THAI)]
    assert parts == ["Je la trouve encore d'actualité... pour les marques.",
                     "Mais aujourd'hui... beaucoup d'offres.", "Et voilà !"]


def test_thai_is_split_at_spaces_into_readable_units():
    thai = next(a for a in articles() if a.lang == "th")
    sentences = sentences_of(thai.id, thai.lang, thai.text, MIN_THAI)
    assert len(sentences) > 30
    # short fragments are glued to a neighbour, so no quote is a lone word
    per_paragraph = {}
    for s in sentences:
        per_paragraph[s.paragraph] = per_paragraph.get(s.paragraph, 0) + 1
    short = [s for s in sentences if len(s.text) < 25 and per_paragraph[s.paragraph] > 1]
    assert short == []
    assert any("ความไว้วางใจมาจากประสบการณ์ที่ซื่อสัตย์" in s.text for s in sentences)


def test_repeated_paragraphs_are_marked_duplicate_once():
    blog = next(a for a in articles() if a.id.startswith("003"))
    sentences = sentences_of(blog.id, blog.lang, blog.text, MIN_THAI)
    dup = [s for s in sentences if s.duplicate]
    assert len(dup) >= 3  # the article pastes three paragraphs twice
    originals = {s.text for s in sentences if not s.duplicate}
    assert all(s.text in originals for s in dup)


def test_chunks_stay_under_budget_unless_a_single_sentence_is_longer():
    for article in articles():
        sentences = sentences_of(article.id, article.lang, article.text, MIN_THAI)
        for chunk in chunk_sentences(sentences, 120):
            members = [s for s in sentences[chunk.first:chunk.last + 1] if not s.duplicate]
            total = sum(count_tokens(s.text) for s in members)
            assert total == chunk.tokens
            assert total <= 120 or len(members) == 1


def test_a_thai_number_or_latin_word_stays_with_its_neighbours():
    """Thai sets numbers and foreign words apart with spaces; those spaces are
    not sentence ends, so a price is never cut from its unit."""
    from bot.knowledge.chunking import split_sentences
    text = ("ปัจจุบันสมาชิกจ่ายค่าแผงคืนละ 80 บาท ส่วนผู้ค้าที่ไม่ใช่สมาชิกจ่ายคืนละ 150 บาท "
            "ร้านขายผ่านแอปสามเจ้า ได้แก่ Grab Food, LINE MAN และ Robinhood "
            "ตลาดเปิดตั้งแต่เวลา 17.00 น. ถึง 23.00 น. ทุกวัน")
    parts = [text[s.start:s.end] for s in split_sentences(text, 25)]
    assert "ปัจจุบันสมาชิกจ่ายค่าแผงคืนละ 80 บาท" in parts
    assert "ส่วนผู้ค้าที่ไม่ใช่สมาชิกจ่ายคืนละ 150 บาท" in parts
    assert any("Grab Food, LINE MAN และ Robinhood" in p for p in parts)
    assert any("17.00 น. ถึง 23.00 น." in p for p in parts)  # a period ends an abbreviation in Thai


def test_a_thai_quote_never_starts_with_the_repetition_mark():
    """ "ใด ๆ", "ต่าง ๆ": the space before ๆ is inside the word it repeats, so the
    sentence after it does not start with the mark (probe 24's folder quoted
    "ๆ ทั้งค่าที่พักและค่าอาหาร…")."""
    from bot.knowledge.chunking import split_sentences
    text = ("ทางวัดไม่เก็บค่าใช้จ่ายใด ๆ ทั้งค่าที่พักและค่าอาหาร ผู้ปฏิบัติสามารถร่วมทำบุญได้ตามศรัทธา "
            "ร้านมีสินค้าต่าง ๆ ให้เลือกมากมายตลอดทั้งปี")
    parts = [text[s.start:s.end] for s in split_sentences(text, 25)]
    assert not any(p.startswith("ๆ") for p in parts)
    assert any("ใด ๆ" in p for p in parts) and any("ต่าง ๆ" in p for p in parts)


def test_no_cut_after_a_title_before_a_name():
    """ "Bi. Mwanaisha", "M. Dupont", "Dr. Smith", "J. K. Rowling": the period
    of a title or an initial ends no sentence; "me." still does."""
    from bot.knowledge.chunking import split_sentences

    def parts(text: str) -> list[str]:
        return [text[s.start:s.end] for s in split_sentences(text, 25)]

    assert parts("Mwenyekiti wa kamati, Bi. Mwanaisha Juma, alisema hivi. Kisha akaondoka.") == [
        "Mwenyekiti wa kamati, Bi. Mwanaisha Juma, alisema hivi.", "Kisha akaondoka."]
    assert parts("M. Dupont est venu. Dr. Smith aussi.") == ["M. Dupont est venu.", "Dr. Smith aussi."]
    assert parts("Ada ni Sh. 20,000 kwa mwaka. Asante.") == ["Ada ni Sh. 20,000 kwa mwaka.", "Asante."]
    assert parts("Give it to me. Then go.") == ["Give it to me.", "Then go."]


def test_a_paragraph_without_sentence_ends_is_not_one_huge_quote(tmp_path, monkeypatch):
    """A paragraph with no sentence punctuation (a transcript, notes) or a Thai one
    without spaces was one sentence however long: asking about it quoted all of it
    (32,000 characters in the reply).  Such a run is cut into sentences of at most
    MAX_SENTENCE_CHARS, at a space when there is one, never before a Thai mark."""
    import unicodedata

    from bot.answering.service import QAService
    from bot.knowledge.chunking import MAX_SENTENCE_CHARS

    from conftest import CONFIG

    latin = "the river market opens early and the farmers bring water melons, " * 500
    thai = "ตลาดน้ำดำเนินสะดวกเปิดทุกวันตั้งแต่เจ็ดโมงเช้า" * 700
    for text in (latin, thai):
        spans = split_sentences(text, MIN_THAI)
        assert len(spans) > 1
        assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in spans)
        assert "".join(text[s.start:s.end] for s in spans).replace(" ", "") == text.replace(" ", "")
        assert not any(unicodedata.category(text[s.start]).startswith("M") for s in spans)
    assert all(s.end == len(latin) or latin[s.end] == " " for s in split_sentences(latin, MIN_THAI))  # at spaces
    (tmp_path / "notes.md").write_text(f"---\ntitle: Notes\nlang: en\n---\n{latin}\n", encoding="utf-8")
    (tmp_path / "owls.md").write_text("---\ntitle: Owls\nlang: en\n---\nOwls hunt at night.\n", encoding="utf-8")
    monkeypatch.setenv("BOT_CACHE_DIR", str(tmp_path / "cache"))
    answer = QAService.open(tmp_path, CONFIG).ask("When does the river market open?")
    assert answer.passages
    assert all(len(p.text) <= 2 * MAX_SENTENCE_CHARS for p in answer.passages)
