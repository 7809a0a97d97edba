#!/usr/bin/env python3
"""Federated optimizers in plain numpy, gated by lsgd-spec over `lsgd-spec/2` (ci/PROTOCOL.md, ci/lsgd_subject.py).

    npx lsgd-spec check --subject-cmd "/usr/bin/python3 ci/examples/numpy_subject.py" --profile ci

Written from the maths (ci/README.md), not translated from lsgd-spec's TypeScript: a node's loss is the MEAN over its
rows plus (l2/2)||w||^2; F = sum_k alpha_k f_k with alpha_k = n_k/N by default ('samples'), 'uniform', 'given' (node
weights) or a list, normalised to sum 1; partial participation renormalises over the round's participants.
Capabilities: centralizedGD, centralizedSGD, localGD, localSGD, modifiedLocalGD (avg, anchor, normalized), lupaSGD,
adaLupaSGD. Randomness: the gate's draws (hyper["draws"]) by default; `--sampler own` draws with numpy's generator.

Planted bugs, to see the gate fail (`--bug NAME`):
  uniform           averages the participants uniformly whatever their sizes or weights
  first-m           the client sampler always takes the first m eligible clients
  with-replacement  the client sampler draws the m participants with replacement
  sgd-step          centralized minibatch SGD divides the batch gradient by N instead of B (a step B/N too short)
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import lsgd_subject as subject  # noqa: E402
from numpy_parts import Recorder, check_finite, mean_grad, objective, padded, pooled, project, sample_derivative, sizes  # noqa: E402
from federated_common import (  # noqa: E402
    federated_hyper,
    Fail, Stream, aggregation_weights, check_problem, initial_model, int_at_least, positive, step_size,
)

BUGS = ("uniform", "first-m", "with-replacement", "sgd-step")
args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
args.add_argument("--bug", choices=BUGS)
args.add_argument("--sampler", choices=("gate", "own"), default="gate")
OPTS = args.parse_args()
np.seterr(over="ignore", invalid="ignore")  # overflow surfaces as a non-finite model, reported as a one-line error


# ---------------------------------------------------------------------------------------------------------------
# Centralized baselines: one (minibatch) gradient step per round on the pooled rows.


def centralized(fn, problem, hyper, batch):
    check_problem(fn, problem, hyper.get("loss"))
    loss, eta, T = hyper["loss"], step_size(fn, hyper.get("eta")), int_at_least(fn, "T", hyper.get("T"), 0)
    X, y = pooled(problem)
    N = len(y)
    if N == 0:
        raise Fail(f"{fn}: every node ({len(problem['nodes'])}) has 0 rows; the pooled mean loss is undefined")
    B = None if batch is None else int_at_least(fn, "B", batch, 1)
    stream = Stream(fn, hyper, OPTS.sampler)
    w = initial_model(fn, problem["d"], hyper.get("w0"))
    alpha = np.array(sizes(problem), dtype=float) / N
    rec = Recorder(fn, hyper, T, lambda v: objective(problem, loss, v, alpha))
    rec.offer(0, w, 0, 0)
    for t in range(T):
        if B is None:
            g = mean_grad(fn, loss, X, y, w)
        else:
            rows = stream.rows(0, t, N, B)
            g = mean_grad(fn, loss, X[rows], y[rows], w, denominator=N if OPTS.bug == "sgd-step" else B)
        w = w - eta(t) * g
        check_finite(fn, w, t + 1)
        rec.offer(t + 1, w, 0, t + 1)
    return rec.finish()


@subject.run("centralizedGD")
def centralized_gd(problem, hyper):
    return centralized("centralizedGD", problem, hyper, None)


@subject.run("centralizedSGD")
def centralized_sgd(problem, hyper):
    return centralized("centralizedSGD", problem, hyper, hyper.get("B"))


# ---------------------------------------------------------------------------------------------------------------
# Local-GD / Local-SGD / Modified Local-GD 'normalized': local steps on each participant, then the server update.


def participants_of(fn, stream, r, eligible, m):
    if m is None or m >= len(eligible):
        return list(eligible)
    if OPTS.bug == "first-m":
        return list(eligible[:m])
    if OPTS.bug == "with-replacement":
        return sorted(stream.own(2, 0, r).choice(eligible, size=m, replace=True).tolist())
    return stream.participants(r, eligible, m)


def local_models(fn, ctx, S, w, r):
    """The participants' local models after their L_k steps from w, one row per participant."""
    loss, eta, L = ctx["loss"], ctx["eta"], ctx["L"]
    if ctx["B"] is None:  # full gradients: every participant steps at once on the padded arrays
        X, Y, n = ctx["pad"][0][S], ctx["pad"][1][S], ctx["pad"][2][S]
        Ls = np.array([L[k] for k in S])
        W = np.tile(w, (len(S), 1))
        l2 = loss.get("l2", 0.0)
        for l in range(int(Ls.max())):
            c = sample_derivative(loss["name"], np.einsum("knd,kd->kn", X, W), Y)
            G = np.einsum("kn,knd->kd", c, X) / n[:, None] + l2 * W
            W = W - (eta * (l < Ls))[:, None] * G
        return W
    out = np.empty((len(S), len(w)))
    for i, k in enumerate(S):
        X, y = ctx["problem"]["nodes"][k]["X"], ctx["problem"]["nodes"][k]["y"]
        wk = w.copy()
        for l in range(L[k]):
            rows = ctx["stream"].rows(k, r * L[k] + l, len(y), ctx["B"])
            wk = wk - eta * mean_grad(fn, loss, X[rows], y[rows], wk)
        out[i] = wk
    return out


