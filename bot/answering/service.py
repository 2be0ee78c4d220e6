"""The one object adapters talk to: load the knowledge, answer questions.

`QAService.open()` reads the config, then loads the persisted index when it is
still fresh (knowledge files, settings and analysis code unchanged) or builds
and persists it.  Adapters (CLI, REPL, Telegram, FAQ) call `ask()` and render
the `Answer`; none of them touches retrieval directly.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from bot.answering import chat_speak
from bot.answering.answer import Answer
from bot.answering.answer_type_rules import asks_checked_type
from bot.answering.composer import Composer
from bot.answering.conversation import greeting_language, has_content, without_greeting
from bot.answering.decision import EMPTY_QUESTION, GREETING
from bot.answering.query import QueryAnalysis
from bot.answering.question_names import question_names
from bot.answering.retrieval import Hit, Retriever
from bot.core.config import Settings, default_config_dir, load_settings
from bot.core.errors import KnowledgeFolderError
from bot.core.messages import Messages
from bot.core.scripts import THAI, THAI_RUN
from bot.knowledge.analysis import get_analyzer
from bot.knowledge.analysis.thai import ThaiAnalyzer
from bot.knowledge.language import language_by_settings
from bot.knowledge.store import KnowledgeBase, open_built, open_knowledge

log = logging.getLogger(__name__)
DEFAULT_KNOWLEDGE_DIR = "knowledge"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# The "fancy" letters and digits of chat apps: mathematical bold, italic, script ...
# (𝐁𝐢𝐭𝐰𝐢𝐬𝐞), the letterlike symbols that fill those alphabets' gaps (ℎ in 𝑊ℎ𝑜,
# ℂ, ℛ) and full-width forms (Ｂｉｔｗｉｓｅ).
_STYLED = re.compile("[\U0001d400-\U0001d7ff\u2102-\u2134\uff01-\uff5e]+")


def well_formed(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD, and styled letters
    written plainly.

    Bytes that are not UTF-8 reach Python as lone surrogates (an argument
    `bot ask $'\\xff…'`, standard input under the C locale), and so can a JSON
    escape such as "\\ud83d"; the embedding engine cannot encode them, so such
    a question was declined with reason `error` and a traceback instead of
    being answered from its readable words.  "𝐖𝐡𝐨 𝐢𝐬 𝐑𝐨𝐧 𝐁𝐫𝐮𝐦𝐛𝐚𝐫𝐠𝐞𝐫?" shares no
    letter with any article; NFKC writes it plainly.  Only those ranges: NFKC of
    the whole question would split Thai ำ into two characters the index never holds.
    Thai marks typed in another order ("นำ้" for "น้ำ": the same on screen) are put
    in the standard one (pythainlp's normalize, as the Thai analyzer reads the
    articles), so the embedding and the question's focus read the word too."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    text = _STYLED.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if THAI.search(text):
        thai = get_analyzer("th")  # only a question holding Thai
        assert isinstance(thai, ThaiAnalyzer)
        text = THAI_RUN.sub(lambda m: thai.normalize(m.group()), text)
    return text


def default_knowledge_dir() -> Path:
    return Path(os.environ.get("BOT_KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR)


def knowledge_folder_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a knowledge folder ("does not exist", "is not a
    folder", "cannot be read (…)"), or None when it can."""
    if not path.exists():
        return "does not exist"
    if not path.is_dir():
        return "is not a folder"
    try:  # listing it is the real test (os.access says yes to root, and on some mounts)
        with os.scandir(path) as entries:
            next(entries, None)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


@dataclass
class Explanation:
    """What the REPL's /why shows: the analysed question and the scored hits."""

    lang: str
    query: QueryAnalysis
    hits: list[Hit]
    answer: Answer
    read_as: str = ""  # the question as searched, when it differs: chat spellings written out, a greeting left out
    judged: Hit | None = None  # the hit the decline model judged when not the first (Ranking.judged)
    focus: str = ""  # the question without its title words, embedded beside it (answering/focus.py)
    preferred: str = ""  # the article language the question names, whose articles came first (Ranking)


