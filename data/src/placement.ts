import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Rng } from './prng.js';

// A flat metric frame is exact enough over one district (~12 km) for placing demo footprints.
const ORIGIN_LAT = 31.26;
const M_PER_DEG_LAT = 110_860;
const M_PER_DEG_LON = 111_320 * Math.cos((ORIGIN_LAT * Math.PI) / 180);

export type Xy = [number, number];

export const toXy = ([lon, lat]: Position): Xy => [lon! * M_PER_DEG_LON, lat! * M_PER_DEG_LAT];
export const toLonLat = ([x, y]: Xy): Position => [round7(x / M_PER_DEG_LON), round7(y / M_PER_DEG_LAT)];
// ~1 cm: keeps JSON small and stable without visible change
const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

export interface Shape {
  /** ring in metres relative to the centre, counter-clockwise, not closed */
  ring: Xy[];
  /** distance from the centre to the farthest vertex */
  radius: number;
}

/** A w × d rectangle, optionally with one corner cut out to make an L. */
export function footprintShape(w: number, d: number, notch?: { fw: number; fd: number }): Shape {
  const hw = w / 2;
  const hd = d / 2;
  const ring: Xy[] = notch
    ? [[-hw, -hd], [hw, -hd], [hw, hd - notch.fd], [hw - notch.fw, hd - notch.fd], [hw - notch.fw, hd], [-hw, hd]]
    : [[-hw, -hd], [hw, -hd], [hw, hd], [-hw, hd]];
  return { ring, radius: Math.hypot(hw, hd) };
}

export function ringArea(ring: Xy[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/** Places a local shape at a centre (metres) with a rotation, as a closed GeoJSON polygon. */
export function placeShape(shape: Shape, centre: Xy, angle: number): Polygon {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const ring = shape.ring.map(([x, y]) => toLonLat([centre[0] + x * c - y * s, centre[1] + x * s + y * c]));
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

export const asMulti = (p: Polygon): MultiPolygon => ({ type: 'MultiPolygon', coordinates: [p.coordinates] });

/** An area in metric coordinates that answers "is this disc fully inside?" */
export class Region {
  private readonly rings: Xy[][];
  readonly min: Xy;
  readonly max: Xy;

  constructor(geom: Polygon | MultiPolygon) {
    const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
    this.rings = polys.flat().map((r) => r.map(toXy));
    const all = this.rings.flat();
    this.min = [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1]))];
    this.max = [Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))];
  }

  contains(p: Xy): boolean {
    let inside = false;
    for (const ring of this.rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]!;
        const [xj, yj] = ring[j]!;
        if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  }

  distanceToEdge(p: Xy): number {
    let best = Infinity;
    for (const ring of this.rings) {
      for (let i = 1; i < ring.length; i++) best = Math.min(best, segmentDistance(p, ring[i - 1]!, ring[i]!));
    }
    return best;
  }

  holdsDisc(centre: Xy, radius: number): boolean {
    return this.contains(centre) && this.distanceToEdge(centre) > radius;
  }

  randomPoint(rng: Rng): Xy {
    for (let i = 0; i < 10_000; i++) {
      const p: Xy = [rng.float(this.min[0], this.max[0]), rng.float(this.min[1], this.max[1])];
      if (this.contains(p)) return p;
    }
    throw new Error('region too thin to sample');
  }
}

function segmentDistance(p: Xy, a: Xy, b: Xy): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/** Grid of occupied discs: a footprint is placed only where its disc clears every other one. */
export class DiscIndex {
  private readonly cells = new Map<string, { c: Xy; r: number }[]>();
  constructor(private readonly cellSize = 100) {}

  private keys(c: Xy, r: number): string[] {
    const keys: string[] = [];
    const s = this.cellSize;
    for (let i = Math.floor((c[0] - r) / s); i <= Math.floor((c[0] + r) / s); i++) {
      for (let j = Math.floor((c[1] - r) / s); j <= Math.floor((c[1] + r) / s); j++) keys.push(`${i}:${j}`);
    }
    return keys;
  }

  isFree(c: Xy, r: number, gap: number): boolean {
    for (const k of this.keys(c, r + gap)) {
      for (const d of this.cells.get(k) ?? []) {
        if (Math.hypot(d.c[0] - c[0], d.c[1] - c[1]) < d.r + r + gap) return false;
      }
    }
    return true;
  }

  add(c: Xy, r: number): void {
    for (const k of this.keys(c, r)) {
      const list = this.cells.get(k);
      if (list) list.push({ c, r });
      else this.cells.set(k, [{ c, r }]);
    }
  }
}
