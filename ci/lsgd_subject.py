"""Serve Python optimizers to the lsgd-spec gate over the long-lived protocol `lsgd-spec/2` (ci/PROTOCOL.md).

Standard library only (tested with Python 3.11). Copy this file next to your code, register your functions, call serve():

    import lsgd_subject as subject

    @subject.run("localGD")
    def local_gd(problem, hyper):          # problem: dict (arrays converted, see serve); hyper: dict
        ...
        return {"rounds": [...], "models": [...], "loss": [...], "communications": [...]}

    @subject.call("dyluSteps")
    def dylu_steps(speeds, H, minSteps=1):  # arguments by name, as in the catalogue of ci/PROTOCOL.md
        ...

    @subject.outer("outerNesterov")
    class OuterNesterov:                    # built with the hyperparameters; init(theta0) and step(g) return theta
        def __init__(self, hyper): ...
        def init(self, theta0): ...
        def step(self, g): ...

    subject.serve(name="my-optimizers 1.0", arrays="numpy")

The loop answers `hello`, `run`, `call`, `open`, `step` and `close` requests, one JSON object per line, until standard
input closes. Every exception raised by your code becomes an error answer with one line, "ExceptionType: message"
(the traceback goes to standard error), so the gate sees the call fail exactly as a TypeScript optimizer that throws.
Standard output belongs to the protocol: serve() moves file descriptor 1 to standard error before any of your code
runs, so a print() (or a C library writing to stdout) lands in the gate's log instead of corrupting the channel.

Randomness. With sampler="gate" (the default) each run request carries the gate's draws in hyper["draws"]:
participants[r] (ascending node indices of round r), minibatches[s][t] (B row indices for stream s's t-th local step)
and noise[s][t] (d standard normals). With sampler="own" your code draws with its own generator and the gate checks
the distribution of what it drew instead. The asynchronous capabilities (asyncLocalSGD, diloco) carry no draws: their
minibatches and eq. 2 shard draws come from lsgd-spec's counter-based stream, which `philox_uniform`,
`indices_below` and `sample_shard_uniform` below reproduce bit for bit.
"""
import json
import math
import os
import sys
import traceback

PROTOCOL = "lsgd-spec/2"

# The catalogue of capability names and their shapes (src/subject/catalogue.ts; a test keeps the two equal).
CAPABILITIES = {
    "centralizedGD": "run", "centralizedSGD": "run", "localGD": "run", "localSGD": "run", "modifiedLocalGD": "run",
    "lupaSGD": "run", "adaLupaSGD": "run", "asyncLocalSGD": "run", "diloco": "run",
    "outerSgd": "factory", "outerNesterov": "factory", "delayedNesterov": "factory",
    "dyluSteps": "function", "sampleShard": "function", "scheduleLr": "function",
}
ASYNC_RUNS = ("asyncLocalSGD", "diloco")
MAX_HANDLES = 1024

_registry = {}


def _distance(a, b):
    s, t = a.lower(), b.lower()
    prev = list(range(len(t) + 1))
    for i in range(1, len(s) + 1):
        cur = [i]
        for j in range(1, len(t) + 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] != t[j - 1])))
        prev = cur
    return prev[len(t)]


