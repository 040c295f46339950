import type { Rng } from '../prng.js';
import { jitter, overlaps, rectH, rectW, type Building, type Rect, type Scene } from './scene.js';

/** The kinds of change the bureau cares about; each is labelled in the mask. */
export const CHANGE_KINDS = ['new_building', 'rooftop_addition', 'steel_shed', 'courtyard_enclosure', 'villa_extension'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface PlantedChange {
  kind: ChangeKind;
  building: Building;
}

const SHED_COLOURS = [[70, 125, 200], [60, 110, 185], [225, 228, 230], [95, 150, 215], [200, 205, 210]] as const;

/**
 * Tries to plant a change of the given kind inside `focus` (the part of the layout that ends up in the image);
 * returns null when the scene has no place for it.
 */
export function plantChange(scene: Scene, rng: Rng, kind: ChangeKind, focus: Rect, m: (metres: number) => number): PlantedChange | null {
  const building = PLANT[kind](scene, rng, focus, m);
  if (!building) return null;
  return { kind, building };
}

type Planter = (scene: Scene, rng: Rng, focus: Rect, m: (metres: number) => number) => Building | null;

function inside(inner: Rect, outer: Rect): boolean {
  return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

function freeSpot(scene: Scene, rng: Rng, focus: Rect, w: number, h: number, m: (metres: number) => number): Rect | null {
  const areas = scene.freeAreas.filter((a) => overlaps(a, focus) && rectW(a) > w + m(2) && rectH(a) > h + m(2));
  for (let attempt = 0; attempt < 30 && areas.length > 0; attempt++) {
    const a = rng.pick(areas);
    const x0 = rng.float(a.x0 + m(1), a.x1 - w - m(1));
    const y0 = rng.float(a.y0 + m(1), a.y1 - h - m(1));
    const rect = { x0, y0, x1: x0 + w, y1: y0 + h };
    if (!inside(rect, focus)) continue;
    if (scene.buildings.some((b) => overlaps(b.rect, rect, m(1.5)))) continue;
    if (scene.patches.some((p) => (p.kind === 'road' || p.kind === 'water') && overlaps(p.rect, rect))) continue;
    return rect;
  }
  return null;
}

function pickBuilding(scene: Scene, rng: Rng, focus: Rect, ok: (b: Building) => boolean): Building | null {
  const candidates = scene.buildings.filter((b) => ok(b) && inside(b.rect, focus));
  return candidates.length ? rng.pick(candidates) : null;
}

const newBuilding: Planter = (scene, rng, focus, m) => {
  const w = m(rng.float(8, 30));
  const h = m(rng.float(7, 20));
  const rect = freeSpot(scene, rng, focus, w, h, m);
  if (!rect) return null;
  const pitched = rng.chance(0.4);
  return {
    rect,
    kind: 'change',
    roof: pitched ? 'pitched' : rng.chance(0.3) ? 'corrugated' : 'flat',
    colour: jitter(rng, rng.pick([[150, 148, 142], [170, 95, 65], [85, 90, 100], [190, 190, 185], [120, 130, 140]] as const), 0.1),
    height: rng.float(4, 20),
    ridgeAlongX: w > h,
  };
};

const steelShed: Planter = (scene, rng, focus, m) => {
  const w = m(rng.float(4, 16));
  const h = m(rng.float(3, 9));
  const onRoof = rng.chance(0.4);
  let rect: Rect | null = null;
  let height = rng.float(2.5, 4);
  if (onRoof) {
    const host = pickBuilding(scene, rng, focus, (b) => b.roof === 'flat' && rectW(b.rect) > w + m(2) && rectH(b.rect) > h + m(2));
    if (host) {
      const x0 = rng.float(host.rect.x0 + m(0.8), host.rect.x1 - w - m(0.8));
      const y0 = rng.float(host.rect.y0 + m(0.8), host.rect.y1 - h - m(0.8));
      rect = { x0, y0, x1: x0 + w, y1: y0 + h };
      height += host.height;
    }
  }
  rect ??= freeSpot(scene, rng, focus, w, h, m);
  if (!rect) return null;
  return { rect, kind: 'change', roof: 'corrugated', colour: jitter(rng, rng.pick(SHED_COLOURS), 0.06), height, ridgeAlongX: w > h };
};

const rooftopAddition: Planter = (scene, rng, focus, m) => {
  const host = pickBuilding(scene, rng, focus, (b) => b.roof === 'flat' && b.kind !== 'change' && rectW(b.rect) > m(8) && rectH(b.rect) > m(8));
  if (!host) return null;
  const w = rectW(host.rect) * rng.float(0.25, 0.7);
  const h = rectH(host.rect) * rng.float(0.4, 0.9);
  const x0 = rng.float(host.rect.x0 + m(0.5), host.rect.x1 - w - m(0.5));
  const y0 = rng.float(host.rect.y0 + m(0.5), host.rect.y1 - h - m(0.5));
  return {
    rect: { x0, y0, x1: x0 + w, y1: y0 + h },
    kind: 'change',
    roof: rng.pick(['flat', 'pitched', 'corrugated'] as const),
    colour: jitter(rng, rng.pick([[175, 100, 70], [200, 200, 195], [80, 120, 180], [110, 110, 115], [160, 150, 120]] as const), 0.08),
    height: host.height + 3,
    ridgeAlongX: w > h,
  };
};

const courtyardEnclosure: Planter = (scene, rng, focus, m) => {
  const yards = scene.courtyards.filter((c) => inside(c, focus));
  if (!yards.length) return null;
  const first = rng.pick(yards);
  // An enclosure often covers the neighbouring yards of the same row too.
  const row = yards.filter((c) => Math.abs(c.y0 - first.y0) < 0.5 && Math.abs(c.x0 - first.x0) < m(rng.float(0, 12)));
  const rect: Rect = {
    x0: Math.min(...row.map((c) => c.x0)) - m(0.3),
    x1: Math.max(...row.map((c) => c.x1)) + m(0.3),
    y0: first.y0 - m(0.2),
    y1: first.y1 + m(0.2),
  };
  return {
    rect,
    kind: 'change',
    roof: rng.chance(0.6) ? 'corrugated' : 'flat',
    colour: jitter(rng, rng.pick([[80, 125, 190], [200, 205, 210], [140, 150, 160], [120, 160, 175]] as const), 0.08),
    height: 3,
    ridgeAlongX: true,
  };
};

const villaExtension: Planter = (scene, rng, focus, m) => {
  const host = pickBuilding(scene, rng, focus, (b) => b.kind === 'villa');
  if (!host) return null;
  const r = host.rect;
  const depth = m(rng.float(3, 7));
  const side = rng.int(0, 3);
  const along = rng.float(0.4, 1);
  const span = (side < 2 ? rectH(r) : rectW(r)) * along;
  const start = rng.float(0, (side < 2 ? rectH(r) : rectW(r)) - span);
  const rect: Rect =
    side === 0 ? { x0: r.x1, x1: r.x1 + depth, y0: r.y0 + start, y1: r.y0 + start + span }
    : side === 1 ? { x0: r.x0 - depth, x1: r.x0, y0: r.y0 + start, y1: r.y0 + start + span }
    : side === 2 ? { x0: r.x0 + start, x1: r.x0 + start + span, y0: r.y1, y1: r.y1 + depth }
    : { x0: r.x0 + start, x1: r.x0 + start + span, y0: r.y0 - depth, y1: r.y0 };
  if (!inside(rect, focus) || scene.buildings.some((b) => b !== host && overlaps(b.rect, rect))) return null;
  const same = rng.chance(0.5);
  return {
    rect,
    kind: 'change',
    roof: same ? host.roof : rng.chance(0.5) ? 'flat' : 'corrugated',
    colour: same ? jitter(rng, host.colour, 0.05) : jitter(rng, rng.pick([[190, 190, 185], [80, 125, 190], [150, 148, 142]] as const), 0.08),
    height: rng.float(3, host.height),
    ridgeAlongX: rectW(rect) > rectH(rect),
  };
};

const PLANT: Record<ChangeKind, Planter> = {
  new_building: newBuilding,
  rooftop_addition: rooftopAddition,
  steel_shed: steelShed,
  courtyard_enclosure: courtyardEnclosure,
  villa_extension: villaExtension,
};
