// GCJ-02 ("Mars coordinates"): the obfuscated datum of Chinese web maps (AMap, DataV, Tencent).
// The forward transform is the widely published formula; its inverse has no closed form.

export type LonLat = [number, number];

// Krasovsky 1940 ellipsoid, which the formula is built on.
const A = 6378245.0;
const EE = 0.006693421622965943;
const INVERSE_TOLERANCE_DEG = 1e-9;
const INVERSE_MAX_STEPS = 30;

/** Rough mainland rectangle used by every published implementation: no offset is applied outside it. */
export function isInsideChina([lon, lat]: LonLat): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

function offset([lon, lat]: LonLat): LonLat {
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (shiftLon(lon - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [dLon, dLat];
}

export function wgs84ToGcj02(p: LonLat): LonLat {
  if (!isInsideChina(p)) return [p[0], p[1]];
  const [dLon, dLat] = offset(p);
  return [p[0] + dLon, p[1] + dLat];
}

/**
 * Inverse by fixed-point iteration: the offset varies slowly, so guessing w = g - offset(w)
 * converges in a few steps to far below a millimetre (the one-step version leaves ~1 m of error).
 */
export function gcj02ToWgs84(g: LonLat): LonLat {
  if (!isInsideChina(g)) return [g[0], g[1]];
  let w: LonLat = [g[0], g[1]];
  for (let i = 0; i < INVERSE_MAX_STEPS; i++) {
    const [dLon, dLat] = offset(w);
    const next: LonLat = [g[0] - dLon, g[1] - dLat];
    const moved = Math.max(Math.abs(next[0] - w[0]), Math.abs(next[1] - w[1]));
    w = next;
    if (moved < INVERSE_TOLERANCE_DEG) break;
  }
  return w;
}
