// Co-registration of a before/after window pair before the change model sees it: two flights of one place are
// often off by metres, and a model reads every edge of a shifted building as change. The shift of the before
// window against the after window is estimated by phase correlation of their gradient images (sub-pixel, with a
// peak-to-sidelobe ratio as confidence) and the before window is resampled onto the after window, bilinearly.
import { fft2d } from './fft.js';

export interface CoregistrationOptions {
  /** Shifts are clamped to this many pixels per axis (default 12). */
  maxShiftPx: number;
  /** Peak-to-sidelobe ratio below which an estimate is not trusted and no shift is applied (default 10). */
  minConfidence: number;
  /** Smallest gain in gradient correlation (see WindowShift.gain) for an estimate to be trusted (default 0.1). */
  minGain: number;
  /** Shifts shorter than this (pixels) are not applied: the model was trained to tolerate a few pixels, and a wrong estimate of a well-registered pair only hurts (default 2). */
  minShiftPx: number;
  /** Side of the central square the shift is estimated on, a power of 2 (default 128). */
  estimateSize: number;
}

export const COREGISTRATION_DEFAULTS: CoregistrationOptions = { maxShiftPx: 12, minConfidence: 10, minGain: 0.1, minShiftPx: 2, estimateSize: 128 };

/** The estimated shift of one window: the before window's pixel (x + dx, y + dy) shows what the after window shows at (x, y). */
export interface WindowShift {
  dx: number;
  dy: number;
  /** peak-to-sidelobe ratio of the correlation surface */
  confidence: number;
  /**
   * how much the shift raises the normalised correlation of the two gradient images over no shift at all (at
   * whole pixels, −1…2): a true offset raises it markedly, a spurious correlation peak does not
   */
  gain: number;
  /** the confidence reached `minConfidence` and the gain `minGain` */
  trusted: boolean;
  /** the estimate was larger than `maxShiftPx` and was cut down to it */
  clamped: boolean;
  /** the before window was resampled by (dx, dy) */
  applied: boolean;
  /** the estimate was not trusted and (dx, dy) is its neighbours' agreed shift instead (see borrowAgreedShift) */
  borrowed?: boolean;
}

// Width (σ, pixels) of the Gaussian the correlation peak is smoothed to: a sampled Gaussian's peak is found to a
// fraction of a pixel by a parabola through the logarithms of three samples, and the weighting quiets the
// highest frequencies, where JPEG noise and resampling leave little true phase.
const PEAK_SIGMA = 1;
// Around the peak, this many pixels each side are left out of the sidelobe statistics.
const PEAK_EXCLUSION = 5;

/**
 * Estimates and applies the shift of before windows against after windows. One instance keeps its scratch
 * buffers between windows; it is not meant to be shared between threads.
 */
export class Coregistration {
  readonly options: CoregistrationOptions;
  private readonly n: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly hann: Float64Array;
  private readonly weight: Float64Array;
  private readonly lumA: Float32Array;
  private readonly lumB: Float32Array;
  private readonly mask: Uint8Array;
  private readonly gradA: Float64Array;
  private readonly gradB: Float64Array;
  private scratch = new Float32Array(0);

  constructor(options: Partial<CoregistrationOptions> = {}) {
    this.options = { ...COREGISTRATION_DEFAULTS, ...options };
    const { maxShiftPx, minConfidence, minGain, minShiftPx, estimateSize: n } = this.options;
    if (!(minGain >= -1 && minGain <= 2)) throw new Error(`co-registration: minGain must be −1…2, got ${minGain}`);
    if (!(maxShiftPx > 0)) throw new Error(`co-registration: maxShiftPx must be positive, got ${maxShiftPx}`);
    if (!(minConfidence >= 0)) throw new Error(`co-registration: minConfidence must be ≥ 0, got ${minConfidence}`);
    if (!(minShiftPx >= 0)) throw new Error(`co-registration: minShiftPx must be ≥ 0, got ${minShiftPx}`);
    if (!Number.isInteger(n) || n < 32 || (n & (n - 1)) !== 0) throw new Error(`co-registration: estimateSize must be a power of 2 ≥ 32, got ${n}`);
    if (2 * maxShiftPx + 2 * PEAK_EXCLUSION >= n) throw new Error(`co-registration: estimateSize ${n} is too small for shifts of ${maxShiftPx} px`);
    this.n = n;
    this.re = new Float64Array(n * n);
    this.im = new Float64Array(n * n);
    this.lumA = new Float32Array(n * n);
    this.lumB = new Float32Array(n * n);
    this.mask = new Uint8Array(n * n);
    this.gradA = new Float64Array(n * n);
    this.gradB = new Float64Array(n * n);
    this.hann = new Float64Array(n);
    for (let i = 0; i < n; i++) this.hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
    this.weight = new Float64Array(n * n);
    for (let v = 0; v < n; v++) {
      const fy = (v <= n / 2 ? v : v - n) / n;
      for (let u = 0; u < n; u++) {
        const fx = (u <= n / 2 ? u : u - n) / n;
        this.weight[v * n + u] = Math.exp(-2 * Math.PI ** 2 * PEAK_SIGMA ** 2 * (fx * fx + fy * fy));
      }
    }
  }

