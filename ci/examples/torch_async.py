"""DiLoCo and asynchronous Local-SGD in PyTorch (float64), for ci/examples/torch_subject.py.

Workers train with torch.optim.SGD or torch.optim.AdamW (each worker keeps its optimiser, and so its AdamW moments,
across jobs); the server applies pseudo-gradients g = theta_start - theta_end with a torch outer optimiser (outer.py
semantics: torch.optim.SGD, SGD(nesterov=True), or Delayed Nesterov). Virtual time, DyLU, the grace period and the
shard modes follow the algorithm boxes of Liu et al. 2024 as ci/PROTOCOL.md and src/optimizers/async/ state them:

  diloco         each outer step every active worker runs a job from theta; Delta = mean of the pushes;
                 theta <- Outer(theta, Delta); clock += max_w steps_w / v_w
  asyncLocalSGD  the earliest completion is applied (ties: lowest worker), then every completion within
                 gracePeriod of the first one of the window; when the next completion lies outside the window,
                 every idle worker starts a job from the current theta at the current clock

Randomness that requests do not carry (minibatch rows keyed by (seed, shard, shard step), eq. 2 shard draws keyed by
(seed, job number)) comes from lsgd-spec's counter-based stream, reproduced by lsgd_subject.
"""
import math

import torch

import lsgd_subject as subject
from federated_common import Fail, int_at_least, record_rounds

torch.set_default_dtype(torch.float64)


def model_of(fn, desc):
    """(dim, loss(theta, X, y)) for {"kind": "leastSquares", "features"} or {"kind": "softmax", "features", "classes"}."""
    if not isinstance(desc, dict):
        raise Fail(f"{fn}: problem.model must be an object {{kind, features, classes?}}, got {desc!r}")
    d = int_at_least(fn, "model.features", desc.get("features"), 1)
    if desc.get("kind") == "leastSquares":
        return d, lambda th, X, y: 0.5 * torch.mean((X @ th - y) ** 2)
    if desc.get("kind") == "softmax":
        C = int_at_least(fn, "model.classes", desc.get("classes"), 2)

        def loss(th, X, y):
            W, b = th[: C * d].reshape(C, d), th[C * d:]
            return torch.nn.functional.cross_entropy(X @ W.T + b, y.long())
        return C * (d + 1), loss
    raise Fail(f"{fn}: problem.model.kind must be 'leastSquares' or 'softmax', got {desc.get('kind')!r}")


def make_outer(fn, cfg, theta0, bug=None):
    """An outer optimiser over a server parameter: step(g) applies one pseudo-gradient and returns theta."""
    kind = cfg.get("kind") if isinstance(cfg, dict) else None
    if kind == "sgd":
        return TorchOuter(theta0, cfg.get("eps"), cfg.get("beta", 0), nesterov=False, name="outerSgd")
    if kind == "nesterov":
        return TorchOuter(theta0, cfg.get("eps"), cfg.get("beta"), nesterov=bug != "no-nesterov", name="outerNesterov")
    if kind == "delayedNesterov":
        return DelayedNesterov(theta0, cfg)
    raise Fail(f"{fn}: outer.kind must be 'sgd', 'nesterov' or 'delayedNesterov', got {kind!r}")


def check_rate(fn, name, v, eps_like=False):
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    if eps_like and not (ok and v > 0):
        raise Fail(f"{fn}: {name} must be positive and finite, got {v!r}")
    if not eps_like and not (ok and 0 <= v < 1):
        raise Fail(f"{fn}: {name} must lie in [0, 1), got {v!r}")
    return float(v)


class TorchOuter:
    """torch.optim.SGD(lr=eps, momentum=beta, nesterov=...) with the pseudo-gradient as the parameter's gradient."""

    def __init__(self, theta0, eps, beta, nesterov, name):
        eps, beta = check_rate(name, "eps", eps, True), check_rate(name, "beta", beta)
        self.p = torch.nn.Parameter(torch.as_tensor(theta0, dtype=torch.float64).clone())
        self.opt = torch.optim.SGD([self.p], lr=eps, momentum=beta, nesterov=nesterov and beta > 0)

    def step(self, g):
        self.p.grad = torch.as_tensor(g, dtype=torch.float64).clone()
        self.opt.step()
        return self.p.detach().clone()


