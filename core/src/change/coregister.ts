// Co-registration of a before/after window pair before the change model sees it: two flights of one place are
// often off by metres, and a model reads every edge of a shifted building as change. The shift of the before
// window against the after window is estimated by phase correlation of their gradient images, each gradient a
// complex number with its angle doubled so that reversed contrast (shadows on the other side, repainted roofs)
// still matches (sub-pixel, with a peak-to-sidelobe ratio as confidence), and the before window is resampled
// onto the after window, bilinearly.
import { fft2d } from './fft.js';

export interface CoregistrationOptions {
  /** Shifts are clamped to this many pixels per axis (default 12). */
  maxShiftPx: number;
  /** Peak-to-sidelobe ratio below which an estimate is not trusted and no shift is applied (default 8). */
  minConfidence: number;
  /** Smallest gain in gradient correlation (see WindowShift.gain) for an estimate to be trusted (default 0.05). */
  minGain: number;
  /** Shifts shorter than this (pixels) are not applied: the model was trained to tolerate a few pixels, and a wrong estimate of a well-registered pair only hurts (default 2). */
  minShiftPx: number;
  /** Side of the central square the shift is estimated on, a power of 2 (default 128), in estimation pixels. */
  estimateSize: number;
  /**
   * Window pixels per estimation pixel (default 2): the square is cut from the window averaged over scale × scale
   * blocks, so a 128 square sees 256 window pixels across, where one roof or one field rarely fills it all; the
   * estimate keeps a precision of about a tenth of a window pixel. A window too small for it takes a smaller scale.
   */
  estimateScale: number;
}

export const COREGISTRATION_DEFAULTS: CoregistrationOptions = { maxShiftPx: 12, minConfidence: 8, minGain: 0.05, minShiftPx: 2, estimateSize: 128, estimateScale: 2 };

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
  /** no estimate was made: the batch's offset was settled and (dx, dy) is the agreed shift (see windowsToEstimate) */
  skipped?: boolean;
}

