"""What the numpy and PyTorch examples share: hyperparameter checks with one-line errors (the rules of ci/README.md),
aggregation weights, the `record` rule, and the source of random draws (the gate's, or numpy's own generator).
"""
import math

import numpy as np

LOSSES = ("squared", "exponential", "logistic", "quartic")


# A bad input or a diverged run raises ValueError: the gate sees the call fail with "ValueError: <message>".
Fail = ValueError


def show(v):
    return repr(v.tolist() if hasattr(v, "tolist") else v)


def positive(fn, name, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v > 0) or not math.isfinite(v):
        raise Fail(f"{fn}: {name} must be positive and finite, got {show(v)}")
    return float(v)


def int_at_least(fn, name, v, lo):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer() or v < lo or v > 0xFFFFFFFF:
        raise Fail(f"{fn}: {name} must be an integer >= {lo} (below 2^32), got {show(v)}")
    return int(v)


def step_size(fn, eta):
    """A constant eta, or eta_t = a / (mu (t + b)); returns t -> eta_t."""
    if isinstance(eta, dict):
        a, mu = positive(fn, "eta.a", eta.get("a")), positive(fn, "eta.mu", eta.get("mu"))
        b = positive(fn, "eta.b", eta.get("b"))
        return lambda t: a / (mu * (t + b))
    e = positive(fn, "eta", eta)
    return lambda t: e


def check_problem(fn, problem, loss):
    """Shapes, finiteness, labels (-1/+1 for the margin losses) and the loss spec; one-line errors."""
    if not isinstance(loss, dict) or loss.get("name") not in LOSSES:
        raise Fail(f"{fn}: loss.name must be one of {', '.join(LOSSES)}, got {show(loss.get('name') if isinstance(loss, dict) else loss)}")
    l2 = loss.get("l2", 0)
    if isinstance(l2, bool) or not isinstance(l2, (int, float)) or not (l2 >= 0) or not math.isfinite(l2):
        raise Fail(f"{fn}: loss.l2 must be a finite number >= 0, got {show(l2)}")
    d = problem.get("d")
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise Fail(f"{fn}: problem.d must be an integer >= 1, got {show(d)}")
    if not problem.get("nodes"):
        raise Fail(f"{fn}: the problem has no nodes")
    margin = loss["name"] in ("exponential", "logistic")
    for k, nd in enumerate(problem["nodes"]):
        X, y = nd["X"], nd["y"]
        if X.shape[1] != d or len(y) != X.shape[0]:
            raise Fail(f"{fn}: node {k}: X is {X.shape[0]} x {X.shape[1]} and y has {len(y)} entries, but d = {d}")
        if not np.all(np.isfinite(X)) or not np.all(np.isfinite(y)):
            raise Fail(f"{fn}: node {k}: X or y has an entry that is not finite")
        if margin and not np.all(np.abs(y) == 1):
            raise Fail(f"{fn}: node {k}: a label is not -1 or +1 (the {loss['name']} loss uses margins y x^T w)")


def aggregation_weights(fn, problem, alpha):
    """alpha normalised to sum 1: 'samples' (n_k/N), 'uniform', 'given' (node weights) or a list of K numbers."""
    nodes = problem["nodes"]
    K = len(nodes)
    if alpha == "samples":
        raw = [float(len(nd["y"])) for nd in nodes]
    elif alpha == "uniform":
        raw = [1.0] * K
    elif alpha == "given":
        for k, nd in enumerate(nodes):
            if nd.get("weight") is None:
                raise Fail(f"{fn}: alpha = 'given' but node {k} has no weight")
        raw = [float(nd["weight"]) for nd in nodes]
    elif isinstance(alpha, list):
        if len(alpha) != K:
            raise Fail(f"{fn}: alpha has {len(alpha)} entries but the problem has {K} nodes")
        raw = alpha
    else:
        raise Fail(f"{fn}: alpha must be 'samples', 'uniform', 'given' or an array of {K} weights, got {show(alpha)}")
    for k, v in enumerate(raw):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v >= 0) or not math.isfinite(v):
            raise Fail(f"{fn}: alpha_{k} must be finite and >= 0, got {show(v)}")
    total = math.fsum(raw)
    if not (total > 0):
        why = f"every node ({K}) reports 0 samples" if alpha == "samples" else f"the weights are {show(list(raw))}"
        raise Fail(f"{fn}: the total aggregation weight is {total:g}, it must be positive and finite ({why})")
    for k, v in enumerate(raw):
        if v > 0 and len(nodes[k]["y"]) == 0:
            raise Fail(f"{fn}: node {k} has 0 rows but a positive weight alpha_{k} = {v} (its mean loss is undefined)")
    return [v / total for v in raw]


def initial_model(fn, d, w0):
    if w0 is None:
        return np.zeros(d)
    w = np.asarray(w0, dtype=np.float64)
    if w.shape != (d,):
        raise Fail(f"{fn}: w0 has {w.size} entries but the problem has d = {d}")
    if not np.all(np.isfinite(w)):
        raise Fail(f"{fn}: w0 has an entry that is not finite")
    return w.copy()