class QAService:
    """Question answering over one knowledge folder with one config folder."""

    def __init__(self, knowledge_dir: Path, config_dir: Path, settings: Settings, messages: Messages,
                 kb: KnowledgeBase, rebuilt: bool) -> None:
        self.knowledge_dir = knowledge_dir
        self.config_dir = config_dir
        self.settings = settings
        self.messages = messages
        self.kb = kb
        self.rebuilt = rebuilt
        self.retriever = Retriever(kb, settings)
        self.embedder, self.vectors, self.latent_embedder, self.latent = _semantic_layer(kb, knowledge_dir, settings)
        semantic = self.retriever.semantic
        semantic.vectors, semantic.latent = self.vectors, self.latent
        semantic.embedder = self.embedder  # embeds the bank of ordinary questions if its vectors do not ship
        self.composer = Composer(kb, messages, settings, self.vectors)
        arrays = self.retriever.arrays  # what is derived from the index once and kept
        # the retriever's stored mask (decided once per index version), not a second decision
        self.composer.quoter.quotable = lambda i: bool(self.retriever.arrays.quotable_mask()[i])
        if rebuilt:  # what the new knowledge teaches the bridges, learned and stored once, now
            self.retriever.bridges.warm(settings.languages, kb.languages)
            arrays.quotable_mask()  # decided per sentence once, stored beside the index
        if self.vectors is not None and (rebuilt or self.vectors.embedded):
            # derived from the vectors once per index version and stored, with the index
            # rather than on a first question: the language centroids, the ordinary baseline,
            # the sentences' hubness, and on a large folder the HNSW graph
            arrays.language_centroids(self.vectors)
            arrays.ordinary_baseline(self.vectors, self.embedder)
            if settings.semantic.hub_weight:
                arrays.hubness(self.vectors, self.embedder)
            if len(kb.sentences) > settings.semantic.exact_max_sentences:
                self.vectors.prepare()

    @classmethod
    def open(cls, knowledge_dir: Path | None = None, config_dir: Path | None = None,
             force_rebuild: bool = False, settings: Settings | None = None) -> "QAService":
        """The service over the folders; `settings` is config_dir's settings.yaml when
        the caller has read it already (the CLI checks --lang with it first)."""
        knowledge_dir = Path(knowledge_dir or default_knowledge_dir())
        config_dir = Path(config_dir or default_config_dir())
        if settings is None:
            settings = load_settings(config_dir)
        messages = Messages.load(config_dir)
        kb, rebuilt = load_or_build(knowledge_dir, settings, force_rebuild)
        return cls(knowledge_dir, config_dir, settings, messages, kb, rebuilt)

    def with_settings(self, settings: Settings) -> "QAService":
        """The same knowledge answered with other question-time settings (ablations,
        calibration); `index:` settings must not differ, the index is shared."""
        if settings.index != self.settings.index:
            raise ValueError("index settings differ: open a new service instead")
        return QAService(self.knowledge_dir, self.config_dir, settings, self.messages, self.kb, self.rebuilt)

    def reload(self) -> "QAService":
        """A fresh service over the same folders (config and knowledge re-read).

        A knowledge folder that has gone (unmounted, renamed, a checkout under way)
        raises KnowledgeFolderError: /reload swapped in an empty knowledge that
        declined every question, while the running one still answered."""
        problem = knowledge_folder_problem(self.knowledge_dir)
        if problem is not None:
            raise KnowledgeFolderError(self.knowledge_dir, problem)
        return QAService.open(self.knowledge_dir, self.config_dir)

    def detect(self, question: str, hint: str | None = None) -> str:
        return language_by_settings(question, self.settings, hint, self.retriever.vote.language_of_words,
                                    self.retriever.vote.original_language)

    def reply_language(self, question: str, lang: str | None = None, hint: str | None = None) -> str:
        return lang or self.detect(question, hint)

    def explain(self, question: str, lang: str | None = None, hint: str | None = None) -> Explanation:
        forced = lang
        question = well_formed(question)
        if not has_content(question):
            # a link alone says nothing of its reader's language ("https://example.com/…"
            # read as French): the client's language or the default asks for a question
            lang = self.reply_language("", lang, hint)
            return Explanation(lang, QueryAnalysis(lang), [], self.composer.decline(lang, EMPTY_QUESTION))
        lang = self.reply_language(question, lang, hint)
        # the question's own language, also when the reply's is forced (/lang fr): how it is spelt
        asked_in = self.detect(question, hint) if forced else lang
        if self.settings.scoring.read_chat_spelling:
            read_as = chat_speak.plain(question, asked_in)
            question, read_as = read_as, (read_as if read_as != question else "")
        else:
            read_as = ""
        greeted = greeting_language(question, self.messages, [forced or lang])
        if greeted is None:
            # "Bonjour ! Qui est Ron Brumbarger ? Merci": the question alone is searched
            asked = without_greeting(question, self.messages, [forced or lang])
            if asked != question:
                question = read_as = asked
                greeted = greeting_language(question, self.messages, [forced or lang])
        if greeted is not None:
            # a forced language or the client's (hint) wins over the greeting's own
            reply_lang = forced or (lang if hint else greeted.lang)
            reply = (self.composer.topics(reply_lang) if greeted.kind == "topics"
                     else self.composer.decline(reply_lang, GREETING, kind=greeted.kind))
            return Explanation(reply_lang, QueryAnalysis(reply_lang), [], reply, read_as)
        query_vector = query_terms = focus_vector = focus = None
        if self.vectors is not None and self.embedder is not None:
            # The question is embedded on another thread while BM25 and the
            # bridges run (the engine releases the GIL): ~30 ms hidden per
            # question on two cores; search() waits for it where it fuses.
            text = question[:min(self.settings.scoring.max_question_chars,
                                 self.settings.semantic.max_embedded_question_chars)]
            if self.settings.semantic.embed_as_spelt:
                text = self.retriever.respelt(text, asked_in)  # "mteja mwenye furha": as the articles spell it
            focus = self.retriever.focus_question(text, asked_in)
            if focus is None:
                query_vector = _embedding_pool().submit(self.embedder.embed_query, text).result
            else:
                # and the question without the words that name an article
                # (answering/focus.py), in the same call
                both = _embedding_pool().submit(self.embedder.embed_queries, [text, focus.text])
                query_vector, focus_vector = (lambda: both.result()[0]), (lambda: both.result()[1])
            if self.latent is not None and self.latent_embedder is not None:
                # the latent terms on the pool's other thread, at the same time
                terms = _embedding_pool().submit(self.latent_embedder.embed_query, text)
                query_terms = terms.result
        # the title words count for their articles' sentences alike (Retriever.rank)
        title_words = (self.settings.scoring.title_words_by_article
                       and not asks_checked_type(question, self.settings.decline))
        # ranked as the question's own language reads it; the composer moves each
        # quote to the reply language's version of its article (Quoter.in_language)
        found = self.retriever.rank(question, asked_in, query_vector=query_vector, query_terms=query_terms,
                                    focus_vector=focus_vector,
                                    focus_articles=focus.articles if focus is not None else frozenset(),
                                    title_words=title_words)
        judged = found.judged or (found.hits[0] if found.hits else None)
        words = len(found.query.words.get(judged.query_lang, [])) if judged is not None else 0
        names = {}
        proper = set()  # the names no dictionary knows as words ("Lampang", not "World")
        for name in question_names(question, found.query, self.retriever.bridges.is_word, self.settings.languages):
            held = self.retriever.articles_naming(found.query, name.position)
            if held or not name.is_word:  # words the folder never uses say nothing of an article
                names[name.surface] = held
            if not name.is_word:
                proper.add(name.surface)
        answer = self.composer.compose(lang, found.hits, question, found.judged, words, names, frozenset(proper),
                                       asked_in)
        return Explanation(lang, found.query, found.hits, answer, read_as, found.judged,
                           focus.text if focus is not None else "", found.preferred)

    def ask(self, question: str, lang: str | None = None, hint: str | None = None) -> Answer:
        """The reply to one question, in `lang` or the question's language."""
        return self.explain(question, lang, hint).answer


