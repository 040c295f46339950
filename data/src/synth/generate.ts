import { createRng, type Rng } from '../prng.js';
import { CHANGE_KINDS, plantChange, type ChangeKind } from './changes.js';
import { clearRegion, openLand, pickRegion, planDevelopment, type Development, type LandCover } from './greenfield.js';
import { sampleRgb } from './raster.js';
import { renderMask, renderScene, type Conditions, type Frame } from './render.js';
import { CAR_COLOURS, jitter, layoutScene, type Building, type Car, type Rect, type Tree } from './scene.js';
import { applySensor, randomSensor, type SensorLook } from './sensor.js';

export { CHANGE_KINDS, type ChangeKind } from './changes.js';

/** The kind of a planted greenfield development (one box around all of its new buildings). */
export const GREENFIELD = 'greenfield_development';
export type PlantedKind = ChangeKind | typeof GREENFIELD;

export interface PairOptions {
  seed: number;
  /** side of the square images in pixels (default 256) */
  size?: number;
  /** ground sample distance (default 0.5) */
  metresPerPixel?: number;
  /** how many changes to plant; 0 gives a nuisance-only pair; default: none in ~15 % of pairs, else 1–5 */
  changes?: number;
  /** differences that are not change (season, sun, sensor, cars, trees, repaint, misregistration); default true */
  nuisance?: boolean;
  /**
   * plant a greenfield development: a quarter to all of the image is open land (fields, scrub, bare soil) in
   * the before image and a new estate with its own streets in the after image; every new building is labelled.
   * Default: in ~30 % of pairs when `changes` is not given, else false.
   */
  greenfield?: boolean;
  /**
   * a large area of open land changes its cover (another crop, ploughed, cleared to bare soil) with no new
   * building: not labelled. Needs `nuisance`. Default: in ~25 % of the other pairs when `changes` is not given.
   */
  landCover?: boolean;
  /**
   * the largest misregistration of the before image against the after image, pixels per axis (default 3); each
   * pair draws its shift uniformly within ± this. Needs `nuisance`.
   */
  misregistrationPx?: number;
}

export interface PlantedBox {
  /** inclusive pixel bbox in the after image: [x0, y0, x1, y1] */
  bbox: [number, number, number, number];
  kind: PlantedKind;
}

export interface SyntheticPair {
  size: number;
  metresPerPixel: number;
  /** interleaved 8-bit RGB, size × size × 3 */
  before: Uint8Array;
  after: Uint8Array;
  /** 255 where a planted change stands in the after image, else 0 (size × size, same frame as `after`) */
  mask: Uint8Array;
  planted: PlantedBox[];
  /** the misregistration drawn: the before image shows after pixel (x, y) at (x + dx, y + dy) */
  misregistration: [number, number];
}

const MARGIN = 8;
const MAX_SHIFT = 3;
/** The frame reaches this far beyond the largest shift, so a shifted crop stays inside the rendered scene. */
const SHIFT_CLEARANCE = 2;

