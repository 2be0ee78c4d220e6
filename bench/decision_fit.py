"""Fit and check the decline model of bot/answering/decision.py, held out by folder.

    python bench/decision_dump.py /tmp/ddump.pkl     # features of each question's judged hit
    python bench/decision_fit.py /tmp/ddump.pkl [right | rates | declined>=N | added]
                       # candidates, leave-one-folder-out, best first by: hits + declines (default),
                       # the folders' mean hit@1 % + declined %, or hits + declines among those
                       # declining at least N off-topic questions; then the chosen one fitted on all;
                       # `added`: the shipped weights kept, `model_cross_script_named` alone
                       # chosen leave-one-folder-out

A question counts as "answer" when it is answerable and the bot's first quote
holds the expected text, "decline" when it is off-topic; answerable
questions whose first quote is wrong are left out of the fit (declining them
costs no hit), and so are questions a rule declines anyway (needs_number...).
Every candidate is a logistic regression over a few scale-free features,
judged leave-one-folder-out: for each knowledge folder (the shipped one with
dev, dev2 and the probes over it; corpus-b; each probe's own folder) fitted
on all the others and scored on it.  "right" counts hits at rank 1 plus
declined off-topic questions over every folder, as score.py counts them.
"""
from __future__ import annotations

import collections
import functools
import itertools
import pickle
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

# the shipped model's four, then the candidates bench/decision_dump.py records
FEATURES = ["ordinary", "scov", "cross", "cross_script", "xs_named", "cos", "cov", "smiss_max", "miss_max",
            "art_top3", "art_mean", "art_top3_gap", "other_gap", "folder_top10", "f_ord", "f_art", "f_drop"]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@functools.cache
def shipped():
    """The decline settings of config/settings.yaml."""
    from bot.core.config import default_config_dir, load_settings
    return load_settings(default_config_dir()).decline


def forced(r) -> str:
    """'declined' when a rule declines whatever the model says, else ''."""
    if r["ruled"] or not r["hits"]:
        return "declined"
    if r["bm25"] <= 0 and r["cos"] < shipped().no_match_cosine:  # the no_match rule
        return "declined"
    return ""


def data(rows, names):
    X, y = [], []
    for r in rows:
        if forced(r) or (r["ans"] and not r["ok"]):
            continue
        X.append([r[n] for n in names])
        y.append(1.0 if r["ans"] else 0.0)
    return np.array(X, dtype=float), np.array(y)


def fit(X, y, l2=0.3, balance=False):
    """Logistic regression on standardised features (light L2), back in raw units."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    sw = np.where(y > 0, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9)) if balance else np.ones(len(y))

    def f(w):
        p = 1 / (1 + np.exp(-(Z @ w)))
        loss = -(sw * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).sum() + l2 * (w[:-1] ** 2).sum()
        return loss, Z.T @ (sw * (p - y)) + np.r_[2 * l2 * w[:-1], 0]

    w = minimize(f, np.zeros(Z.shape[1]), jac=True).x
    return w[:-1] / sd, w[-1] - (w[:-1] * mu / sd).sum()


def outcome(rows, names, w, b, thr) -> collections.Counter:
    c: collections.Counter = collections.Counter()
    for r in rows:
        how = forced(r)
        if how:
            acc = False
        else:
            z = sum(wi * r[n] for wi, n in zip(w, names)) + b
            acc = 1 / (1 + np.exp(-z)) >= thr
        if r["ans"]:
            c["n"] += 1
            c["h1"] += bool(acc and r["ok"])
        else:
            c["u"] += 1
            c["dec"] += not acc
    return c


def lofo(rows, names, thr, balance=False) -> tuple[collections.Counter, dict[str, collections.Counter]]:
    total: collections.Counter = collections.Counter()
    per = {}
    for folder in sorted({r["folder"] for r in rows}):
        train = [r for r in rows if r["folder"] != folder]
        test = [r for r in rows if r["folder"] == folder]
        w, b = fit(*data(train, names), balance=balance)
        per[folder] = outcome(test, names, w, b, thr)
        total += per[folder]
    return total, per


def rates(per: dict[str, collections.Counter]) -> float:
    """Mean over folders of hit@1 % + declined %: how score.py's two numbers move,
    a folder's off-topic question weighing as much as its share of them."""
    return sum(100 * c["h1"] / c["n"] + 100 * c["dec"] / max(c["u"], 1) for c in per.values()) / len(per)


