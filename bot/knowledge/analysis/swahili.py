"""Swahili: normalisation and stop words, no stemming.

Swahili has no Snowball stemmer.  Its inflection is mostly prefixal (noun
classes m-/wa-, subject and tense markers a-li-sema), so suffix stemmers do
not fit; a lemmatiser (simplemma) costs seconds and hundreds of MB on first
use.  Whole words match well for questions asked in Swahili about the
Swahili text; see the README for the measurements.
"""

from __future__ import annotations

import re

from bot.knowledge.analysis.base import Analyzer


class SwahiliAnalyzer(Analyzer):
    lang = "sw"
    stopword_file = "sw_stopwords.txt"
    # "kwa mujibu wa makala", "mwandishi wa blogu": "makala" is always the text
    # itself; and the "do" of "hufanya nini", "tufanye nini" (what … do)
    question_framing = re.compile(r"\b(?:makala|blogu)\b|\b\w*fany[ae](?=\s+nini\b)", re.IGNORECASE)