class DelayedNesterov:
    """Delayed Nesterov (Algorithm 3): momentum m updated every N pushes from the buffered mean, c beta m in between."""

    def __init__(self, theta0, cfg):
        fn = "delayedNesterov"
        self.eps, self.beta = check_rate(fn, "eps", cfg.get("eps"), True), check_rate(fn, "beta", cfg.get("beta"))
        self.N = int_at_least(fn, "N", cfg.get("N"), 1)
        c = cfg.get("c")
        if not isinstance(c, (int, float)) or not math.isfinite(c):
            raise Fail(f"{fn}: c must be finite, got {c!r}")
        if not cfg.get("allowOutOfRangeC") and not 0 <= c <= 1 / self.N:
            raise Fail(f"{fn}: c = {c} lies outside the paper's range [0, 1/N] = [0, {1 / self.N}] for N = {self.N}")
        self.c, self.milestone = float(c), 1 - c * (self.N - 1)
        self.theta = torch.as_tensor(theta0, dtype=torch.float64).clone()
        self.m, self.delta, self.t = torch.zeros_like(self.theta), torch.zeros_like(self.theta), 0

    def step(self, g):
        g = torch.as_tensor(g, dtype=torch.float64)
        if (self.t + 1) % self.N == 0:
            self.m = self.beta * self.m + (self.delta + g) / self.N
            self.theta = self.theta - self.eps * (self.milestone * self.beta * self.m + g / self.N)
            self.delta = torch.zeros_like(self.theta)
        else:
            self.delta = self.delta + g
            self.theta = self.theta - self.eps * (self.c * self.beta * self.m + g / self.N)
        self.t += 1
        return self.theta.clone()


def dylu_steps(speeds, H, minSteps=1):
    """Eq. 6: the largest s with s / v_w <= H / v_max (so no worker finishes after the fastest), floored at minSteps."""
    if not speeds:
        raise Fail("dyluSteps: speeds is empty (need at least one worker)")
    H = int_at_least("dyluSteps", "H", H, 1)
    if isinstance(minSteps, bool) or not isinstance(minSteps, int) or not 0 <= minSteps <= H:
        raise Fail(f"dyluSteps: minSteps must be an integer in [0, H] = [0, {H}], got {minSteps!r}")
    for w, v in enumerate(speeds):
        if not isinstance(v, (int, float)) or not math.isfinite(v) or v <= 0:
            raise Fail(f"dyluSteps: speed of worker {w} must be positive and finite, got {v!r}")
    vmax = max(speeds)
    horizon = H / vmax
    out = []
    for v in speeds:
        s = min(H, math.floor(v / vmax * H))
        while s > 0 and s / v > horizon:
            s -= 1
        while s < H and (s + 1) / v <= horizon:
            s += 1
        out.append(max(s, minSteps))
    return out


def schedule_lr(etaMax, schedule, t):
    """Eq. 3: linear warmup to etaMax, then cosine decay to etaMin at step T."""
    w, T, lo = schedule["warmup"], schedule["T"], schedule["etaMin"]
    if t < w:
        return etaMax * t / w
    span = max(T - w, 0)
    r = 1 if span == 0 else min(max((t - w) / span, 0), 1)
    return lo + 0.5 * (etaMax - lo) * (1 + math.cos(math.pi * r))


def sample_shard(counts, seed, job):
    """Eq. 2: shard i with probability proportional to max(|D_i| S_n - n_i S_D, 0); least visited when all are 0."""
    sizes, learned, visits = counts["sizes"], counts["learned"], counts["visits"]
    if not sizes or len(learned) != len(sizes) or len(visits) != len(sizes):
        raise Fail(f"sampleShard: sizes, learned and visits must be non-empty and of equal length, got {len(sizes)}, {len(learned)}, {len(visits)}")
    sD, sN = sum(sizes), sum(learned)
    w = [max(d * sN - n * sD, 0) for d, n in zip(sizes, learned)]
    total = sum(w)
    if total == 0:
        return min(range(len(visits)), key=lambda i: (visits[i], i))
    target = subject.sample_shard_uniform(seed, job) * total
    acc, last = 0, -1
    for i, x in enumerate(w):
        if x == 0:
            continue
        acc += x
        last = i
        if target < acc:
            return i
    return last