def built_retriever(knowledge_dir: Path | None, settings: Settings) -> Retriever | None:
    """A retriever over the knowledge's index when it is already built and fresh,
    None otherwise; never indexes, and loads no embedding model (unlike
    `QAService.open`): enough for the knowledge's vote on a language
    (`language_of_words`, as `QAService.detect` asks it), cheap enough for a listing."""
    kb = open_built(Path(knowledge_dir or default_knowledge_dir()), settings)
    return Retriever(kb, settings) if kb is not None else None


def load_or_build(knowledge_dir: Path, settings: Settings, force: bool = False) -> tuple[KnowledgeBase, bool]:
    """The persisted index if still fresh, else an updated one (only changed files re-analysed)."""
    return open_knowledge(knowledge_dir, settings, force)


def _semantic_layer(kb: KnowledgeBase, knowledge_dir: Path, settings: Settings):
    """(embedder, sentence vectors, latent-terms embedder, latent-term rows), each None
    where it is off or cannot load (logged once): the dense vectors and the latent terms are opened
    (embedded, for articles not in the cache) at the same time, on two engine
    instances, so the second pass costs little wall time on two cores."""
    from bot.knowledge.embedding import Stoppable, load_embedder

    s = settings.semantic
    embedder = load_embedder(s.embedder, s.threads)
    if embedder is None:
        return None, None, None, None
    from concurrent.futures import ThreadPoolExecutor

    from bot.knowledge.index_cache import cache_dir_for
    from bot.knowledge.vectors import open_vectors

    index_dir = cache_dir_for(knowledge_dir)
    latent_embedder = _latent_terms_of(embedder, settings)
    stop = threading.Event()  # set on Ctrl-C: the worker's pass ends at its next batch
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="latent-terms") as pool:
        latent_job = (pool.submit(open_vectors, kb, Stoppable(latent_embedder, stop), index_dir,
                                  s.max_embedded_sentences, s.ann_expansion, s.passage_context)
                      if latent_embedder is not None else None)
        try:
            vectors = open_vectors(kb, embedder, index_dir, s.max_embedded_sentences, s.ann_expansion,
                                   s.passage_context)
        except Exception as exc:  # a failing engine must not stop the bot: BM25 still answers
            log.warning("semantic retrieval off: embedding the knowledge failed (%s: %s)", type(exc).__name__, exc)
            if latent_job is not None:
                latent_job.cancel()
            return None, None, None, None
        except BaseException:  # Ctrl-C (a REPL /reload cancelled): leaving waits for the worker
            stop.set()
            raise
        latent = None
        if latent_job is not None:
            try:
                latent = _result_interruptibly(latent_job)
            except Exception as exc:  # the dense vectors still serve
                log.warning("latent terms off: computing them failed (%s: %s)", type(exc).__name__, exc)
            except BaseException:
                stop.set()
                raise
    return embedder, vectors, (latent_embedder if latent is not None else None), latent