  /**
   * Co-registers one window pair in place: `before` and `after` are three planes (RGB in [0, 1]) of a
   * size × size window; `before` (and its validity mask, when given) is resampled when the estimate is trusted.
   * Null when the windows hold too little data in common to estimate a shift on (nothing is changed then).
   */
  align(before: Float32Array, after: Float32Array, size: number, validBefore?: Uint8Array, validAfter?: Uint8Array): WindowShift | null {
    const shift = this.estimate(before, after, size, validBefore, validAfter);
    if (shift?.applied) this.resample(before, size, shift.dx, shift.dy, validBefore);
    return shift;
  }

  /**
   * The shift of `before` against `after` (three planes each of a size × size window), not applied. It is
   * estimated on a square of `estimateSize`: the window's centre, or where the two windows hold the most data in
   * common when validity masks are given; null when no square is at least half valid in both.
   */
  estimate(before: Float32Array, after: Float32Array, size: number, validBefore?: Uint8Array, validAfter?: Uint8Array): WindowShift | null {
    const { n } = this;
    const plane = size * size;
    if (size < n) throw new Error(`co-registration: a ${size} px window is smaller than the ${n} px estimation square`);
    if (before.length < 3 * plane || after.length < 3 * plane) throw new Error(`co-registration: expected 3 planes of ${size}×${size}`);
    const square = this.square(size, validBefore, validAfter);
    if (!square) return null;
    luminance(before, size, square.x, square.y, n, this.lumB);
    luminance(after, size, square.x, square.y, n, this.lumA);
    const mask = square.mask;
    // Both gradient images go through one complex transform: after as the real part, before as the imaginary.
    this.gradient(this.lumA, this.re, mask);
    this.gradient(this.lumB, this.im, mask);
    this.gradA.set(this.re);
    this.gradB.set(this.im);
    fft2d(this.re, this.im, n);
    this.crossPower();
    fft2d(this.re, this.im, n, true);
    return this.peak();
  }

  /**
   * Where to estimate: the centre square when it is (nearly) all valid, else the most valid of nine squares
   * spread over the window; with the joint validity of its pixels when any is invalid.
   */
  private square(size: number, validBefore?: Uint8Array, validAfter?: Uint8Array): { x: number; y: number; mask: Uint8Array | null } | null {
    const { n } = this;
    const centre = (size - n) >> 1;
    if (!validBefore && !validAfter) return { x: centre, y: centre, mask: null };
    const ok = (k: number) => (!validBefore || validBefore[k]) && (!validAfter || validAfter[k]);
    // Share of valid pixels, sampled every 4th pixel each way.
    const share = (x0: number, y0: number) => {
      let v = 0, all = 0;
      for (let y = y0; y < y0 + n; y += 4) for (let x = x0; x < x0 + n; x += 4, all++) if (ok(y * size + x)) v++;
      return v / all;
    };
    let best = { x: centre, y: centre, share: share(centre, centre) };
    if (best.share < 0.98) {
      for (const y of [0, centre, size - n]) for (const x of [0, centre, size - n]) {
        const s = share(x, y);
        if (s > best.share) best = { x, y, share: s };
      }
    }
    if (best.share < 0.5) return null;
    if (best.share === 1) return { x: best.x, y: best.y, mask: null };
    const mask = this.mask;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mask[y * n + x] = ok((best.y + y) * size + best.x + x) ? 1 : 0;
    return { x: best.x, y: best.y, mask };
  }