def federated(fn, problem, hyper, batch, server):
    """server: ('average',) or ('normalized', etaG)."""
    loss, eta, K, alpha, eligible, L, R, m, B = federated_hyper(fn, problem, hyper, batch)
    ctx = {"problem": problem, "loss": loss, "eta": eta, "L": L, "B": B, "stream": Stream(fn, hyper, OPTS.sampler),
           "pad": padded(problem) if B is None else None}
    w = initial_model(fn, problem["d"], hyper.get("w0"))
    rec = Recorder(fn, hyper, R, lambda v: objective(problem, loss, v, alpha))
    rec.offer(0, w, 0, 0)
    comms, steps, chosen = 0, 0, []
    for r in range(R):
        S = participants_of(fn, ctx["stream"], r, eligible, m)
        chosen.append(S)
        if OPTS.bug == "uniform":
            beta = np.full(len(S), 1.0 / len(S))
        elif m is None:
            beta = np.array([alpha[k] for k in S])
        else:
            total = sum(alpha[k] for k in S)
            beta = np.array([alpha[k] / total for k in S])
        W = local_models(fn, ctx, S, w, r)
        if server[0] == "average":
            w = beta @ W
        else:
            w = w + (beta * server[1] / (eta * np.array([L[k] for k in S]))) @ (W - w)
        check_finite(fn, w, r + 1)
        comms += len(S)
        steps += max(L[k] for k in S)
        rec.offer(r + 1, w, comms, steps)
    return rec.finish({"participants": chosen} if m is not None and R > 0 else None)


@subject.run("localGD")
def local_gd(problem, hyper):
    return federated("localGD", problem, hyper, None, ("average",))


@subject.run("localSGD")
def local_sgd(problem, hyper):
    return federated("localSGD", problem, hyper, hyper.get("B"), ("average",))


# ---------------------------------------------------------------------------------------------------------------
# Modified Local-GD: 'normalized' is the federated round above; 'avg' and 'anchor' average exact projections
# P_m(w) = argmin ||u - w|| s.t. Z_m u >= 1 (Z_m: node m's rows y_i x_i), 'anchor' from (1 - 1/(k+2)) w.


