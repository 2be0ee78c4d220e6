"""Per-language analyzers: the same analysis for articles and questions."""

from __future__ import annotations

from bot.knowledge.analysis import get_analyzer


def test_french_elisions_accents_and_stems():
    fr = get_analyzer("fr")
    terms = fr.analyze("L'honnêteté qu'ils attendent d'une entreprise")
    assert "l" not in terms and "qu" not in terms and "d" not in terms
    assert fr.analyze("actualité") == fr.analyze("actualite")  # chat questions drop accents
    assert fr.analyze("étoiles") == fr.analyze("étoile")


def test_numbers_amounts_and_names_match_across_languages():
    for a, b in [("fr", "en"), ("fr", "sw"), ("th", "en")]:
        left = set(get_analyzer(a).analyze("Bitwise 400 $ TCO 12,50"))
        right = set(get_analyzer(b).analyze("Bitwise $400 TCO 12.50"))
        assert {"400", "12.50"} <= left & right
    assert get_analyzer("en").analyze("TCO") == get_analyzer("th").analyze("TCO")


def test_thai_is_segmented_with_a_dictionary():
    th = get_analyzer("th")
    terms = th.analyze("ความไว้วางใจมาจากประสบการณ์")
    assert len(terms) >= 2
    assert all("\u0e00" <= ch <= "\u0e7f" for t in terms for ch in t)


def test_swahili_stop_words_removed_content_kept():
    sw = get_analyzer("sw")
    terms = sw.analyze("Mteja mwenye furaha ni mteja wa aina gani?")
    assert "ni" not in terms and "wa" not in terms and "gani" not in terms
    assert "furaha" in terms


def test_unknown_language_gets_a_generic_analyzer():
    generic = get_analyzer("de")
    assert generic.analyze("Größe Straße") == ["grosse", "strasse"] or generic.analyze("Größe")


def test_french_d_apres_is_a_framing_not_a_time():
    fr = get_analyzer("fr")
    assert fr.analyze("D'après l'auteur, qu'est-ce qu'un client content ?") == ["auteur", "client", "content"]
    assert fr.analyze("D’après Ron Brumbarger") == ["ron", "brumbarg"]  # curly apostrophe too
    assert "apre" in fr.analyze("Que se passe-t-il après le creux ?")


def _question_terms(lang: str, question: str) -> list[str]:
    """The index terms a question in `lang` is searched with (its framing words left out)."""
    return [term for _, term in get_analyzer(lang).question_pairs(question)]


def test_a_question_s_words_for_the_text_itself_are_left_out():
    """"Selon l'article", "in the blog post", "kwa mujibu wa makala", "ตามบทความ" name
    no thing of the text; "un article étiqueté" (an item) still counts."""
    assert _question_terms("fr", "Selon l'article thaï, d'où vient la confiance ?") == ["thai", "vient", "confianc"]
    assert "articl" not in _question_terms("fr", "Que dit cet article sur le creux ?")
    assert "blog" not in _question_terms("fr", "Qui a écrit le billet du blog ?")
    assert "articl" in _question_terms("fr", "Pourquoi reprendre un article étiqueté ?")
    assert _question_terms("en", "According to the blog post on brands, what changed?") == ["accord", "brand", "chang"]
    assert "articl" in _question_terms("en", "Is an article of clothing refunded?")
    assert "makala" not in _question_terms("sw", "Kwa mujibu wa makala, wateja wanataka nini?")
    assert "บทความ" not in _question_terms("th", "ตามบทความ ความไว้วางใจมาจากอะไร")
    # articles are indexed as written: only questions leave these words out
    assert "articl" in get_analyzer("fr").analyze("Selon l'article")


def test_the_do_of_what_do_is_left_out_as_in_english():
    """English drops "do" as a stop word; "que fait l'auteur", "hufanya nini",
    "ทำอะไร" ask the same, and their "do" matched "en fait" (in fact), "kufanya
    kazi" (to work) and every "ทำงาน" instead of what the author does."""
    assert _question_terms("en", "What does the author do when he sees 5 stars?") == ["author", "see", "5", "star"]
    assert _question_terms("fr", "Que fait l'auteur quand il voit 5 étoiles ?") == ["auteur", "voit", "5", "etoil"]
    assert _question_terms("fr", "Que font la plupart des entreprises ?") == ["plupart", "entrepris"]
    assert _question_terms("fr", "Qu'ont fait les élus ?") == ["elus"]
    assert "fait" in _question_terms("fr", "Il fait beau : que dit la météo ?")  # not after "que"
    assert "fair" in _question_terms("fr", "Faut-il faire la queue ?")
    assert _question_terms("sw", "Mwandishi hufanya nini anapoona nyota 5?") == ["mwandishi", "anapoona", "nyota", "5"]
    assert _question_terms("sw", "Tufanye nini?") == []
    assert "anafanya" in _question_terms("sw", "Anafanya kazi gani?")  # what work: the work is asked
    assert _question_terms("th", "ลูกค้าจะติดใจองค์กรที่ทำอะไร") == ["ลูกค้า", "ติดใจ", "องค์กร"]
    assert "ทำงาน" in _question_terms("th", "ทำงานที่ไหน")
    # articles are indexed as written
    assert "fait" in get_analyzer("fr").analyze("Que fait-il ?")


def test_thai_word_set_segments_exactly_like_pythainlps_trie():
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    from bot.knowledge.analysis.thai import WordSet

    from conftest import KNOWLEDGE

    text = (KNOWLEDGE / "004_9296fd62860316ae.md").read_text(encoding="utf-8")
    ours = word_tokenize(text, engine="newmm", custom_dict=WordSet(thai_words()), keep_whitespace=False)
    theirs = word_tokenize(text, engine="newmm", keep_whitespace=False)
    assert ours == theirs and len(ours) > 500