def suggest(name, known):
    """The closest known name within a third of its length (at least 2 edits), or None (as catalogue.ts)."""
    best, best_d = None, math.inf
    for k in known:
        d = _distance(name, k)
        if d < best_d:
            best, best_d = k, d
    return best if best is not None and best_d <= max(2, len(best) // 3) else None


def _register(shape, name):
    if name not in CAPABILITIES:
        s = suggest(name, CAPABILITIES)
        raise ValueError(f"lsgd_subject: '{name}' is not a capability" + (f" (did you mean '{s}'?)" if s else ""))
    if CAPABILITIES[name] != shape:
        raise ValueError(f"lsgd_subject: '{name}' is a {CAPABILITIES[name]} capability; register it with "
                         f"@subject.{ {'run': 'run', 'function': 'call', 'factory': 'outer'}[CAPABILITIES[name]] }(...)")

    def deco(fn):
        if name in _registry:
            raise ValueError(f"lsgd_subject: '{name}' is registered twice")
        _registry[name] = fn
        return fn
    return deco


def run(name):
    """Register fn(problem, hyper) -> trace dict for a run-shaped capability."""
    return _register("run", name)


def call(name):
    """Register fn(**args) -> JSON value for a function capability (dyluSteps, sampleShard, scheduleLr)."""
    return _register("function", name)


def outer(name):
    """Register a class or factory: factory(hyper) -> object with init(theta0) -> theta and step(g) -> theta."""
    return _register("factory", name)


def registered():
    return sorted(_registry)


# ---------------------------------------------------------------------------------------------------------------
# Array conversion


class ProtocolError(Exception):
    """A request that breaks the protocol (answered as an error, like any exception)."""


def _to_plain(v, path):
    """JSON-ready copy of v: arrays and tensors to lists, numpy scalars to numbers; NaN/Infinity are errors."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"the answer has {v} at {path or 'top level'} (NaN and Infinity are not JSON; "
                             "a diverged run should raise instead)")
        return v
    if isinstance(v, dict):
        return {str(k): _to_plain(x, f"{path}.{k}" if path else str(k)) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_to_plain(x, f"{path}[{i}]") for i, x in enumerate(v)]
    if hasattr(v, "detach") and hasattr(v, "cpu"):  # a torch tensor
        v = v.detach().cpu()
    if hasattr(v, "tolist"):  # numpy arrays and scalars, torch tensors, array.array
        return _to_plain(v.tolist(), path)
    if hasattr(v, "__float__"):
        return _to_plain(float(v), path)
    raise TypeError(f"the answer has a {type(v).__name__} at {path or 'top level'}, which is not JSON")


class _Arrays:
    """Converts the vectors and matrices of a request into the user's arrays ('list' or 'numpy')."""

    def __init__(self, kind):
        if kind not in ("list", "numpy"):
            raise ValueError(f"lsgd_subject.serve: arrays must be 'list' or 'numpy', got {kind!r}")
        self.np = None
        if kind == "numpy":
            import numpy  # only when asked for: the helper itself needs nothing outside the standard library
            self.np = numpy

    def vec(self, v):
        return v if self.np is None else self.np.array(v, dtype=self.np.float64)

    def mat(self, rows, cols):
        if self.np is None:
            return rows
        return self.np.array(rows, dtype=self.np.float64).reshape(len(rows), cols)

    def problem(self, capability, p):
        if not isinstance(p, dict):
            raise ProtocolError(f"{capability}: params.problem must be an object, got {type(p).__name__}")
        p = dict(p)
        if capability in ASYNC_RUNS:
            model = p.get("model") or {}
            d = model.get("features")
            for key in ("shards",):
                p[key] = [self._shard(s, d) for s in p.get(key) or []]
            if p.get("evalSet") is not None:
                p["evalSet"] = self._shard(p["evalSet"], d)
            if p.get("theta0") is not None:
                p["theta0"] = self.vec(p["theta0"])
            return p
        d = p.get("d")
        p["nodes"] = [dict(nd, X=self.mat(nd.get("X", []), d), y=self.vec(nd.get("y", []))) for nd in p.get("nodes") or []]
        return p

    def _shard(self, s, d):
        return dict(s, X=self.mat(s.get("X", []), d), y=self.vec(s.get("y", [])))

    def hyper(self, h):
        if not isinstance(h, dict):
            return h
        h = dict(h)
        for key in ("w0",):
            if isinstance(h.get(key), list):
                h[key] = self.vec(h[key])
        return h


# ---------------------------------------------------------------------------------------------------------------
# The message loop


def _one_line(e):
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg}" if msg else type(e).__name__


