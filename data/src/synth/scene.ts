import type { Rng } from '../prng.js';
import type { Rgb } from './raster.js';

/** Axis-aligned rectangle in layout pixels; the whole layout is rotated by Scene.angle when rendered. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export type RoofShape = 'flat' | 'pitched' | 'hipped' | 'corrugated';
export type BuildingKind = 'slab' | 'tower' | 'lane' | 'villa' | 'industrial' | 'change';

export interface Building {
  rect: Rect;
  kind: BuildingKind;
  roof: RoofShape;
  colour: Rgb;
  /** metres above ground, for shadow length */
  height: number;
  /** ridge runs along x (else along y) */
  ridgeAlongX: boolean;
}

export type PatchKind = 'road' | 'paving' | 'lawn' | 'soil' | 'water' | 'courtyard' | 'field' | 'scrub';
export interface Patch {
  rect: Rect;
  kind: PatchKind;
  colour: Rgb;
  /** amplitude of the ground texture noise (default by kind) */
  texture?: number;
  /** crop or furrow rows: period in layout pixels, direction, and brightness contrast */
  rows?: { period: number; alongX: boolean; contrast: number };
}

export interface Tree {
  x: number;
  y: number;
  /** crown radius in pixels */
  r: number;
  height: number;
}

export interface Car {
  rect: Rect;
  colour: Rgb;
}

export type District = 'estate' | 'lanes' | 'villas' | 'industrial' | 'park';

export interface Scene {
  /** layout rotation in radians (streets are not north-aligned) */
  angle: number;
  /** side of the square layout in pixels, centred on the canvas */
  extent: number;
  ground: Rgb;
  patches: Patch[];
  buildings: Building[];
  trees: Tree[];
  cars: Car[];
  /** open ground where a new structure could plausibly appear */
  freeAreas: Rect[];
  courtyards: Rect[];
}

const ROOF_FLAT: readonly Rgb[] = [
  [150, 148, 142], [175, 172, 165], [120, 118, 115], [190, 185, 170], [135, 140, 145], [160, 150, 130], [100, 105, 100],
  [205, 200, 190], [85, 88, 92], [145, 150, 140],
];
const ROOF_TILE: readonly Rgb[] = [
  [150, 75, 55], [120, 70, 60], [85, 85, 90], [70, 72, 80], [165, 95, 65], [110, 110, 105], [95, 60, 50],
];
const ROOF_VILLA: readonly Rgb[] = [[170, 90, 60], [80, 85, 95], [60, 70, 90], [140, 110, 90], [100, 60, 45], [90, 95, 85]];
const ROOF_INDUSTRIAL: readonly Rgb[] = [[190, 195, 200], [80, 120, 170], [160, 165, 160], [70, 110, 150], [210, 210, 205]];
export const CAR_COLOURS: readonly Rgb[] = [
  [230, 230, 230], [30, 30, 35], [150, 150, 155], [180, 30, 30], [40, 60, 120], [200, 200, 190], [90, 90, 95],
];

export function jitter(rng: Rng, c: Rgb, amount: number): Rgb {
  const k = 1 + rng.float(-amount, amount);
  return [c[0] * k + rng.float(-6, 6), c[1] * k + rng.float(-6, 6), c[2] * k + rng.float(-6, 6)];
}

export const rectW = (r: Rect): number => r.x1 - r.x0;
export const rectH = (r: Rect): number => r.y1 - r.y0;
export const overlaps = (a: Rect, b: Rect, pad = 0): boolean =>
  a.x0 < b.x1 + pad && b.x0 < a.x1 + pad && a.y0 < b.y1 + pad && b.y0 < a.y1 + pad;

/** Lays out a top-down urban scene covering a square of `extent` pixels at `mpp` metres per pixel. */
export function layoutScene(rng: Rng, extent: number, mpp: number): Scene {
  const district = rng.weighted<District>({ estate: 3, lanes: 2.5, villas: 2, industrial: 1, park: 0.7 });
  const scene: Scene = {
    angle: rng.chance(0.3) ? 0 : rng.float(-Math.PI / 4, Math.PI / 4),
    extent,
    ground: jitter(rng, rng.pick([[125, 120, 110], [140, 135, 125], [110, 115, 95], [150, 140, 120], [105, 110, 100], [132, 128, 105]] as const), 0.1),
    patches: [],
    buildings: [],
    trees: [],
    cars: [],
    freeAreas: [],
    courtyards: [],
  };
  const m = (metres: number): number => metres / mpp;
  const cuts = (span: number): number[] => {
    const out = [0];
    let at = rng.float(0, m(60));
    while (at < span) {
      out.push(at);
      at += m(rng.float(district === 'lanes' ? 50 : 70, district === 'villas' ? 110 : 160));
    }
    out.push(span);
    return out;
  };
  const xs = cuts(extent);
  const ys = cuts(extent);
  const roadW = (): number => m(rng.float(6, district === 'industrial' ? 18 : 14));
  const widths = { x: xs.map(roadW), y: ys.map(roadW) };
  for (let i = 1; i < xs.length - 1; i++)
    road(scene, rng, { x0: xs[i]! - widths.x[i]! / 2, y0: 0, x1: xs[i]! + widths.x[i]! / 2, y1: extent }, m);
  for (let i = 1; i < ys.length - 1; i++)
    road(scene, rng, { x0: 0, y0: ys[i]! - widths.y[i]! / 2, x1: extent, y1: ys[i]! + widths.y[i]! / 2 }, m);
  for (let i = 0; i < xs.length - 1; i++) {
    for (let j = 0; j < ys.length - 1; j++) {
      const block: Rect = {
        x0: xs[i]! + (i > 0 ? widths.x[i]! / 2 : 0) + m(2),
        x1: xs[i + 1]! - (i + 1 < xs.length - 1 ? widths.x[i + 1]! / 2 : 0) - m(2),
        y0: ys[j]! + (j > 0 ? widths.y[j]! / 2 : 0) + m(2),
        y1: ys[j + 1]! - (j + 1 < ys.length - 1 ? widths.y[j + 1]! / 2 : 0) - m(2),
      };
      if (rectW(block) < m(12) || rectH(block) < m(12)) continue;
      const kind = rng.chance(0.75) ? district : rng.pick<District>(['estate', 'lanes', 'villas', 'industrial', 'park']);
      FILL[kind](scene, rng, block, m);
    }
  }
  return scene;
}

