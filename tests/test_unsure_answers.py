"""Answers on weak evidence say so: between the decline threshold and
`decline.model_sure` the first quote was right for a quarter to a half of the
questions (config/settings.yaml), so the reply is framed as unsure."""

from __future__ import annotations

import io
import math

from bot.answering.composer import Composer
from bot.answering.decision import answer_probability, judge_evidence
from bot.answering.retrieval import Hit, QueryAnalysis, Ranking


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