def _cell(c) -> str:
    return f"{c['h1']}+{c['dec']}"


def added(rows, names, w, b, thr) -> None:
    """The shipped weights kept, the last one (`model_cross_script_named`) chosen for
    each folder on the others, among a few candidates, and scored on it."""
    folders = sorted({r["folder"] for r in rows})
    cands = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0)
    per = {a: {f: outcome([r for r in rows if r["folder"] == f], names, w[:-1] + [a], b, thr) for f in folders}
           for a in cands}
    total: collections.Counter = collections.Counter()
    chosen: collections.Counter = collections.Counter()
    for f in folders:
        best = max(cands, key=lambda a: (sum(per[a][g]["h1"] + per[a][g]["dec"] for g in folders if g != f), -a))
        chosen[best] += 1
        total += per[best][f]
    none = sum((per[0.0][f] for f in folders), collections.Counter())
    print(f"without it: {_cell(none)}; held out: {_cell(total)}; chosen {dict(chosen)}")


def main() -> None:
    rows = pickle.load(open(sys.argv[1], "rb"))
    for r in rows:  # another script, and the judged sentence's article holds the question's names
        r["xs_named"] = float(bool(r.get("cross_script")) and bool(r.get("named")))
    d = shipped()
    names = ["ordinary", "scov", "cross", "cross_script", "xs_named"]
    w = [d.model_ordinary, d.model_coverage, d.model_cross_language, d.model_cross_script,
         d.model_cross_script_named]
    b = d.model_bias
    base = outcome(rows, names, w, b, d.model_threshold)
    print(f"{len(rows)} questions, {base['n']} answerable, {base['u']} off-topic, "
          f"{len({r['folder'] for r in rows})} folders")
    folders = sorted({r["folder"] for r in rows})
    cur = {f: outcome([r for r in rows if r["folder"] == f], names, w, b, d.model_threshold) for f in folders}
    print(f"current model: {base['h1']} hits + {base['dec']} declined = {base['h1'] + base['dec']}"
          f"   new folders only: {sum(cur[f]['h1'] + cur[f]['dec'] for f in folders if f.startswith('probe'))}"
          f"   rates {rates(cur):.1f}")
    by = sys.argv[2] if len(sys.argv) > 2 else "right"
    if by == "added":
        added(rows, names, w, b, d.model_threshold)
        return
    print(f"{'features':28s} thr  bal  right (hits+declined)  new folders   per folder")
    results = []
    for k in (1, 2, 3, 4):
        for combo in itertools.combinations(FEATURES, k):
            if "cos" not in combo and "ordinary" not in combo:
                continue
            for balance in (False, True):
                for thr in (0.3, 0.4, 0.5, 0.6, 0.7):
                    tot, per = lofo(rows, list(combo), thr, balance)
                    new = sum(per[f]["h1"] + per[f]["dec"] for f in folders if f.startswith("probe"))
                    results.append((tot["h1"] + tot["dec"], rates(per), new, combo, thr, balance, tot, per))
    if by.startswith("declined>="):
        # the most right among the candidates declining at least as many off-topic questions
        results = [x for x in results if x[6]["dec"] >= int(by.split(">=")[1])]
    results.sort(key=lambda x: -x[1 if by == "rates" else 0])
    for right, rate, new, combo, thr, balance, tot, per in results[:25]:
        print(f"{'+'.join(combo):28s} {thr:.1f}  {int(balance)}    {tot['h1']}+{tot['dec']} = {right}  {rate:.1f}"
              f"    {new}    " + " ".join(_cell(per[f]) for f in folders))
    right, rate, new, combo, thr, balance, tot, per = results[0]
    w, b = fit(*data(rows, list(combo)), balance=balance)
    print(f"\nmost right held out: {'+'.join(combo)} threshold {thr} balanced {balance}: {right};"
          f" fitted on all folders: weights {dict(zip(combo, np.round(w, 2).tolist()))} bias {b:.2f}")


if __name__ == "__main__":
    main()
