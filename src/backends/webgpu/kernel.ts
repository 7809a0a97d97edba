/**
 * The WGSL kernel of the WebGPU backend: B same-shape federated runs, one workgroup per instance, in f32.
 *
 *   for r = 0..R-1:  for k with alpha_k > 0:  w_k = w;  L_k times:  w_k -= eta_t (g_k(w_k) + lambda w_k)
 *                    w = sum_k alpha_k w_k                                  (src/optimizers/parts, 'average')
 *
 * g_k is the mean gradient over node k's rows (Local-GD, centralized GD planned as one pooled node) or over the
 * minibatch rows listed in `ints` (Local-SGD: indices drawn on the CPU by src/optimizers/rng.ts, so a run is the
 * reference's run with the same rows). A local step is two phases per chunk of at most 256 rows: each thread takes
 * rows and writes c_i = l'(x_i^T w, y_i) / n into workgroup memory; then each thread takes coordinates j and adds
 * sum_i c_i x_ij. Recorded rounds write the model and the objective F = sum_k alpha_k f_k; the last round writes the
 * reductions (loss, ||w||, min margin, direction error to a reference), so only a few numbers per instance return.
 *
 * Operations and their accuracy (WGSL spec; docs/gpu-backend.md uses them): + - * correctly rounded; fma either
 * fused or rounded twice (llvmpipe does not fuse); exp within 3 + 2|x| ULP; x / y within 2.5 ULP; sqrt as 1/inversesqrt
 * within 2.5 ULP. No division or log sits on the gradient path except sigma(-m) = e / (1 + e) of the logistic loss.
 * log1p is the atanh series 2 sum z^(2i+1)/(2i+1), z = x / (2 + x) <= 1/3 for x in [0, 1] (8 terms: truncation
 * below 2^-26 relative), because WGSL's log has only an absolute error bound (2^-21) near 1.
 *
 * A dispatch runs rounds [r0, r1) and keeps the state in `st`, so long runs are split over several dispatches (batch.ts):
 * Mesa's llvmpipe returned zeros for the rounds after a few thousand workgroup barriers in one dispatch, and real
 * GPUs' watchdogs dislike long dispatches too. The first dispatch (r0 = 0) loads w0; the last (r1 = R) writes the
 * reductions.
 *
 * Buffers: P (uniform parameters), dat (f32: X [B][N][d] | y [B][N] | alpha [B][K] | eta [B][S] | w0 [B][d] |
 * ref [B][d] | invStep [K] | invRows [K]), ints (u32: node row starts [K+1] | L [K] | record slot [R+1] | rounds per instance [B] | minibatch
 * rows [B][K][tMax][batch]), st (f32 scratch [B][4][d]: w, w_k, acc, grad), out (f32: [B][nRec][d+1] models and
 * objectives, then [B][6]: loss, ||w||, min margin, direction error, ||w - ref||, and the count of dispatched rounds). Instances
 * may stop early: rounds [B] in `ints` (a batch with record 'last' may mix run lengths; the state then stays put).
 */

export const WORKGROUP_ROWS = 256;