  /**
   * Gradient magnitude of an n × n luminance square, mean removed and tapered by a Hann window, into `out`;
   * where `mask` is 0 (or next to such a pixel) the result is 0, so a data edge is no feature.
   */
  private gradient(lum: Float32Array, out: Float64Array, mask: Uint8Array | null): void {
    const { n, hann } = this;
    let sum = 0, count = 0;
    for (let y = 0; y < n; y++) {
      const up = (y > 0 ? y - 1 : y) * n, down = (y < n - 1 ? y + 1 : y) * n;
      for (let x = 0; x < n; x++) {
        const left = x > 0 ? x - 1 : x, right = x < n - 1 ? x + 1 : x;
        const k = y * n + x;
        if (mask && !(mask[k] && mask[y * n + left] && mask[y * n + right] && mask[up + x] && mask[down + x])) {
          out[k] = NaN;
          continue;
        }
        const gx = lum[y * n + right]! - lum[y * n + left]!;
        const gy = lum[down + x]! - lum[up + x]!;
        const g = Math.sqrt(gx * gx + gy * gy);
        out[k] = g;
        sum += g;
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const k = y * n + x;
        const g = out[k]!;
        out[k] = g === g ? (g - mean) * hann[x]! * hann[y]! : 0;
      }
    }
  }

  /**
   * From the joint spectrum Z = A + iB of the after (A) and before (B) images: the normalised cross-power
   * spectrum B·conj(A)/|B·conj(A)|, weighted by the Gaussian, whose inverse peaks at the before image's shift.
   */
  private crossPower(): void {
    const { n, re, im, weight } = this;
    for (let v = 0; v <= n / 2; v++) {
      const v2 = (n - v) % n;
      for (let u = 0; u < n; u++) {
        const k = v * n + u;
        const k2 = v2 * n + ((n - u) % n);
        if (k2 < k) continue;
        // A(k) = (Z(k) + conj Z(−k)) / 2, B(k) = (Z(k) − conj Z(−k)) / 2i
        const zr = re[k]!, zi = im[k]!, wr = re[k2]!, wi = im[k2]!;
        const ar = (zr + wr) / 2, ai = (zi - wi) / 2;
        const br = (zi + wi) / 2, bi = (wr - zr) / 2;
        // C = B · conj(A)
        let cr = br * ar + bi * ai;
        let ci = bi * ar - br * ai;
        const mag = Math.sqrt(cr * cr + ci * ci);
        const s = mag > 1e-12 ? weight[k]! / mag : 0;
        cr *= s;
        ci *= s;
        // The correlation of two real images is real: C(−k) = conj C(k).
        re[k] = cr;
        im[k] = ci;
        re[k2] = cr;
        im[k2] = -ci;
      }
    }
  }

  /** The highest point of the correlation surface (in re) within the search range, refined, with its confidence. */
  private peak(): WindowShift {
    const { n, re } = this;
    const { maxShiftPx, minConfidence, minShiftPx } = this.options;
    const reach = Math.min(n / 2 - PEAK_EXCLUSION - 1, Math.ceil(2 * maxShiftPx));
    let best = -Infinity, bx = 0, by = 0;
    for (let sy = -reach; sy <= reach; sy++) {
      const row = ((sy + n) % n) * n;
      for (let sx = -reach; sx <= reach; sx++) {
        const v = re[row + ((sx + n) % n)]!;
        if (v > best) {
          best = v;
          bx = sx;
          by = sy;
        }
      }
    }
    const at = (sx: number, sy: number) => re[((sy + n) % n) * n + ((sx + n) % n)]!;
    let dx = bx + subPixel(at(bx - 1, by), best, at(bx + 1, by));
    let dy = by + subPixel(at(bx, by - 1), best, at(bx, by + 1));
    // Sidelobes: everything but a square around the peak (the whole surface, less that square).
    let sum = 0, sumSq = 0;
    for (let k = 0; k < n * n; k++) {
      const v = re[k]!;
      sum += v;
      sumSq += v * v;
    }
    let count = n * n;
    for (let sy = by - PEAK_EXCLUSION; sy <= by + PEAK_EXCLUSION; sy++) {
      for (let sx = bx - PEAK_EXCLUSION; sx <= bx + PEAK_EXCLUSION; sx++) {
        const v = at(sx, sy);
        sum -= v;
        sumSq -= v * v;
        count--;
      }
    }
    const mean = sum / count;
    const sd = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
    const confidence = sd > 0 ? (best - mean) / sd : 0;
    const clamped = Math.abs(dx) > maxShiftPx || Math.abs(dy) > maxShiftPx;
    dx = Math.max(-maxShiftPx, Math.min(maxShiftPx, dx));
    dy = Math.max(-maxShiftPx, Math.min(maxShiftPx, dy));
    const gain = this.correlation(Math.round(dx), Math.round(dy)) - this.correlation(0, 0);
    const trusted = confidence >= minConfidence && gain >= this.options.minGain;
    const applied = trusted && Math.hypot(dx, dy) >= Math.max(minShiftPx, 0.05);
    return { dx, dy, confidence, gain, trusted, clamped, applied };
  }