@subject.run("modifiedLocalGD")
def modified_local_gd(problem, hyper):
    fn = "modifiedLocalGD"
    variant = hyper.get("variant")
    loss = hyper.get("loss") or {"name": "exponential"}
    if variant == "normalized":
        if hyper.get("L") is None:
            raise Fail(f"{fn}: variant 'normalized' needs L (local steps), got undefined")
        etaG = positive(fn, "etaG", hyper.get("etaG"))
        positive(fn, "eta", hyper.get("eta"))
        return federated(fn, problem, dict(hyper, loss=loss), None, ("normalized", etaG))
    if variant not in ("avg", "anchor"):
        raise Fail(f"{fn}: variant must be 'avg', 'anchor' or 'normalized', got {variant!r}")
    for key in ("eta", "L", "etaG", "participants"):
        if hyper.get(key) is not None:
            raise Fail(f"{fn}: {key} is used only by variant 'normalized' (variant '{variant}' solves the local problems exactly)")
    check_problem(fn, problem, loss if loss["name"] in ("exponential", "logistic") else {"name": "exponential"})
    alpha = aggregation_weights(fn, problem, hyper.get("alpha", "samples"))
    R = int_at_least(fn, "R", hyper.get("R"), 0)
    w = initial_model(fn, problem["d"], hyper.get("w0"))
    Z = [nd["y"][:, None] * nd["X"] for nd in problem["nodes"]]
    eligible = [k for k in range(len(Z)) if alpha[k] > 0]
    rec = Recorder(fn, hyper, R, lambda v: objective(problem, loss, v, alpha))
    rec.offer(0, w, 0, 0)
    for r in range(R):
        start = (1 - 1 / (r + 2)) * w if variant == "anchor" else w
        w = sum(alpha[k] * project(Z[k], start) for k in eligible)
        check_finite(fn, w, r + 1)
        rec.offer(r + 1, w, (r + 1) * len(eligible), 0)
    return rec.finish()


# ---------------------------------------------------------------------------------------------------------------
# LUPA-SGD / ADA-LUPA-SGD: p workers take tau local steps from the average, then average uniformly.


def lupa_setup(fn, problem, hyper):
    check_problem(fn, problem, hyper.get("loss"))
    eta = step_size(fn, hyper.get("eta"))
    T = int_at_least(fn, "T", hyper.get("T"), 0)
    sampling = hyper.get("sampling", "iid")
    if sampling not in ("iid", "shards"):
        raise Fail(f"{fn}: sampling must be 'iid' or 'shards', got {sampling!r}")
    K = len(problem["nodes"])
    p = K if hyper.get("p") is None else int_at_least(fn, "p", hyper.get("p"), 1)
    B = None if hyper.get("B") == "full" else int_at_least(fn, "B", hyper.get("B"), 1)
    noise = hyper.get("noise", 0)
    if not isinstance(noise, (int, float)) or not (noise >= 0) or not math.isfinite(noise):
        raise Fail(f"{fn}: noise must be finite and >= 0, got {noise!r}")
    if sampling == "shards":
        if p != K:
            raise Fail(f"{fn}: sampling 'shards' pins worker j to node j, so p must equal the {K} nodes, got p = {p}")
        for k, nd in enumerate(problem["nodes"]):
            if len(nd["y"]) == 0:
                raise Fail(f"{fn}: sampling 'shards': node {k} has 0 rows, so worker {k} has nothing to sample")
        X, Y, n = padded(problem)  # worker j is node j: its rows, zero-padded (zero rows add nothing)
    else:
        X, y = pooled(problem)
        if len(y) == 0:
            raise Fail(f"{fn}: every node ({K}) has 0 rows; there is nothing to sample")
        X, Y, n = X[None], y[None], np.array([float(len(y))])  # every worker samples the pooled rows
    N = sum(sizes(problem))
    alpha = np.array(sizes(problem), dtype=float) / N
    return dict(loss=hyper["loss"], eta=eta, T=T, p=p, B=B, noise=noise, X=X, Y=Y, n=n, shards=sampling == "shards",
                stream=Stream(fn, hyper, OPTS.sampler),
                w0=initial_model(fn, problem["d"], hyper.get("w0")), F=lambda v: objective(problem, hyper["loss"], v, alpha))


def lupa_round(fn, c, xbar, t, tau):
    """tau local steps of all p workers at once from xbar (iterations t..t+tau-1), then their average."""
    p, loss, l2 = c["p"], c["loss"], c["loss"].get("l2", 0.0)
    worker = np.arange(p) if c["shards"] else np.zeros(p, dtype=int)  # which row block each worker reads
    n = c["n"][worker]
    W = np.tile(xbar, (p, 1))
    for s in range(t, t + tau):
        if c["B"] is None:
            X, Y, denom = c["X"][worker], c["Y"][worker], n
        else:
            rows = np.stack([c["stream"].rows(j, s, int(n[j]), c["B"]) for j in range(p)])
            X, Y, denom = c["X"][worker[:, None], rows], c["Y"][worker[:, None], rows], np.full(p, float(c["B"]))
        G = np.einsum("kn,knd->kd", sample_derivative(loss["name"], np.einsum("knd,kd->kn", X, W), Y), X) / denom[:, None] + l2 * W
        if c["noise"] != 0:
            G = G + c["noise"] * np.stack([c["stream"].normals(j, s, W.shape[1]) for j in range(p)])
        W = W - c["eta"](s) * G
    return W.sum(axis=0) / p


