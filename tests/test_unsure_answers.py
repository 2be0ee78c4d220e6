"""Answers on weak evidence say so: between the decline threshold and
`decline.model_sure` the first quote was right for a quarter to a half of the
questions (config/settings.yaml), so the reply is framed as unsure."""

from __future__ import annotations

import io
import math

from bot.answering.composer import Composer
from bot.answering.decision import answer_probability, judge_evidence
from bot.answering.query import QueryAnalysis
from bot.answering.retrieval import Hit, Ranking


def _hit(service, probability: float) -> Hit:
    """A hit on a body sentence of the shipped knowledge whose evidence gives
    `probability` by the settings' own model (same language as the question):
    its ordinary share, and the share of the question's words it holds for what
    a share of 1 does not reach."""
    d = service.settings.decline
    z = math.log(probability / (1 - probability)) - d.model_bias
    share = min(1.0, z / d.model_ordinary)
    coverage = (z - d.model_ordinary * share) / d.model_coverage
    assert 0.0 <= share <= 1.0 and 0.0 <= coverage <= 1.0
    kb = service.kb
    i = next(k for k, s in enumerate(kb.sentences)
             if s.text.startswith("Les consommateurs n'attendent plus la perfection"))
    return Hit(sentence=i, score=1.0, sentence_score=1.0, chunk_score=0.0, coverage=coverage, query_lang="fr",
               cosine=0.85, bm25=1.0, sentence_coverage=coverage, ordinary_share=share)


def test_the_verdict_is_unsure_between_threshold_and_sure(service):
    d = service.settings.decline
    assert d.model_threshold < d.model_sure
    middle = (d.model_threshold + d.model_sure) / 2
    strong = (d.model_sure + 1) / 2
    weak_hit, strong_hit = _hit(service, middle), _hit(service, strong)
    assert abs(answer_probability(weak_hit, d, "fr") - middle) < 1e-6
    weak = judge_evidence([weak_hit], d, embedded=True, user_lang="fr")
    sure = judge_evidence([strong_hit], d, embedded=True, user_lang="fr")
    assert weak.answer and not weak.sure
    assert sure.answer and sure.sure


def test_an_unsure_answer_says_so_and_quotes_the_same(service):
    d = service.settings.decline
    composer = service.composer
    question = "Qu'attendent les consommateurs ?"
    weak = composer.compose("fr", [_hit(service, (d.model_threshold + d.model_sure) / 2)], question)
    strong = composer.compose("fr", [_hit(service, (d.model_sure + 1) / 2)], question)
    assert weak.answered and strong.answered
    assert not weak.sure and strong.sure
    assert weak.text.startswith(service.messages.get("fr", "intro_unsure"))
    assert strong.text.startswith(service.messages.get("fr", "intro"))
    assert [p.text for p in weak.passages] == [p.text for p in strong.passages]
    assert weak.to_json().keys() == strong.to_json().keys()  # the --json contract is unchanged


def test_why_explains_an_unsure_answer(service, monkeypatch):
    from bot.repl import Repl

    d = service.settings.decline
    hit = _hit(service, (d.model_threshold + d.model_sure) / 2)
    monkeypatch.setattr(service.retriever, "rank", lambda *a, **k: Ranking(QueryAnalysis("fr"), [hit]))
    out = io.StringIO()
    repl = Repl(service, lang="fr", out=out)
    repl.handle("Qu'attendent les consommateurs ?")
    assert service.messages.get("fr", "intro_unsure") in out.getvalue()
    repl.handle("/why")
    assert service.messages.get("fr", "why_unsure") in out.getvalue()


def test_a_composer_without_vectors_is_never_unsure(service):
    """The lexical fallback has no calibrated probability: its answers are not hedged."""
    lexical = Composer(service.kb, service.messages, service.settings)
    answer = lexical.compose("fr", service.retriever.search("perfection consommateurs", "fr")[1],
                             "perfection consommateurs")
    assert answer.answered and answer.sure