def _result_interruptibly(job, poll: float = 0.25):
    """`job.result()`, waking every `poll` seconds: a lock wait in the main thread
    is not interrupted by a Ctrl-C that the kernel delivers to another thread (the
    engine's worker threads run C code), so a /reload cancelled once the dense pass
    is done would otherwise wait for the whole latent pass."""
    from concurrent.futures import TimeoutError as FutureTimeout

    while True:
        try:
            return job.result(timeout=poll)
        except FutureTimeout:
            continue


def _latent_terms_of(embedder, settings: Settings):
    """The embedder's latent terms (knowledge/embedding.LatentTerms), or None when
    `semantic.latent_terms_weight` is 0 or the model has none."""
    if not settings.semantic.latent_terms_weight or not hasattr(embedder, "latent_terms"):
        return None
    try:
        return embedder.latent_terms(settings.semantic.latent_terms_k)
    except Exception as exc:  # noqa: BLE001 - the dense vectors still serve
        log.warning("latent terms off: they cannot load (%s: %s)", type(exc).__name__, exc)
        return None


_POOL = None


def _forget_pool() -> None:
    """A forked child has no worker thread: it makes its own pool on first use."""
    global _POOL
    _POOL = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _embedding_pool():
    """Worker threads for question embeddings, shared by every service of the process."""
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        # two: a question's dense vector and its latent terms are embedded at the same time
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed-question")
    return _POOL