// Width (σ, pixels) of the Gaussian the correlation peak is smoothed to: a sampled Gaussian's peak is found to a
// fraction of a pixel by a parabola through the logarithms of three samples, and the weighting quiets the
// highest frequencies, where JPEG noise and resampling leave little true phase.
const PEAK_SIGMA = 0.6;
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
  private readonly gradAi: Float64Array;
  private readonly gradBi: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;
  private scratch = new Float32Array(0);

  constructor(options: Partial<CoregistrationOptions> = {}) {
    this.options = { ...COREGISTRATION_DEFAULTS, ...options };
    const { maxShiftPx, minConfidence, minGain, minShiftPx, estimateSize: n, estimateScale } = this.options;
    if (!(minGain >= -1 && minGain <= 2)) throw new Error(`co-registration: minGain must be −1…2, got ${minGain}`);
    if (!(maxShiftPx > 0)) throw new Error(`co-registration: maxShiftPx must be positive, got ${maxShiftPx}`);
    if (!(minConfidence >= 0)) throw new Error(`co-registration: minConfidence must be ≥ 0, got ${minConfidence}`);
    if (!(minShiftPx >= 0)) throw new Error(`co-registration: minShiftPx must be ≥ 0, got ${minShiftPx}`);
    if (!Number.isInteger(n) || n < 32 || (n & (n - 1)) !== 0) throw new Error(`co-registration: estimateSize must be a power of 2 ≥ 32, got ${n}`);
    if (!Number.isInteger(estimateScale) || estimateScale < 1 || estimateScale > 8) throw new Error(`co-registration: estimateScale must be an integer 1–8, got ${estimateScale}`);
    if (2 * maxShiftPx + 2 * PEAK_EXCLUSION >= n) throw new Error(`co-registration: estimateSize ${n} is too small for shifts of ${maxShiftPx} px`);
    this.n = n;
    this.re = new Float64Array(n * n);
    this.im = new Float64Array(n * n);
    this.lumA = new Float32Array(n * n);
    this.lumB = new Float32Array(n * n);
    this.mask = new Uint8Array(n * n);
    this.gradA = new Float64Array(n * n);
    this.gradB = new Float64Array(n * n);
    this.gradAi = new Float64Array(n * n);
    this.gradBi = new Float64Array(n * n);
    this.bRe = new Float64Array(n * n);
    this.bIm = new Float64Array(n * n);
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
    let scale = this.options.estimateScale;
    while (scale > 1 && n * scale > size) scale--;
    const square = this.square(size, scale, validBefore, validAfter);
    if (!square) return null;
    luminance(before, size, square.x, square.y, n, scale, this.lumB);
    luminance(after, size, square.x, square.y, n, scale, this.lumA);
    const mask = square.mask;
    // The two feature images are complex, so each takes its own transform.
    this.orientedGradient(this.lumA, this.re, this.im, mask);
    this.orientedGradient(this.lumB, this.bRe, this.bIm, mask);
    this.gradA.set(this.re);
    this.gradAi.set(this.im);
    this.gradB.set(this.bRe);
    this.gradBi.set(this.bIm);
    fft2d(this.re, this.im, n);
    fft2d(this.bRe, this.bIm, n);
    this.crossPower();
    fft2d(this.re, this.im, n, true);
    return this.peak(scale);
  }

  /**
   * Where to estimate: the centre square when it is (nearly) all valid, else the most valid of nine squares
   * spread over the window; with the joint validity of its pixels when any is invalid.
   */
  private square(size: number, scale: number, validBefore?: Uint8Array, validAfter?: Uint8Array): { x: number; y: number; mask: Uint8Array | null } | null {
    const { n } = this;
    const side = n * scale;
    const centre = (size - side) >> 1;
    if (!validBefore && !validAfter) return { x: centre, y: centre, mask: null };
    const ok = (k: number) => (!validBefore || validBefore[k]) && (!validAfter || validAfter[k]);
    // Share of valid pixels, sampled every 4th pixel each way.
    const share = (x0: number, y0: number) => {
      let v = 0, all = 0;
      for (let y = y0; y < y0 + side; y += 4) for (let x = x0; x < x0 + side; x += 4, all++) if (ok(y * size + x)) v++;
      return v / all;
    };
    let best = { x: centre, y: centre, share: share(centre, centre) };
    if (best.share < 0.98) {
      for (const y of [0, centre, size - side]) for (const x of [0, centre, size - side]) {
        const s = share(x, y);
        if (s > best.share) best = { x, y, share: s };
      }
    }
    if (best.share < 0.5) return null;
    if (best.share === 1) return { x: best.x, y: best.y, mask: null };
    const mask = this.mask;
    // An estimation pixel is valid when every window pixel it averages is.
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let all = 1;
        for (let sy = 0; sy < scale && all; sy++) for (let sx = 0; sx < scale; sx++) if (!ok((best.y + y * scale + sy) * size + best.x + x * scale + sx)) { all = 0; break; }
        mask[y * n + x] = all;
      }
    }
    return { x: best.x, y: best.y, mask };
  }

  /**
   * The gradient as a complex number with its angle doubled, (gx + i·gy)² / |g|: its magnitude is the gradient's,
   * and an edge whose contrast is reversed (a shadow on the other side, a roof repainted darker) looks the same.
   * Mean removed and tapered by a Hann window; where `mask` is 0 (or next to such a pixel) the result is 0, so a
   * data edge is no feature.
   */
  private orientedGradient(lum: Float32Array, outRe: Float64Array, outIm: Float64Array, mask: Uint8Array | null): void {
    const { n, hann } = this;
    let sr = 0, si = 0, count = 0;
    for (let y = 0; y < n; y++) {
      const up = (y > 0 ? y - 1 : y) * n, down = (y < n - 1 ? y + 1 : y) * n;
      for (let x = 0; x < n; x++) {
        const left = x > 0 ? x - 1 : x, right = x < n - 1 ? x + 1 : x;
        const k = y * n + x;
        if (mask && !(mask[k] && mask[y * n + left] && mask[y * n + right] && mask[up + x] && mask[down + x])) {
          outRe[k] = NaN;
          continue;
        }
        const gx = lum[y * n + right]! - lum[y * n + left]!;
        const gy = lum[down + x]! - lum[up + x]!;
        const g = Math.sqrt(gx * gx + gy * gy);
        const re = g > 0 ? (gx * gx - gy * gy) / g : 0;
        const im = g > 0 ? (2 * gx * gy) / g : 0;
        outRe[k] = re;
        outIm[k] = im;
        sr += re;
        si += im;
        count++;
      }
    }
    const mr = count > 0 ? sr / count : 0, mi = count > 0 ? si / count : 0;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const k = y * n + x;
        const v = outRe[k]!;
        const w = hann[x]! * hann[y]!;
        if (v === v) {
          outRe[k] = (v - mr) * w;
          outIm[k] = (outIm[k]! - mi) * w;
        } else {
          outRe[k] = 0;
          outIm[k] = 0;
        }
      }
    }
  }

  /** The weighted, normalised cross-power spectrum B·conj(A) of the spectra A (re/im) and B (bRe/bIm), into re/im. */
  private crossPower(): void {
    const { n, re, im, bRe, bIm, weight } = this;
    for (let k = 0; k < n * n; k++) {
      const ar = re[k]!, ai = im[k]!, br = bRe[k]!, bi = bIm[k]!;
      const cr = br * ar + bi * ai;
      const ci = bi * ar - br * ai;
      const mag = Math.sqrt(cr * cr + ci * ci);
      const s = mag > 1e-12 ? weight[k]! / mag : 0;
      re[k] = cr * s;
      im[k] = ci * s;
    }
  }

  /** The highest point of the correlation surface (in re) within the search range, refined, with its confidence. */
  private peak(scale: number): WindowShift {
    const { n, re } = this;
    const { maxShiftPx, minConfidence, minShiftPx } = this.options;
    const reach = Math.min(n / 2 - PEAK_EXCLUSION - 1, Math.ceil((2 * maxShiftPx) / scale));
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
    let dx = scale * (bx + subPixel(at(bx - 1, by), best, at(bx + 1, by)));
    let dy = scale * (by + subPixel(at(bx, by - 1), best, at(bx, by + 1)));
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
    const gain = this.correlation(Math.round(dx / scale), Math.round(dy / scale)) - this.correlation(0, 0);
    const trusted = confidence >= minConfidence && gain >= this.options.minGain;
    const applied = trusted && Math.hypot(dx, dy) >= Math.max(minShiftPx, 0.05);
    return { dx, dy, confidence, gain, trusted, clamped, applied };
  }

  /** Normalised correlation of the gradient images with before's moved by (sx, sy) whole pixels, over their overlap. */
  private correlation(sx: number, sy: number): number {
    const { n, gradA: a, gradB: b, gradAi: ai, gradBi: bi } = this;
    let ab = 0, aa = 0, bb = 0;
    for (let y = Math.max(0, -sy); y < Math.min(n, n - sy); y++) {
      const ra = y * n, rb = (y + sy) * n + sx;
      for (let x = Math.max(0, -sx); x < Math.min(n, n - sx); x++) {
        const va = a[ra + x]!, vb = b[rb + x]!, wa = ai[ra + x]!, wb = bi[rb + x]!;
        ab += va * vb + wa * wb;
        aa += va * va + wa * wa;
        bb += vb * vb + wb * wb;
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

/** The luminance of an n × n square at (x0, y0) of a three-plane window, each pixel the mean of a scale × scale block. */
function luminance(planes: Float32Array, size: number, x0: number, y0: number, n: number, scale: number, out: Float32Array): void {
  const plane = size * size;
  const norm = 1 / (scale * scale);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      let sum = 0;
      for (let sy = 0; sy < scale; sy++) {
        const s = (y0 + y * scale + sy) * size + x0 + x * scale;
        for (let sx = 0; sx < scale; sx++) {
          const k = s + sx;
          sum += 0.299 * planes[k]! + 0.587 * planes[plane + k]! + 0.114 * planes[2 * plane + k]!;
        }
      }
      out[y * n + x] = sum * norm;
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
  /** windows not estimated at all, which took the settled shift of their batch */
  skipped: number;
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

/** The median of the trusted estimates that agree (more than half of them, and at least two, within a pixel of their median), or null. */
function agreement(trusted: WindowShift[]): { dx: number; dy: number; count: number; near: (s: WindowShift) => boolean } | null {
  if (trusted.length < 2) return null;
  const mx = median(trusted.map((s) => s.dx)), my = median(trusted.map((s) => s.dy));
  const near = (s: WindowShift) => Math.hypot(s.dx - mx, s.dy - my) <= AGREEMENT_PX;
  const agree = trusted.filter(near);
  if (agree.length < 2 || agree.length * 2 <= trusted.length) return null;
  return { dx: median(agree.map((s) => s.dx)), dy: median(agree.map((s) => s.dy)), count: agree.length, near };
}

/**
 * Neighbouring windows of one flight share its offset, which drifts slowly across a mosaic. The trusted estimates
 * of a group of neighbouring windows (and of `earlier` ones near them) agree when more than half of them, and at
 * least two, lie within a pixel of their median; then every window of the group whose estimate is not trusted, or
 * is trusted but far from the others, takes the median of those that agree, marked `borrowed`, and every window
 * not estimated (undefined) takes it marked `skipped`. Without such an agreement the shifts are returned as they
 * are (windows not estimated as null). Nothing is resampled here.
 */
export function borrowAgreedShift(
  shifts: (WindowShift | null | undefined)[],
  earlier: WindowShift[] = [],
  options: Pick<CoregistrationOptions, 'minShiftPx'> = COREGISTRATION_DEFAULTS,
): (WindowShift | null)[] {
  const agreed = agreement([...earlier, ...shifts].filter((s): s is WindowShift => !!s && s.trusted && !s.borrowed));
  if (!agreed) return shifts.map((s) => s ?? null);
  const { dx, dy, near } = agreed;
  const applied = Math.hypot(dx, dy) >= Math.max(options.minShiftPx, 0.05);
  return shifts.map((s) => {
    if (s === undefined) return { dx, dy, confidence: 0, gain: 0, trusted: false, clamped: false, applied, skipped: true };
    return s && !(s.trusted && near(s)) ? { ...s, dx, dy, clamped: false, applied, borrowed: true } : s;
  });
}

/** Trusted estimates of a batch that agree, from this many on, settle its offset (see windowsToEstimate). */
export const SETTLED_AGREEMENT = 4;

/**
 * Which windows of a chunk get their own estimate. Until a batch's trusted estimates so far (`earlier`) agree, at
 * least SETTLED_AGREEMENT of them, every window; after that only the first of each chunk, which follows the
 * offset's slow drift across the mosaic, while the others take the agreed shift (borrowAgreedShift): most of a
 * run's windows cost a resampling and no estimate.
 */
export function windowsToEstimate(count: number, earlier: WindowShift[]): boolean[] {
  const settled = (agreement(earlier.filter((s) => s.trusted && !s.borrowed))?.count ?? 0) >= SETTLED_AGREEMENT;
  return Array.from({ length: count }, (_, i) => !settled || i === 0);
}

/** The summary of many windows' shifts, as a run and the evaluation report it. */
export function summariseShifts(
  shifts: Pick<WindowShift, 'dx' | 'dy' | 'trusted' | 'clamped' | 'applied' | 'borrowed' | 'skipped'>[],
): ShiftSummary {
  const lengths = shifts.filter((s) => s.trusted).map((s) => Math.hypot(s.dx, s.dy)).sort((a, b) => a - b);
  const skipped = shifts.filter((s) => s.skipped).length;
  const lowConfidence = shifts.length - lengths.length - skipped;
  return {
    windows: shifts.length,
    applied: shifts.filter((s) => s.applied).length,
    lowConfidence,
    lowConfidenceShare: shifts.length === 0 ? 0 : round2(lowConfidence / shifts.length),
    clamped: shifts.filter((s) => s.trusted && s.clamped).length,
    borrowed: shifts.filter((s) => s.borrowed).length,
    skipped,
    medianShiftPx: round2(lengths.length === 0 ? 0 : median(lengths)),
    maxShiftPx: round2(lengths.at(-1) ?? 0),
  };
}
