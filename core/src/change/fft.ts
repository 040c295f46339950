// A radix-2 fast Fourier transform on separate real and imaginary arrays, in place: one dimension and the
// square two-dimensional transform co-registration needs. Small and dependency-free; sizes must be powers of 2.

interface Plan {
  n: number;
  /** twiddles of every stage side by side: for a stage of length 2h, entries h … 2h−1 hold cos and −sin of πk/h */
  cos: Float64Array;
  sin: Float64Array;
  /** pairs (i, j), i < j, of indices that bit reversal swaps */
  swaps: Uint32Array;
}

const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0) throw new Error(`FFT size must be a power of 2 (≥ 2), got ${n}`);
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let h = 1; h < n; h <<= 1) {
    for (let k = 0; k < h; k++) {
      cos[h + k] = Math.cos((Math.PI * k) / h);
      sin[h + k] = -Math.sin((Math.PI * k) / h);
    }
  }
  const bits = Math.log2(n);
  const swaps: number[] = [];
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    if (r > i) swaps.push(i, r);
  }
  p = { n, cos, sin, swaps: Uint32Array.from(swaps) };
  plans.set(n, p);
  return p;
}

/** One transform of n contiguous complex values at re/im[offset …], in place. */
function transform(re: Float64Array, im: Float64Array, n: number, offset: number, sign: number, p: Plan): void {
  const { cos, sin, swaps } = p;
  for (let s = 0; s < swaps.length; s += 2) {
    const a = offset + swaps[s]!, b = offset + swaps[s + 1]!;
    const tr = re[a]!, ti = im[a]!;
    re[a] = re[b]!;
    im[a] = im[b]!;
    re[b] = tr;
    im[b] = ti;
  }
  for (let half = 1; half < n; half <<= 1) {
    for (let start = offset; start < offset + n; start += 2 * half) {
      for (let k = 0; k < half; k++) {
        const wr = cos[half + k]!, wi = sign * sin[half + k]!;
        const a = start + k, b = a + half;
        const br = re[b]!, bi = im[b]!;
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a]!, ai = im[a]!;
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

/** The discrete Fourier transform of n contiguous complex values at re/im[offset …], in place; `inverse` transforms back without the 1/n factor. */
export function fft1d(re: Float64Array, im: Float64Array, n: number, inverse = false, offset = 0): void {
  if (offset < 0 || offset + n > re.length || offset + n > im.length) throw new Error(`fft1d: ${n} values from ${offset} do not fit`);
  transform(re, im, n, offset, inverse ? -1 : 1, plan(n));
}

/** Transposes an n × n row-major array in place. */
function transpose(a: Float64Array, n: number): void {
  for (let y = 0; y < n; y++) {
    for (let x = y + 1; x < n; x++) {
      const i = y * n + x, j = x * n + y;
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }
}

/**
 * The 2-D transform of an n × n row-major complex array, in place (rows, then columns as rows of the
 * transposed array, which keeps memory access sequential); no 1/n² on the inverse.
 */
export function fft2d(re: Float64Array, im: Float64Array, n: number, inverse = false): void {
  if (re.length !== n * n || im.length !== n * n) throw new Error(`fft2d: expected ${n * n} values, got ${re.length} and ${im.length}`);
  const p = plan(n);
  const sign = inverse ? -1 : 1;
  for (let pass = 0; pass < 2; pass++) {
    for (let row = 0; row < n; row++) transform(re, im, n, row * n, sign, p);
    transpose(re, n);
    transpose(im, n);
  }
}