  /** Normalised correlation of the gradient images with before's moved by (sx, sy) whole pixels, over their overlap. */
  private correlation(sx: number, sy: number): number {
    const { n, gradA: a, gradB: b } = this;
    let ab = 0, aa = 0, bb = 0;
    for (let y = Math.max(0, -sy); y < Math.min(n, n - sy); y++) {
      const ra = y * n, rb = (y + sy) * n + sx;
      for (let x = Math.max(0, -sx); x < Math.min(n, n - sx); x++) {
        const va = a[ra + x]!, vb = b[rb + x]!;
        ab += va * vb;
        aa += va * va;
        bb += vb * vb;
      }
    }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  }

  /**
   * Resamples three planes of a size × size window in place so that pixel (x, y) takes the bilinear value at
   * (x + dx, y + dy), clamped to the window's edge; the validity mask, when given, follows the nearest source pixel.
   */
  resample(planes: Float32Array, size: number, dx: number, dy: number, valid?: Uint8Array): void {
    const plane = size * size;
    if (this.scratch.length < 3 * plane) this.scratch = new Float32Array(3 * plane);
    const src = this.scratch;
    src.set(planes.subarray(0, 3 * plane));
    const ix = Math.floor(dx), iy = Math.floor(dy);
    const fx = dx - ix, fy = dy - iy;
    const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
    const last = size - 1;
    const clamp = (v: number) => (v < 0 ? 0 : v > last ? last : v);
    // Columns whose two source columns both lie inside the window take the fast path.
    const inX0 = Math.max(0, -ix), inX1 = Math.min(size, last - ix);
    for (let y = 0; y < size; y++) {
      const r0 = clamp(y + iy) * size, r1 = clamp(y + iy + 1) * size;
      for (let c = 0; c < 3; c++) {
        const o = c * plane;
        const row = o + y * size;
        const s0 = o + r0 + ix, s1 = o + r1 + ix;
        for (let x = inX0; x < inX1; x++) {
          planes[row + x] = w00 * src[s0 + x]! + w10 * src[s0 + x + 1]! + w01 * src[s1 + x]! + w11 * src[s1 + x + 1]!;
        }
        const edge = (x: number) => {
          const a = clamp(x + ix), b = clamp(x + ix + 1);
          planes[row + x] = w00 * src[o + r0 + a]! + w10 * src[o + r0 + b]! + w01 * src[o + r1 + a]! + w11 * src[o + r1 + b]!;
        };
        for (let x = 0; x < Math.min(inX0, size); x++) edge(x);
        for (let x = Math.max(inX0, inX1); x < size; x++) edge(x);
      }
    }
    if (valid) {
      const copy = valid.slice(0, plane);
      const rx = Math.round(dx), ry = Math.round(dy);
      for (let y = 0; y < size; y++) {
        const sy = clamp(y + ry) * size;
        for (let x = 0; x < size; x++) valid[y * size + x] = copy[sy + clamp(x + rx)]!;
      }
    }
  }
}

/** The luminance of an n × n square at (x0, y0) of a three-plane window. */
function luminance(planes: Float32Array, size: number, x0: number, y0: number, n: number, out: Float32Array): void {
  const plane = size * size;
  for (let y = 0; y < n; y++) {
    const s = (y0 + y) * size + x0;
    for (let x = 0; x < n; x++) {
      const k = s + x;
      out[y * n + x] = 0.299 * planes[k]! + 0.587 * planes[plane + k]! + 0.114 * planes[2 * plane + k]!;
    }
  }
}

