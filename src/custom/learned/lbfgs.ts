/** The objective: fills `grad` and returns the value at `x`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Settings of `minimize`. */
export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the value improves by less than this share of itself. */
  tolerance: number;
  /** Pairs of past steps kept for the curvature estimate. */
  memory: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, from zero. Deterministic: plain loops in a fixed
 * order, no randomness, so the same data gives the same weights on every engine. For smooth convex objectives such
 * as L2-regularized logistic regression, whose minimum is unique.
 */
export function minimize(f: Objective, size: number, options: LbfgsOptions): { x: Float64Array; value: number; iterations: number } {
  const x = new Float64Array(size);
  const g = new Float64Array(size);
  let value = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(size);
  const xNext = new Float64Array(size);
  const gNext = new Float64Array(size);
  const alpha = new Array<number>(options.memory);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < size; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      const y = Y[k];
      for (let i = 0; i < size; i++) d[i] -= alpha[k] * y[i];
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < size; i++) d[i] *= gamma;
    } else {
      const norm = Math.sqrt(dot(g, g));
      if (norm === 0) break;
      for (let i = 0; i < size; i++) d[i] /= Math.max(1, norm);
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      const s = S[k];
      for (let i = 0; i < size; i++) d[i] += (alpha[k] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding): start the curvature memory again from the gradient.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < size; i++) d[i] = -g[i];
      slope = dot(g, d);
      if (!(slope < 0)) break;
    }
    let step = 1;
    let next = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) xNext[i] = x[i] + step * d[i];
      next = f(xNext, gNext);
      if (next <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(next <= value)) break;
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = xNext[i] - x[i];
      y[i] = gNext[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === options.memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x.set(xNext);
    g.set(gNext);
    const improved = value - next;
    value = next;
    if (improved <= options.tolerance * Math.max(1, Math.abs(value))) {
      iterations++;
      break;
    }
  }
  return { x, value, iterations };
}
