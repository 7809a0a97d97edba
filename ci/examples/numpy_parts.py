"""Numerical parts of ci/examples/numpy_subject.py: per-sample losses and their derivatives, node and global
objectives, the trace recorder, node arrays padded for batched steps, and the exact projection of Modified Local-GD.
"""
import numpy as np

from federated_common import Fail, record_rounds

# ---------------------------------------------------------------------------------------------------------------
# Losses: per-sample l(s, y) with score s = x^T w, derivative dl/ds; node loss = mean + (l2/2)||w||^2.


def sample_loss(name, s, y):
    if name == "squared":
        return 0.5 * (s - y) ** 2
    if name == "exponential":
        with np.errstate(over="ignore"):
            return np.exp(-y * s)
    if name == "logistic":
        m = y * s
        return np.maximum(-m, 0.0) + np.log1p(np.exp(-np.abs(m)))
    if name == "quartic":
        return 0.25 * (s * s - y) ** 2
    raise Fail(f"loss.name must be one of squared, exponential, logistic, quartic, got {name!r}")


def sample_derivative(name, s, y):
    if name == "squared":
        return s - y
    if name == "exponential":
        with np.errstate(over="ignore"):
            return -y * np.exp(-y * s)
    if name == "logistic":
        return -y / (1 + np.exp(y * s))  # -y sigma(-m); exp overflow gives -y/inf = 0, the value to 1e-308
    if name == "quartic":
        return (s * s - y) * s
    raise Fail(f"loss.name must be one of squared, exponential, logistic, quartic, got {name!r}")


def node_loss(loss, X, y, w):
    return float(np.mean(sample_loss(loss["name"], X @ w, y))) + 0.5 * loss.get("l2", 0.0) * float(w @ w)


def mean_grad(fn, loss, X, y, w, denominator=None):
    """(1/denominator) sum_i dl/ds(x_i^T w, y_i) x_i + l2 w; denominator defaults to the number of rows."""
    c = sample_derivative(loss["name"], X @ w, y)
    if not np.all(np.isfinite(c)):
        i = int(np.argmax(~np.isfinite(c)))
        raise Fail(f"{fn}: the {loss['name']} loss derivative at row {i} is not finite (score {float(X[i] @ w)}); "
                   "the step size is probably too large")
    return (c @ X) / (len(y) if denominator is None else denominator) + loss.get("l2", 0.0) * w


def objective(problem, loss, w, alpha):
    return sum(a * node_loss(loss, nd["X"], nd["y"], w) for a, nd in zip(alpha, problem["nodes"]) if a > 0)


def pooled(problem):
    X = np.vstack([nd["X"] for nd in problem["nodes"]])
    return X, np.concatenate([nd["y"] for nd in problem["nodes"]])


def sizes(problem):
    return [len(nd["y"]) for nd in problem["nodes"]]


class Recorder:
    """Trace columns for the rounds hyper['record'] asks for (round 0 is the initial model)."""

    def __init__(self, fn, hyper, total_rounds, evaluate):
        self.fn, self.wanted, self.evaluate = fn, record_rounds(fn, hyper.get("record"), total_rounds), evaluate
        self.trace = {"algorithm": f"{fn} (numpy)", "rounds": [], "models": [], "loss": [], "communications": [], "localSteps": []}

    def offer(self, r, w, comms, steps):
        if r in self.wanted:
            for key, v in (("rounds", r), ("models", w.copy()), ("loss", self.evaluate(w)), ("communications", comms), ("localSteps", steps)):
                self.trace[key].append(v)

    def finish(self, extra=None):
        if extra:
            self.trace["extra"] = extra
        return self.trace


def check_finite(fn, w, r):
    if not np.all(np.isfinite(w)):
        raise Fail(f"{fn}: the global model is not finite after round {r}; the run diverged (the step size is probably too large)")



def padded(problem):
    """Every node's rows in one (K, n_max, d) array, zero rows after its own: a zero row with label 0 has dl/ds = 0 for
    every loss here, so it adds exactly nothing to a gradient, and all nodes can step at once."""
    nodes = problem["nodes"]
    n = max(len(nd["y"]) for nd in nodes)
    X = np.zeros((len(nodes), n, problem["d"]))
    Y = np.zeros((len(nodes), n))
    for k, nd in enumerate(nodes):
        X[k, : len(nd["y"])], Y[k, : len(nd["y"])] = nd["X"], nd["y"]
    return X, Y, np.array([max(len(nd["y"]), 1) for nd in nodes], dtype=float)


def project(Z, w):
    """Projection of w onto {u : Z u >= 1}: dual coordinate ascent (Hildreth), then an exact solve on its active set."""
    slack = 1.0 - Z @ w
    if np.all(slack <= 0):
        return w.copy()
    G = Z @ Z.T
    lam = np.zeros(len(Z))
    for _ in range(20000):
        prev = lam.copy()
        for i in range(len(Z)):
            if G[i, i] > 0:
                lam[i] = max(0.0, lam[i] + (slack[i] - G[i] @ lam) / G[i, i])
        if np.max(np.abs(lam - prev)) <= 1e-15 * max(1.0, np.max(np.abs(lam))):
            break
    A = lam > 0
    if np.any(A):
        mu, *_ = np.linalg.lstsq(Z[A] @ Z[A].T, slack[A], rcond=None)
        if np.all(mu >= 0):
            u = w + Z[A].T @ mu
            if np.all(Z @ u >= 1 - 1e-12):
                return u
    return w + Z.T @ lam
