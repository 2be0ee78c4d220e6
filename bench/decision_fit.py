"""Fit and check the decline model of bot/answering/decision.py on pooled folders.

    python bench/decision_dump.py /tmp/ddump.pkl     # features of each question's best hit
    python bench/decision_fit.py /tmp/ddump.pkl      # candidates, held out by folder; the chosen fit

A question counts as "answer" when it is answerable and the bot's first quote
holds the expected text, "decline" when it is off-topic; answerable
questions whose best hit is wrong are left out (declining them costs no
hit).  Every candidate model is a logistic regression over a few scale-free
features, judged held out by folder: fitted on the shipped knowledge
(dev + dev2) and tested on corpus-b, and the other way round.  "right" counts
hits at rank 1 plus declined off-topic questions over all three sets.
"""
from __future__ import annotations

import collections
import itertools
import pickle
import sys

import numpy as np
from scipy.optimize import minimize

SHIPPED, OTHER = ["dev", "dev2"], ["corpus-b"]
FEATURES = ["cos", "cov", "scov", "cross", "cov_sq", "miss_max"]


def data(rows, names, sets):
    X, y = [], []
    for r in rows:
        if r["set"] not in sets or not r["hits"] or (r["ans"] and not r["ok"]):
            continue
        X.append([r[n] for n in names])
        y.append(1.0 if r["ans"] else 0.0)
    return np.array(X, dtype=float), np.array(y)


def fit(X, y, l2=0.3):
    """Logistic regression on standardised features (light L2), back in raw units."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])

    def f(w):
        p = 1 / (1 + np.exp(-(Z @ w)))
        loss = -(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)).sum() + l2 * (w[:-1] ** 2).sum()
        return loss, Z.T @ (p - y) + np.r_[2 * l2 * w[:-1], 0]

    w = minimize(f, np.zeros(Z.shape[1]), jac=True).x
    return w[:-1] / sd, w[-1] - (w[:-1] * mu / sd).sum()


def outcome(rows, names, w, b, sets, thr):
    c = collections.Counter()
    for r in rows:
        if r["set"] not in sets:
            continue
        z = sum(wi * r[n] for wi, n in zip(w, names)) + b if r["hits"] else -50
        acc = 1 / (1 + np.exp(-z)) >= thr
        if r["ans"]:
            c["n"] += 1
            c["h1"] += acc and r["ok"]
        else:
            c["u"] += 1
            c["dec"] += not acc
    return c


def _cell(c) -> str:
    return f"{100 * c['h1'] / c['n']:.0f}/{100 * c['dec'] / c['u']:.0f}"


def main() -> None:
    rows = pickle.load(open(sys.argv[1], "rb"))
    sets = SHIPPED + OTHER
    print(f"{'features':24s} thr  held-out dev/dev2/corpus-b (hit@1/declined)   pooled fit             right")
    best = None
    for k in (1, 2, 3):
        for names in map(list, itertools.combinations(FEATURES, k)):
            w, b = fit(*data(rows, names, sets))
            w_sh, b_sh = fit(*data(rows, names, SHIPPED))
            w_ot, b_ot = fit(*data(rows, names, OTHER))
            for thr in (0.5, 0.6, 0.7):
                held = [outcome(rows, names, w_ot, b_ot, ["dev"], thr),
                        outcome(rows, names, w_ot, b_ot, ["dev2"], thr),
                        outcome(rows, names, w_sh, b_sh, OTHER, thr)]
                pooled = [outcome(rows, names, w, b, [s], thr) for s in sets]
                right_held = sum(c["h1"] + c["dec"] for c in held)
                line = (f"{'+'.join(names):24s} {thr:.1f}  " + " ".join(map(_cell, held))
                        + "   " + " ".join(map(_cell, pooled))
                        + f"   {right_held}/{sum(c['n'] + c['u'] for c in held)}")
                print(line)
                if best is None or right_held > best[0]:
                    best = (right_held, names, thr, w, b)
    right, names, thr, w, b = best
    print(f"\nmost right held out: {'+'.join(names)} threshold {thr}: {right} right;"
          f" pooled fit: weights {dict(zip(names, np.round(w, 2).tolist()))} bias {b:.2f}")


if __name__ == "__main__":
    main()