/** Offset of a peak from the middle of three samples, by a parabola through their logarithms (exact for a Gaussian). */
function subPixel(left: number, mid: number, right: number): number {
  if (left > 0 && right > 0 && mid > 0) {
    const l = Math.log(left), m = Math.log(mid), r = Math.log(right);
    const d = l - 2 * m + r;
    if (d < 0) return Math.max(-0.5, Math.min(0.5, (l - r) / (2 * d)));
  }
  const d = left - 2 * mid + right;
  return d < 0 ? Math.max(-0.5, Math.min(0.5, (left - right) / (2 * d))) : 0;
}

/** What a run records of its windows' shifts (pixels at the run's zoom). */
export interface ShiftSummary {
  /** windows whose shift was estimated */
  windows: number;
  /** windows whose shift was applied */
  applied: number;
  /** windows whose estimate was not trusted (no shift applied) */
  lowConfidence: number;
  /** share of windows with an untrusted estimate, 0–1 */
  lowConfidenceShare: number;
  /** windows whose trusted shift reached the clamp */
  clamped: number;
  /** untrusted windows that took the shift their neighbours agreed on */
  borrowed: number;
  /** median and largest length of the trusted shifts (0 when none is trusted) */
  medianShiftPx: number;
  maxShiftPx: number;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
// Trusted estimates this close (pixels) to their median agree.
const AGREEMENT_PX = 1;

/**
 * Neighbouring windows of one flight share its offset, which drifts slowly across a mosaic. The trusted estimates
 * of a group of neighbouring windows (and of `earlier` ones near them) agree when more than half of them, and at
 * least two, lie within a pixel of their median; then every window of the group whose estimate is not trusted, or
 * is trusted but far from the others, takes the median of those that agree, marked `borrowed`. Without such an
 * agreement the shifts are returned as they are. Nothing is resampled here.
 */
export function borrowAgreedShift(
  shifts: (WindowShift | null)[],
  earlier: WindowShift[] = [],
  options: Pick<CoregistrationOptions, 'minShiftPx'> = COREGISTRATION_DEFAULTS,
): (WindowShift | null)[] {
  const trusted = [...earlier, ...shifts].filter((s): s is WindowShift => s !== null && s.trusted && !s.borrowed);
  if (trusted.length < 2) return shifts;
  const mx = median(trusted.map((s) => s.dx)), my = median(trusted.map((s) => s.dy));
  const near = (s: WindowShift) => Math.hypot(s.dx - mx, s.dy - my) <= AGREEMENT_PX;
  const agree = trusted.filter(near);
  if (agree.length < 2 || agree.length * 2 <= trusted.length) return shifts;
  const ax = median(agree.map((s) => s.dx)), ay = median(agree.map((s) => s.dy));
  const applied = Math.hypot(ax, ay) >= Math.max(options.minShiftPx, 0.05);
  return shifts.map((s) => (s && !(s.trusted && near(s)) ? { ...s, dx: ax, dy: ay, clamped: false, applied, borrowed: true } : s));
}

/** The summary of many windows' shifts, as a run and the evaluation report it. */
export function summariseShifts(shifts: Pick<WindowShift, 'dx' | 'dy' | 'trusted' | 'clamped' | 'applied' | 'borrowed'>[]): ShiftSummary {
  const lengths = shifts.filter((s) => s.trusted).map((s) => Math.hypot(s.dx, s.dy)).sort((a, b) => a - b);
  const lowConfidence = shifts.length - lengths.length;
  return {
    windows: shifts.length,
    applied: shifts.filter((s) => s.applied).length,
    lowConfidence,
    lowConfidenceShare: shifts.length === 0 ? 0 : round2(lowConfidence / shifts.length),
    clamped: shifts.filter((s) => s.trusted && s.clamped).length,
    borrowed: shifts.filter((s) => s.borrowed).length,
    medianShiftPx: round2(lengths.length === 0 ? 0 : median(lengths)),
    maxShiftPx: round2(lengths.at(-1) ?? 0),
  };
}
