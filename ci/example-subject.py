#!/usr/bin/env python3
"""An lsgd-spec plug-in in Python, over the subprocess protocol `lsgd-spec/1` (ci/README.md, src/gate/subprocess.ts).

    npx lsgd-spec check --subject-cmd "python3 ci/example-subject.py"
    ci/gate.sh --cmd "python3 ci/example-subject.py"

Each call reads one JSON request on stdin and writes one JSON trace on stdout. It offers Local-GD and centralized GD
written plainly (no numpy), with the losses and conventions of lsgd-spec: a node's loss is the MEAN over its samples
plus (l2/2)||w||^2; aggregation weights alpha = n_k/N by default ('samples'), 'uniform', 'given' (node weights) or a
list, normalised to sum 1; F = sum_k alpha_k f_k. Partial participation draws a subset with Python's own generator,
seeded by (seed, round): valid, but not the reference's random stream.

`--bug uniform` plants the classic bug of mutants.md row 2 (uniform averaging whatever the node sizes), so that one can
see the gate fail: `npx lsgd-spec check --subject-cmd "python3 ci/example-subject.py --bug uniform"`.
"""
import json
import math
import random
import sys

BUG = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--bug" else None


def sample_derivative(name, s, y):
    if name == "squared":
        return s - y
    if name == "exponential":
        return -y * math.exp(-y * s)
    if name == "logistic":
        m = y * s
        return -y / (1.0 + math.exp(m)) if m < 0 else -y * math.exp(-m) / (1.0 + math.exp(-m))
    if name == "quartic":
        return (s * s - y) * s
    raise ValueError(f"unknown loss {name!r}")


def sample_loss(name, s, y):
    if name == "squared":
        return 0.5 * (s - y) ** 2
    if name == "exponential":
        m = -y * s
        return math.exp(m) if m < 709.78 else math.inf
    if name == "logistic":
        m = y * s
        return math.log1p(math.exp(-m)) if m >= 0 else -m + math.log1p(math.exp(m))
    if name == "quartic":
        return 0.25 * (s * s - y) ** 2
    raise ValueError(f"unknown loss {name!r}")


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def node_grad(loss, node, w):
    n = len(node["X"])
    if n == 0:
        raise ValueError("a node with 0 rows has no mean loss")
    g = [0.0] * len(w)
    for x, y in zip(node["X"], node["y"]):
        c = sample_derivative(loss["name"], dot(x, w), y) / n
        for j in range(len(w)):
            g[j] += c * x[j]
    lam = loss.get("l2", 0.0)
    return [gj + lam * wj for gj, wj in zip(g, w)]


def node_loss(loss, node, w):
    n = len(node["X"])
    v = math.fsum(sample_loss(loss["name"], dot(x, w), y) for x, y in zip(node["X"], node["y"])) / n
    return v + 0.5 * loss.get("l2", 0.0) * dot(w, w)


def weights(problem, alpha):
    nodes = problem["nodes"]
    if alpha is None or alpha == "samples":
        raw = [len(nd["X"]) for nd in nodes]
    elif alpha == "uniform":
        raw = [1.0] * len(nodes)
    elif alpha == "given":
        raw = [nd["weight"] for nd in nodes]
    else:
        raw = list(alpha)
    if BUG == "uniform":
        raw = [1.0 if r > 0 else 0.0 for r in raw]
    total = math.fsum(raw)
    if not total > 0 or not math.isfinite(total):
        raise ValueError(f"the total aggregation weight is {total}; it must be positive and finite")
    for k, r in enumerate(raw):
        if r > 0 and len(nodes[k]["X"]) == 0:
            raise ValueError(f"node {k} has 0 rows but weight {r} > 0")
    return [r / total for r in raw]


def objective(problem, loss, w, a):
    return math.fsum(ak * node_loss(loss, nd, w) for ak, nd in zip(a, problem["nodes"]) if ak > 0)


def recorder(record, last):
    if record is None or record == "all":
        return lambda r: True
    if record == "last":
        return lambda r: r == last
    if isinstance(record, list):
        wanted = set(record)
        return lambda r: r in wanted
    if isinstance(record, dict) and "every" in record:
        k = record["every"]
        return lambda r: r == last or r % k == 0
    raise ValueError(f"record must be 'all', 'last', a list of rounds or {{every: k}}, got {record!r}")


def run(problem, hyper, rounds, step):
    """The fold: w_{r+1} = step(r, w_r); records the rounds asked for."""
    a = weights(problem, hyper.get("alpha"))
    loss = hyper["loss"]
    w = list(hyper.get("w0") or [0.0] * problem["d"])
    want = recorder(hyper.get("record"), rounds)
    trace = {"rounds": [], "models": [], "loss": [], "communications": [], "localSteps": []}
    comm = steps = 0

    def rec(r):
        if want(r):
            trace["rounds"].append(r)
            trace["models"].append(w)
            trace["loss"].append(objective(problem, loss, w, a))
            trace["communications"].append(comm)
            trace["localSteps"].append(steps)

    rec(0)
    for r in range(rounds):
        w, c, s = step(r, w, a)
        comm += c
        steps += s
        rec(r + 1)
    return trace


def local_gd(problem, hyper):
    nodes, loss, eta, R = problem["nodes"], hyper["loss"], hyper["eta"], hyper["R"]
    Ls = hyper["L"] if isinstance(hyper["L"], list) else [hyper["L"]] * len(nodes)
    m = hyper.get("participants")
    seed = hyper.get("seed", 0)

    def step(r, w, a):
        eligible = [k for k in range(len(nodes)) if a[k] > 0]
        chosen = sorted(random.Random(seed * 1_000_003 + r).sample(eligible, m)) if m is not None else eligible
        total = math.fsum(a[k] for k in chosen)
        new = [0.0] * len(w)
        for k in chosen:
            wk = list(w)
            for _ in range(Ls[k]):
                g = node_grad(loss, nodes[k], wk)
                wk = [x - eta * gx for x, gx in zip(wk, g)]
            for j in range(len(w)):
                new[j] += (a[k] / total) * wk[j]
        return new, len(chosen), max(Ls[k] for k in chosen)

    return run(problem, hyper, R, step)


def centralized_gd(problem, hyper):
    nodes, loss, eta, T = problem["nodes"], hyper["loss"], hyper["eta"], hyper["T"]

    def step(r, w, a):
        g = [0.0] * len(w)
        for ak, nd in zip(a, nodes):
            if ak > 0:
                gk = node_grad(loss, nd, w)
                for j in range(len(w)):
                    g[j] += ak * gk[j]
        return [x - eta * gx for x, gx in zip(w, g)], 0, 1

    return run(problem, {**hyper, "alpha": "samples"}, T, step)


def main():
    req = json.load(sys.stdin)
    if req.get("protocol") != "lsgd-spec/1":
        sys.exit(f"unsupported protocol {req.get('protocol')!r}")
    cap = req["capability"]
    if cap == "capabilities":
        out = {"capabilities": ["localGD", "centralizedGD"]}
    elif cap == "localGD":
        out = local_gd(req["problem"], req["hyper"])
    elif cap == "centralizedGD":
        out = centralized_gd(req["problem"], req["hyper"])
    else:
        sys.exit(f"capability {cap!r} is not offered")
    for v in out.get("loss", []):
        if not math.isfinite(v):
            sys.exit(f"the loss is {v}: the run diverged")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    try:
        main()
    except (ValueError, KeyError, OverflowError, ZeroDivisionError) as e:  # one line on stderr, exit 1
        sys.exit(f"example-subject.py: {type(e).__name__}: {e}")