def _weak_hit_holding_every_word(service, via: dict[str, str]) -> Hit:
    """A hit the model declines (P well under the threshold) whose sentence holds
    every word of the question, each met as `via` says ("" = as written)."""
    d = service.settings.decline
    weak = _hit(service, d.model_threshold / 2)
    return Hit(sentence=weak.sentence, score=1.0, sentence_score=1.0, chunk_score=0.0, coverage=1.0,
               query_lang="fr", matched={t: 1.0 for t in via}, via=via, cosine=weak.cosine, bm25=1.0,
               sentence_coverage=1.0, ordinary_share=0.0)


def test_a_name_alone_held_as_written_is_answered_whatever_the_model_says(service):
    """ "Brumbarger" alone: its sentence holds it, and the sentence is what was
    asked for, though a bare name's cosine comes close to no sentence."""
    d = service.settings.decline
    hit = _weak_hit_holding_every_word(service, {"brumbarg": ""})
    assert answer_probability(hit, d, "fr") < d.model_threshold
    assert judge_evidence([hit], d, embedded=True, user_lang="fr", words=1).answer
    assert judge_evidence([hit], d, embedded=True, user_lang="fr", words=d.keyword_words).answer
    # more words than a keyword search has, or the rule off: the model decides
    assert not judge_evidence([hit], d, embedded=True, user_lang="fr", words=d.keyword_words + 1).answer
    off = service.settings.override({"decline.keyword_words": 0}).decline
    assert not judge_evidence([hit], off, embedded=True, user_lang="fr", words=1).answer


def test_a_word_met_through_a_bridge_is_no_keyword_search(service):
    """ "tell" met "tellement" (a cognate) or "dire" (a translation): not the word asked."""
    d = service.settings.decline
    hit = _weak_hit_holding_every_word(service, {"dir": "tell en→fr"})
    assert not judge_evidence([hit], d, embedded=True, user_lang="fr", words=1).answer


def test_a_surname_alone_gets_its_sentence(service):
    answer = service.ask("Brumbarger")
    assert answer.answered
    assert "Brumbarger" in answer.passages[0].text


def test_a_sentence_in_another_script_gets_the_cross_script_weight(service):
    """e5 puts a Thai sentence lower again for a question in Latin letters (and
    the other way): the model adds `model_cross_script` to the cross-language
    weight there, not between two languages of one script."""
    from dataclasses import replace

    d = service.settings.decline
    hit = _hit(service, 0.5)  # a French sentence, z = 0 for a French question

    def logit(h: Hit, lang: str) -> float:
        p = answer_probability(h, d, lang)
        return math.log(p / (1 - p))

    assert abs(logit(hit, "fr")) < 1e-6
    assert abs(logit(hit, "en") - d.model_cross_language) < 1e-6  # Latin to Latin
    assert abs(logit(hit, "th") - d.model_cross_language - d.model_cross_script) < 1e-6  # Thai question
    thai = replace(hit, query_lang="th")
    assert abs(logit(thai, "sw") - d.model_cross_language - d.model_cross_script) < 1e-6
    assert abs(logit(thai, "th")) < 1e-6


def test_a_sentence_in_another_script_whose_article_holds_the_names_gets_more(service):
    """Across scripts, an article holding every name the question writes (the names
    bridge found "Lampang" in ลำปาง) adds `model_cross_script_named`; within a
    script it adds nothing (the cosine already shows it)."""
    d = service.settings.decline
    hit = _hit(service, 0.5)  # a French sentence

    def logit(lang: str, named: bool) -> float:
        p = answer_probability(hit, d, lang, named)
        return math.log(p / (1 - p))

    assert d.model_cross_script_named > 0
    assert abs(logit("th", True) - logit("th", False) - d.model_cross_script_named) < 1e-6
    assert abs(logit("en", True) - logit("en", False)) < 1e-6
    assert abs(logit("fr", True) - logit("fr", False)) < 1e-6