export const KERNEL_WGSL = /* wgsl */ `
struct Params {
  B: u32, d: u32, K: u32, N: u32,
  R: u32, loss: u32, batch: u32, nRec: u32,
  gridX: u32, etaStride: u32, hasRef: u32, l2: f32,
  offY: u32, offAlpha: u32, offEta: u32, offW0: u32,
  offRef: u32, offStart: u32, offL: u32, offRec: u32,
  offInv: u32, offIdx: u32, tMax: u32, offStats: u32,
  r0: u32, r1: u32, offRounds: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> dat: array<f32>;
@group(0) @binding(2) var<storage, read> ints: array<u32>;
@group(0) @binding(3) var<storage, read_write> st: array<f32>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;

override WG: u32 = 64u;
const CH: u32 = ${WORKGROUP_ROWS}u;
const NONE: u32 = 0xffffffffu;

var<workgroup> coef: array<f32, ${WORKGROUP_ROWS}>;
var<workgroup> rowOf: array<u32, ${WORKGROUP_ROWS}>;
var<workgroup> redA: array<f32, ${WORKGROUP_ROWS}>;
var<workgroup> redB: array<f32, ${WORKGROUP_ROWS}>;
var<workgroup> redC: array<f32, ${WORKGROUP_ROWS}>;

// dl/ds: squared s - y; exponential -y exp(-y s); logistic -y sigma(-y s)
fn dl(s: f32, y: f32) -> f32 {
  if (P.loss == 0u) { return s - y; }
  let m = y * s;
  if (P.loss == 1u) { return -y * exp(-m); }
  if (m >= 0.0) { let e = exp(-m); return -y * (e / (1.0 + e)); }
  return -y / (1.0 + exp(m));
}

// log(1 + x) for x in [0, 1]: 2 atanh(z), z = x / (2 + x)
fn log1pUnit(x: f32) -> f32 {
  let z = x / (2.0 + x);
  let z2 = z * z;
  var p = 1.0 / 15.0;
  p = p * z2 + 1.0 / 13.0;
  p = p * z2 + 1.0 / 11.0;
  p = p * z2 + 1.0 / 9.0;
  p = p * z2 + 1.0 / 7.0;
  p = p * z2 + 1.0 / 5.0;
  p = p * z2 + 1.0 / 3.0;
  p = p * z2 + 1.0;
  return 2.0 * z * p;
}

fn lv(s: f32, y: f32) -> f32 {
  if (P.loss == 0u) { let r = s - y; return 0.5 * r * r; }
  let m = y * s;
  if (P.loss == 1u) { return exp(-m); }
  if (m >= 0.0) { return log1pUnit(exp(-m)); }
  return -m + log1pUnit(exp(m));
}

fn score(xb: u32, row: u32, wo: u32) -> f32 {
  var s = 0.0;
  for (var j = 0u; j < P.d; j++) { s = fma(dat[xb + row * P.d + j], st[wo + j], s); }
  return s;
}

fn nodeOf(row: u32) -> u32 {
  var k = 0u;
  loop {
    if (k + 1u >= P.K || row < ints[P.offStart + k + 1u]) { break; }
    k++;
  }
  return k;
}

// tree sums of redA, redB, redC over the workgroup (WG a power of two)
fn reduce3(lid: u32) {
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h / 2u) {
    if (lid < h) { redA[lid] += redA[lid + h]; redB[lid] += redB[lid + h]; redC[lid] = min(redC[lid], redC[lid + h]); }
    workgroupBarrier();
  }
}

// objective F(w) = sum_k alpha_k ((1/n_k) sum_i l(x_i^T w, y_i) + (lambda/2)||w||^2); also ||w||^2 and min y s
fn objective(b: u32, wo: u32, lid: u32) -> vec3<f32> {
  let xb = b * P.N * P.d;
  var acc = 0.0;
  var mn = 3.4e38;
  for (var i = lid; i < P.N; i += WG) {
    let k = nodeOf(i);
    let a = dat[P.offAlpha + b * P.K + k];
    let y = dat[P.offY + b * P.N + i];
    let s = score(xb, i, wo);
    mn = min(mn, y * s);
    if (a != 0.0) { acc += a * dat[P.offInv + P.K + k] * lv(s, y); }
  }
  var ww = 0.0;
  for (var j = lid; j < P.d; j += WG) { let w = st[wo + j]; ww = fma(w, w, ww); }
  redA[lid] = acc;
  redB[lid] = ww;
  redC[lid] = mn;
  reduce3(lid);
  let r = vec3<f32>(redA[0], redB[0], redC[0]);
  workgroupBarrier();
  var asum = 0.0;
  for (var k = 0u; k < P.K; k++) { asum += dat[P.offAlpha + b * P.K + k]; }
  return vec3<f32>(r.x + asum * 0.5 * P.l2 * r.y, r.y, r.z);
}

fn record(b: u32, slot: u32, wo: u32, lid: u32) {
  let base = (b * P.nRec + slot) * (P.d + 1u);
  for (var j = lid; j < P.d; j += WG) { outp[base + j] = st[wo + j]; }
  let f = objective(b, wo, lid);
  if (lid == 0u) { outp[base + P.d] = f.x; }
}

fn finalStats(b: u32, wo: u32, lid: u32) {
  let f = objective(b, wo, lid);
  var dir = 0.0;
  var dist = 0.0;
  if (P.hasRef != 0u) {
    let ro = P.offRef + b * P.d;
    var rr = 0.0;
    var dd = 0.0;
    for (var j = lid; j < P.d; j += WG) { let v = dat[ro + j]; rr = fma(v, v, rr); let t = st[wo + j] - v; dd = fma(t, t, dd); }
    redA[lid] = rr;
    redB[lid] = dd;
    redC[lid] = 0.0;
    reduce3(lid);
    let nr = sqrt(redA[0]);
    dist = sqrt(redB[0]);
    let nw = sqrt(f.y);
    workgroupBarrier();
    var e = 0.0;
    for (var j = lid; j < P.d; j += WG) { let t = st[wo + j] / nw - dat[ro + j] / nr; e = fma(t, t, e); }
    redA[lid] = e;
    reduce3(lid);
    dir = sqrt(redA[0]);
  }
  if (lid == 0u) {
    let o = P.offStats + b * 6u;
    outp[o] = f.x;
    outp[o + 1u] = sqrt(f.y);
    outp[o + 2u] = f.z;
    outp[o + 3u] = dir;
    outp[o + 4u] = dist;
  }
}

@compute @workgroup_size(WG)
fn run(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.x + wid.y * P.gridX;
  if (b >= P.B) { return; }
  let d = P.d;
  let oG = b * 4u * d;
  let oL = oG + d;
  let oA = oG + 2u * d;
  let oD = oG + 3u * d;
  let xb = b * P.N * d;
  if (P.r0 == 0u) {
    for (var j = lid; j < d; j += WG) { st[oG + j] = dat[P.offW0 + b * d + j]; }
    storageBarrier();
    let slot0 = ints[P.offRec];
    if (slot0 != NONE) { record(b, slot0, oG, lid); }
  }
  let rb = ints[P.offRounds + b];
  for (var r = P.r0; r < P.r1; r++) {
    // an instance past its own rounds keeps its model (and still records it at the shared rounds)
    if (r < rb) {
    var first = true;
    for (var k = 0u; k < P.K; k++) {
      let a = dat[P.offAlpha + b * P.K + k];
      if (a == 0.0) { continue; }
      let Lk = ints[P.offL + k];
      let r0 = ints[P.offStart + k];
      let nk = ints[P.offStart + k + 1u] - r0;
      let rows = select(nk, P.batch, P.batch != 0u);
      let inv = dat[P.offInv + k];
      for (var j = lid; j < d; j += WG) { st[oL + j] = st[oG + j]; }
      storageBarrier();
      for (var l = 0u; l < Lk; l++) {
        let t = r * Lk + l;
        let eta = dat[P.offEta + b * P.etaStride + min(t, P.etaStride - 1u)];
        for (var j = lid; j < d; j += WG) { st[oD + j] = 0.0; }
        for (var c0 = 0u; c0 < rows; c0 += CH) {
          let cn = min(CH, rows - c0);
          for (var i = lid; i < cn; i += WG) {
            var row = r0 + c0 + i;
            if (P.batch != 0u) { row = r0 + ints[P.offIdx + ((b * P.K + k) * P.tMax + t) * P.batch + c0 + i]; }
            coef[i] = dl(score(xb, row, oL), dat[P.offY + b * P.N + row]) * inv;
            rowOf[i] = row;
          }
          workgroupBarrier();
          for (var j = lid; j < d; j += WG) {
            var g = st[oD + j];
            for (var i = 0u; i < cn; i++) { g = fma(coef[i], dat[xb + rowOf[i] * d + j], g); }
            st[oD + j] = g;
          }
          workgroupBarrier();
        }
        storageBarrier();
        for (var j = lid; j < d; j += WG) {
          let w = st[oL + j];
          st[oL + j] = w - eta * (st[oD + j] + P.l2 * w);
        }
        storageBarrier();
      }
      for (var j = lid; j < d; j += WG) {
        let v = a * st[oL + j];
        if (first) { st[oA + j] = v; } else { st[oA + j] = st[oA + j] + v; }
      }
      first = false;
      storageBarrier();
    }
    for (var j = lid; j < d; j += WG) { st[oG + j] = st[oA + j]; }
    storageBarrier();
    }
    let slot = ints[P.offRec + r + 1u];
    if (slot != NONE) { record(b, slot, oG, lid); }
  }
  if (P.r1 == P.R) { finalStats(b, oG, lid); }
  // the rounds this instance has completed: the host refuses a result whose count is short of R
  storageBarrier();
  if (lid == 0u) { outp[P.offStats + b * 6u + 5u] = f32(P.r1); }
}
`;
