"""Soak test through Telegram: N updates into the real bot process, with faults.

    .venv/bin/python bench/soak.py [--updates 10000] [--window 16] [--seed 1] [--json]

Drives `python -m bot telegram` (a child process, production flood control:
PTB's AIORateLimiter at 30 requests/s) through the fake Bot API server
(tests/fake_bot_api.py) on 127.0.0.1:

- updates: private questions (fr/sw/th/en, built from general templates
  around the articles' own sentences), commands, stickers, group messages
  addressed to the bot (/ask, mentions) and group chatter it must ignore,
  edited messages (ignored), inline queries; about 10% hostile (HTML, a
  5,000-character text, control characters, RTL, emoji/ZWJ, SQL-looking);
- faults injected while it runs: 429 with retry_after, 500/502, slow
  responses, dropped connections, on sendMessage, sendChatAction,
  answerInlineQuery and getUpdates;
- a closed loop keeps at most `--window` answers outstanding.

Checks: every update that deserves an answer got exactly one (private chats:
count per chat; groups: per replied message id; inline: per query id), none
twice, nothing answered that should not be, no slow-down message (users stay
under the per-user limit), the process is still alive, its RSS (VmRSS) at
the start and the end.  Prints updates/s and reply latency (push -> reply
delivered) p50/p99/max.  `run()` is also used by tests/test_soak.py.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
for extra in (str(ROOT / "tests"), str(ROOT)):
    if extra not in sys.path:
        sys.path.insert(0, extra)

import yaml  # noqa: E402

from bot_process import BotProcess  # noqa: E402
from fake_bot_api import FakeBotAPI  # noqa: E402

TOKEN = "246813579:AAE-soakSecretToken_0123456789abcdefXYZ"

TEMPLATES = {
    "en": ["What does the article say about {x}?", "Why {x}?", "Is it true that {x}?", "Tell me about {x}.",
           "How do reviews affect sales?", "Why should a brand be honest with customers?",
           "What is the gap between promise and delivery?", "Do perfect ratings help?"],
    "fr": ["Que dit l'article sur {x} ?", "Pourquoi {x} ?", "Est-il vrai que {x} ?", "Parlez-moi de {x}.",
           "{x}"],
    "sw": ["Makala inasema nini kuhusu {x}?", "Kwa nini {x}?", "Je, ni kweli kwamba {x}?",
           "Niambie kuhusu {x}.", "{x}"],
    "th": ["บทความพูดถึง{x}ว่าอย่างไร", "ทำไม{x}", "จริงหรือไม่ที่{x}", "เล่าเรื่อง{x}ให้ฟังหน่อย", "{x}"],
}
HOSTILE = [
    "<b>bold</b> <i>unclosed <script>alert(1)</script> & &amp; &lt; </i></b>",
    "<a href=\"javascript:alert(1)\">clic</a> pourquoi 5 étoiles ?",
    "'; DROP TABLE chat_settings; -- pourquoi les avis ?",
    "\u202eRTL override \u202b\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 why reviews?",
    "\x00\x01\x07\x1b[31m control \x7f chars \u0085 ukadiriaji?",
    "👨‍👩‍👧‍👦🏳️‍🌈 🇫🇷 emoji ZWJ \u200d\u200c\u200b sequences ⭐⭐⭐⭐⭐?",
    "**markdown** _it_ `code` [link](http://x) # heading nyota 5",
    "ความไว้วางใจ" * 40,
    "\ufeff\u200b\u2060",
    "%s %d {0} {question} ${HOME} $(id) `id`",
]
CHATTER = ["Bonjour à tous", "on déjeune où ?", "habari za asubuhi", "สวัสดีครับ", "lol", "see you tomorrow",
           "Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ?"]
COMMANDS = ["/start", "/help", "/sources", "/lang fr", "/lang auto", "/lang th", "/lang", "/frobnicate",
            "/stats", "/ask"]
LANGS = ["fr", "sw", "th", "en"]


def article_fragments() -> dict[str, list[str]]:
    """Sentences (and their beginnings) from the articles, by language."""
    out: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / "knowledge").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n(.*)", raw, re.S)
        if not match:
            continue
        meta = yaml.safe_load(match.group(1)) or {}
        lang = meta.get("lang", "en")
        for sentence in re.split(r"(?<=[.!?…])\s+|\n+", match.group(2)):
            sentence = sentence.strip()
            if 15 <= len(sentence) <= 300:
                words = sentence.split()
                out[lang].append(sentence)
                if len(words) > 6:
                    out[lang].append(" ".join(words[:6]))
                elif lang == "th":
                    out[lang].append(sentence[:25])
    return out


@dataclass
class Plan:
    """What was pushed and what each pushed update deserves."""

    private_expected: Counter = field(default_factory=Counter)  # chat_id -> answers expected
    private_pushed: dict = field(default_factory=lambda: defaultdict(list))  # chat_id -> [push times]
    group_expected: dict = field(default_factory=dict)  # (chat, message_id) -> push time
    group_ignored: set = field(default_factory=set)  # (chat, message_id)
    inline_expected: dict = field(default_factory=dict)  # query id -> push time
    kinds: Counter = field(default_factory=Counter)
    hostile: int = 0


class Generator:
    def __init__(self, api: FakeBotAPI, seed: int, updates: int) -> None:
        self.api = api
        self.rng = random.Random(seed)
        self.fragments = article_fragments()
        self.fragments["en"] = [w for v in self.fragments.values() for w in v if len(w) < 60][:50] or ["reviews"]
        # Enough users that nobody exceeds the per-user limit at soak speed.
        self.private_users = [10_000_000 + i for i in range(max(60, min(600, updates // 8)))]
        self.group_users = [20_000_000 + i for i in range(max(40, min(400, updates // 12)))]
        self.groups = [-(1_000_000_000_000 + i) for i in range(max(8, min(40, updates // 100)))]
        self.inline_users = [30_000_000 + i for i in range(200)]
        self.plan = Plan()

    def question(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.10:
            self.plan.hostile += 1
            if rng.random() < 0.08:
                return ("Pourquoi une note de 5 étoiles peut-elle nuire aux ventes ? " * 90)[:5000], "fr"
            return rng.choice(HOSTILE), rng.choice(LANGS)
        lang = rng.choice(LANGS)
        template = rng.choice(TEMPLATES[lang])
        x = rng.choice(self.fragments.get(lang) or self.fragments["en"])
        return template.format(x=x.rstrip(".?!")), lang

    def push_one(self) -> bool:
        """Push one update; True if it deserves an answer."""
        rng, api, plan = self.rng, self.api, self.plan
        roll = rng.random()
        now = time.time()
        if roll < 0.45:  # private question
            text, lang = self.question()
            user = rng.choice(self.private_users)
            api.private_message(text, user_id=user, language_code=rng.choice([lang, lang, None, "pt-br"]))
            plan.kinds["private_question"] += 1
        elif roll < 0.53:  # private command
            user = rng.choice(self.private_users)
            api.private_message(rng.choice(COMMANDS), user_id=user, language_code=rng.choice(LANGS))
            plan.kinds["private_command"] += 1
        elif roll < 0.55:  # sticker: a polite "text only"
            user = rng.choice(self.private_users)
            chat = {"id": user, "type": "private", "first_name": "Ana"}
            api.push_update({"message": {"message_id": 1, "from": api.user(user, language_code="sw"), "chat": chat,
                                         "date": int(now), "sticker": {
                                             "file_id": "f", "file_unique_id": "u", "type": "regular",
                                             "width": 512, "height": 512, "is_animated": False,
                                             "is_video": False}}})
            plan.kinds["sticker"] += 1
        elif roll < 0.70:  # group, addressed
            text, lang = self.question()
            chat, user = rng.choice(self.groups), rng.choice(self.group_users)
            form = rng.random()
            body = f"/ask {text}" if form < 0.4 else (f"/ask@{api.username} {text}" if form < 0.6
                                                     else f"@{api.username} {text}")
            upd = api.group_message(body, user_id=user, chat_id=chat, language_code=lang)
            plan.group_expected[(chat, upd["message"]["message_id"])] = now
            plan.kinds["group_addressed"] += 1
            return True
        elif roll < 0.80:  # group chatter: no answer
            chat, user = rng.choice(self.groups), rng.choice(self.group_users)
            text = rng.choice(CHATTER + HOSTILE[:3])
            upd = api.group_message(text, user_id=user, chat_id=chat)
            plan.group_ignored.add((chat, upd["message"]["message_id"]))
            plan.kinds["group_chatter"] += 1
            return False
        elif roll < 0.84:  # an edit of an old message: not a new question
            user = rng.choice(self.private_users)
            chat = {"id": user, "type": "private", "first_name": "Ana"}
            msg = api.message(chat, api.user(user), "edited: " + self.question()[0])
            msg["edit_date"] = int(now)
            api.push_update({"edited_message": msg})
            plan.kinds["edited"] += 1
            return False
        else:  # inline
            text, lang = self.question() if rng.random() < 0.95 else ("", "en")
            upd = api.inline_query(text[:256], user_id=rng.choice(self.inline_users), language_code=lang)
            plan.inline_expected[upd["inline_query"]["id"]] = now
            plan.kinds["inline"] += 1
            return True
        plan.private_expected[user] += 1
        plan.private_pushed[user].append(now)
        return True


FAULTS = [  # (method, kind, per-1000-updates rate, args)
    ("sendMessage", "429", 1.5, {"retry_after": 1}),
    ("sendMessage", "500", 5, {}),
    ("sendMessage", "502", 2, {}),
    ("sendMessage", "slow", 5, {}),
    ("sendMessage", "drop_after", 4, {}),
    ("sendChatAction", "500", 3, {}),
    ("sendChatAction", "drop", 2, {}),
    ("answerInlineQuery", "500", 2, {}),
    ("answerInlineQuery", "drop", 2, {}),
    ("answerInlineQuery", "slow", 2, {}),
    ("getUpdates", "502", 1, {}),
    ("getUpdates", "drop", 1, {}),
    ("getUpdates", "slow", 1, {}),
]


def inject(api: FakeBotAPI, rng: random.Random, injected: Counter, force: int | None = None) -> None:
    """Random faults at their rates; `force` (an index into FAULTS) injects that one for sure."""
    for i, (method, kind, rate, args) in enumerate(FAULTS):
        if i == force or rng.random() < rate / 1000:
            if kind == "slow":
                api.delay(method, round(rng.uniform(0.2, 1.5), 2))
            elif kind == "drop":
                api.disconnect(method)
            elif kind == "drop_after":  # sent, then the connection lost: must not be sent twice
                api.drop_after(method)
            else:
                api.fail(method, int(kind), **args)
            injected[f"{method} {kind}"] += 1


def rss_kb(pid: int | None) -> int:
    if not pid:
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(updates: int = 10_000, window: int = 16, seed: int = 1, workdir: Path | None = None,
        progress=None, settle: float = 3.0, give_up: float = 120.0) -> dict:
    """Run the soak; a dict of figures and `problems` (empty when all checks pass)."""
    tmp = None
    if workdir is None:
        tmp = tempfile.TemporaryDirectory()
        workdir = Path(tmp.name)
    rng = random.Random(seed + 1)
    injected: Counter = Counter()
    problems: list[str] = []
    with FakeBotAPI(TOKEN) as api:
        bot = BotProcess(api, workdir / "state.sqlite3", workdir / "logs")
        bot.start()
        pid = bot.pid
        rss_start = rss_kb(pid)
        gen = Generator(api, seed, updates)
        plan = gen.plan
        seen = 0
        private_got: Counter = Counter()
        group_got: Counter = Counter()
        inline_got: Counter = Counter()
        stray: list[str] = []
        latencies: list[float] = []
        slow_down_texts = set()
        try:
            from bot.core.messages import Messages

            msgs = Messages.load(ROOT / "config")
            slow_down_texts = {msgs.get(lang, "tg_slow_down") for lang in msgs.languages}
        except Exception:  # the check below then just cannot tell slow-down texts apart
            pass
        from fake_bot_api import parse_telegram_html

        def collect() -> int:
            nonlocal seen
            calls = api.calls_to(since=seen)
            seen += len(calls)
            got = 0
            for c in calls:
                if not c.ok:
                    continue
                m = c.method.lower()
                if m == "sendmessage":
                    chat = c.params.get("chat_id")
                    if parse_telegram_html(c.params["text"]) in slow_down_texts:
                        stray.append(f"slow-down message to chat {chat}")
                    reply_to = (c.params.get("reply_parameters") or {}).get("message_id")
                    if isinstance(chat, int) and chat > 0:
                        k = private_got[chat]
                        private_got[chat] += 1
                        pushed = plan.private_pushed.get(chat, [])
                        if k < len(pushed):
                            latencies.append(c.time - pushed[k])
                        got += 1
                    elif (chat, reply_to) in plan.group_expected:
                        group_got[(chat, reply_to)] += 1
                        if group_got[(chat, reply_to)] == 1:
                            latencies.append(c.time - plan.group_expected[(chat, reply_to)])
                        got += 1
                    else:
                        stray.append(f"unexpected sendMessage to {chat} replying to {reply_to}")
                elif m == "answerinlinequery":
                    qid = c.params.get("inline_query_id")
                    inline_got[qid] += 1
                    if inline_got[qid] == 1 and qid in plan.inline_expected:
                        latencies.append(c.time - plan.inline_expected[qid])
                    got += 1
            return got

        expected = received = pushed = 0
        started = time.monotonic()
        rss_warm = None
        while pushed < updates:
            received += collect()
            if expected - received < window:
                if gen.push_one():
                    expected += 1
                pushed += 1
                # Every kind of fault at least once, spread over the run, plus the random ones.
                spacing = max(1, updates // (len(FAULTS) + 1))
                force = pushed // spacing - 1 if pushed % spacing == 0 else None
                inject(api, rng, injected, force if force is not None and 0 <= force < len(FAULTS) else None)
                if rss_warm is None and pushed >= max(50, updates // 20):
                    rss_warm = rss_kb(pid)
                if progress and pushed % 1000 == 0:
                    progress(f"{pushed} updates pushed, {received}/{expected} answers, "
                             f"RSS {rss_kb(pid) // 1024} MB, {time.monotonic() - started:.0f}s")
                if not bot.alive():
                    problems.append(f"bot process died after {pushed} updates")
                    break
            else:
                time.sleep(0.002)
        last_progress = time.monotonic()
        while received < expected and time.monotonic() - last_progress < give_up and bot.alive():
            got = collect()
            received += got
            if got:
                last_progress = time.monotonic()
            time.sleep(0.01)
        elapsed = time.monotonic() - started
        time.sleep(settle)  # late duplicates would show up here
        received += collect()
        alive = bot.alive()
        rss_end = rss_kb(bot.pid)
        faults_left = api.pending_faults()
        out, err = bot.stop()
        all_output = out + err + "".join(p.read_text(encoding="utf-8", errors="replace")
                                         for p in (workdir / "logs").glob("*.txt"))

    # -- checks ---------------------------------------------------------------------
    if not alive:
        problems.append("the bot process is not alive at the end")
    lost = dup = 0
    duplicated: list[str] = []  # which ones, so that a failing run says where to look
    for chat, n in plan.private_expected.items():
        got = private_got.get(chat, 0)
        lost += max(0, n - got)
        if got > n:
            dup += got - n
            duplicated.append(f"private chat {chat}: {got} answers to {n} messages")
    for chat in set(private_got) - set(plan.private_expected):
        dup += private_got[chat]
        duplicated.append(f"private chat {chat}: {private_got[chat]} answers to no message")
    for key in plan.group_expected:
        got = group_got.get(key, 0)
        lost += got == 0
        if got > 1:
            dup += got - 1
            duplicated.append(f"group {key[0]} message {key[1]}: {got} answers")
    for qid in plan.inline_expected:
        got = inline_got.get(qid, 0)
        lost += got == 0
        if got > 1:
            dup += got - 1
            duplicated.append(f"inline query {qid}: {got} answers")
    answered_chatter = sum(1 for key in plan.group_ignored if group_got.get(key))
    if lost:
        problems.append(f"{lost} updates got no answer")
    if dup:
        problems.append(f"{dup} duplicate answers ({'; '.join(duplicated[:5])})")
    if answered_chatter:
        problems.append(f"{answered_chatter} group chatter messages answered")
    problems += stray[:10]
    secret = TOKEN.split(":", 1)[1]
    for needle in (TOKEN, secret, quote(TOKEN, safe=""), secret[:12]):
        if needle in all_output:
            problems.append("the token appears in the bot's output")
            break
    tracebacks = all_output.count("Traceback (most recent call last)")
    triggered = sum(injected.values()) - faults_left
    if tmp is not None:
        tmp.cleanup()
    return {
        "updates": updates, "deserving_answer": expected, "answers": received, "lost": lost,
        "duplicates": dup, "kinds": dict(plan.kinds), "hostile": plan.hostile,
        "faults_injected": dict(injected), "faults_triggered": triggered,
        "seconds": round(elapsed, 1), "updates_per_s": round(updates / elapsed, 1),
        "latency_p50_s": round(percentile(latencies, 0.50), 3),
        "latency_p99_s": round(percentile(latencies, 0.99), 3),
        "latency_max_s": round(max(latencies, default=0.0), 3),
        "rss_start_mb": round(rss_start / 1024, 1),
        "rss_after_warmup_mb": round((rss_warm or 0) / 1024, 1),
        "rss_end_mb": round(rss_end / 1024, 1), "alive": alive, "tracebacks_in_log": tracebacks,
        "window": window, "problems": problems,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=16, help="answers outstanding at most (closed loop)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    result = run(args.updates, args.window, args.seed,
                 progress=None if args.json else (lambda line: print(line, flush=True)))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"updates: {result['updates']} ({result['hostile']} hostile) {result['kinds']}")
        print(f"faults injected: {sum(result['faults_injected'].values())} "
              f"(triggered {result['faults_triggered']}) {result['faults_injected']}")
        print(f"answers: {result['answers']} of {result['deserving_answer']} deserved; "
              f"lost {result['lost']}, duplicated {result['duplicates']}; process alive: {result['alive']}")
        print(f"throughput: {result['updates_per_s']} updates/s ({result['seconds']}s, window {result['window']})")
        print(f"reply latency: p50 {result['latency_p50_s']}s, p99 {result['latency_p99_s']}s, "
              f"max {result['latency_max_s']}s")
        print(f"RSS: start {result['rss_start_mb']} MB, after warm-up {result['rss_after_warmup_mb']} MB, "
              f"end {result['rss_end_mb']} MB; tracebacks in log: {result['tracebacks_in_log']}")
        print("problems: " + ("; ".join(result["problems"]) or "none"))
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