/** A before/after pair of a synthetic urban scene; the same options always give the same bytes. */
export function generatePair(options: PairOptions): SyntheticPair {
  const size = options.size ?? 256;
  const mpp = options.metresPerPixel ?? 0.5;
  const nuisance = options.nuisance ?? true;
  if (!Number.isInteger(size) || size < 16 || size > 4096) throw new Error(`size must be an integer 16–4096, got ${size}`);
  if (!(mpp >= 0.05 && mpp <= 5)) throw new Error(`metresPerPixel must be 0.05–5, got ${mpp}`);
  if (options.changes !== undefined && !(Number.isInteger(options.changes) && options.changes >= 0))
    throw new Error(`changes must be a non-negative integer, got ${options.changes}`);
  const maxShift = options.misregistrationPx ?? MAX_SHIFT;
  if (!(maxShift >= 0 && maxShift <= 64)) throw new Error(`misregistrationPx must be 0–64, got ${options.misregistrationPx}`);
  // The default frame is kept as it always was, so the same options give the same bytes as before.
  const margin = Math.max(MARGIN, Math.ceil(maxShift) + SHIFT_CLEARANCE);
  const rng = createRng(options.seed);
  const frame: Frame = { size: size + 2 * margin, mpp };
  const scene = layoutScene(rng, Math.ceil(frame.size * Math.SQRT2) + 4, mpp);
  const m = (metres: number): number => metres / mpp;

  // The largest layout-aligned square that stays inside the output image, so planted changes are visible.
  const side = size / (Math.abs(Math.cos(scene.angle)) + Math.abs(Math.sin(scene.angle))) - 8;
  const focus: Rect = { x0: scene.extent / 2 - side / 2, y0: scene.extent / 2 - side / 2, x1: scene.extent / 2 + side / 2, y1: scene.extent / 2 + side / 2 };
  const random = options.changes === undefined;
  const greenfield = options.greenfield ?? (random && rng.chance(0.3));
  const landCover = nuisance && !greenfield && (options.landCover ?? (random && rng.chance(0.25)));
  let development: Development | null = null;
  let landBefore: LandCover = { patches: [], buildings: [], trees: [] };
  let landAfter: LandCover = landBefore;
  if (greenfield || landCover) {
    const region = pickRegion(rng, scene, size);
    clearRegion(scene, region, m);
    if (greenfield) {
      development = planDevelopment(rng, region, m);
      landBefore = development.before;
      landAfter = development.after;
    } else {
      landBefore = openLand(rng, region, m, true);
      landAfter = openLand(rng, region, m, false);
      // A field is a place where a single new building may also appear.
      scene.freeAreas.push(region);
    }
  }
  const wanted = options.changes ?? (greenfield ? rng.int(0, 2) : rng.chance(0.15) ? 0 : rng.int(1, 5));
  const planted: { kind: ChangeKind; building: Building }[] = [];
  for (let attempt = 0; planted.length < wanted && attempt < wanted * 6; attempt++) {
    const change = plantChange(scene, rng, rng.pick(CHANGE_KINDS), focus, m);
    if (!change) continue;
    if (planted.some((p) => overlapsRect(p.building.rect, change.building.rect))) continue;
    planted.push(change);
    scene.buildings.push(change.building);
  }
  const existing = scene.buildings.filter((b) => !planted.some((p) => p.building === b)).sort((a, b) => a.height - b.height);
  const changed = planted.map((p) => p.building);
  const developed = development ? landAfter.buildings : [];

  const condBefore = randomConditions(rng);
  const condAfter = nuisance ? randomConditions(rng) : condBefore;
  const sensorBefore = randomSensor(rng);
  const sensorAfter = nuisance ? randomSensor(rng) : sensorBefore;
  const beforeBuildings = [...existing, ...landBefore.buildings].sort((a, b) => a.height - b.height);
  const afterBuildings = [...(nuisance ? repaint(existing, rng) : existing), ...(development ? [] : landAfter.buildings), ...developed, ...changed];
  const afterTrees = [...(nuisance ? growTrees(scene.trees, rng) : scene.trees), ...landAfter.trees].filter(
    (t) => ![...changed, ...developed].some((b) => pointIn(b.rect, t.x, t.y, t.r / 2)),
  );
  const afterCars = nuisance ? moveCars(scene.cars, rng, m) : scene.cars;
  const shift = nuisance ? [rng.float(-maxShift, maxShift), rng.float(-maxShift, maxShift)] : [0, 0];

  const beforeTrees = [...scene.trees, ...landBefore.trees];
  const beforeCanvas = renderScene(scene, beforeBuildings, beforeTrees, scene.cars, condBefore, frame, rng, landBefore.patches);
  const afterCanvas = renderScene(scene, afterBuildings, afterTrees, afterCars, condAfter, frame, rng, landAfter.patches);
  const before = finish(crop(beforeCanvas.data, frame.size, size, margin + shift[0]!, margin + shift[1]!), size, sensorBefore, rng);
  const after = finish(crop(afterCanvas.data, frame.size, size, margin, margin), size, sensorAfter, rng);
  const { mask, boxes } = renderMask(scene, [...changed, ...developed], frame, { x: margin, y: margin, size });
  const boxesOut: PlantedBox[] = [];
  planted.forEach((p, i) => {
    const bbox = boxes[i];
    if (bbox) boxesOut.push({ bbox, kind: p.kind });
  });
  const estate = boxes.slice(changed.length).filter((b) => b !== null);
  if (estate.length)
    boxesOut.push({
      bbox: [Math.min(...estate.map((b) => b[0])), Math.min(...estate.map((b) => b[1])), Math.max(...estate.map((b) => b[2])), Math.max(...estate.map((b) => b[3]))],
      kind: GREENFIELD,
    });
  return { size, metresPerPixel: mpp, before, after, mask, planted: boxesOut, misregistration: [-shift[0]! || 0, -shift[1]! || 0] };
}