class Run:
    """Validated configuration, per-worker torch inner optimisers and shard bookkeeping of one async run."""

    def __init__(self, fn, problem, hyper, bug):
        self.fn = fn
        self.dim, self.loss = model_of(fn, problem.get("model"))
        self.shards = [(torch.as_tensor(s["X"]), torch.as_tensor(s["y"])) for s in problem.get("shards") or []]
        if not self.shards:
            raise Fail(f"{fn}: problem.shards is empty (need at least one shard)")
        for i, (X, _) in enumerate(self.shards):
            if X.shape[0] == 0:
                raise Fail(f"{fn}: shard {i} has no rows")
        ev = problem.get("evalSet")
        self.eval = None if ev is None else (torch.as_tensor(ev["X"]), torch.as_tensor(ev["y"]))
        theta0 = problem.get("theta0")
        self.theta0 = torch.zeros(self.dim) if theta0 is None else torch.as_tensor(theta0, dtype=torch.float64).clone()
        if self.theta0.numel() != self.dim:
            raise Fail(f"{fn}: theta0 has {self.theta0.numel()} entries but the model has dim {self.dim}")
        self.k = int_at_least(fn, "k", hyper.get("k"), 1)
        self.H = int_at_least(fn, "H", hyper.get("H"), 1)
        self.tMax = int_at_least(fn, "tMax", hyper.get("tMax"), 1)
        self.seed = hyper.get("seed", 0)
        speeds = hyper.get("speeds")
        if not isinstance(speeds, list) or len(speeds) != self.k:
            raise Fail(f"{fn}: speeds has {len(speeds) if isinstance(speeds, list) else 'no'} entries but k = {self.k}")
        self.speeds = speeds
        self.grace = hyper.get("gracePeriod", 0)
        if not isinstance(self.grace, (int, float)) or not math.isfinite(self.grace) or self.grace < 0:
            raise Fail(f"{fn}: gracePeriod must be finite and >= 0, got {self.grace!r}")
        self.mode = hyper.get("shardMode")
        if self.mode not in ("eq2", "pinned"):
            raise Fail(f"{fn}: shardMode must be 'eq2' or 'pinned', got {self.mode!r}")
        if self.mode == "pinned" and len(self.shards) != self.k:
            raise Fail(f"{fn}: shardMode 'pinned' needs one shard per worker, got {len(self.shards)} shards for k = {self.k}")
        bs = hyper.get("batchSize")
        if bs is not None:
            int_at_least(fn, "batchSize", bs, 1)
        self.rows = [X.shape[0] if bs is None or bs >= X.shape[0] else bs for X, _ in self.shards]
        self.full = [bs is None or bs >= X.shape[0] for X, _ in self.shards]
        self.record = hyper.get("record")
        minSteps = hyper.get("minSteps", 1)
        self.steps = dylu_steps(speeds, self.H, minSteps) if hyper.get("dylu") else [self.H] * self.k
        inner = hyper.get("inner") or {}
        self.inner, self.lr, self.schedule = inner, inner.get("lr"), inner.get("schedule")
        if not isinstance(self.lr, (int, float)) or not math.isfinite(self.lr) or self.lr < 0:
            raise Fail(f"{fn}: inner.lr must be finite and >= 0, got {self.lr!r}")
        if inner.get("kind") not in ("sgd", "adamw"):
            raise Fail(f"{fn}: inner.kind must be 'sgd' or 'adamw', got {inner.get('kind')!r}")
        self.params = [torch.nn.Parameter(self.theta0.clone()) for _ in range(self.k)]
        self.opts = [self._inner_opt(p) for p in self.params]
        self.outer = make_outer(fn, hyper.get("outer"), self.theta0, bug)
        self.learned, self.visits, self.shard_steps, self.jobs = [0] * len(self.shards), [0] * len(self.shards), [0] * len(self.shards), 0
        self.parked = [w for w in range(self.k) if self.steps[w] == 0]
        self.active = [w for w in range(self.k) if self.steps[w] > 0]

    def _inner_opt(self, p):
        c = self.inner
        if c["kind"] == "sgd":
            return torch.optim.SGD([p], lr=self.lr, weight_decay=c.get("weightDecay", 0))
        return torch.optim.AdamW([p], lr=self.lr, betas=(c.get("beta1", 0.9), c.get("beta2", 0.999)), eps=c.get("eps", 1e-8),
                                 weight_decay=c.get("weightDecay", 0.01))

    def job(self, w, theta):
        """Worker w runs its steps from theta on a shard; returns (g, shard, steps)."""
        steps = self.steps[w]
        sizes = [X.shape[0] for X, _ in self.shards]
        shard = w if self.mode == "pinned" else sample_shard({"sizes": sizes, "learned": self.learned, "visits": self.visits}, self.seed, self.jobs)
        self.jobs += 1
        self.visits[shard] += 1
        self.learned[shard] += steps * self.rows[shard]
        t0 = self.shard_steps[shard]
        self.shard_steps[shard] += steps
        X, y = self.shards[shard]
        p, opt = self.params[w], self.opts[w]
        with torch.no_grad():
            p.copy_(theta)
        for s in range(steps):
            t = t0 + s
            lr = schedule_lr(self.lr, self.schedule, t) if self.schedule else self.lr
            for group in opt.param_groups:
                group["lr"] = lr
            if self.full[shard]:
                bx, by = X, y
            else:
                idx = torch.tensor(subject.indices_below(self.seed, subject.MINIBATCH, shard, t, X.shape[0], self.rows[shard]))
                bx, by = X[idx], y[idx]
            opt.zero_grad()
            loss = self.loss(p, bx, by)
            if not math.isfinite(loss.item()):
                raise Fail(f"{self.fn}: inner loss is {loss.item()} at worker {w}, shard {shard}, shard step {t} (lr {lr}); lower the inner learning rate")
            loss.backward()
            opt.step()
        return theta - p.detach(), shard, steps

    def eval_loss(self, theta):
        with torch.no_grad():
            if self.eval is not None:
                return self.loss(theta, *self.eval).item()
            total = sum(self.loss(theta, X, y).item() * X.shape[0] for X, y in self.shards)
            return total / sum(X.shape[0] for X, _ in self.shards)