@subject.run("lupaSGD")
def lupa_sgd(problem, hyper):
    fn = "lupaSGD"
    c = lupa_setup(fn, problem, hyper)
    tau = int_at_least(fn, "tau", hyper.get("tau"), 1)
    T = c["T"]
    R = -(-T // tau)
    rec = Recorder(fn, hyper, R, c["F"])
    w, t = c["w0"], 0
    rec.offer(0, w, 0, 0)
    for r in range(R):
        steps = min(tau, T - t)
        w = lupa_round(fn, c, w, t, steps)
        check_finite(fn, w, r + 1)
        t += steps
        rec.offer(r + 1, w, (r + 1) * c["p"], t)
    return rec.finish({"syncs": T // tau, "finalAverage": T % tau != 0, "averagings": R})


@subject.run("adaLupaSGD")
def ada_lupa_sgd(problem, hyper):
    fn = "adaLupaSGD"
    c = lupa_setup(fn, problem, hyper)
    tau0 = int_at_least(fn, "tau0", hyper.get("tau0"), 1)
    schedule = hyper.get("schedule", "loss-ratio")
    E = None
    Fstar = None
    if schedule != "loss-ratio":
        if isinstance(schedule, dict) and isinstance(schedule.get("gap"), dict):
            Fstar = schedule["gap"].get("Fstar")
            if isinstance(Fstar, bool) or not isinstance(Fstar, (int, float)) or not math.isfinite(Fstar):
                raise Fail(f"{fn}: schedule.gap.Fstar must be a finite number, got {Fstar!r}")
        elif isinstance(schedule, dict) and isinstance(schedule.get("linear"), dict):
            E = int_at_least(fn, "schedule.linear.E", schedule["linear"].get("E"), 1)
        else:
            raise Fail(f"{fn}: schedule must be 'loss-ratio', {{ gap: {{ Fstar }} }} or {{ linear: {{ E }} }}, got {schedule!r}")
    T, w, t, i = c["T"], c["w0"], 0, 0
    F0 = F = c["F"](w)
    rounds = []  # (w, t) after each round; the number of rounds is known only at the end
    taus, starts = [], []
    while t < T:
        if Fstar is not None:
            # the gap rule: max(1, ceil(cbrt((F0 - F*) / (F_i - F*)))); all remaining steps once the gap is <= 0
            g0, gi = F0 - Fstar, F - Fstar
            mult = 1 if not g0 > 0 else (math.inf if not gi > 0 else max(1, math.ceil(np.cbrt(g0 / gi))))
            want = mult * tau0
        elif E is None:
            mult = 1 if F0 == 0 and F == 0 else (math.inf if F == 0 else max(1, math.ceil(np.cbrt(F0 / F))))
            want = mult * tau0
        else:
            want = tau0 + -(-2 * T * i // (E * (E + 1)))
        tau = int(min(want, T - t))
        w = lupa_round(fn, c, w, t, tau)
        check_finite(fn, w, i + 1)
        t += tau
        taus.append(tau)
        starts.append(F)
        F = c["F"](w)
        i += 1
        rounds.append((w, t))
    rec = Recorder(fn, hyper, i, c["F"])
    rec.offer(0, c["w0"], 0, 0)
    for r, (wr, tr) in enumerate(rounds):
        rec.offer(r + 1, wr, (r + 1) * c["p"], tr)
    kind = "gap" if Fstar is not None else ("loss-ratio" if E is None else "linear")
    extra = {"tau": taus, "lossAtStart": starts, "schedule": kind, "tau0": tau0, "F0": F0, "averagings": i}
    if E is not None:
        extra.update(E=E, alpha=2 * T / ((E + 1) * E * tau0))
    return rec.finish(extra)


if __name__ == "__main__":
    subject.serve(name="numpy federated example" + (f" --bug {OPTS.bug}" if OPTS.bug else ""), sampler=OPTS.sampler, arrays="numpy")