function randomConditions(rng: Rng): Conditions {
  return {
    sunAzimuth: rng.float(Math.PI * 0.5, Math.PI * 1.5) + rng.float(-0.3, 0.3),
    sunElevation: rng.float(0.5, 1.35),
    season: rng.chance(0.5) ? rng.float(0, 0.3) : rng.float(0.3, 1),
    shadowStrength: rng.float(0.35, 0.65),
  };
}

function repaint(buildings: Building[], rng: Rng): Building[] {
  return buildings.map((b) => (rng.chance(b.kind === 'lane' ? 0.02 : 0.08) ? { ...b, colour: jitter(rng, rng.pick([[150, 148, 142], [170, 90, 60], [80, 120, 170], [200, 200, 195], [90, 95, 100]] as const), 0.1) } : b));
}

function growTrees(trees: Tree[], rng: Rng): Tree[] {
  return trees.filter(() => !rng.chance(0.05)).map((t) => ({ ...t, r: t.r * rng.float(0.95, 1.3) }));
}

function moveCars(cars: Car[], rng: Rng, m: (metres: number) => number): Car[] {
  const out: Car[] = [];
  for (const car of cars) {
    if (rng.chance(0.3)) continue;
    if (rng.chance(0.5)) {
      out.push(car);
      continue;
    }
    const long = car.rect.x1 - car.rect.x0 > car.rect.y1 - car.rect.y0;
    const d = m(rng.float(-12, 12));
    const r = long ? { ...car.rect, x0: car.rect.x0 + d, x1: car.rect.x1 + d } : { ...car.rect, y0: car.rect.y0 + d, y1: car.rect.y1 + d };
    out.push({ rect: r, colour: rng.chance(0.5) ? car.colour : jitter(rng, rng.pick(CAR_COLOURS), 0.1) });
  }
  return out;
}

const overlapsRect = (a: Rect, b: Rect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const pointIn = (r: Rect, x: number, y: number, pad: number): boolean => x > r.x0 - pad && x < r.x1 + pad && y > r.y0 - pad && y < r.y1 + pad;

function crop(data: Float32Array, from: number, size: number, x: number, y: number): Float32Array {
  const out = new Float32Array(size * size * 3);
  const px = [0, 0, 0];
  const whole = Number.isInteger(x) && Number.isInteger(y);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const o = (j * size + i) * 3;
      if (whole) {
        const s = ((j + y) * from + i + x) * 3;
        out[o] = data[s]!;
        out[o + 1] = data[s + 1]!;
        out[o + 2] = data[s + 2]!;
      } else {
        sampleRgb({ data, width: from, height: from }, i + x + 0.5, j + y + 0.5, px);
        out[o] = px[0]!;
        out[o + 1] = px[1]!;
        out[o + 2] = px[2]!;
      }
    }
  }
  return out;
}

function finish(data: Float32Array, size: number, look: SensorLook, rng: Rng): Uint8Array {
  return applySensor(data, size, size, look, rng);
}