class Trace:
    def __init__(self, run, algorithm):
        self.run, self.rows = run, []
        self.t = {"algorithm": algorithm, "rounds": [], "models": [], "loss": [], "communications": [], "time": [], "totalLocalSteps": [], "updates": []}

    def offer(self, r, theta, comms, time, total, local=None):
        self.rows.append((r, theta.clone(), comms, time, total, local))

    def finish(self, theta, updates):
        wanted = record_rounds(self.run.fn, self.run.record, self.rows[-1][0])
        local = []
        for r, theta_r, comms, time, total, ls in self.rows:
            if r in wanted:
                for key, v in (("rounds", r), ("models", theta_r), ("loss", self.run.eval_loss(theta_r)), ("communications", comms), ("time", time), ("totalLocalSteps", total)):
                    self.t[key].append(v)
                if ls is not None:
                    local.append(ls)
        if local:
            self.t["localSteps"] = local
        self.t.update(updates=updates, parked=self.run.parked, theta=theta)
        return self.t


def diloco(problem, hyper, bug=None):
    run = Run("runDiLoCo", problem, hyper, bug)
    theta, time, total, local, comms, r, updates = run.theta0.clone(), 0.0, 0, 0, 0, 0, []
    tr = Trace(run, f"diloco (torch{', dylu' if hyper.get('dylu') else ''})")
    tr.offer(0, theta, 0, 0, 0, 0)
    while total < run.tMax:
        delta, wait, longest, shards = torch.zeros(run.dim), 0.0, 0, []
        for w in run.active:
            g, shard, steps = run.job(w, theta)
            delta = delta + g
            wait, longest, total = max(wait, steps / run.speeds[w]), max(longest, steps), total + steps
            shards.append(shard)
        theta = run.outer.step(delta / len(run.active))
        updates += [{"time": time + wait, "worker": w, "staleness": 0, "steps": run.steps[w], "shard": s, "start": time} for w, s in zip(run.active, shards)]
        time, local, comms, r = time + wait, local + longest, comms + len(run.active), r + 1
        tr.offer(r, theta, comms, time, total, local)
    return tr.finish(theta, updates)


def async_local_sgd(problem, hyper, bug=None):
    run = Run("runAsync", problem, hyper, bug)
    theta, time, total, comms, r, updates = run.theta0.clone(), 0.0, 0, 0, 0, []
    tau_sync = math.inf
    running = [None] * run.k  # per worker: (g, start, completion, version, shard, steps)
    events = []  # (completion, worker), sorted
    tr = Trace(run, f"async (torch{', dylu' if hyper.get('dylu') else ''}, grace={run.grace})")
    tr.offer(0, theta, 0, 0, 0)
    while total < run.tMax:
        if not (events and (tau_sync == math.inf or events[0][0] - tau_sync <= run.grace)):
            tau_sync = math.inf
            for w in run.active:
                if running[w] is None:
                    g, shard, steps = run.job(w, theta)
                    completion = time + steps / run.speeds[w]
                    running[w] = (g, time, completion, r, shard, steps)
                    events.append((completion, w))
            events.sort()
            if not events:
                raise Fail(f"runAsync: no worker can start a job (steps per job are {run.steps})")
        completion, w = events.pop(0)
        g, start, _, version, shard, steps = running[w]
        running[w] = None
        time = max(time, completion)
        theta = run.outer.step(g)
        total += steps
        tau_sync = min(tau_sync, completion)
        updates.append({"time": time, "worker": w, "staleness": r - version, "steps": steps, "shard": shard, "start": start})
        r, comms = r + 1, comms + 1
        tr.offer(r, theta, comms, time, total)
    return tr.finish(theta, updates)
