#!/usr/bin/env python3
"""Local-SGD, DiLoCo and asynchronous Local-SGD in PyTorch (float64), gated by lsgd-spec over `lsgd-spec/2`.

    npx lsgd-spec check --subject-cmd "/usr/bin/python3 ci/examples/torch_subject.py" --profile ci

Clients train with torch.optim.SGD and autograd; the server's outer optimisers are torch.optim.SGD (plain, heavy-ball,
or nesterov=True) applied to the pseudo-gradient, and Delayed Nesterov (torch_async.py). Capabilities: localGD,
localSGD, diloco, asyncLocalSGD, outerSgd, outerNesterov, delayedNesterov, dyluSteps, sampleShard, scheduleLr.

Planted bugs (`--bug NAME`): uniform, first-m, with-replacement (as in numpy_subject.py), and no-nesterov (the outer
'nesterov' optimiser is torch.optim.SGD with momentum but without nesterov=True). `--sampler own` draws participants
and minibatches with numpy's generator instead of the gate's draws.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsgd_subject as subject  # noqa: E402
import torch_async  # noqa: E402
from federated_common import (  # noqa: E402
    federated_hyper,
    Fail, Stream, aggregation_weights, check_problem, initial_model, int_at_least, positive, record_rounds,
)

BUGS = ("uniform", "first-m", "with-replacement", "no-nesterov")
args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
args.add_argument("--bug", choices=BUGS)
args.add_argument("--sampler", choices=("gate", "own"), default="gate")
OPTS = args.parse_args()
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def per_sample(name, s, y):
    if name == "squared":
        return 0.5 * (s - y) ** 2
    if name == "exponential":
        return torch.exp(-y * s)
    if name == "logistic":
        return torch.logaddexp(torch.zeros_like(s), -y * s)  # log(1 + e^-m); its gradient is exactly -y sigma(-m)
    if name == "quartic":
        return 0.25 * (s * s - y) ** 2
    raise Fail(f"loss.name must be one of squared, exponential, logistic, quartic, got {name!r}")


def node_loss(loss, X, y, w):
    """Mean loss over the rows plus (l2/2)||w||^2 (a torch scalar, differentiable in w)."""
    return torch.mean(per_sample(loss["name"], X @ w, y)) + 0.5 * loss.get("l2", 0.0) * torch.dot(w, w)


def federated(fn, problem, hyper, batch):
    loss, eta, K, alpha, eligible, L, R, m, B = federated_hyper(fn, problem, hyper, batch)
    stream = Stream(fn, hyper, OPTS.sampler)
    nodes = [(torch.from_numpy(nd["X"]), torch.from_numpy(nd["y"])) for nd in problem["nodes"]]
    nmax = max(len(nd["y"]) for nd in problem["nodes"])
    Xpad, Ypad = torch.zeros(K, nmax, problem["d"]), torch.zeros(K, nmax)  # zero rows with label 0: zero gradient
    for k, (X, y) in enumerate(nodes):
        Xpad[k, : len(y)], Ypad[k, : len(y)] = X, y
    npad = torch.tensor([max(len(y), 1) for _, y in nodes], dtype=torch.float64)
    w = torch.from_numpy(initial_model(fn, problem["d"], hyper.get("w0")))
    wanted = record_rounds(fn, hyper.get("record"), R)
    trace = {"algorithm": f"{fn} (torch)", "rounds": [], "models": [], "loss": [], "communications": [], "localSteps": []}
    comms, steps, chosen, cache, l2 = 0, 0, [], {}, loss.get("l2", 0.0)

    def offer(r):
        if r in wanted:
            with torch.no_grad():
                F = sum(a * node_loss(loss, X, y, w).item() for a, (X, y) in zip(alpha, nodes) if a > 0)
            for key, v in (("rounds", r), ("models", w.clone()), ("loss", F), ("communications", comms), ("localSteps", steps)):
                trace[key].append(v)

    offer(0)
    for r in range(R):
        if m is None or m >= len(eligible):
            S = list(eligible)
        elif OPTS.bug == "first-m":
            S = eligible[:m]
        elif OPTS.bug == "with-replacement":
            S = sorted(stream.own(2, 0, r).choice(eligible, size=m, replace=True).tolist())
        else:
            S = stream.participants(r, eligible, m)
        chosen.append(S)
        total = sum(alpha[k] for k in S)
        beta = [1 / len(S)] * len(S) if OPTS.bug == "uniform" else [alpha[k] if m is None else alpha[k] / total for k in S]
        # All participants train at once: one parameter row per client under one torch.optim.SGD. Each row's
        # gradient is its client's (the clients' losses are summed, and a client's loss depends on its row only);
        # a client that has finished its L_k steps gets a zero gradient, so plain SGD leaves its row alone. Plain SGD
        # keeps no state, so one optimiser per participant set serves every round.
        key = tuple(S)
        if key not in cache:
            idx = torch.tensor(S)
            Lk = torch.tensor([L[k] for k in S])
            P = torch.nn.Parameter(torch.zeros(len(S), len(w)))
            cache[key] = (Xpad[idx], Ypad[idx], npad[idx], Lk, int(Lk.max()), bool((Lk == Lk.max()).all()), P, torch.optim.SGD([P], lr=eta))
        X, Y, n, Lk, Lmax, same, P, opt = cache[key]
        with torch.no_grad():
            P.copy_(w.expand(len(S), -1))
        for l in range(Lmax):
            if B is None:
                bx, by, denom = X, Y, n
            else:
                rows = torch.from_numpy(np.stack([stream.rows(k, r * L[k] + l, len(problem["nodes"][k]["y"]), B) for k in S]))
                bx, by, denom = X[torch.arange(len(S))[:, None], rows], Y[torch.arange(len(S))[:, None], rows], torch.full((len(S),), float(B))
            opt.zero_grad(set_to_none=True)
            scores = torch.bmm(bx, P.unsqueeze(2)).squeeze(2)
            per_client = per_sample(loss["name"], scores, by).sum(dim=1) / denom
            if l2:
                per_client = per_client + 0.5 * l2 * (P * P).sum(dim=1)
            per_client.sum().backward()
            if not same:
                P.grad *= (l < Lk).to(P.grad.dtype)[:, None]
            opt.step()
        nxt = torch.tensor(beta) @ P.detach()
        w = nxt
        if not torch.all(torch.isfinite(w)):  # a non-finite gradient shows here, one round later at most
            raise Fail(f"{fn}: the global model is not finite after round {r + 1}; the run diverged (eta = {eta})")
        comms += len(S)
        steps += max(L[k] for k in S)
        offer(r + 1)
    if m is not None and R > 0:
        trace["extra"] = {"participants": chosen}
    return trace


@subject.run("localGD")
def local_gd(problem, hyper):
    return federated("localGD", problem, hyper, None)


@subject.run("localSGD")
def local_sgd(problem, hyper):
    return federated("localSGD", problem, hyper, hyper.get("B"))


@subject.run("diloco")
def diloco(problem, hyper):
    return torch_async.diloco(problem, hyper, OPTS.bug)


@subject.run("asyncLocalSGD")
def async_local_sgd(problem, hyper):
    return torch_async.async_local_sgd(problem, hyper, OPTS.bug)


class OuterHandle:
    """An outer optimiser as a protocol handle: init(theta0) builds it, step(g) applies one pseudo-gradient."""

    def __init__(self, kind, hyper):
        if not isinstance(hyper, dict):
            raise Fail(f"{kind}: hyperparameters must be an object, got {hyper!r}")
        self.config = dict(hyper, kind=kind)

    def init(self, theta0):
        self.impl = torch_async.make_outer(self.config["kind"], self.config, np.asarray(theta0, dtype=np.float64), OPTS.bug)
        return theta0

    def step(self, g):
        return self.impl.step(torch.from_numpy(np.asarray(g, dtype=np.float64)))


subject.outer("outerSgd")(lambda hyper: OuterHandle("sgd", hyper))
subject.outer("outerNesterov")(lambda hyper: OuterHandle("nesterov", hyper))
subject.outer("delayedNesterov")(lambda hyper: OuterHandle("delayedNesterov", hyper))
subject.call("dyluSteps")(torch_async.dylu_steps)
subject.call("sampleShard")(torch_async.sample_shard)


@subject.call("scheduleLr")
def schedule_lr(etaMax, schedule, t):
    if not isinstance(etaMax, (int, float)) or not etaMax >= 0 or etaMax == float("inf"):
        raise Fail(f"scheduleLr: eta_max must be finite and >= 0, got {etaMax!r}")
    lo, warm, T = schedule.get("etaMin"), schedule.get("warmup"), schedule.get("T")
    if not isinstance(lo, (int, float)) or not 0 <= lo <= etaMax:
        raise Fail(f"scheduleLr: eta_min must lie in [0, eta_max] = [0, {etaMax}], got {lo!r}")
    int_at_least("scheduleLr", "t_warmup", warm, 0)
    if not isinstance(T, (int, float)) or not 0 <= T < float("inf"):
        raise Fail(f"scheduleLr: T must be finite and >= 0, got {T!r}")
    int_at_least("scheduleLr", "step t", t, 0)
    return torch_async.schedule_lr(etaMax, schedule, t)


if __name__ == "__main__":
    subject.serve(name="torch example" + (f" --bug {OPTS.bug}" if OPTS.bug else ""), sampler=OPTS.sampler, arrays="numpy")