class _Server:
    def __init__(self, name, precision, sampler, arrays, channel):
        if precision not in ("f64", "f32"):
            raise ValueError(f"lsgd_subject.serve: precision must be 'f64' or 'f32', got {precision!r}")
        if sampler not in ("gate", "own"):
            raise ValueError(f"lsgd_subject.serve: sampler must be 'gate' or 'own', got {sampler!r}")
        self.name, self.precision, self.sampler = name, precision, sampler
        self.arrays = _Arrays(arrays)
        self.channel = channel
        self.handles = {}
        self.next_handle = 1

    def answer(self, rid, result=None, error=None):
        msg = {"id": rid, "error": {"message": error}} if error is not None else {"id": rid, "result": result}
        self.channel.write(json.dumps(msg, allow_nan=False, separators=(",", ":")) + "\n")
        self.channel.flush()

    def capability(self, params, shape):
        if not isinstance(params, dict):
            raise ProtocolError(f"params must be an object, got {type(params).__name__}")
        cap = params.get("capability")
        if not isinstance(cap, str):
            raise ProtocolError(f"params.capability must be a string, got {json.dumps(cap)}")
        if cap not in CAPABILITIES:
            s = suggest(cap, CAPABILITIES)
            raise ProtocolError(f"'{cap}' is not a capability" + (f" (did you mean '{s}'?)" if s else ""))
        if cap not in _registry:
            raise ProtocolError(f"this subject does not offer '{cap}' (it offers {', '.join(registered()) or 'nothing'})")
        if CAPABILITIES[cap] != shape:
            raise ProtocolError(f"'{cap}' is a {CAPABILITIES[cap]} capability, not a {shape}")
        return cap, _registry[cap]

    def handle(self, method, params):
        if method == "hello":
            got = params.get("protocol") if isinstance(params, dict) else None
            if got != PROTOCOL:
                raise ProtocolError(f"this subject speaks {PROTOCOL}, the gate asked for {json.dumps(got)}")
            if not _registry:
                raise ProtocolError("no capability is registered (use @subject.run, @subject.call or @subject.outer)")
            return {"protocol": PROTOCOL, "capabilities": registered(), "precision": self.precision,
                    "sampler": self.sampler, "name": self.name}
        if method == "run":
            cap, fn = self.capability(params, "run")
            hyper = self.arrays.hyper(params.get("hyper"))
            if isinstance(hyper, dict) and isinstance(params.get("draws"), dict) and "draws" not in hyper:
                hyper["draws"] = params["draws"]
            return _to_plain(fn(self.arrays.problem(cap, params.get("problem")), hyper), "")
        if method == "call":
            cap, fn = self.capability(params, "function")
            args = params.get("args", {})
            if isinstance(args, list):  # a registry's own capability: positional arguments
                return _to_plain(fn(*args), "")
            if not isinstance(args, dict):
                raise ProtocolError(f"{cap}: params.args must be an object of named arguments, got {json.dumps(args)}")
            return _to_plain(fn(**{k: v for k, v in args.items() if v is not None}), "")
        if method == "open":
            cap, factory = self.capability(params, "factory")
            if len(self.handles) >= MAX_HANDLES:
                raise ProtocolError(f"{len(self.handles)} handles are open; close some first")
            obj = factory(params.get("hyper"))
            theta = obj.init(self.arrays.vec(params.get("theta0")))
            h = f"h{self.next_handle}"
            self.next_handle += 1
            self.handles[h] = [obj, 0, cap]
            return {"handle": h, "theta": _to_plain(theta, "theta"), "t": 0}
        if method in ("step", "close"):
            h = params.get("handle") if isinstance(params, dict) else None
            if h not in self.handles:
                raise ProtocolError(f"{method}: unknown handle {json.dumps(h)} (open handles: {', '.join(self.handles) or 'none'})")
            if method == "close":
                del self.handles[h]
                return None
            entry = self.handles[h]
            theta = entry[0].step(self.arrays.vec(params.get("g")))
            entry[1] += 1
            return {"theta": _to_plain(theta, "theta"), "t": entry[1]}
        raise ProtocolError(f"unknown method {json.dumps(method)} (expected hello, run, call, open, step or close)")

    def serve(self, lines):
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError as e:
                self.answer(None, error=f"ProtocolError: the request is not JSON ({_one_line(e)})")
                continue
            rid = msg.get("id") if isinstance(msg, dict) else None
            if not isinstance(msg, dict) or not isinstance(rid, int) or isinstance(rid, bool):
                self.answer(rid if isinstance(rid, int) else None, error="ProtocolError: a request is an object with an integer \"id\" and a \"method\"")
                continue
            try:
                result = self.handle(msg.get("method"), msg.get("params", {}))
            except BaseException as e:  # noqa: BLE001 -- every failure of user code is an answer, never a crash
                if isinstance(e, KeyboardInterrupt):
                    raise
                if not isinstance(e, ProtocolError):
                    traceback.print_exc(file=sys.stderr)
                self.answer(rid, error=_one_line(e))
                continue
            try:
                self.answer(rid, result=result)
            except (TypeError, ValueError) as e:
                self.answer(rid, error=_one_line(e))