def record_rounds(fn, spec, R):
    """The set of rounds 0..R that hyper['record'] asks for ('all', 'last', a list, {'every': k})."""
    if spec is None or spec == "all":
        return set(range(R + 1))
    if spec == "last":
        return {R}
    if isinstance(spec, list):
        for i, r in enumerate(spec):
            if isinstance(r, bool) or not isinstance(r, int) or r < 0:
                raise Fail(f"{fn}: record[{i}] must be an integer >= 0, got {show(r)}")
            if i > 0 and r <= spec[i - 1]:
                raise Fail(f"{fn}: record must be strictly increasing, got {spec[i - 1]} then {r} at index {i}")
        if spec and spec[-1] > R:
            raise Fail(f"{fn}: record asks for round {spec[-1]} but the run ended after round {R}")
        return set(spec)
    if isinstance(spec, dict) and "every" in spec:
        k = spec["every"]
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise Fail(f"{fn}: record.every must be an integer >= 1, got {show(k)}")
        return set(range(0, R + 1, k)) | {R}
    raise Fail(f"{fn}: record must be 'all', 'last', an array of rounds or {{ every: k }}, got {show(spec)}")


class Stream:
    """Random draws of one run: the gate's (hyper['draws'], sampler 'gate') or numpy's generator (sampler 'own').

    Own draws are keyed like the gate's, by (seed, purpose, stream, step), so a run replays bit for bit.
    """

    def __init__(self, fn, hyper, sampler):
        self.fn, self.sampler = fn, sampler
        self.seed = hyper.get("seed", 0) or 0
        self.draws = hyper.get("draws") if isinstance(hyper.get("draws"), dict) else {}

    def own(self, purpose, a, b):
        return np.random.default_rng([self.seed & 0xFFFFFFFF, purpose, a, b])

    def _gate(self, key, s, t):
        try:
            return self.draws[key][s][t]
        except (KeyError, IndexError, TypeError):
            raise Fail(f"{self.fn}: hyper.draws.{key}[{s}][{t}] is missing (this subject declared sampler 'gate', so "
                       "every request must carry the gate's draws)") from None

    def rows(self, s, t, n, B):
        """B row indices in [0, n), uniform with replacement, for stream s's t-th local step."""
        if self.sampler == "own":
            return self.own(1, s, t).integers(0, n, size=B)
        rows = self._gate("minibatches", s, t)
        if len(rows) != B or any(not isinstance(i, int) or not 0 <= i < n for i in rows):
            raise Fail(f"{self.fn}: hyper.draws.minibatches[{s}][{t}] must be {B} row indices in [0, {n}), got {show(rows)}")
        return np.asarray(rows, dtype=np.int64)

    def normals(self, s, t, d):
        if self.sampler == "own":
            return self.own(3, s, t).standard_normal(d)
        xi = self._gate("noise", s, t)
        if len(xi) != d:
            raise Fail(f"{self.fn}: hyper.draws.noise[{s}][{t}] must have d = {d} entries, got {len(xi)}")
        return np.asarray(xi, dtype=np.float64)

    def participants(self, r, eligible, m):
        """An m-subset of `eligible`, uniformly at random, ascending."""
        if self.sampler == "own":
            return sorted(self.own(2, 0, r).choice(eligible, size=m, replace=False).tolist())
        try:
            S = self.draws["participants"][r]
        except (KeyError, IndexError, TypeError):
            raise Fail(f"{self.fn}: hyper.draws.participants[{r}] is missing (this subject declared sampler 'gate', so "
                       "every request must carry the gate's draws)") from None
        if len(S) != m or len(set(S)) != m or any(k not in eligible for k in S) or S != sorted(S):
            raise Fail(f"{self.fn}: hyper.draws.participants[{r}] must be {m} distinct ascending nodes of {eligible}, got {S}")
        return list(S)


def federated_hyper(fn, problem, hyper, batch):
    """The shared hyperparameters of Local-GD / Local-SGD / Modified Local-GD, validated as the reference does
    (src/optimizers/parts/federated.ts): loss, eta, alpha, eligible nodes, L per node, R, participants m, B."""
    check_problem(fn, problem, hyper.get("loss"))
    eta = positive(fn, "eta", hyper.get("eta"))
    K = len(problem["nodes"])
    alpha = aggregation_weights(fn, problem, hyper.get("alpha", "samples"))
    eligible = [k for k in range(K) if alpha[k] > 0]
    Ls = hyper.get("L")
    if isinstance(Ls, list):
        if len(Ls) != K:
            raise Fail(f"{fn}: L has {len(Ls)} entries but the problem has {K} nodes")
        L = [int_at_least(fn, f"L[{k}]", v, 1) for k, v in enumerate(Ls)]
    else:
        L = [int_at_least(fn, "L", Ls, 1)] * K
    R = int_at_least(fn, "R", hyper.get("R"), 0)
    m = hyper.get("participants")
    if m is not None:
        m = int_at_least(fn, "participants", m, 1)
        if m > len(eligible):
            raise Fail(f"{fn}: participants = {m} exceeds the {len(eligible)} nodes with a positive weight")
    B = None if batch is None else int_at_least(fn, "B", batch, 1)
    return hyper["loss"], eta, K, alpha, eligible, L, R, m, B