type Fill = (scene: Scene, rng: Rng, block: Rect, m: (metres: number) => number) => void;

function road(scene: Scene, rng: Rng, rect: Rect, m: (metres: number) => number): void {
  scene.patches.push({ rect, kind: 'road', colour: jitter(rng, [88, 88, 90], 0.12) });
  const alongX = rectW(rect) > rectH(rect);
  const len = alongX ? rectW(rect) : rectH(rect);
  for (let at = rng.float(0, m(10)); at < len; at += m(rng.float(5, 14))) {
    if (!rng.chance(0.45)) continue;
    const side = rng.chance(0.5);
    const cw = m(1.8);
    const cl = m(4.5);
    const r: Rect = alongX
      ? { x0: rect.x0 + at, x1: rect.x0 + at + cl, y0: side ? rect.y0 + m(0.5) : rect.y1 - m(0.5) - cw, y1: 0 }
      : { y0: rect.y0 + at, y1: rect.y0 + at + cl, x0: side ? rect.x0 + m(0.5) : rect.x1 - m(0.5) - cw, x1: 0 };
    if (alongX) r.y1 = r.y0 + cw;
    else r.x1 = r.x0 + cw;
    scene.cars.push({ rect: r, colour: jitter(rng, rng.pick(CAR_COLOURS), 0.1) });
  }
}

function trees(scene: Scene, rng: Rng, area: Rect, m: (metres: number) => number, density: number): void {
  const n = Math.round(((rectW(area) * rectH(area)) / (m(10) * m(10))) * density);
  for (let i = 0; i < n; i++) {
    const r = m(rng.float(1.8, 4.5));
    scene.trees.push({ x: rng.float(area.x0, area.x1), y: rng.float(area.y0, area.y1), r, height: rng.float(4, 12) });
  }
}

const estate: Fill = (scene, rng, block, m) => {
  const lawn = jitter(rng, [95, 120, 70], 0.15);
  scene.patches.push({ rect: block, kind: rng.chance(0.5) ? 'paving' : 'lawn', colour: rng.chance(0.5) ? jitter(rng, [150, 145, 135], 0.1) : lawn });
  const depth = m(rng.float(10, 14));
  const gap = m(rng.float(12, 22));
  const tower = rng.chance(0.15);
  const pitched = rng.chance(0.45);
  const roofColour = pitched ? rng.pick(ROOF_TILE) : rng.pick(ROOF_FLAT);
  for (let y = block.y0 + m(3); y + depth < block.y1 - m(2); y += depth + gap) {
    for (let x = block.x0 + m(rng.float(2, 6)); x < block.x1 - m(15); ) {
      const len = Math.min(m(rng.float(tower ? 18 : 28, tower ? 30 : 65)), block.x1 - x - m(2));
      const rect: Rect = { x0: x, y0: y, x1: x + len, y1: y + depth };
      scene.buildings.push({
        rect,
        kind: tower ? 'tower' : 'slab',
        roof: pitched ? 'pitched' : 'flat',
        colour: jitter(rng, roofColour, 0.06),
        height: tower ? rng.float(40, 90) : rng.float(15, 21),
        ridgeAlongX: true,
      });
      x += len + m(rng.float(6, 14));
    }
    const between: Rect = { x0: block.x0, x1: block.x1, y0: y + depth + m(2), y1: Math.min(block.y1, y + depth + gap - m(2)) };
    if (rectH(between) > m(6)) {
      scene.patches.push({ rect: between, kind: 'lawn', colour: lawn });
      scene.freeAreas.push(between);
      trees(scene, rng, { ...between, y0: between.y0 + m(1), y1: between.y0 + m(3) }, m, 0.5);
    }
  }
};