def serve(name="python subject", precision="f64", sampler="gate", arrays="list", stdin=None, stdout=None):
    """Answer requests until standard input closes.

    name       shown in the gate's report
    precision  'f64' or 'f32': the arithmetic your code computes in
    sampler    'gate' (use hyper['draws']) or 'own' (your own generator)
    arrays     'list' (nested lists) or 'numpy' (float64 ndarrays): how X, y, w0, theta0 and g reach your code
    """
    if stdout is None:
        # The channel is a private copy of fd 1; fd 1 itself (and sys.stdout) now go to standard error.
        sys.stdout.flush()
        channel = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    else:
        channel = stdout
    server = _Server(name, precision, sampler, arrays, channel)
    server.serve(stdin if stdin is not None else sys.stdin)


# ---------------------------------------------------------------------------------------------------------------
# lsgd-spec's counter-based stream (src/optimizers/rng.ts: Philox4x32-10), for the draws that requests do not carry.

_M0, _M1, _W0, _W1, _MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF
MINIBATCH = 1  # PURPOSE.minibatch (key stream 0)
ASYNC_STREAM = 6  # the simulator's own key word (src/optimizers/async/_internals/streams.ts)
ASYNC_SHARD = 1  # ASYNC_PURPOSE.shard


def philox4x32(c0, c1, c2, c3, k0, k1):
    """One Philox4x32-10 block (Salmon et al. 2011): four unsigned 32-bit words."""
    x0, x1, x2, x3 = c0 & _MASK, c1 & _MASK, c2 & _MASK, c3 & _MASK
    a, b = k0 & _MASK, k1 & _MASK
    for r in range(10):
        if r > 0:
            a = (a + _W0) & _MASK
            b = (b + _W1) & _MASK
        p0 = _M0 * x0
        p1 = _M1 * x2
        x0, x1, x2, x3 = ((p1 >> 32) ^ x1 ^ a), p1 & _MASK, ((p0 >> 32) ^ x3 ^ b), p0 & _MASK
    return x0, x1, x2, x3


def philox_uniform(seed, stream, purpose, a, b, i):
    """The i-th uniform double in [0, 1) of the stream (purpose, a, b) under key (seed, stream) (rng.ts uniformAt)."""
    blk = philox4x32(purpose, a, b, i // 2, seed & _MASK, stream)
    o = (i & 1) * 2
    return ((blk[o] >> 5) * 67108864 + (blk[o + 1] >> 6)) * 2.0 ** -53


def indices_below(seed, purpose, a, b, n, count):
    """count indices uniform in [0, n) with replacement (rng.ts indicesBelow, key stream 0): lane l gives 2l, 2l+1."""
    out = []
    for lane in range((count + 1) // 2):
        x0, x1, x2, x3 = philox4x32(purpose, a, b, lane, seed & _MASK, 0)
        out.append(math.floor(((x0 >> 5) * 67108864 + (x1 >> 6)) * 2.0 ** -53 * n))
        out.append(math.floor(((x2 >> 5) * 67108864 + (x3 >> 6)) * 2.0 ** -53 * n))
    return out[:count]


def sample_shard_uniform(seed, job):
    """The uniform in [0, 1) that the eq. 2 shard draw of job number `job` uses (shardSampler.ts)."""
    return philox_uniform(seed, ASYNC_STREAM, ASYNC_SHARD, 0, job, 0)