const lanes: Fill = (scene, rng, block, m) => {
  scene.patches.push({ rect: block, kind: 'paving', colour: jitter(rng, [130, 125, 118], 0.1) });
  const depth = m(rng.float(11, 15));
  const lane = m(rng.float(2.5, 4.5));
  const unit = m(rng.float(3.6, 5));
  const court = m(rng.float(2.5, 4));
  const tile = rng.pick(ROOF_TILE);
  for (let y = block.y0 + m(1); y + depth < block.y1; y += depth + lane) {
    const rowColour = jitter(rng, tile, 0.08);
    for (let x = block.x0 + m(1); x + unit < block.x1; x += unit) {
      const roof: Rect = { x0: x, x1: x + unit - m(0.3), y0: y + court, y1: y + depth };
      scene.buildings.push({ rect: roof, kind: 'lane', roof: 'pitched', colour: jitter(rng, rowColour, 0.05), height: rng.float(7, 10), ridgeAlongX: true });
      const yard: Rect = { x0: x + m(0.4), x1: x + unit - m(0.7), y0: y + m(0.3), y1: y + court - m(0.2) };
      scene.patches.push({ rect: yard, kind: 'courtyard', colour: jitter(rng, [150, 145, 135], 0.12) });
      scene.courtyards.push(yard);
    }
  }
  if (rng.chance(0.5)) trees(scene, rng, block, m, 0.08);
};

const villas: Fill = (scene, rng, block, m) => {
  const lawn = jitter(rng, [90, 125, 65], 0.15);
  scene.patches.push({ rect: block, kind: 'lawn', colour: lawn });
  const lot = m(rng.float(24, 34));
  for (let y = block.y0; y + lot <= block.y1 + m(4); y += lot) {
    for (let x = block.x0; x + lot <= block.x1 + m(4); x += lot) {
      const w = m(rng.float(10, 17));
      const d = m(rng.float(9, 14));
      const hx = x + rng.float(m(2), Math.max(m(2), lot - w - m(2)));
      const hy = y + rng.float(m(2), Math.max(m(2), lot - d - m(2)));
      scene.buildings.push({
        rect: { x0: hx, y0: hy, x1: hx + w, y1: hy + d },
        kind: 'villa',
        roof: rng.chance(0.6) ? 'hipped' : 'pitched',
        colour: jitter(rng, rng.pick(ROOF_VILLA), 0.08),
        height: rng.float(8, 12),
        ridgeAlongX: w > d,
      });
      if (rng.chance(0.5)) scene.patches.push({ rect: { x0: hx - m(3), x1: hx, y0: hy, y1: hy + d }, kind: 'paving', colour: jitter(rng, [170, 160, 145], 0.1) });
      if (rng.chance(0.15)) {
        const pw = m(rng.float(4, 8));
        scene.patches.push({ rect: { x0: x + m(1), x1: x + m(1) + pw, y0: y + lot - m(1) - pw / 2, y1: y + lot - m(1) }, kind: 'water', colour: jitter(rng, [60, 110, 130], 0.15) });
      }
      scene.freeAreas.push({ x0: x, y0: y, x1: x + lot, y1: y + lot });
      trees(scene, rng, { x0: x, y0: y, x1: x + lot, y1: y + lot }, m, 0.25);
    }
  }
};

const industrial: Fill = (scene, rng, block, m) => {
  scene.patches.push({ rect: block, kind: 'paving', colour: jitter(rng, [155, 152, 145], 0.1) });
  let x = block.x0 + m(3);
  while (x < block.x1 - m(20)) {
    const w = Math.min(m(rng.float(20, 60)), block.x1 - x - m(3));
    const h = Math.min(m(rng.float(20, 50)), rectH(block) - m(6));
    if (h < m(10)) break;
    const y0 = block.y0 + m(3) + rng.float(0, Math.max(0, rectH(block) - h - m(6)));
    const roof = rng.chance(0.5) ? 'corrugated' : 'flat';
    scene.buildings.push({ rect: { x0: x, y0, x1: x + w, y1: y0 + h }, kind: 'industrial', roof, colour: jitter(rng, rng.pick(ROOF_INDUSTRIAL), 0.06), height: rng.float(6, 15), ridgeAlongX: w > h });
    x += w + m(rng.float(8, 20));
  }
  scene.freeAreas.push(block);
};

const park: Fill = (scene, rng, block, m) => {
  scene.patches.push({ rect: block, kind: rng.chance(0.8) ? 'lawn' : 'soil', colour: jitter(rng, [90, 120, 65], 0.2) });
  if (rng.chance(0.5)) {
    const w = rectW(block) * rng.float(0.2, 0.5);
    const h = rectH(block) * rng.float(0.2, 0.5);
    const x0 = rng.float(block.x0, block.x1 - w);
    const y0 = rng.float(block.y0, block.y1 - h);
    scene.patches.push({ rect: { x0, y0, x1: x0 + w, y1: y0 + h }, kind: 'water', colour: jitter(rng, [55, 95, 110], 0.2) });
  }
  scene.freeAreas.push(block);
  trees(scene, rng, block, m, 0.3);
};

const FILL: Record<District, Fill> = { estate, lanes, villas, industrial, park };
